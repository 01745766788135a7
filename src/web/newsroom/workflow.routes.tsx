// Newsroom workflow: the start page, the article list, a new draft, the editor page with its boot data, and the workflow
// actions (submit, publish, schedule, unschedule, unpublish) as form posts that also answer JSON. Mounts the save API,
// the revisions and the audit log.
import { Hono } from 'hono';
import { listAuthors, listSections } from '../../content/index.ts';
import {
  ConflictError, createDraft, getWorkingCopy, listNewsroomArticles, newsroomOverview, publishNow, schedulePublish, submitForReview, unpublish, unschedule,
  type Staff, type WorkingCopy,
} from '../../newsroom/index.ts';
import { DomainError } from '../../domain-error.ts';
import { berlinWallClock, berlinWallClockOf } from '../../berlin-time.ts';
import { csrfToken } from '../platform/csrf.ts';
import { formGuard, formOf } from '../platform/form-input.ts';
import type { AppEnv } from '../platform/request-context.middleware.ts';
import { wantsJson } from '../platform/request-info.ts';
import type { EditorBootData } from './editor-contract.ts';
import { EditorPage } from './editor.view.tsx';
import { staffOf, workingCopyOr404, type NewsroomContext, type NewsroomRouteDeps } from './newsroom-context.ts';
import { renderInFrame } from './newsroom-frame.view.tsx';
import { ArticleListPage, editorUrl, NewArticleButton, StartPage } from './articles.view.tsx';
import { actionUrl, ActionProblems, ArticleLinks, WorkflowActions, workflowCan, workflowFactsText, type WorkflowFacts } from './editor-page.view.tsx';
import { apiError, conflictBody, formVersion, saveApiRoutes } from './save-api.routes.ts';
import { filterOf, listQueryOf } from './article-list.ts';
import { revisionRoutes } from './revisions.routes.tsx';
import { auditRoutes } from './audit.routes.tsx';
import { renderConflict } from './conflict-page.tsx';

const NOTICES: Record<string, string> = {
  eingereicht: 'Der Artikel wartet jetzt auf Prüfung.',
  veroeffentlicht: 'Der Artikel ist veröffentlicht.',
  geplant: 'Der Artikel ist geplant.',
  'planung-aufgehoben': 'Die Planung ist aufgehoben; der Artikel wartet wieder auf Prüfung.',
  zurueckgezogen: 'Der Artikel ist zurückgezogen; Leserinnen und Leser sehen ihn nicht mehr.',
  wiederhergestellt: 'Die Version ist wiederhergestellt.',
};

type ActionName = 'einreichen' | 'veroeffentlichen' | 'planen' | 'planung-aufheben' | 'zurueckziehen';
interface Action {
  label: string;
  ok: string;
  run: (deps: NewsroomRouteDeps, staff: Staff, articleId: string, version: number, form: Record<string, string>) => Promise<unknown>;
}

/** The Berlin wall-clock time of the schedule form as an instant, or a 400 naming the field. */
function scheduleTime(form: Record<string, string>): Date {
  const raw = (form.zeitpunkt ?? '').trim();
  const at = berlinWallClock(raw);
  if (!at) {
    throw new DomainError('invalid-input', raw ? `„${raw}“ ist kein gültiger Zeitpunkt (Datum und Uhrzeit in Berliner Zeit).` : 'Bitte geben Sie Datum und Uhrzeit der Veröffentlichung an.', 'zeitpunkt');
  }
  return at;
}

const ACTIONS: Record<ActionName, Action> = {
  einreichen: { label: 'Zur Prüfung einreichen', ok: 'eingereicht', run: (d, s, id, v) => submitForReview(d.site.db, s, id, v, { now: d.site.now() }) },
  veroeffentlichen: { label: 'Veröffentlichen', ok: 'veroeffentlicht', run: (d, s, id, v) => publishNow(d.site.db, s, id, v, { now: d.site.now() }) },
  planen: { label: 'Planen', ok: 'geplant', run: (d, s, id, v, f) => schedulePublish(d.site.db, s, id, v, scheduleTime(f), { now: d.site.now() }) },
  'planung-aufheben': { label: 'Planung aufheben', ok: 'planung-aufgehoben', run: (d, s, id, v) => unschedule(d.site.db, s, id, { version: v, now: d.site.now() }) },
  // Taking an article offline does not wait for the newest version: whoever sees a problem may pull it.
  zurueckziehen: { label: 'Zurückziehen', ok: 'zurueckgezogen', run: (d, s, id) => unpublish(d.site.db, s, id, { now: d.site.now() }) },
};

const factsOf = (wc: WorkingCopy): WorkflowFacts => ({
  articleId: wc.articleId, version: wc.version, state: wc.state, live: wc.live, scheduledAt: wc.scheduledAt, publishedAt: wc.publishedAt,
  updatedAt: wc.updatedAt, updatedByName: wc.updatedByName,
  changes: wc.live && wc.publishedVersion !== null && wc.version > wc.publishedVersion,
});

export function workflowRoutes(deps: NewsroomRouteDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const db = deps.site.db;
  // Body limit and CSRF token for this file's form posts only (other newsroom routes under these prefixes have their own).
  app.use('/redaktion/artikel', ...formGuard());
  for (const name of Object.keys(ACTIONS)) app.use(`/redaktion/artikel/:id/${name}`, ...formGuard());

  app.get('/redaktion', async (c) => {
    const staff = staffOf(c);
    const overview = await newsroomOverview(db, staff);
    return renderInFrame(c, deps, { title: 'Übersicht', active: 'uebersicht', actions: <NewArticleButton csrf={csrfToken(c)} /> }, <StartPage overview={overview} />);
  });

  app.get('/redaktion/artikel', async (c) => {
    const [sections, authors] = await Promise.all([listSections(db), listAuthors(db)]);
    const query = listQueryOf(c, sections, authors);
    const { items, next } = await listNewsroomArticles(db, filterOf(query));
    return renderInFrame(c, deps, { title: 'Artikel', active: 'artikel', actions: <NewArticleButton csrf={csrfToken(c)} /> },
      <ArticleListPage rows={items} query={query} next={next} sections={sections} authors={authors} />);
  });

  app.post('/redaktion/artikel', async (c) => {
    const wc = await createDraft(db, staffOf(c), {}, { now: deps.site.now() });
    return c.redirect(editorUrl(wc.articleId), 303);
  });

  async function editorPage(c: NewsroomContext, o: { status?: number; notice?: string | undefined; problems?: { message: string; problems: { path: string; message: string }[] } } = {}) {
    const staff = staffOf(c);
    const wc = await workingCopyOr404(deps, c.req.param('id'));
    const [sections, authors] = await Promise.all([listSections(db), listAuthors(db)]);
    const facts = factsOf(wc);
    const can = workflowCan(staff.role, facts);
    const csrf = csrfToken(c);
    const id = encodeURIComponent(wc.articleId);
    const boot: EditorBootData = {
      articleId: wc.articleId, version: wc.version, state: wc.state, doc: wc.doc,
      can: { publish: can.publish, schedule: can.schedule, unpublish: can.unpublish, submit: can.submit },
      sections: sections.map((s) => ({ slug: s.slug, name: s.name })), authors, csrf,
      urls: { save: `/redaktion/api/artikel/${id}`, upload: '/redaktion/api/medien', media: '/redaktion/api/medien', preview: `/redaktion/artikel/${id}/vorschau` },
    };
    // a sensible proposal: the scheduled time, or the next full hour at least an hour ahead
    const soon = new Date(Math.ceil((deps.site.now().getTime() + 3_600_000) / 3_600_000) * 3_600_000);
    const scheduleDefault = berlinWallClockOf(wc.scheduledAt ? new Date(wc.scheduledAt) : soon);
    const section = sections.find((s) => s.slug === wc.doc.section)?.name;
    // the editor's bar carries the state, the save status and the workflow forms; the page head says where the article stands
    return renderInFrame(c, deps, {
      // the headline is the editor's first field; the heading names the page, the tab the article
      title: 'Artikel bearbeiten', documentTitle: wc.doc.headline.trim() || 'Neuer Artikel', active: 'artikel', notice: o.notice,
      kicker: [section, workflowFactsText(facts)].filter(Boolean).join(' · '), actions: <ArticleLinks articleId={wc.articleId} />,
    }, (
      <>
        {o.problems && <ActionProblems {...o.problems} />}
        <EditorPage boot={boot} scriptUrl={deps.site.assets.editor} actions={<WorkflowActions w={facts} can={can} csrf={csrf} scheduleDefault={scheduleDefault} />} />
      </>
    ), o.status);
  }

  app.get('/redaktion/artikel/:id', (c) => editorPage(c, { notice: NOTICES[c.req.query('ok') ?? ''] }));

  // one route per action (a literal path each: no parameter that could name something else)
  for (const name of Object.keys(ACTIONS) as ActionName[]) app.post(`/redaktion/artikel/:id/${name}`, async (c) => {
    const staff = staffOf(c);
    const articleId = c.req.param('id');
    const action = ACTIONS[name];
    const form = await formOf(c);
    const json = wantsJson(c);
    let version = -1;
    try {
      version = formVersion(form);
      await action.run(deps, staff, articleId, version, form);
    } catch (e) {
      if (json) {
        if (e instanceof ConflictError) return c.json(conflictBody(e), 409);
        return apiError(c, e);
      }
      if (e instanceof ConflictError) {
        return renderConflict(c, deps, { actionLabel: action.label, actionUrl: actionUrl(articleId, name), version, current: e.current, fields: name === 'planen' ? { zeitpunkt: form.zeitpunkt ?? '' } : {} });
      }
      // incomplete (a missing caption), or not possible in this state: the editor again, with the reasons above it
      if (e instanceof DomainError && (e.code === 'invalid-input' || e.code === 'conflict')) {
        const problems = e.fields.length ? e.fields : e.field ? [{ path: e.field, message: e.message }] : [];
        return editorPage(c, { status: e.code === 'conflict' ? 409 : 400, problems: { message: `„${action.label}“ ging nicht: ${e.message}`, problems } });
      }
      throw e;
    }
    if (json) {
      const wc = (await getWorkingCopy(db, articleId))!;
      return c.json({ version: wc.version, state: wc.state, live: wc.live, scheduledAt: wc.scheduledAt, publishedAt: wc.publishedAt });
    }
    return c.redirect(`${editorUrl(articleId)}?ok=${action.ok}`, 303);
  });

  app.route('/', saveApiRoutes(deps));
  app.route('/', revisionRoutes(deps));
  app.route('/', auditRoutes(deps));
  return app;
}
