// /api/me for the browser script and /konto/postausgang for admins.
import { Hono } from 'hono';
import { listOutbox } from '../../mail/index.ts';
import { HttpError } from '../platform/app-error.ts';
import type { AppEnv } from '../platform/request-context.middleware.ts';
import { renderAccountPage, type AccountRouteDeps } from './account-context.ts';
import { OutboxPage } from './account-outbox.view.tsx';
import { csrfToken } from '../platform/csrf.ts';

export function accountApiRoutes(deps: AccountRouteDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  /** Who is logged in, for the header's login link; the CSRF token is for the browser script's POSTs (x-klartext-csrf). */
  app.get('/api/me', (c) => {
    const reader = c.get('reader');
    const body = reader
      ? { user: { displayName: reader.user.displayName, email: reader.user.email, role: reader.user.role }, csrfToken: csrfToken(c) }
      : { user: null };
    return c.json(body, 200, { 'cache-control': 'no-store' });
  });

  app.get('/konto/postausgang', async (c) => {
    const reader = c.get('reader');
    if (!reader) return c.redirect('/anmelden?weiter=/konto/postausgang', 303);
    if (reader.user.role !== 'admin') throw new HttpError('forbidden', 'Den Postausgang sehen nur Administratorinnen und Administratoren.');
    const mails = await listOutbox(deps.site.db);
    return renderAccountPage(c, deps, 'Postausgang', <OutboxPage mails={mails} smtp={deps.mailer.kind === 'smtp'} />);
  });

  return app;
}
