// /konto/abo and /konto/rechnungen: the reader's subscription, its payment method, cancellation and withdrawal, invoices as PDF.
import { Hono, type Context } from 'hono';
import {
  STATE_LABELS, cancelSubscription, changeSepaMandate, currentMandate, earliestEnd, findSubscription, invoicePdf, invoicesOfUser, lastDayBefore,
  mandateText, nextMandateReference, subscriptionHistory, subscriptionsOfUser, withdrawCancellation, type Subscription,
} from '../../billing/index.ts';
import { DomainError } from '../../domain-error.ts';
import { HttpError } from '../platform/app-error.ts';
import { csrfProtection, csrfToken } from '../platform/csrf.ts';
import { renderPage } from '../platform/render.tsx';
import type { AppEnv } from '../platform/request-context.middleware.ts';
import type { FormState } from '../ui/form.view.tsx';
import type { BillingRouteDeps } from './index.ts';
import { formOf, problemsOf } from '../platform/form-input.ts';
import { AccountSubscriptionPage, SUBSCRIPTION_NOTICES, type SubscriptionCard } from './account-subscription.view.tsx';

const KIND_LABELS: Record<Subscription['kind'], string> = { paid: 'Abo', gift: 'Geschenk-Abo', comp: 'Freizugang' };
const CANCELLABLE = new Set(['pending', 'intro', 'active', 'past_due', 'dunning']);
const WITHDRAWABLE = new Set(['intro', 'active', 'past_due', 'dunning']);

function readerId(c: Context<AppEnv>): string {
  const reader = c.get('reader');
  if (!reader) throw new HttpError('unauthorized', 'Bitte melden Sie sich zuerst an.');
  return reader.user.id;
}

/** What the next payment will be: the period after the current one, at the intro price while the intro lasts; none once cancelled. */
function nextPayment(s: Subscription): SubscriptionCard['nextPayment'] {
  if (s.kind !== 'paid' || !WITHDRAWABLE.has(s.state) || s.current_period_end === null) return null;
  if (s.cancel_effective_at !== null && s.cancel_effective_at <= s.current_period_end) return null;
  const months = s.period === 'year' ? 12 : 1;
  const inIntro = s.intro_price_cents !== null && s.periods_paid * months < s.intro_months;
  return { on: s.current_period_end, amountCents: inIntro ? s.intro_price_cents! : s.price_cents };
}

export function accountSubscriptionRoutes(deps: BillingRouteDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const ctx = deps.billing;
  // the account area's guard on /konto/* limits the body already (a second body limit would read the stream twice)
  app.use('/konto/abo/*', csrfProtection());

  async function card(s: Subscription, now: Date): Promise<SubscriptionCard> {
    const ended = s.state === 'ended';
    let payment: SubscriptionCard['payment'] = null;
    if (s.kind === 'paid' && s.provider === 'sepa') {
      const m = await currentMandate(ctx.db, s.id);
      const text = ended ? null : mandateText({ creditorName: ctx.creditor.name, creditorId: ctx.creditor.creditorId, mandateReference: await nextMandateReference(ctx.db, s) });
      payment = { kind: 'sepa', ibanMasked: m?.ibanMasked ?? null, reference: m?.reference ?? null, mandateText: text };
    } else if (s.kind === 'paid' && s.provider === 'stripe') {
      payment = { kind: 'stripe', portal: !!s.external_customer && !!ctx.stripe };
    }
    const cancellable = s.kind === 'paid' && CANCELLABLE.has(s.state) && s.cancel_effective_at === null;
    return {
      id: s.id, number: s.number, offerName: s.offer_name, kindLabel: KIND_LABELS[s.kind], stateLabel: STATE_LABELS[s.state], ended,
      startedOn: s.starts_at,
      cancelEndsOn: s.cancel_effective_at ? lastDayBefore(s.cancel_effective_at) : null,
      canWithdraw: s.cancel_effective_at !== null && WITHDRAWABLE.has(s.state) && Date.parse(s.cancel_effective_at) > now.getTime(),
      cancelWouldEndOn: cancellable ? lastDayBefore(earliestEnd(s, now)) : null,
      nextPayment: nextPayment(s),
      accessUntil: s.kind !== 'paid' && !ended && s.access_until ? lastDayBefore(s.access_until) : null,
      payment,
      history: await subscriptionHistory(ctx.db, s.id),
    };
  }

  async function page(c: Context<AppEnv>, o: { notice?: string; failed?: { id: string; form: 'mandate' | 'action'; state: FormState }; status?: number } = {}) {
    const userId = readerId(c);
    const now = ctx.clock();
    const subs = await subscriptionsOfUser(ctx.db, userId);
    const cards = await Promise.all(subs.map((s) => card(s, now)));
    const invoices = await invoicesOfUser(ctx.db, userId);
    return renderPage(c, deps.site, { title: 'Abo & Rechnungen', noindex: true },
      <AccountSubscriptionPage cards={cards} invoices={invoices} csrf={csrfToken(c)} notice={o.notice} failed={o.failed} />, { status: o.status });
  }

  /** Runs a subscription action of the reader; a refusal (already cancelled, too late) comes back on the page at that subscription. */
  async function act(c: Context<AppEnv>, ok: string, action: (id: string, userId: string, f: Record<string, string>) => Promise<unknown>, form: 'mandate' | 'action' = 'action', keep: string[] = []) {
    const userId = readerId(c);
    const f = await formOf(c);
    const id = f.abo ?? '';
    try {
      await action(id, userId, f);
    } catch (e) {
      if (e instanceof DomainError && e.code === 'not-found') throw e;
      const { status, problems } = problemsOf(e);
      return page(c, { failed: { id, form, state: { values: Object.fromEntries(keep.map((k) => [k, f[k] ?? ''])), problems } }, status });
    }
    return c.redirect(`/konto/abo?ok=${ok}`, 303);
  }

  app.get('/konto/abo', (c) => {
    if (!c.get('reader')) return c.redirect('/anmelden?weiter=/konto/abo', 303);
    const ok = c.req.query('ok');
    return page(c, { notice: ok ? SUBSCRIPTION_NOTICES[ok] : undefined });
  });

  app.post('/konto/abo/kuendigen', (c) => act(c, 'gekuendigt', async (id, userId) => {
    const sub = await cancelSubscription(ctx, id, { actor: `reader:${userId}`, ownerId: userId });
    deps.analytics.record({ kind: 'cancellation', offerId: sub.offer_id, detail: 'ordinary' });
  }));

  app.post('/konto/abo/kuendigung-zuruecknehmen', (c) => act(c, 'zurueckgenommen', (id, userId) => withdrawCancellation(ctx, id, { actor: `reader:${userId}`, ownerId: userId })));

  app.post('/konto/abo/zahlungsart', (c) => act(c, 'zahlungsart', (id, userId, f) => changeSepaMandate(ctx, {
    subscriptionId: id, ownerId: userId, holderName: f.holderName ?? '', iban: f.iban ?? '', bic: f.bic ?? '', mandateAccepted: f.mandate === 'on',
  }), 'mandate', ['holderName', 'iban', 'bic']));

  // The portal link is made when asked for (it is short-lived and each one costs a call to Stripe), not on every page view.
  app.post('/konto/abo/stripe', async (c) => {
    const userId = readerId(c);
    const sub = await findSubscription(ctx.db, (await formOf(c)).abo ?? '');
    if (!sub || sub.user_id !== userId || !sub.external_customer) throw new HttpError('not-found', 'Dieses Abo gibt es nicht.');
    if (!ctx.stripe) throw new HttpError('unavailable', 'Die Verwaltung über Stripe ist gerade nicht möglich.');
    return c.redirect(await ctx.stripe.createPortalLink(sub.external_customer, `${deps.site.publicUrl}/konto/abo`), 303);
  });

  app.get('/konto/rechnungen/:file{RE-[0-9]{4}-[0-9]+\\.pdf}', async (c) => {
    const userId = readerId(c);
    // Another reader's invoice is "not found", exactly like a number that does not exist.
    const { number, pdf } = await invoicePdf(ctx, c.req.param('file').replace(/\.pdf$/, ''), userId);
    return c.body(new Uint8Array(pdf), 200, { 'content-type': 'application/pdf', 'content-disposition': `attachment; filename="${number}.pdf"`, 'cache-control': 'private, no-store' });
  });

  return app;
}
