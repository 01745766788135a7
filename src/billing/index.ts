// Public face of billing: offers, checkout, the subscription lifecycle, SEPA and Stripe, billing runs, returns, invoices, cancellation, revenue figures.
import path from 'node:path';
import type { Config } from '../config.ts';
import type { Store } from '../db/index.ts';
import { loadMasterKeyRing } from '../access/index.ts';
import type { Mailer } from '../mail/index.ts';
import type { BillingContext } from './billing-context.ts';
import { paymentDataKey } from './payment-data.ts';
import { createStripeGateway, type StripeGateway } from './stripe/stripe-gateway.ts';

export type { BillingContext, Creditor, Seller } from './billing-context.ts';
export * from './billing-calendar.ts';
export { PAYMENT_METHODS, DEMO_OFFERS, formatEuro, giftPriceCents, offerInputSchema, parseOfferInput, periodMonths, priceParts, priceText, termsText, type Offer, type OfferInput, type PaymentMethod } from './offer.ts';
export { createOffer, ensureOffers, featuredOffer, findOffer, listOffers, updateOffer } from './offer.queries.ts';
export { ALLOWED_FROM, DUNNING_ATTEMPTS, DUNNING_DAYS, STATE_LABELS, accessUntil, transition, type LifecycleEvent, type LifecycleSnapshot } from './subscription-lifecycle.ts';
export {
  applyLifecycle, findSubscription, findSubscriptionByNumber, newSubscriptionNumber, subscriptionHistory, subscriptionsOfUser, tryApplyLifecycle,
  type Actor, type Subscription, type SubscriptionEvent,
  newSubscriptionRow, planChange, type ApplyOptions,
} from './subscription.store.ts';
export {
  SEARCH_PAGE_SIZE, searchSubscriptions, soldOfferNames, subscriptionsForExport, terminateSubscription, type SubscriptionListItem, type SubscriptionSearch,
} from './subscription-admin.service.ts';
export { MAX_GRANT_DAYS, grantSubscription, revokeSubscriptions, type SubscriptionGrant } from './comp.service.ts';
export { SEPA_LEAD_DAYS, endToEndId, placeOrder, quoteOffer, type CheckoutQuote, type OrderInput, type OrderResult } from './checkout.service.ts';
export { runBilling, type BillingRunReport } from './billing-run.service.ts';
export { refundCharge, type RefundResult } from './refund.service.ts';
export { exportSepaBatch, type SepaBatchReport } from './sepa-export.service.ts';
export { applyReturnsFile, type ReturnsReport } from './returns.service.ts';
export { invoicePdf, invoicesOfUser, issueInvoices, type InvoiceSummary } from './invoice.service.ts';
export {
  cancelSubscription, cancellationQueue, earliestEnd, findCancellationReceipt, markCancellationHandled, receiveCancellation, withdrawCancellation,
  type CancellationInput, type CancellationReceipt, type QueuedCancellation,
} from './cancellation.service.ts';
export { normalizeGiftCode, redeemGift } from './gift.service.ts';
export { orderOverview, type OrderOverview } from './order.queries.ts';
export {
  activeByOfferAt, introConversions, revenueSummary, weeklyRevenue, type RangeFigures, type RevenueSummary, type WeekPoint,
} from './revenue.queries.ts';
export { type Churn, type IntroConversion, type OfferShare, type RevenueRange } from './revenue.ts';
export { changeSepaMandate, currentMandate, nextMandateReference, paymentDataOfUser, type SepaMandateChange, type SepaMandateChanged } from './payment-method.service.ts';
export { applyStripeFact, type StripeOutcome } from './stripe-events.service.ts';
export { WITHDRAWAL_TEXT } from './billing-mails.ts';
export { openPaymentData, paymentDataKey, PaymentDataError, rewrapPaymentData, sealPaymentData, type PaymentKeys } from './payment-data.ts';
export { checkBic, checkIban, maskIban, mandateText } from './sepa/index.ts';
export { paymentFactFromStripeEvent, type PaymentFact } from './stripe/payment-facts.ts';
export type { StripeGateway } from './stripe/stripe-gateway.ts';

/** The billing context of a running site (or CLI) from its configuration. */
export function createBillingContext(o: {
  config: Pick<Config, 'dataDir' | 'masterKey' | 'masterKeyPrevious' | 'seller' | 'creditor' | 'billingGraceDays' | 'stripe'>; store: Store; mailer: Mailer; clock: () => Date;
  siteName: string; baseUrl: string; stripe?: StripeGateway | null;
}): BillingContext {
  const { config } = o;
  const ring = loadMasterKeyRing(config.dataDir, config.masterKey, config.masterKeyPrevious);
  return {
    db: o.store.db, caps: o.store.caps, clock: o.clock, graceMs: config.billingGraceDays * 86_400_000,
    paymentKey: paymentDataKey(ring.current), previousPaymentKeys: ring.previous.map(paymentDataKey),
    creditor: { name: config.seller.name, ...config.creditor }, seller: config.seller, siteName: o.siteName, baseUrl: o.baseUrl,
    sepaDir: path.join(config.dataDir, 'sepa'),
    sendMail: (m) => o.mailer.send(m),
    stripe: o.stripe !== undefined ? o.stripe : config.stripe ? createStripeGateway(config.stripe) : null,
  };
}
