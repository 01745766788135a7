// The editor page around the editor script: the workflow forms (submit, publish, schedule, unpublish) by role, and the
// conflict page that shows the version a form was based on next to the current one.
import type { Role } from '../../accounts/index.ts';
import type { DraftBlock, DraftDocument, EditorialState } from '../../newsroom/index.ts';
import { CsrfField } from '../ui/form.view.tsx';
import { ACCESS_LABELS, editorUrl, shortDateTime } from './articles.view.tsx';
import { STATE_LABELS } from './newsroom-frame.view.tsx';

/** What the workflow forms need to know about the working copy. */
export interface WorkflowFacts {
  articleId: string;
  version: number;
  state: EditorialState;
  live: boolean;
  /** live, with a newer working copy than the published one */
  changes: boolean;
  scheduledAt: string | null;
  publishedAt: string | null;
  updatedAt: string;
  updatedByName: string;
}

export interface WorkflowCan { submit: boolean; publish: boolean; schedule: boolean; unschedule: boolean; unpublish: boolean }

const PUBLISHERS: readonly Role[] = ['editor', 'admin'];

/** Which actions the page offers: the role decides who may, the state what makes sense. The server checks again. */
export function workflowCan(role: Role, w: Pick<WorkflowFacts, 'state' | 'live' | 'changes'>): WorkflowCan {
  const publisher = PUBLISHERS.includes(role);
  // what is not live yet, or live with newer changes
  const open = w.state === 'draft' || w.state === 'unpublished' || w.state === 'review' || (w.state === 'published' && w.changes);
  return {
    submit: w.state === 'draft' || w.state === 'unpublished' || (w.state === 'published' && w.changes),
    publish: publisher && (open || w.state === 'scheduled'),
    schedule: publisher && open,
    unschedule: publisher && w.state === 'scheduled',
    unpublish: publisher && w.live,
  };
}

export const actionUrl = (articleId: string, action: string) => `${editorUrl(articleId)}/${action}`;

/**
 * One workflow action as a plain form. The editor script saves pending changes before any form with a `version` field
 * is sent and sets that field to the version the server confirmed, so the form names what the person is looking at.
 */
function ActionForm({ w, csrf, action, label, kind = 'ghost', children }: { w: WorkflowFacts; csrf: string; action: string; label: string; kind?: 'primary' | 'ghost' | 'danger'; children?: unknown }) {
  const cls = kind === 'primary' ? 'nr-ed-btn' : kind === 'danger' ? 'nr-ed-btn nr-ed-btn--ghost nr-btn--danger' : 'nr-ed-btn nr-ed-btn--ghost';
  return (
    <form class="nr-action" method="post" action={actionUrl(w.articleId, action)}>
      <CsrfField token={csrf} />
      <input type="hidden" name="version" value={String(w.version)} />
      {children}
      <button class={cls} type="submit">{label}</button>
    </form>
  );
}

/** The workflow actions this person may take now, for the editor's bar. */
export function WorkflowActions({ w, can, csrf, scheduleDefault }: { w: WorkflowFacts; can: WorkflowCan; csrf: string; scheduleDefault: string }) {
  return (
    <>
      {can.submit && <ActionForm w={w} csrf={csrf} action="einreichen" label="Zur Prüfung einreichen" kind={can.publish ? 'ghost' : 'primary'} />}
      {can.schedule && (
        <ActionForm w={w} csrf={csrf} action="planen" label="Planen">
          <label class="visually-hidden" for="nr-zeitpunkt">Erscheinen am (Datum und Uhrzeit, Berliner Zeit)</label>
          <input id="nr-zeitpunkt" type="datetime-local" name="zeitpunkt" value={scheduleDefault} required title="Erscheinen am (Berliner Zeit)" />
        </ActionForm>
      )}
      {can.unschedule && <ActionForm w={w} csrf={csrf} action="planung-aufheben" label="Planung aufheben" />}
      {can.publish && <ActionForm w={w} csrf={csrf} action="veroeffentlichen" label={w.live ? 'Änderungen veröffentlichen' : 'Jetzt veröffentlichen'} kind="primary" />}
      {can.unpublish && <ActionForm w={w} csrf={csrf} action="zurueckziehen" label="Zurückziehen" kind="danger" />}
    </>
  );
}

/** Where the article stands, in words: scheduled for, online since, or last saved by. */
export function workflowFactsText(w: WorkflowFacts): string {
  if (w.state === 'scheduled') return `Erscheint am ${shortDateTime(w.scheduledAt)}`;
  if (w.live) return `Online seit ${shortDateTime(w.publishedAt)}${w.changes ? ' · Änderungen noch nicht veröffentlicht' : ''}`;
  return `Zuletzt gespeichert ${shortDateTime(w.updatedAt)}${w.updatedByName ? ` von ${w.updatedByName}` : ''}`;
}

/** Links of the page head: the article's versions and its log. */
export function ArticleLinks({ articleId }: { articleId: string }) {
  return (
    <p class="nr-links">
      <a href={`${editorUrl(articleId)}/versionen`}>Versionen</a>
      <a href={`/redaktion/protokoll?artikel=${encodeURIComponent(articleId)}`}>Protokoll</a>
    </p>
  );
}

/** Field problems of a refused action (e.g. a missing caption), listed above the editor. */
export function ActionProblems({ message, problems }: { message: string; problems: { path: string; message: string }[] }) {
  return (
    <div class="form-errors" role="alert">
      <p class="form-errors__title">{message}</p>
      {problems.length > 0 && <ul>{problems.map((p) => <li><code>{p.path}</code>: {p.message}</li>)}</ul>}
    </div>
  );
}

const BLOCK_LABELS: Record<DraftBlock['type'], string> = {
  paragraph: 'Absatz', subheading: 'Zwischenüberschrift', question: 'Frage', answer: 'Antwort', quote: 'Zitat', image: 'Bild',
};

function BlockText({ block }: { block: DraftBlock }) {
  switch (block.type) {
    case 'answer': return <><strong>{block.speaker || '–'}:</strong> {block.text}</>;
    case 'quote': return <>„{block.text}“{block.by && <> — {block.by}</>}</>;
    case 'image': return <>{block.caption || <em>ohne Bildunterschrift</em>} <span class="nr-muted">({block.credit || 'ohne Bildnachweis'})</span></>;
    default: return <>{block.text}</>;
  }
}

/** A working copy as plain, escaped text: every field and block, for comparing two versions side by side. */
export function DocumentView({ doc }: { doc: DraftDocument }) {
  const fields: [string, string][] = [
    ['Dachzeile', doc.kicker], ['Überschrift', doc.headline], ['Vorspann', doc.teaser], ['Ressort', doc.section], ['Autor/innen', doc.authors.join(', ')],
    ['Zugang', ACCESS_LABELS[doc.access] ?? doc.access], ['Adresse', doc.slug], ['SEO-Titel', doc.seoTitle], ['SEO-Beschreibung', doc.seoDescription],
    ['Aufmacherbild', doc.image ? `${doc.image.caption} (${doc.image.credit})` : ''],
  ];
  return (
    <dl class="nr-doc">
      {fields.map(([label, value]) => <><dt>{label}</dt><dd>{value || <span class="nr-muted">–</span>}</dd></>)}
      <dt>Text ({doc.blocks.length} {doc.blocks.length === 1 ? 'Block' : 'Blöcke'})</dt>
      <dd>
        <ol>
          {doc.blocks.map((b, i) => (
            <>
              {doc.access !== 'free' && i === doc.paywallAfter && <li class="nr-muted">— Paywall —</li>}
              <li><span class="nr-doc__type">{BLOCK_LABELS[b.type] ?? b.type}</span><BlockText block={b} /></li>
            </>
          ))}
        </ol>
      </dd>
    </dl>
  );
}

export interface ConflictSide { version: number; doc: DraftDocument | null; who: string; when: string | null }

/** A workflow form based on a stale version: what it was based on, what is current, and a way on. */
export function ConflictPage({ articleId, actionLabel, mine, current, retry }: {
  articleId: string; actionLabel: string; mine: ConflictSide; current: ConflictSide & { state: EditorialState }; retry?: unknown;
}) {
  return (
    <>
      <div class="acc-notice acc-notice--warning" role="alert">
        <p>„{actionLabel}“ wurde nicht ausgeführt: Sie haben Version {mine.version} gesehen, inzwischen gibt es Version {current.version}
          {current.who && <> (gespeichert von {current.who}{current.when && <>, {shortDateTime(current.when)}</>})</>}. Bitte prüfen Sie die aktuelle Fassung.</p>
        <p><a class="button button--small" href={editorUrl(articleId)}>Aktuelle Fassung öffnen</a>{' '}
          <a href={`${editorUrl(articleId)}/versionen/${mine.version}/${current.version}`}>Unterschiede anzeigen</a></p>
        {retry}
      </div>
      <div class="nr-compare">
        <section class="nr-compare__side" aria-label={`Ihre Fassung, Version ${mine.version}`}>
          <h2>Ihre Fassung · Version {mine.version}</h2>
          {mine.doc ? <DocumentView doc={mine.doc} /> : <p class="nr-empty">Diese Version ist nicht mehr einzeln gespeichert (spätere automatische Speicherungen haben sie ersetzt).</p>}
        </section>
        <section class="nr-compare__side" aria-label={`Aktuelle Fassung, Version ${current.version}`}>
          <h2>Aktuelle Fassung · Version {current.version} · {STATE_LABELS[current.state]}</h2>
          {current.doc && <DocumentView doc={current.doc} />}
        </section>
      </div>
    </>
  );
}
