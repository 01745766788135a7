// Every account route behind one router: session, tight body limit and CSRF check first, then the pages.
import type { Hono, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { HttpError } from '../platform/app-error.ts';
import type { AppEnv } from '../platform/request-context.middleware.ts';
import type { AccountRouteDeps } from './account-context.ts';
import { authRoutes } from './account-auth.routes.tsx';
import { resetRoutes } from './account-reset.routes.tsx';
import { accountPageRoutes } from './account.routes.tsx';
import { accountApiRoutes } from './account-api.routes.tsx';
import { csrfProtection } from '../platform/csrf.ts';
import { PRIVATE_PREFIXES } from '../platform/session.middleware.ts';

export { PRIVATE_PREFIXES, isPrivatePath, sessionMiddleware } from '../platform/session.middleware.ts';
export { verifyCsrf, csrfToken, CSRF_HEADER, CSRF_FIELD } from '../platform/csrf.ts';
export type { AccountRouteDeps } from './account-context.ts';

/** Account forms are small; anything over 16 KB is refused before it is read. */
const FORM_LIMIT = 16 * 1024;
/** Prefixes of the account pages: every POST under them needs a CSRF token (later pages under /konto get it too). */
const FORM_PREFIXES = ['/konto', '/anmelden', '/registrieren', '/passwort-vergessen', '/abmelden'];

/**
 * Mounts the session middleware on every private prefix (so later routes there, like /api/unlock, see c.var.reader),
 * the body limit and CSRF check on the account pages, and the pages. Mount before the public page cache.
 */
export function mountAccounts(app: Hono<AppEnv>, deps: AccountRouteDeps & { session: MiddlewareHandler<AppEnv> }): void {
  const { session } = deps;
  for (const prefix of PRIVATE_PREFIXES) {
    const base = prefix.endsWith('/') ? prefix.slice(0, -1) : prefix;
    // `/konto/*` matches `/konto` itself too
    app.use(`${base}/*`, session);
  }
  const limit = bodyLimit({ maxSize: FORM_LIMIT, onError: () => { throw new HttpError('payload-too-large', 'Das Formular ist zu groß (höchstens 16 KB).'); } });
  const csrf = csrfProtection();
  for (const prefix of FORM_PREFIXES) app.use(`${prefix}/*`, limit, csrf);
  app.route('/', authRoutes(deps));
  app.route('/', resetRoutes(deps));
  app.route('/', accountPageRoutes(deps));
  app.route('/', accountApiRoutes(deps));
}
