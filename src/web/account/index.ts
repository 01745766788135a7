// The account area: login, registration, reset, settings, /api/me — all private routes, behind a tight body limit and the CSRF check.
import { Hono } from 'hono';
import type { AppEnv } from '../platform/request-context.middleware.ts';
import type { AccountRouteDeps } from './account-context.ts';
import { authRoutes } from './account-auth.routes.tsx';
import { resetRoutes } from './account-reset.routes.tsx';
import { accountPageRoutes } from './account.routes.tsx';
import { accountApiRoutes } from './account-api.routes.tsx';
import { formGuard } from '../platform/form-input.ts';

export type { AccountRouteDeps } from './account-context.ts';

/** Prefixes of the account pages: every POST under them needs a CSRF token (later pages under /konto get it too). */
const FORM_PREFIXES = ['/konto', '/anmelden', '/registrieren', '/passwort-vergessen', '/abmelden'];

/** The account pages, for the private app (which reads the session): body limit and CSRF check on the forms, then the pages. */
export function accountRoutes(deps: AccountRouteDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  // account forms are small: anything over 16 KB is refused before it is read
  const guard = formGuard(16);
  for (const prefix of FORM_PREFIXES) app.use(`${prefix}/*`, ...guard);
  app.route('/', authRoutes(deps));
  app.route('/', resetRoutes(deps));
  app.route('/', accountPageRoutes(deps));
  app.route('/', accountApiRoutes(deps));
  return app;
}
