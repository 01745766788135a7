// /passwort-vergessen: asking for a reset link, and /passwort-vergessen/neu: setting the new password with it.
import { Hono } from 'hono';
import { checkResetToken, requestPasswordReset, resetPassword, ThrottledError, normalizeEmail } from '../../accounts/index.ts';
import { DomainError } from '../../domain-error.ts';
import type { AppEnv } from '../platform/request-context.middleware.ts';
import { deliver, formOf, problemsOf, renderAccountPage, requester, wantsJson, type AccountRouteDeps } from './account-context.ts';
import { emptyForm } from '../ui/form.view.tsx';
import { ForgotPage, ForgotSentPage, LinkProblemPage, ResetPage } from './account-auth.view.tsx';
import { csrfToken } from '../platform/csrf.ts';

const NEW_LINK = { href: '/passwort-vergessen', label: 'Neuen Link anfordern' };

/** Link problems (unknown, used, expired) get their own page; other problems go back to the form. */
const isLinkProblem = (e: unknown): e is DomainError => e instanceof DomainError && e.field === 'token';

export function resetRoutes(deps: AccountRouteDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  app.get('/passwort-vergessen', (c) => renderAccountPage(c, deps, 'Passwort vergessen', <ForgotPage form={emptyForm()} csrf={csrfToken(c)} />));

  app.post('/passwort-vergessen', async (c) => {
    const f = await formOf(c);
    try {
      const { notice } = await requestPasswordReset(deps.site.db, f.email ?? '', { requester: requester(c, deps) });
      await deliver(c, deps, [notice]);
      return renderAccountPage(c, deps, 'Passwort vergessen', <ForgotSentPage email={normalizeEmail(f.email ?? '') ?? ''} outbox={deps.mailer.kind === 'outbox'} />);
    } catch (e) {
      if (e instanceof ThrottledError) c.header('retry-after', String(e.retryAfterSeconds));
      if (wantsJson(c)) throw e;
      const { status, problems } = problemsOf(e);
      return renderAccountPage(c, deps, 'Passwort vergessen', <ForgotPage form={{ values: { email: f.email ?? '' }, problems }} csrf={csrfToken(c)} />, status);
    }
  });

  app.get('/passwort-vergessen/neu', async (c) => {
    const token = c.req.query('token') ?? '';
    try {
      await checkResetToken(deps.site.db, token);
    } catch (e) {
      if (!isLinkProblem(e) || wantsJson(c)) throw e;
      return renderAccountPage(c, deps, 'Link ungültig', <LinkProblemPage message={e.message} action={NEW_LINK} />, 400);
    }
    return renderAccountPage(c, deps, 'Neues Passwort', <ResetPage form={emptyForm()} csrf={csrfToken(c)} token={token} />);
  });

  app.post('/passwort-vergessen/neu', async (c) => {
    const f = await formOf(c);
    const token = f.token ?? '';
    try {
      const { notice } = await resetPassword(deps.site.db, { token, password: f.password ?? '' }, { hashing: deps.hashing });
      await deliver(c, deps, [notice]);
      return c.redirect('/anmelden?hinweis=reset', 303);
    } catch (e) {
      if (wantsJson(c)) throw e;
      if (isLinkProblem(e)) return renderAccountPage(c, deps, 'Link ungültig', <LinkProblemPage message={e.message} action={NEW_LINK} />, 400);
      const { status, problems } = problemsOf(e);
      return renderAccountPage(c, deps, 'Neues Passwort', <ResetPage form={{ values: {}, problems }} csrf={csrfToken(c)} token={token} />, status);
    }
  });

  return app;
}
