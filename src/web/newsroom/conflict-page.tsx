// The 409 page of a form based on a stale version (a workflow action or a restore): both versions side by side, and
// the action offered again for the current version.
import { getRevision, listRevisions, type WorkingCopy } from '../../newsroom/index.ts';
import { csrfToken } from '../platform/csrf.ts';
import { CsrfField } from '../ui/form.view.tsx';
import type { NewsroomContext, NewsroomRouteDeps } from './newsroom-context.ts';
import { renderInFrame } from './newsroom-frame.view.tsx';
import { ConflictPage } from './editor-page.view.tsx';

export interface ConflictInput {
  actionLabel: string;
  /** where the retry form posts */
  actionUrl: string;
  /** the version the form was based on */
  version: number;
  current: WorkingCopy;
  /** further hidden fields the retry carries (the schedule time) */
  fields?: Record<string, string>;
}

export async function renderConflict(c: NewsroomContext, deps: NewsroomRouteDeps, o: ConflictInput) {
  const { current } = o;
  const revisions = await listRevisions(deps.site.db, current.articleId);
  const seen = revisions.find((r) => r.version === o.version);
  const mine = seen ? await getRevision(deps.site.db, current.articleId, seen.id) : undefined;
  const retry = (
    <form method="post" action={o.actionUrl}>
      <CsrfField token={csrfToken(c)} />
      <input type="hidden" name="version" value={String(current.version)} />
      {Object.entries(o.fields ?? {}).map(([k, v]) => <input type="hidden" name={k} value={v} />)}
      <button class="button button--small button--quiet" type="submit">„{o.actionLabel}“ mit der aktuellen Version {current.version}</button>
    </form>
  );
  return renderInFrame(c, deps, { title: 'Inzwischen geändert', active: 'artikel', kicker: current.doc.headline || 'Ohne Überschrift' }, (
    <ConflictPage articleId={current.articleId} actionLabel={o.actionLabel} retry={retry}
      mine={{ version: o.version, doc: mine?.doc ?? null, who: mine?.savedByName ?? '', when: mine?.savedAt ?? null }}
      current={{ version: current.version, doc: current.doc, who: current.updatedByName, when: current.updatedAt, state: current.state }} />
  ), 409);
}
