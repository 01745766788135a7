// /redaktion/verwaltung (admins only): sections, bylines, staff roles. The rules live in content and accounts; here forms in, pages out.
import { Hono, type MiddlewareHandler } from 'hono';
import { listRoleChanges, listStaff, setUserRole } from '../../accounts/index.ts';
import {
  createByline, createSection, deleteByline, deleteSection, listBylines, listSectionsWithUsage, moveSection, updateByline, updateSection,
} from '../../content/index.ts';
import { HttpError } from '../platform/app-error.ts';
import { csrfToken } from '../platform/csrf.ts';
import { formGuard, formOf, problemsOf } from '../platform/form-input.ts';
import type { AppEnv } from '../platform/request-context.middleware.ts';
import { emptyForm, type FormState } from '../ui/form.view.tsx';
import { requireRole, staffOf, type NewsroomContext, type NewsroomRouteDeps } from './newsroom-context.ts';
import { renderInFrame } from './newsroom-frame.view.tsx';
import { BylineEditPage, BylinesPage, SectionEditPage, SectionsPage } from './admin.view.tsx';
import { TeamPage } from './admin-team.view.tsx';

const BASE = '/redaktion/verwaltung';

/** Every page and every POST here: admins only, checked before any form is read. */
const adminsOnly: MiddlewareHandler<AppEnv> = async (c, next) => {
  requireRole(c, ['admin'], 'Die Verwaltung');
  await next();
};

const NOTICES: Record<string, string> = {
  angelegt: 'Angelegt.', gespeichert: 'Gespeichert.', geloescht: 'Gelöscht.', verschoben: 'Die Reihenfolge wurde geändert.',
  rolle: 'Die Rolle wurde geändert. Sie gilt ab der nächsten Seite, die die Person öffnet.', unveraendert: 'Das Konto hatte diese Rolle schon; nichts geändert.',
};
const noticeOf = (c: NewsroomContext) => NOTICES[c.req.query('ok') ?? ''];
/** The newsroom frame's options for an admin page: the Verwaltung tab of the top bar, the title in the page head. */
const page = (title: string) => ({ active: 'verwaltung' as const, kicker: 'Verwaltung', title });

export function adminRoutes(deps: NewsroomRouteDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const db = deps.site.db;
  app.use(BASE, adminsOnly);
  app.use(`${BASE}/*`, adminsOnly, ...formGuard());

  app.get(BASE, (c) => c.redirect(`${BASE}/ressorts`, 303));

  // --- sections ---
  const sectionsPage = async (c: NewsroomContext, form: FormState, o: { status?: number; error?: string } = {}) =>
    renderInFrame(c, deps, page('Ressorts'), <SectionsPage sections={await listSectionsWithUsage(db)} form={form} csrf={csrfToken(c)} notice={noticeOf(c)} error={o.error} />, o.status);
  const sectionOr404 = async (slug: string) => {
    const s = (await listSectionsWithUsage(db)).find((x) => x.slug === slug);
    if (!s) throw new HttpError('not-found', 'Dieses Ressort gibt es nicht (mehr).');
    return s;
  };

  app.get(`${BASE}/ressorts`, (c) => sectionsPage(c, emptyForm()));
  app.post(`${BASE}/ressorts`, async (c) => {
    const f = await formOf(c);
    try {
      await createSection(db, { name: f.name ?? '', slug: f.slug ?? '', description: f.description ?? '' });
      return c.redirect(`${BASE}/ressorts?ok=angelegt`, 303);
    } catch (e) {
      const { status, problems } = problemsOf(e);
      return sectionsPage(c, { values: f, problems }, { status });
    }
  });
  app.get(`${BASE}/ressorts/:slug`, async (c) => {
    const s = await sectionOr404(c.req.param('slug'));
    return renderInFrame(c, deps, page(`Ressort „${s.name}“`), <SectionEditPage section={s} form={emptyForm({ name: s.name, description: s.description })} csrf={csrfToken(c)} />);
  });
  app.post(`${BASE}/ressorts/:slug`, async (c) => {
    const s = await sectionOr404(c.req.param('slug'));
    const f = await formOf(c);
    try {
      await updateSection(db, s.slug, { name: f.name ?? '', description: f.description ?? '' });
      return c.redirect(`${BASE}/ressorts?ok=gespeichert`, 303);
    } catch (e) {
      const { status, problems } = problemsOf(e);
      return renderInFrame(c, deps, page(`Ressort „${s.name}“`), <SectionEditPage section={s} form={{ values: f, problems }} csrf={csrfToken(c)} />, status);
    }
  });
  app.post(`${BASE}/ressorts/:slug/verschieben`, async (c) => {
    const f = await formOf(c);
    const direction = f.richtung === 'hoch' ? 'up' : f.richtung === 'runter' ? 'down' : null;
    if (!direction) throw new HttpError('bad-request', 'Die Richtung fehlt: „hoch“ oder „runter“.', 'richtung');
    await moveSection(db, c.req.param('slug'), direction);
    return c.redirect(`${BASE}/ressorts?ok=verschoben`, 303);
  });
  app.post(`${BASE}/ressorts/:slug/loeschen`, async (c) => {
    try {
      await deleteSection(db, c.req.param('slug'));
      return c.redirect(`${BASE}/ressorts?ok=geloescht`, 303);
    } catch (e) {
      const { status, problems } = problemsOf(e);
      return sectionsPage(c, emptyForm(), { status, error: Object.values(problems)[0] });
    }
  });

  // --- bylines ---
  const bylinesPage = async (c: NewsroomContext, form: FormState, o: { status?: number; error?: string } = {}) => {
    const [bylines, staff] = await Promise.all([listBylines(db), listStaff(db)]);
    return renderInFrame(c, deps, page('Autorenzeilen'), <BylinesPage bylines={bylines} staff={staff} form={form} csrf={csrfToken(c)} notice={noticeOf(c)} error={o.error} />, o.status);
  };
  const bylineOr404 = async (slug: string) => {
    const b = (await listBylines(db)).find((x) => x.slug === slug);
    if (!b) throw new HttpError('not-found', 'Diese Autorenzeile gibt es nicht (mehr).');
    return b;
  };
  const bylineInput = (f: Record<string, string>) => ({ name: f.name ?? '', bio: f.bio ?? '', userId: f.userId ?? '' });

  app.get(`${BASE}/autoren`, (c) => bylinesPage(c, emptyForm()));
  app.post(`${BASE}/autoren`, async (c) => {
    const f = await formOf(c);
    try {
      await createByline(db, bylineInput(f));
      return c.redirect(`${BASE}/autoren?ok=angelegt`, 303);
    } catch (e) {
      const { status, problems } = problemsOf(e);
      return bylinesPage(c, { values: f, problems }, { status });
    }
  });
  app.get(`${BASE}/autoren/:slug`, async (c) => {
    const b = await bylineOr404(c.req.param('slug'));
    const form = emptyForm({ name: b.name, bio: b.bio, userId: b.user?.id ?? '' });
    return renderInFrame(c, deps, page(`Autorenzeile „${b.name}“`), <BylineEditPage byline={b} staff={await listStaff(db)} form={form} csrf={csrfToken(c)} />);
  });
  app.post(`${BASE}/autoren/:slug`, async (c) => {
    const b = await bylineOr404(c.req.param('slug'));
    const f = await formOf(c);
    try {
      await updateByline(db, b.slug, bylineInput(f));
      return c.redirect(`${BASE}/autoren?ok=gespeichert`, 303);
    } catch (e) {
      const { status, problems } = problemsOf(e);
      return renderInFrame(c, deps, page(`Autorenzeile „${b.name}“`), <BylineEditPage byline={b} staff={await listStaff(db)} form={{ values: f, problems }} csrf={csrfToken(c)} />, status);
    }
  });
  app.post(`${BASE}/autoren/:slug/loeschen`, async (c) => {
    try {
      await deleteByline(db, c.req.param('slug'));
      return c.redirect(`${BASE}/autoren?ok=geloescht`, 303);
    } catch (e) {
      const { status, problems } = problemsOf(e);
      return bylinesPage(c, emptyForm(), { status, error: Object.values(problems)[0] });
    }
  });

  // --- team and roles ---
  const teamPage = async (c: NewsroomContext, form: FormState, status?: number) => {
    const [staff, changes] = await Promise.all([listStaff(db), listRoleChanges(db, { limit: 50 })]);
    return renderInFrame(c, deps, page('Team & Rollen'), <TeamPage staff={staff} changes={changes} form={form} csrf={csrfToken(c)} me={staffOf(c).id} notice={noticeOf(c)} />, status);
  };
  app.get(`${BASE}/team`, (c) => teamPage(c, emptyForm()));
  app.post(`${BASE}/team/rolle`, async (c) => {
    const f = await formOf(c);
    const admin = staffOf(c);
    try {
      const changed = await setUserRole(db, { email: f.email ?? '', role: f.role ?? '' }, { actorId: admin.id, now: deps.site.now() });
      if (changed) deps.logger.info({ actor: admin.id, user: changed.user.id, from: changed.from, to: changed.user.role }, 'staff role changed');
      return c.redirect(`${BASE}/team?ok=${changed ? 'rolle' : 'unveraendert'}`, 303);
    } catch (e) {
      const { status, problems } = problemsOf(e);
      return teamPage(c, { values: f, problems }, status);
    }
  });

  return app;
}
