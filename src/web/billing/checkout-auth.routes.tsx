// Login and registration inside the checkout: the account services, then straight back to the order with `next` kept (decision 013).
import { Hono } from 'hono';
import { getCookie } from 'hono/cookie';
import { endSessionByToken, logIn, register, ThrottledError, type NewSession } from '../../accounts/index.ts';
import type { CheckoutQuote, Offer } from '../../billing/index.ts';
import { paywallArticleOfPath } from '../../analytics/index.ts';
import { alreadyRegisteredMail, verifyEmailMail, type OutgoingMail } from '../../mail/index.ts';
import { csrfToken } from '../platform/csrf.ts';
import { formOf, problemsOf } from '../platform/form-input.ts';
import type { AppEnv } from '../platform/request-context.middleware.ts';
import { SESSION_COOKIE, setSessionCookie } from '../platform/session.middleware.ts';
import { emptyForm, type FormState, type Problems } from '../ui/form.view.tsx';
import { articleNext, attributionQuery, orderAttribution, queryOf, renderBillingPage, requesterOf, type BillingContextC, type BillingRouteDeps, type OrderAttribution } from './billing-area.ts';
import { CheckoutAuthPage } from './checkout-auth.view.tsx';
import { activeOffer, quoteFor } from './checkout-offer.ts';

interface AuthStep { offer: Offer; quote: CheckoutQuote; next: string; attribution: OrderAttribution; login?: FormState; register?: FormState; registeredNotice?: string }

export function renderAuthStep(c: BillingContextC, deps: BillingRouteDeps, s: AuthStep, status = 200) {
  return renderBillingPage(c, deps, `${s.offer.name} bestellen`, (
    <CheckoutAuthPage offer={s.offer} quote={s.quote} csrf={csrfToken(c)} next={s.next}
      login={s.login ?? emptyForm()} register={s.register ?? emptyForm()} registeredNotice={s.registeredNotice} attribution={s.attribution} />
  ), status);
}

/** The register form names its fields newEmail/newPassword (both forms share one page); the service names them email/password. */
const renamed = (problems: Problems): Problems =>
  Object.fromEntries(Object.entries(problems).map(([k, v]) => [k === 'email' ? 'newEmail' : k === 'password' ? 'newPassword' : k, v]));

export function checkoutAuthRoutes(deps: BillingRouteDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const db = deps.site.db;
  const mailCtx = { siteName: deps.site.site.name, baseUrl: deps.site.publicUrl };

  async function startSession(c: BillingContextC, session: NewSession) {
    // one browser, one session: the guest's old token (if any) ends, the new one is fresh (no fixation)
    const old = getCookie(c, SESSION_COOKIE);
    if (old) await endSessionByToken(db, old);
    setSessionCookie(c, deps, session);
  }

  /** Over SMTP in the background (same answer time either way); into the outbox before answering, so it is there when the page is. */
  async function send(mail: OutgoingMail) {
    const sending = deps.mailer.send(mail).catch((err: unknown) => deps.logger.error({ err }, 'mail not sent'));
    if (deps.mailer.kind === 'outbox') await sending;
  }

  const checkoutUrl = (offer: Offer, next: string, quote: CheckoutQuote, attribution: OrderAttribution) =>
    `/abo/bestellen/${offer.slug}${queryOf({ next, monate: quote.giftMonths, ...attributionQuery(attribution) })}`;
  const attributionIn = (c: BillingContextC) => orderAttribution(deps, { herkunft: c.req.query('herkunft'), variante: c.req.query('variante') });

  app.post('/abo/bestellen/:slug/anmelden', async (c) => {
    const offer = await activeOffer(deps.billing, c.req.param('slug'));
    const quote = quoteFor(deps.billing, offer, c.req.query('monate'));
    const next = articleNext(c.req.query('next'));
    const attribution = await attributionIn(c);
    const f = await formOf(c);
    try {
      const { session } = await logIn(db, { email: f.email ?? '', password: f.password ?? '', persistent: false }, { hashing: deps.hashing, requester: requesterOf(c, deps) });
      await startSession(c, session);
      return c.redirect(checkoutUrl(offer, next, quote, attribution), 303);
    } catch (e) {
      if (e instanceof ThrottledError) c.header('retry-after', String(e.retryAfterSeconds));
      const { status, problems } = problemsOf(e);
      return renderAuthStep(c, deps, { offer, quote, next, attribution, login: { values: { email: f.email ?? '' }, problems } }, status);
    }
  });

  app.post('/abo/bestellen/:slug/registrieren', async (c) => {
    const offer = await activeOffer(deps.billing, c.req.param('slug'));
    const quote = quoteFor(deps.billing, offer, c.req.query('monate'));
    const next = articleNext(c.req.query('next'));
    const attribution = await attributionIn(c);
    const f = await formOf(c);
    const values = { newEmail: f.newEmail ?? '', acceptTerms: f.acceptTerms ?? '', acceptPrivacy: f.acceptPrivacy ?? '', newsletter: f.newsletter ?? '' };
    const requester = requesterOf(c, deps);
    try {
      const input = { email: f.newEmail ?? '', password: f.newPassword ?? '', acceptTerms: f.acceptTerms === 'on', acceptPrivacy: f.acceptPrivacy === 'on', newsletter: f.newsletter === 'on' };
      const { notice } = await register(db, input, { hashing: deps.hashing, requester });
      if (notice.kind === 'verify-email') {
        await send(verifyEmailMail(mailCtx, notice.to, notice.token));
        // insights: a new account on the way from a paywall (the order link carried the article as `next`)
        const articleId = await paywallArticleOfPath(deps.eventFacts, next);
        if (articleId) deps.analytics.record({ kind: 'registration', articleId });
        // Ordering does not wait for the confirmation (decision 013): the new account is logged in at once.
        const { session } = await logIn(db, { email: input.email, password: input.password, persistent: false }, { hashing: deps.hashing, requester });
        await startSession(c, session);
        return c.redirect(checkoutUrl(offer, next, quote, attribution), 303);
      }
      // The address has an account already: the owner gets a mail, and the page points to the login beside it.
      await send(alreadyRegisteredMail(mailCtx, notice.to));
      const registeredNotice = `Wir haben eine E-Mail an ${notice.to} geschickt. Falls Sie schon ein Konto haben, melden Sie sich bitte links mit Ihrem Passwort an.`;
      return renderAuthStep(c, deps, { offer, quote, next, attribution, login: emptyForm({ email: notice.to }), register: { values, problems: {} }, registeredNotice });
    } catch (e) {
      if (e instanceof ThrottledError) c.header('retry-after', String(e.retryAfterSeconds));
      const { status, problems } = problemsOf(e);
      return renderAuthStep(c, deps, { offer, quote, next, attribution, register: { values, problems: renamed(problems) } }, status);
    }
  });

  return app;
}
