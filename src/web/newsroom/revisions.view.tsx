// The revisions of an article as a table with compare and restore, and the diff of two versions: added words green and
// underlined, removed ones red and struck through, per field and per block.
import type { BlockDiff, DiffStatus, DocDiff, FieldDiff, Revision, RevisionSummary } from '../../newsroom/index.ts';
import { CsrfField } from '../ui/form.view.tsx';
import { editorUrl, shortDateTime } from './articles.view.tsx';

export const versionsUrl = (articleId: string) => `${editorUrl(articleId)}/versionen`;

export const KIND_LABELS: Record<string, string> = {
  create: 'Angelegt', import: 'Import', autosave: 'Automatisch gespeichert', save: 'Gespeichert', submit: 'Eingereicht',
  publish: 'Veröffentlicht', restore: 'Wiederhergestellt',
};

/** Restores `version` as a new version on top of `current`; with an `id` it has no button (a button elsewhere names it). */
function RestoreForm({ articleId, version, current, csrf, label = 'Wiederherstellen', id }: { articleId: string; version: number; current: number; csrf: string; label?: string; id?: string }) {
  return (
    <form class="nr-inline-form" method="post" action={`${versionsUrl(articleId)}/${version}/wiederherstellen`} id={id}>
      <CsrfField token={csrf} />
      <input type="hidden" name="version" value={String(current)} />
      {!id && <button class="button button--small button--quiet" type="submit">{label}</button>}
    </form>
  );
}

export function RevisionListPage({ articleId, current, publishedVersion, revisions, csrf }: {
  articleId: string; current: number; publishedVersion: number | null; revisions: RevisionSummary[]; csrf: string;
}) {
  const sorted = [...revisions].sort((x, y) => y.version - x.version);
  const [newest, previous] = [sorted[0]?.version, sorted[1]?.version ?? sorted[0]?.version];
  return (
    <>
      <p class="nr-muted">Automatische Speicherungen derselben Person innerhalb von zehn Minuten werden zu einer Version zusammengefasst. Wiederherstellen legt die alte Fassung als neue Version an; nichts geht verloren.</p>
      <form method="get" action={`${versionsUrl(articleId)}/vergleich`}>
        <div class="nr-table-wrap">
          <table class="nr-table">
            <thead>
              <tr><th scope="col">Von</th><th scope="col">Bis</th><th scope="col">Version</th><th scope="col">Art</th><th scope="col">Wer</th><th scope="col">Wann</th><th scope="col"><span class="visually-hidden">Vergleichen</span></th><th scope="col"><span class="visually-hidden">Wiederherstellen</span></th></tr>
            </thead>
            <tbody>
              {sorted.map((r) => (
                <tr>
                  <td><input type="radio" name="a" value={String(r.version)} checked={r.version === previous} aria-label={`Version ${r.version} als ältere Seite`} /></td>
                  <td><input type="radio" name="b" value={String(r.version)} checked={r.version === newest} aria-label={`Version ${r.version} als neuere Seite`} /></td>
                  <td class="nr-nowrap"><strong>{r.version}</strong>{r.version === current && <span class="nr-muted"> (aktuell)</span>}{r.version === publishedVersion && <span class="nr-muted"> (online)</span>}</td>
                  <td>{KIND_LABELS[r.kind] ?? r.kind}</td>
                  <td>{r.savedByName || <span class="nr-muted">–</span>}</td>
                  <td class="nr-nowrap">{shortDateTime(r.savedAt)}</td>
                  <td class="nr-nowrap nr-row-actions">
                    {r.version !== current && <a href={`${versionsUrl(articleId)}/${Math.min(r.version, current)}/${Math.max(r.version, current)}`}>Mit aktueller vergleichen</a>}
                  </td>
                  <td class="nr-nowrap">{r.version !== current && <button class="button button--small button--quiet" type="submit" form={`nr-restore-${r.version}`}>Wiederherstellen</button>}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        {sorted.length > 1 && <p><button class="button button--small" type="submit">Ausgewählte Versionen vergleichen</button></p>}
      </form>
      {/* forms cannot nest: the restore buttons in the table name these by id */}
      {sorted.filter((r) => r.version !== current).map((r) => <RestoreForm articleId={articleId} version={r.version} current={current} csrf={csrf} id={`nr-restore-${r.version}`} />)}
    </>
  );
}

const FIELD_LABELS: Record<string, string> = {
  slug: 'Adresse', kicker: 'Dachzeile', headline: 'Überschrift', teaser: 'Vorspann', section: 'Ressort', authors: 'Autor/innen', access: 'Zugang',
  paywallAfter: 'Paywall nach Block', seoTitle: 'SEO-Titel', seoDescription: 'SEO-Beschreibung', 'image.imageId': 'Aufmacherbild (Datei)',
  'image.caption': 'Bildunterschrift (Aufmacher)', 'image.credit': 'Bildnachweis (Aufmacher)',
  text: 'Text', speaker: 'Sprecher/in', by: 'Urheber/in', imageId: 'Bilddatei', caption: 'Bildunterschrift', credit: 'Bildnachweis',
};
const BLOCK_LABELS: Record<string, string> = {
  paragraph: 'Absatz', subheading: 'Zwischenüberschrift', question: 'Frage', answer: 'Antwort', quote: 'Zitat', image: 'Bild',
};
const STATUS_WORDS: Record<DiffStatus, string> = { same: 'unverändert', added: 'neu', removed: 'entfernt', changed: 'geändert' };

/** One field's text with its changes marked: word parts when it changed, the whole text when added or removed. */
function FieldText({ f }: { f: FieldDiff }) {
  if (f.parts) {
    return <>{f.parts.map((p) => (p.op === 'added' ? <ins>{p.text}</ins> : p.op === 'removed' ? <del>{p.text}</del> : p.text))}</>;
  }
  if (f.status === 'added') return <ins>{f.after}</ins>;
  if (f.status === 'removed') return <del>{f.before}</del>;
  if (f.status === 'changed') return <><del>{f.before}</del> <ins>{f.after}</ins></>;
  return <>{f.after}</>;
}

function BlockView({ b }: { b: BlockDiff }) {
  const position = b.status === 'removed' ? `bisher Block ${(b.before ?? 0) + 1}` : `Block ${(b.after ?? 0) + 1}`;
  const fields = b.fields.filter((f) => f.before !== '' || f.after !== '');
  return (
    <section class={`nr-diff__item nr-diff__item--${b.status}`}>
      <p class="nr-diff__label">{position} · {BLOCK_LABELS[b.type] ?? b.type}{b.status !== 'same' && <> · {STATUS_WORDS[b.status]}</>}</p>
      {fields.map((f) => (
        <p class={b.status === 'same' ? 'nr-diff__text nr-diff__text--same' : 'nr-diff__text'}>
          {(fields.length > 1 || f.field !== 'text') && <span class="nr-doc__type">{FIELD_LABELS[f.field] ?? f.field}:</span>}
          <FieldText f={f} />
        </p>
      ))}
    </section>
  );
}

export function DiffPage({ articleId, a, b, diff, current, csrf }: { articleId: string; a: Revision; b: Revision; diff: DocDiff; current: number; csrf: string }) {
  const fields = diff.fields.filter((f) => f.status !== 'same');
  const side = (r: Revision) => `Version ${r.version} (${KIND_LABELS[r.kind] ?? r.kind}, ${r.savedByName || '–'}, ${shortDateTime(r.savedAt)})`;
  return (
    <div class="nr-diffpage">
      <p class="nr-diff__legend">
        <span>{side(a)} → {side(b)}</span>
        <span><ins class="nr-ins">eingefügt</ins></span><span><del class="nr-del">entfernt</del></span>
      </p>
      <p class="nr-diff__pick">
        <a href={versionsUrl(articleId)}>← Alle Versionen</a>
        {a.version !== current && <RestoreForm articleId={articleId} version={a.version} current={current} csrf={csrf} label={`Version ${a.version} wiederherstellen`} />}
        {b.version !== current && <RestoreForm articleId={articleId} version={b.version} current={current} csrf={csrf} label={`Version ${b.version} wiederherstellen`} />}
      </p>
      {!diff.changed && <p class="nr-empty">Die beiden Versionen sind gleich.</p>}
      {fields.length > 0 && (
        <>
          <h2 class="nr-section-title">Angaben</h2>
          <div class="nr-diff nr-diff--fields">
            {fields.map((f) => (
              <section class={`nr-diff__item nr-diff__item--${f.status}`}>
                <p class="nr-diff__label">{FIELD_LABELS[f.field] ?? f.field} · {STATUS_WORDS[f.status]}</p>
                <p class="nr-diff__text"><FieldText f={f} /></p>
              </section>
            ))}
          </div>
        </>
      )}
      {diff.blocks.length > 0 && (
        <>
          <h2 class="nr-section-title">Text</h2>
          <div class="nr-diff">{diff.blocks.map((x) => <BlockView b={x} />)}</div>
        </>
      )}
    </div>
  );
}
