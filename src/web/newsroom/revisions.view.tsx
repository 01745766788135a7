// The revisions of an article as a table with compare and restore, and the diff of two versions: added words green and
// underlined, removed ones red and struck through, per field and per block.
import type { DocDiff, Revision, RevisionSummary } from './domain-pending.ts';
import { CsrfField } from '../ui/form.view.tsx';
import { editorUrl, shortDateTime } from './articles.view.tsx';

export const versionsUrl = (articleId: string) => `${editorUrl(articleId)}/versionen`;

export const KIND_LABELS: Record<string, string> = {
  create: 'Angelegt', import: 'Import', autosave: 'Automatisch gespeichert', save: 'Gespeichert', submit: 'Eingereicht',
  publish: 'Veröffentlicht', restore: 'Wiederhergestellt',
};

function RestoreForm({ articleId, version, current, csrf }: { articleId: string; version: number; current: number; csrf: string }) {
  return (
    <form class="nr-inline-form" method="post" action={`${versionsUrl(articleId)}/${version}/wiederherstellen`}>
      <CsrfField token={csrf} />
      <input type="hidden" name="version" value={String(current)} />
      <button class="button button--small button--quiet" type="submit">Wiederherstellen</button>
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
              <tr><th scope="col">Von</th><th scope="col">Bis</th><th scope="col">Version</th><th scope="col">Art</th><th scope="col">Wer</th><th scope="col">Wann</th><th scope="col"><span class="visually-hidden">Aktionen</span></th></tr>
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
                  <td class="nr-nowrap">
                    {r.version !== current && <a href={`${versionsUrl(articleId)}/${Math.min(r.version, current)}/${Math.max(r.version, current)}`}>Mit aktueller vergleichen</a>}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        {sorted.length > 1 && <p><button class="button button--small" type="submit">Ausgewählte Versionen vergleichen</button></p>}
      </form>
      {sorted.filter((r) => r.version !== current).length > 0 && (
        <details class="nr-panel">
          <summary>Eine ältere Version wiederherstellen</summary>
          <ul class="nr-list">
            {sorted.filter((r) => r.version !== current).map((r) => (
              <li><span>Version {r.version} · {KIND_LABELS[r.kind] ?? r.kind} · {shortDateTime(r.savedAt)}</span><RestoreForm articleId={articleId} version={r.version} current={current} csrf={csrf} /></li>
            ))}
          </ul>
        </details>
      )}
    </>
  );
}

export function DiffPage({ articleId, a, b, diff, current, csrf }: { articleId: string; a: Revision; b: Revision; diff: DocDiff; current: number; csrf: string }) {
  void diff;
  return (
    <>
      <p class="nr-diff__legend"><span><ins class="nr-ins">eingefügt</ins></span><span><del class="nr-del">entfernt</del></span>
        <span>Version {a.version} ({KIND_LABELS[a.kind] ?? a.kind}, {a.savedByName || '–'}, {shortDateTime(a.savedAt)}) → Version {b.version} ({KIND_LABELS[b.kind] ?? b.kind}, {b.savedByName || '–'}, {shortDateTime(b.savedAt)})</span></p>
      <p><a href={versionsUrl(articleId)}>← Alle Versionen</a>{a.version !== current && <> · <RestoreForm articleId={articleId} version={a.version} current={current} csrf={csrf} /></>}</p>
    </>
  );
}
