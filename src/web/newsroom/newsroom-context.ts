// What every newsroom route needs: the staff check, role checks, and the page frame of the work tool.
import type { Context, MiddlewareHandler } from 'hono';
import type { Child } from 'hono/jsx';
import type { Logger } from 'pino';
import type { Role } from '../../accounts/index.ts';
import type { Article } from '../../content/index.ts';
import { getWorkingCopy, type WorkingCopy } from '../../newsroom/index.ts';
import { HttpError } from '../platform/app-error.ts';
import type { AppEnv } from '../platform/request-context.middleware.ts';
import { renderPage, type SiteDeps } from '../platform/render.tsx';

/** Who a preview shows the article to. */
export type PreviewAudience = 'guest' | 'registered' | 'subscriber';

export interface NewsroomRouteDeps {
  site: SiteDeps;
  logger: Logger;
  /** the paywall's premium slot as the given audience would get it (decoy and offer box for guests), never cached */
  previewSlot: (article: Article, audience: PreviewAudience) => Promise<Child>;
}
export type NewsroomContext = Context<AppEnv>;

const NEWSROOM_ROLES: readonly Role[] = ['author', 'editor', 'admin'];

/** Guests go to the login (and come back); readers get 403. */
export const staffOnly: MiddlewareHandler<AppEnv> = async (c, next) => {
  const reader = c.get('reader');
  if (!reader) return c.redirect(`/anmelden?weiter=${encodeURIComponent(c.req.path)}`, 303);
  if (!NEWSROOM_ROLES.includes(reader.user.role)) throw new HttpError('forbidden', 'Die Redaktion ist Autorinnen, Redakteuren und Administratoren vorbehalten.');
  await next();
};

/** The staff member behind this request (staffOnly ran before). */
export function staffOf(c: NewsroomContext): { id: string; email: string; role: Role; displayName: string } {
  const reader = c.get('reader');
  if (!reader || !NEWSROOM_ROLES.includes(reader.user.role)) throw new HttpError('forbidden', 'Nur für die Redaktion.');
  return { id: reader.user.id, email: reader.user.email, role: reader.user.role, displayName: reader.user.displayName };
}

/** 403 unless the staff member has one of the roles. */
export function requireRole(c: NewsroomContext, roles: readonly Role[], what: string): void {
  const staff = staffOf(c);
  if (!roles.includes(staff.role)) throw new HttpError('forbidden', `${what} ist ${roles.includes('editor') ? 'Redakteurinnen, Redakteuren und Administratoren' : 'Administratorinnen und Administratoren'} vorbehalten.`);
}

/** The article's working copy, or a 404; an id no article can have is not looked up. */
export async function workingCopyOr404(deps: NewsroomRouteDeps, id: string | undefined): Promise<WorkingCopy> {
  const wc = id && /^[A-Za-z0-9_-]{1,64}$/.test(id) ? await getWorkingCopy(deps.site.db, id) : undefined;
  if (!wc) throw new HttpError('not-found', 'Diesen Artikel gibt es nicht (mehr).');
  return wc;
}

export function renderNewsroomPage(c: NewsroomContext, deps: NewsroomRouteDeps, title: string, body: Child, status = 200) {
  return renderPage(c, deps.site, { title: `${title} · Redaktion`, noindex: true }, body, { status });
}
