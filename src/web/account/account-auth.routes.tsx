// /anmelden, /registrieren (with the verification link) and /abmelden.
import { Hono } from 'hono';
import { getCookie } from 'hono/cookie';
import { endSessionByToken, logIn, register, verifyEmail, ThrottledError } from '../../accounts/index.ts';
import { DomainError } from '../../domain-error.ts';
import { paywallArticleOfPath } from '../../analytics/index.ts';
import type { AppEnv } from '../platform/request-context.middleware.ts';
import { deliver, formOf, problemsOf, renderAccountPage, requester, wantsJson, type AccountRouteDeps } from './account-context.ts';
import { emptyForm } from '../ui/form.view.tsx';
import { CheckMailPage, LinkProblemPage, LoginPage, LogoutPage, RegisterPage, type LoginNotice } from './account-auth.view.tsx';
import { csrfToken } from '../platform/csrf.ts';
import { safeNextPath } from '../platform/request-info.ts';
import { SESSION_COOKIE, clearSessionCookie, setSessionCookie } from '../platform/session.middleware.ts';

/** A return path to an article (what the paywall's registration link carries), or '' */
const articlePath = (raw: string | undefined): string => {
  const path = raw ? safeNextPath(raw) : '';
  return /^\/artikel\/[a-z0-9][a-z0-9-]*$/.test(path) ? path : '';
};

const LOGIN_NOTICES = new Set(['verified', 'reset', 'logged-out', 'deleted', 'email-changed']);

export function authRoutes(deps: AccountRouteDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  app.get('/anmelden', (c) => {
    const next = safeNextPath(c.req.query('weiter'));
    if (c.get('reader')) return c.redirect(next, 303);
    const hinweis = c.req.query('hinweis');
    const notice = (hinweis && LOGIN_NOTICES.has(hinweis) ? hinweis : undefined) as LoginNotice;
    return renderAccountPage(c, deps, 'Anmelden', <LoginPage form={emptyForm()} csrf={csrfToken(c)} next={next} notice={notice} />);
  });

  app.post('/anmelden', async (c) => {
    const f = await formOf(c);
    const next = safeNextPath(f.weiter);
    try {
      const { session } = await logIn(deps.site.db, { email: f.email ?? '', password: f.password ?? '', persistent: f.persistent === 'on' }, { hashing: deps.hashing, requester: requester(c, deps) });
      // the old session of this browser, if any, ends: one cookie, one session, a new token at every login
      const old = getCookie(c, SESSION_COOKIE);
      if (old) await endSessionByToken(deps.site.db, old);
      setSessionCookie(c, deps, session);
      return c.redirect(next, 303);
    } catch (e) {
      if (e instanceof ThrottledError) c.header('retry-after', String(e.retryAfterSeconds));
      if (wantsJson(c)) throw e;
      const { status, problems } = problemsOf(e);
      const form = { values: { email: f.email ?? '', persistent: f.persistent ?? '' }, problems };
      return renderAccountPage(c, deps, 'Anmelden', <LoginPage form={form} csrf={csrfToken(c)} next={next} />, status);
    }
  });

  // `weiter`: the article whose paywall sent the reader here, carried through the form (a registration from a paywall is counted)
  app.get('/registrieren', (c) => {
    if (c.get('reader')) return c.redirect('/konto', 303);
    const next = articlePath(c.req.query('weiter'));
    return renderAccountPage(c, deps, 'Registrieren', <RegisterPage form={emptyForm()} csrf={csrfToken(c)} next={next} />);
  });

  app.post('/registrieren', async (c) => {
    const f = await formOf(c);
    const next = articlePath(f.weiter);
    try {
      const { notice } = await register(deps.site.db, {
        email: f.email ?? '', password: f.password ?? '', acceptTerms: f.acceptTerms === 'on', acceptPrivacy: f.acceptPrivacy === 'on', newsletter: f.newsletter === 'on',
      }, { hashing: deps.hashing, requester: requester(c, deps) });
      await deliver(c, deps, [notice]);
      // a new account only (an address already registered gets the same page and is not counted)
      if (notice.kind === 'verify-email') {
        const articleId = await paywallArticleOfPath(deps.eventFacts, next);
        if (articleId) deps.analytics.record({ kind: 'registration', articleId });
      }
      return renderAccountPage(c, deps, 'E-Mail bestätigen', <CheckMailPage email={notice.to} outbox={deps.mailer.kind === 'outbox'} />);
    } catch (e) {
      if (e instanceof ThrottledError) c.header('retry-after', String(e.retryAfterSeconds));
      if (wantsJson(c)) throw e;
      const { status, problems } = problemsOf(e);
      const values = { email: f.email ?? '', acceptTerms: f.acceptTerms ?? '', acceptPrivacy: f.acceptPrivacy ?? '', newsletter: f.newsletter ?? '' };
      return renderAccountPage(c, deps, 'Registrieren', <RegisterPage form={{ values, problems }} csrf={csrfToken(c)} next={next} />, status);
    }
  });

  // Opened from the mail: verifying an address is harmless to repeat, so a plain GET link does it.
  app.get('/registrieren/bestaetigen', async (c) => {
    try {
      await verifyEmail(deps.site.db, c.req.query('token') ?? '');
      return c.redirect(c.get('reader') ? '/konto?ok=verifiziert' : '/anmelden?hinweis=verified', 303);
    } catch (e) {
      if (!(e instanceof DomainError) || e.code !== 'invalid-input' || wantsJson(c)) throw e;
      return renderAccountPage(c, deps, 'Link ungültig', <LinkProblemPage message={e.message} action={{ href: '/konto', label: 'Neue Mail anfordern' }} />, 400);
    }
  });

  app.get('/abmelden', (c) => renderAccountPage(c, deps, 'Abmelden', <LogoutPage csrf={csrfToken(c)} loggedIn={!!c.get('reader')} />));

  app.post('/abmelden', async (c) => {
    const token = getCookie(c, SESSION_COOKIE);
    if (token) await endSessionByToken(deps.site.db, token);
    clearSessionCookie(c, deps);
    return c.redirect('/anmelden?hinweis=logged-out', 303);
  });

  return app;
}
