// Klartext's door to Stripe: hosted checkout for a subscription, the customer portal link, and verified webhook events.
import Stripe from 'stripe';
import { DomainError } from '../../domain-error.ts';
import { SUBSCRIPTION_METADATA_KEY } from './payment-facts.ts';

export interface StripeSettings { secretKey: string; webhookSecret: string; host?: string; port?: number; protocol?: 'http' | 'https' }

export interface StripeCheckoutInput {
  /** ours; goes into client_reference_id and subscription_data.metadata.klartext_subscription_id */
  subscriptionId: string;
  subscriptionNumber: string;
  customerEmail: string;
  offer: { id: string; name: string; priceCents: number; period: 'month' | 'year'; introPriceCents: number | null; introMonths: number };
  methods: ('card' | 'paypal' | 'sepa_debit')[];
  successUrl: string;
  cancelUrl: string;
}

export interface StripeGateway {
  createCheckout(input: StripeCheckoutInput): Promise<{ sessionId: string; url: string }>;
  createPortalLink(customerId: string, returnUrl: string): Promise<string>;
  /** Tells Stripe that the subscription ends with its current period (true) or goes on after all (false). */
  setCancelAtPeriodEnd(subscriptionId: string, cancel: boolean): Promise<void>;
  /** Ends the Stripe subscription now (an extraordinary end decided by the publisher). */
  cancelNow(subscriptionId: string): Promise<void>;
  /** The event, if the body is signed with our webhook secret no longer than the tolerance ago; else DomainError forbidden. */
  verifyEvent(rawBody: string, signatureHeader: string | undefined): Stripe.Event;
}

/** Stripe's own default: a signature older than this is a replay (or a queue that stalled) and is refused. */
export const WEBHOOK_TOLERANCE_SECONDS = 300;

const SIGNATURE_INVALID = 'Signatur der Stripe-Nachricht ungültig.';
const STRIPE_UNAVAILABLE = 'Der Zahlungsdienst Stripe ist gerade nicht erreichbar. Bitte versuchen Sie es in einigen Minuten noch einmal.';

/** `now` is the clock the webhook tolerance is measured against. */
export function createStripeGateway(settings: StripeSettings, options: { now?: () => Date } = {}): StripeGateway {
  if (settings.secretKey.trim() === '') throw new Error('Stripe: der geheime API-Schlüssel fehlt.');
  if (settings.webhookSecret.trim() === '') throw new Error('Stripe: das Webhook-Geheimnis fehlt.');
  const now = options.now ?? (() => new Date());
  const stripe = new Stripe(settings.secretKey, {
    ...(settings.host !== undefined ? { host: settings.host } : {}),
    ...(settings.port !== undefined ? { port: settings.port } : {}),
    ...(settings.protocol !== undefined ? { protocol: settings.protocol } : {}),
    // Retries are safe because every create carries an idempotency key; a reader waits for checkout, so no 80 s default.
    maxNetworkRetries: 2,
    timeout: 20_000,
    telemetry: false,
    appInfo: { name: 'Klartext' },
  });
  const secrets = [settings.secretKey, settings.webhookSecret];

  async function callStripe<T>(request: () => Promise<T>): Promise<T> {
    try {
      return await request();
    } catch (e) {
      throw stripeFailure(e, secrets);
    }
  }

  return {
    async createCheckout(input) {
      const intro = introDiscount(input);
      const metadata = { [SUBSCRIPTION_METADATA_KEY]: input.subscriptionId, klartext_subscription_number: input.subscriptionNumber, klartext_offer_id: input.offer.id };
      let couponId: string | null = null;
      if (intro) {
        // A key of its own: Stripe refuses one key on two endpoints, and a double submit must not make two coupons.
        const coupon = await callStripe(() => stripe.coupons.create({
          amount_off: intro.amountOffCents,
          currency: 'eur',
          ...(intro.months === null ? { duration: 'once' as const } : { duration: 'repeating' as const, duration_in_months: intro.months }),
          max_redemptions: 1,
          name: intro.name,
          metadata,
        }, { idempotencyKey: `${input.subscriptionId}:intro-coupon` }));
        couponId = coupon.id;
      }
      const session = await callStripe(() => stripe.checkout.sessions.create({
        mode: 'subscription',
        client_reference_id: input.subscriptionId,
        customer_email: input.customerEmail,
        locale: 'de',
        line_items: [{
          quantity: 1,
          price_data: {
            currency: 'eur',
            unit_amount: input.offer.priceCents,
            // our prices are gross prices (PAngV); Stripe must not add VAT on top
            tax_behavior: 'inclusive',
            recurring: { interval: input.offer.period },
            product_data: { name: input.offer.name, metadata: { klartext_offer_id: input.offer.id } },
          },
        }],
        // `payment_method_types` is gone from this API version; the allow-list filters what Stripe would offer
        allowed_payment_method_types: [...new Set(input.methods)],
        ...(couponId ? { discounts: [{ coupon: couponId }] } : {}),
        subscription_data: { metadata, description: `Abo ${input.subscriptionNumber}: ${input.offer.name}` },
        metadata,
        success_url: input.successUrl,
        cancel_url: input.cancelUrl,
      }, { idempotencyKey: input.subscriptionId }));
      if (!session.url) throw new DomainError('unavailable', STRIPE_UNAVAILABLE);
      return { sessionId: session.id, url: session.url };
    },

    async setCancelAtPeriodEnd(subscriptionId, cancel) {
      await callStripe(() => stripe.subscriptions.update(subscriptionId, { cancel_at_period_end: cancel }));
    },

    async cancelNow(subscriptionId) {
      await callStripe(() => stripe.subscriptions.cancel(subscriptionId));
    },

    async createPortalLink(customerId, returnUrl) {
      if (!customerId.startsWith('cus_')) throw new DomainError('invalid-input', 'Für dieses Abo ist kein Stripe-Kundenkonto hinterlegt.');
      const session = await callStripe(() => stripe.billingPortal.sessions.create({ customer: customerId, return_url: returnUrl, locale: 'de' }));
      return session.url;
    },

    verifyEvent(rawBody, signatureHeader) {
      if (!signatureHeader) throw new DomainError('forbidden', SIGNATURE_INVALID);
      try {
        return stripe.webhooks.constructEvent(rawBody, signatureHeader, settings.webhookSecret, WEBHOOK_TOLERANCE_SECONDS, undefined, now().getTime());
      } catch (e) {
        // Stripe's messages are dropped: some quote the header, and nothing about the secret may reach a log.
        if (e instanceof Stripe.errors.StripeSignatureVerificationError) throw new DomainError('forbidden', SIGNATURE_INVALID);
        throw new DomainError('invalid-input', 'Die Stripe-Nachricht ist kein lesbares Ereignis.');
      }
    },
  };
}

interface IntroDiscount { amountOffCents: number; months: number | null; name: string }

/**
 * The intro price as a coupon on the regular price, or null when there is none. A once-coupon covers the first
 * invoice: the first month of a monthly offer, the first year of a yearly one. Longer intros of monthly offers
 * repeat the coupon for that many months. An intro a yearly price cannot express (not exactly 12 months) is refused
 * rather than charged differently from what the order page showed (§ 312j BGB).
 */
function introDiscount(input: StripeCheckoutInput): IntroDiscount | null {
  const { offer } = input;
  if (!input.subscriptionId) throw new DomainError('invalid-input', 'Dem Abo fehlt die Kennung.');
  if (!Number.isSafeInteger(offer.priceCents) || offer.priceCents <= 0) throw new DomainError('invalid-input', 'Der Preis des Angebots muss ein positiver Betrag in Cent sein.');
  if (input.methods.length === 0) throw new DomainError('invalid-input', 'Für das Angebot ist keine Zahlungsart freigegeben.');
  const intro = offer.introPriceCents;
  if (intro === null || intro >= offer.priceCents) return null;
  if (!Number.isSafeInteger(intro) || intro < 0) throw new DomainError('invalid-input', 'Der Einführungspreis muss ein Betrag in Cent sein.');
  if (!Number.isSafeInteger(offer.introMonths) || offer.introMonths < 1) throw new DomainError('invalid-input', 'Der Einführungspreis braucht eine Dauer von mindestens einem Monat.');
  if (offer.period === 'year') {
    if (offer.introMonths !== 12) throw new DomainError('invalid-input', 'Bei einem Jahresabo kann der Einführungspreis nur für das erste Jahr gelten.');
    return { amountOffCents: offer.priceCents - intro, months: null, name: 'Einführungspreis im ersten Jahr' };
  }
  if (offer.introMonths === 1) return { amountOffCents: offer.priceCents - intro, months: null, name: 'Einführungspreis im ersten Monat' };
  return { amountOffCents: offer.priceCents - intro, months: offer.introMonths, name: `Einführungspreis für ${offer.introMonths} Monate` };
}

/** A failed API call as a DomainError; the cause keeps what an operator needs, with any key blanked out. */
function stripeFailure(e: unknown, secrets: string[]): DomainError {
  const error = e instanceof Stripe.errors.StripeIdempotencyError
    ? new DomainError('conflict', 'Diese Bestellung wurde schon mit anderen Angaben an Stripe übergeben. Bitte beginnen Sie die Bestellung neu.')
    : new DomainError('unavailable', STRIPE_UNAVAILABLE);
  if (e instanceof Stripe.errors.StripeError) {
    error.cause = { type: e.type, code: e.code, statusCode: e.statusCode, requestId: e.requestId, message: redact(e.message, secrets) };
  } else if (e instanceof Error) {
    error.cause = { type: e.name, message: redact(e.message, secrets) };
  }
  return error;
}

function redact(text: string, secrets: string[]): string {
  let out = text;
  for (const secret of secrets) out = out.split(secret).join('[entfernt]');
  return out.replace(/\b(?:sk|rk|whsec)_[A-Za-z0-9_*]+/g, '[entfernt]');
}
