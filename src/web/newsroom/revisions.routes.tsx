// Revisions of an article: the list (version, kind, who, when), the word diff between two versions, and restoring an
// old version as a new one (CSRF, optimistic lock). URLs name versions, which the person sees; the revision ids stay inside.
import { Hono } from 'hono';
import { ConflictError, diffDocuments, getRevision, listRevisions, restoreRevision } from '../../newsroom/index.ts';
import { HttpError } from '../platform/app-error.ts';
import { csrfToken } from '../platform/csrf.ts';
import { formGuard, formOf } from '../platform/form-input.ts';
import type { AppEnv } from '../platform/request-context.middleware.ts';
import { staffOf, workingCopyOr404, type NewsroomContext, type NewsroomRouteDeps } from './newsroom-context.ts';
import { renderInFrame } from './newsroom-frame.view.tsx';
import { editorUrl } from './articles.view.tsx';
import { DiffPage, RevisionListPage, versionsUrl } from './revisions.view.tsx';
import { renderConflict } from './conflict-page.tsx';
import { formVersion } from './save-api.routes.ts';

const RESTORE_PATH = '/redaktion/artikel/:id/versionen/:version{[0-9]+}/wiederherstellen';

function versionParam(c: NewsroomContext, name: string): number {
  const raw = c.req.query(name) ?? c.req.param(name) ?? '';
  if (!/^\d{1,9}$/.test(raw)) throw new HttpError('bad-request', `Der Parameter „${name}“ muss eine Versionsnummer sein.`, name);
  return Number(raw);
}

export function revisionRoutes(deps: NewsroomRouteDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const db = deps.site.db;
  app.use(RESTORE_PATH, ...formGuard());

  /** The revision saved as `version`, or a 404 naming it. */
  async function revisionAt(articleId: string, version: number) {
    const summary = (await listRevisions(db, articleId)).find((r) => r.version === version);
    const rev = summary ? await getRevision(db, articleId, summary.id) : undefined;
    if (!rev) throw new HttpError('not-found', `Version ${version} ist nicht (mehr) gespeichert. Automatische Speicherungen kurz hintereinander werden zu einer Version zusammengefasst.`);
    return rev;
  }

  app.get('/redaktion/artikel/:id/versionen', async (c) => {
    const wc = await workingCopyOr404(deps, c.req.param('id'));
    const revisions = await listRevisions(db, wc.articleId);
    return renderInFrame(c, deps, { title: 'Versionen', active: 'artikel', kicker: <a href={editorUrl(wc.articleId)}>{wc.doc.headline || 'Ohne Überschrift'}</a> },
      <RevisionListPage articleId={wc.articleId} current={wc.version} publishedVersion={wc.publishedVersion} revisions={revisions} csrf={csrfToken(c)} />);
  });

  // The compare form of the list (two radio groups) lands here and goes on to the diff's address.
  app.get('/redaktion/artikel/:id/versionen/vergleich', (c) => {
    const [a, b] = [versionParam(c, 'a'), versionParam(c, 'b')];
    return c.redirect(`${versionsUrl(c.req.param('id'))}/${Math.min(a, b)}/${Math.max(a, b)}`, 303);
  });

  app.get('/redaktion/artikel/:id/versionen/:a{[0-9]+}/:b{[0-9]+}', async (c) => {
    const wc = await workingCopyOr404(deps, c.req.param('id'));
    const [a, b] = [versionParam(c, 'a'), versionParam(c, 'b')];
    const [older, newer] = await Promise.all([revisionAt(wc.articleId, a), revisionAt(wc.articleId, b)]);
    return renderInFrame(c, deps, { title: `Version ${a} ↔ ${b}`, active: 'artikel', kicker: <a href={editorUrl(wc.articleId)}>{wc.doc.headline || 'Ohne Überschrift'}</a> },
      <DiffPage articleId={wc.articleId} a={older} b={newer} diff={diffDocuments(older.doc, newer.doc)} current={wc.version} csrf={csrfToken(c)} />);
  });

  app.post(RESTORE_PATH, async (c) => {
    const staff = staffOf(c);
    const wc = await workingCopyOr404(deps, c.req.param('id'));
    const form = await formOf(c);
    const version = versionParam(c, 'version');
    const base = formVersion(form);
    const rev = await revisionAt(wc.articleId, version);
    try {
      await restoreRevision(db, staff, wc.articleId, rev.id, base, { now: deps.site.now() });
    } catch (e) {
      if (!(e instanceof ConflictError)) throw e;
      return renderConflict(c, deps, {
        actionLabel: `Version ${version} wiederherstellen`, actionUrl: `${versionsUrl(wc.articleId)}/${version}/wiederherstellen`, version: base, current: e.current,
      });
    }
    return c.redirect(`${editorUrl(wc.articleId)}?ok=wiederhergestellt`, 303);
  });

  return app;
}
