// Checkout: the quote shown above the order button and the order itself — one subscription per order key, however often it is sent.
import { randomBytes } from 'node:crypto';
import { newId, nowIso, sha256 } from '../db/index.ts';
import { DomainError } from '../domain-error.ts';
import { addDays, addMonths, berlinDate, berlinMidnight } from './billing-calendar.ts';
import type { BillingContext } from './billing-context.ts';
import { orderConfirmationMail } from './billing-mails.ts';
import { findOffer } from './offer.queries.ts';
import { periodMonths, priceText, termsText, type Offer, type PaymentMethod } from './offer.ts';
import { sealPaymentData } from './payment-data.ts';
import { checkBic, checkIban, maskIban, newMandateReference } from './sepa/index.ts';
import { applyLifecycle, newSubscriptionNumber, newSubscriptionRow, recordEvent, type Subscription } from './subscription.store.ts';

/** SEPA core debits are announced at least two days ahead (the mandate text shortens the pre-notification to that). */
export const SEPA_LEAD_DAYS = 2;

export interface CheckoutQuote {
  offer: Offer;
  giftMonths: number | null;
  firstAmountCents: number;
  /** the first period (or the gift's whole time), Berlin dates, end exclusive */
  firstPeriodFrom: string;
  firstPeriodTo: string;
  sepaDueOn: string;
  nextAmountCents: number | null;
  nextDueOn: string | null;
  priceText: string;
  termsText: string;
  /** fingerprint of the terms shown; an order sent with another one is refused (the price changed meanwhile) */
  priceKey: string;
}

export function quoteOffer(offer: Offer, o: { now: Date; giftMonths?: number | null }): CheckoutQuote {
  const anchor = berlinDate(o.now);
  const pm = periodMonths(offer.period);
  let giftMonths: number | null = null;
  let first: number; let to: string; let next: number | null = null; let nextDue: string | null = null;
  if (offer.kind === 'gift') {
    giftMonths = o.giftMonths ?? offer.giftMonths[0]!;
    if (!offer.giftMonths.includes(giftMonths)) throw new DomainError('invalid-input', `Dieses Geschenk-Abo gibt es für ${offer.giftMonths.join(', ')} Monate.`, 'giftMonths');
    first = offer.priceCents * giftMonths;
    to = addMonths(anchor, giftMonths);
  } else {
    const inIntro = (k: number) => offer.introPriceCents !== null && k * pm < offer.introMonths;
    first = inIntro(0) ? offer.introPriceCents! : offer.priceCents;
    to = addMonths(anchor, pm);
    next = inIntro(1) ? offer.introPriceCents! : offer.priceCents;
    nextDue = to;
  }
  const priceKey = sha256([offer.id, offer.kind, offer.introPriceCents, offer.introMonths, offer.priceCents, offer.period, offer.minTermMonths, offer.noticeMonths, giftMonths].join('|')).slice(0, 16);
  return {
    offer, giftMonths, firstAmountCents: first, firstPeriodFrom: anchor, firstPeriodTo: to, sepaDueOn: addDays(anchor, SEPA_LEAD_DAYS),
    nextAmountCents: next, nextDueOn: nextDue, priceText: priceText(offer, giftMonths ?? undefined), termsText: termsText(offer), priceKey,
  };
}

export interface OrderInput {
  userId: string;
  userEmail: string;
  offer: string;
  giftMonths?: number | null;
  method: PaymentMethod;
  priceKey: string;
  /** a nonce from the checkout page: the same order sent twice (double click, reload) makes one subscription */
  orderKey: string;
  consentImmediateStart: boolean;
  holderName?: string;
  iban?: string;
  bic?: string;
  mandateAccepted?: boolean;
  /** where Stripe sends the reader back; `{number}` is replaced by the subscription number (made with the order) */
  successUrl?: string;
  cancelUrl?: string;
  /**
   * The last Plus article whose paywall the reader saw within 7 days, and the offer-box variant shown (issue 12): ids the
   * caller has checked (a live Plus article, an existing variant), stored on the subscription — an article id, not a profile.
   */
  attribution?: { articleId: string | null; variantId: string | null };
}

export interface OrderResult {
  subscription: Subscription;
  created: boolean;
  /** Stripe: where the reader pays; SEPA: null (done) */
  redirectUrl: string | null;
  /** a gift's redemption code: only in this answer and the buyer's mail */
  giftCode: string | null;
}

const ORDER_KEY = /^[A-Za-z0-9_-]{16,64}$/;
/** Contracts that stop a second Plus order. A pending one is not among them: that is a Stripe checkout the reader left, and they may order again. */
const RUNNING = ['intro', 'active', 'past_due', 'dunning'] as const;

function invalid(field: string, message: string): never { throw new DomainError('invalid-input', message, field); }

/** Everything about the order that can be checked before the database is touched; returns the parsed payment data. */
async function checkOrder(ctx: BillingContext, input: OrderInput) {
  if (!ORDER_KEY.test(input.orderKey)) invalid('orderKey', 'Das Bestellformular ist unvollständig. Bitte laden Sie die Seite neu.');
  const offer = await findOffer(ctx.db, input.offer);
  if (!offer || !offer.active) invalid('offer', 'Dieses Angebot gibt es nicht (mehr). Bitte wählen Sie ein anderes.');
  if (!offer.paymentMethods.includes(input.method)) invalid('method', 'Diese Zahlart gibt es für dieses Angebot nicht.');
  if (input.method === 'stripe' && offer.kind === 'gift') invalid('method', 'Geschenk-Abos können derzeit nur per SEPA-Lastschrift bezahlt werden.');
  if (input.method === 'stripe' && !ctx.stripe) invalid('method', 'Die Zahlung per Karte oder PayPal ist derzeit nicht möglich. Bitte wählen Sie die SEPA-Lastschrift.');
  const quote = quoteOffer(offer, { now: ctx.clock(), giftMonths: input.giftMonths ?? null });
  if (quote.priceKey !== input.priceKey) invalid('priceKey', 'Preis oder Bedingungen dieses Angebots haben sich gerade geändert. Bitte prüfen Sie die neue Zusammenfassung und bestellen Sie erneut.');
  if (!input.consentImmediateStart) invalid('consent', 'Bitte bestätigen Sie, dass Plus sofort beginnen soll und Ihr Widerrufsrecht damit vorzeitig erlischt – sonst können wir Plus nicht sofort freischalten.');
  if (input.method !== 'sepa') return { offer, quote, sepa: null };
  const holder = (input.holderName ?? '').trim().replace(/\s+/g, ' ');
  if (holder.length < 2) invalid('holderName', 'Bitte geben Sie die Kontoinhaberin oder den Kontoinhaber an.');
  if (holder.length > 70) invalid('holderName', 'Der Name der Kontoinhaberin/des Kontoinhabers ist zu lang (höchstens 70 Zeichen).');
  const iban = checkIban(input.iban ?? '');
  if (!iban.ok) invalid('iban', iban.message);
  const bic = checkBic(input.bic ?? '');
  if (!bic.ok) invalid('bic', bic.message);
  if (!input.mandateAccepted) invalid('mandate', 'Bitte erteilen Sie das SEPA-Lastschriftmandat, damit wir den Betrag einziehen können.');
  return { offer, quote, sepa: { holder, iban: iban.iban, bic: bic.bic } };
}

/**
 * Places an order. Checks everything first (offer, price unchanged, consent, IBAN), then writes subscription,
 * mandate, first charge and history in one transaction. The order key is unique: a second request with the same
 * key returns the first subscription and sends no second mail.
 */
export async function placeOrder(ctx: BillingContext, input: OrderInput): Promise<OrderResult> {
  const existing = await ctx.db.selectFrom('subscriptions').selectAll().where('order_key', '=', input.orderKey).executeTakeFirst();
  if (existing) return replay(ctx, existing, input);
  const { offer, quote, sepa } = await checkOrder(ctx, input);
  const running = await ctx.db.selectFrom('subscriptions').select('number')
    .where('user_id', '=', input.userId).where('kind', '=', 'paid').where('state', 'in', [...RUNNING]).executeTakeFirst();
  if (running && offer.kind === 'recurring') {
    // that running one may be this very order, sent twice and committed by the other request meanwhile
    const same = await ctx.db.selectFrom('subscriptions').selectAll().where('order_key', '=', input.orderKey).executeTakeFirst();
    if (same) return replay(ctx, same, input);
  }
  if (running && offer.kind === 'recurring') throw new DomainError('conflict', `Sie haben bereits ein laufendes Plus-Abo (${running.number}). Sie finden es unter „Mein Konto“.`, 'offer');

  const now = ctx.clock();
  const at = nowIso(now);
  const id = newId();
  const number = newSubscriptionNumber();
  const giftCode = offer.kind === 'gift' ? randomBytes(9).toString('base64url').toUpperCase().replace(/[^A-Z0-9]/g, 'X').slice(0, 12) : null;
  // Everything that takes time is done before the transaction, so the write lock is held only for the inserts.
  const mandate = sepa ? {
    id: newId(), subscription_id: id, reference: newMandateReference(number, 1),
    holder_sealed: sealPaymentData(sepa.holder, ctx.paymentKey, 'holder'), iban_sealed: sealPaymentData(sepa.iban, ctx.paymentKey, 'iban'),
    iban_masked: maskIban(sepa.iban), bic: sepa.bic, signed_on: berlinDate(now), first_collected_at: null, revoked_at: null, created_at: at,
  } : null;
  const row = newSubscriptionRow({
    id, number, user_id: offer.kind === 'gift' ? null : input.userId, offer_id: offer.id, kind: offer.kind === 'gift' ? 'gift' : 'paid',
    provider: input.method, state: 'pending', starts_at: at, offer_name: offer.name, intro_price_cents: offer.introPriceCents,
    intro_months: offer.introMonths, price_cents: offer.priceCents, period: offer.period, min_term_months: offer.minTermMonths,
    notice_months: offer.noticeMonths, gift_months: quote.giftMonths, holder_name: sepa?.holder ?? '', buyer_email: input.userEmail,
    order_key: input.orderKey, gift_code_hash: giftCode ? sha256(giftCode) : null,
    attributed_article_id: input.attribution?.articleId ?? null, experiment_variant_id: input.attribution?.variantId ?? null,
    min_term_end: offer.kind === 'gift' ? null : berlinMidnight(addMonths(quote.firstPeriodFrom, offer.minTermMonths)).toISOString(),
    created_at: at, updated_at: at,
  });
  let sub: Subscription;
  try {
    sub = await ctx.db.transaction().execute(async (trx) => {
      await trx.insertInto('subscriptions').values(row).execute();
      let s = row;
      await recordEvent(trx, s, { at, event: 'order', from: null, to: 'pending', cause: `Bestellung ${offer.name} (${input.method === 'sepa' ? 'SEPA-Lastschrift' : 'Stripe'})`, actor: `reader:${input.userId}` });
      if (mandate) {
        await trx.insertInto('sepa_mandates').values(mandate).execute();
        await trx.insertInto('charges').values({
          id: newId(), subscription_id: id, kind: offer.kind === 'gift' ? 'gift' : (quote.firstAmountCents === offer.priceCents ? 'regular' : 'intro'),
          amount_cents: quote.firstAmountCents, period_start: at, period_end: berlinMidnight(quote.firstPeriodTo).toISOString(),
          due_on: quote.sepaDueOn, state: 'pending', provider: 'sepa', sequence_type: null, end_to_end_id: endToEndId(number, 1),
          batch_id: null, external_id: null, return_reason: null, created_at: at, updated_at: at,
        }).execute();
        // A gift starts when its recipient redeems it; a subscription starts now.
        if (offer.kind !== 'gift') s = await applyLifecycle(trx, s, { type: 'start', at, periodEnd: berlinMidnight(quote.firstPeriodTo).toISOString() }, { cause: 'SEPA-Mandat erteilt', actor: `reader:${input.userId}`, graceMs: ctx.graceMs });
      }
      return s;
    });
  } catch (e) {
    // The same order key raced in from a second request: the first one won, answer with its subscription.
    const raced = await ctx.db.selectFrom('subscriptions').selectAll().where('order_key', '=', input.orderKey).executeTakeFirst();
    if (raced) return replay(ctx, raced, input);
    throw e;
  }
  const redirectUrl = sub.provider === 'stripe' ? await stripeRedirect(ctx, sub, offer, input) : null;
  if (sub.provider === 'sepa') await ctx.sendMail(orderConfirmationMail(ctx, { to: input.userEmail, sub, quote, mandate, giftCode }));
  return { subscription: sub, created: true, redirectUrl, giftCode };
}

async function replay(ctx: BillingContext, sub: Subscription, input: OrderInput): Promise<OrderResult> {
  if (sub.buyer_email !== input.userEmail) throw new DomainError('conflict', 'Dieses Bestellformular wurde bereits verwendet. Bitte laden Sie die Seite neu.', 'orderKey');
  let redirectUrl: string | null = null;
  if (sub.provider === 'stripe' && sub.state === 'pending') {
    const offer = sub.offer_id ? await findOffer(ctx.db, sub.offer_id) : null;
    if (offer) redirectUrl = await stripeRedirect(ctx, sub, offer, input);
  }
  return { subscription: sub, created: false, redirectUrl, giftCode: null };
}

async function stripeRedirect(ctx: BillingContext, sub: Subscription, offer: Offer, input: OrderInput): Promise<string> {
  if (!ctx.stripe) throw new DomainError('unavailable', 'Die Zahlung über Stripe ist derzeit nicht möglich.', 'method');
  const session = await ctx.stripe.createCheckout({
    subscriptionId: sub.id, subscriptionNumber: sub.number, customerEmail: input.userEmail,
    offer: { id: offer.id, name: offer.name, priceCents: offer.priceCents, period: offer.period, introPriceCents: offer.introPriceCents, introMonths: offer.introMonths },
    methods: ['card', 'paypal', 'sepa_debit'],
    successUrl: (input.successUrl ?? `${ctx.baseUrl}/abo/danke?abo={number}`).replace('{number}', encodeURIComponent(sub.number)),
    cancelUrl: input.cancelUrl ?? `${ctx.baseUrl}/abo`,
  });
  return session.url;
}

/** The end-to-end id of a subscription's n-th debit: unique, at most 35 SEPA characters, readable on a bank statement. */
export const endToEndId = (number: string, n: number): string => `${number}-${String(n).padStart(4, '0')}`;
