// Stripe webhook events turned into the payment facts the billing domain applies: pure, no I/O, nothing but the event.
import type Stripe from 'stripe';

/** The metadata key under which our subscription id travels on the Stripe subscription (and from there onto its invoices). */
export const SUBSCRIPTION_METADATA_KEY = 'klartext_subscription_id';

export type PaymentFact =
  | { type: 'checkout-completed'; eventId: string; occurredAt: string; subscriptionId: string | null; customerId: string | null; externalSubscriptionId: string | null }
  | {
    type: 'payment-succeeded'; eventId: string; occurredAt: string; subscriptionId: string | null; externalSubscriptionId: string | null;
    externalInvoiceId: string; amountCents: number; periodStart: string | null; periodEnd: string | null;
  }
  | {
    type: 'payment-failed'; eventId: string; occurredAt: string; subscriptionId: string | null; externalSubscriptionId: string | null;
    externalInvoiceId: string; amountCents: number; reason: string;
  }
  | {
    type: 'subscription-changed'; eventId: string; occurredAt: string; subscriptionId: string | null; externalSubscriptionId: string;
    status: string; cancelAtPeriodEnd: boolean; cancelAt: string | null; currentPeriodEnd: string | null; endedAt: string | null; version: number;
  };

/**
 * The one fact an event means, or null for events we do not act on.
 *
 * A paid invoice raises both `invoice.paid` and `invoice.payment_succeeded`; only `invoice.paid` counts, because it
 * also fires for invoices settled without a charge (a 0 € intro month, a credit balance, marked paid by hand), so a
 * payment is never applied twice and never missed.
 */
export function paymentFactFromStripeEvent(event: Stripe.Event): PaymentFact | null {
  const base = { eventId: event.id, occurredAt: isoFromUnix(event.created) };
  switch (event.type) {
    case 'checkout.session.completed': {
      const session = event.data.object;
      return {
        type: 'checkout-completed', ...base,
        subscriptionId: session.client_reference_id,
        customerId: idOf(session.customer),
        externalSubscriptionId: idOf(session.subscription),
      };
    }
    case 'invoice.paid': {
      const invoice = event.data.object;
      const period = servicePeriod(invoice);
      return {
        type: 'payment-succeeded', ...base, ...invoiceSubscription(invoice),
        externalInvoiceId: invoice.id,
        amountCents: invoice.amount_paid,
        periodStart: period ? isoFromUnix(period.start) : null,
        periodEnd: period ? isoFromUnix(period.end) : null,
      };
    }
    case 'invoice.payment_failed': {
      const invoice = event.data.object;
      return {
        type: 'payment-failed', ...base, ...invoiceSubscription(invoice),
        externalInvoiceId: invoice.id,
        amountCents: invoice.amount_due,
        reason: failureReason(invoice),
      };
    }
    case 'customer.subscription.created':
    case 'customer.subscription.updated':
    case 'customer.subscription.deleted':
      return subscriptionChanged(event.data.object, event.type, event.created, base);
    default:
      return null;
  }
}

/**
 * Versions of one Stripe subscription, in the order Stripe made them.
 *
 * A Stripe subscription carries no revision number or update time, so the event's `created` second is the best
 * order there is. Within one second the kind of change decides: `created` before `updated`, and a final status
 * (`canceled`, `incomplete_expired`, which Stripe never leaves) after everything else. This matters at checkout,
 * where `created` (incomplete) and `updated` (active) usually share a second and may arrive in either order.
 * Two updates in the same second get the same version: apply a fact when its version is >= the stored one, so the
 * later arrival wins there. As seconds since 2024-01-01 UTC times four plus that rank, the number fits a 32-bit
 * integer column until 2041 (an `integer` in PostgreSQL, read back as a number, unlike `bigint`).
 */
export function subscriptionVersion(eventCreated: number, kind: 'created' | 'updated' | 'deleted', status: string): number {
  const rank = kind === 'deleted' || FINAL_STATUSES.has(status) ? 3 : kind === 'updated' ? 1 : 0;
  return (eventCreated - VERSION_EPOCH) * 4 + rank;
}

const VERSION_EPOCH = Date.UTC(2024, 0, 1) / 1000;
const FINAL_STATUSES = new Set(['canceled', 'incomplete_expired']);

type SubscriptionEventType = 'customer.subscription.created' | 'customer.subscription.updated' | 'customer.subscription.deleted';

function subscriptionChanged(sub: Stripe.Subscription, type: SubscriptionEventType, eventCreated: number, base: { eventId: string; occurredAt: string }): PaymentFact {
  const periodEnd = currentPeriodEnd(sub);
  // In flexible billing mode (the default for new subscriptions) the customer portal schedules a cancellation as
  // `cancel_at` = end of the current period and leaves `cancel_at_period_end` false; both mean "no renewal".
  const cancelAtPeriodEnd = sub.cancel_at_period_end || (sub.cancel_at != null && periodEnd != null && sub.cancel_at <= periodEnd);
  const kind = type === 'customer.subscription.created' ? 'created' : type === 'customer.subscription.updated' ? 'updated' : 'deleted';
  return {
    type: 'subscription-changed', ...base,
    subscriptionId: metadataValue(sub.metadata),
    externalSubscriptionId: sub.id,
    status: sub.status,
    cancelAtPeriodEnd,
    cancelAt: sub.cancel_at != null ? isoFromUnix(sub.cancel_at) : null,
    currentPeriodEnd: periodEnd != null ? isoFromUnix(periodEnd) : null,
    endedAt: sub.ended_at != null ? isoFromUnix(sub.ended_at) : null,
    version: subscriptionVersion(eventCreated, kind, sub.status),
  };
}

/**
 * Since API version 2025-03-31 the billing period lives on each subscription item; the subscription's own
 * `current_period_end` is read only when an endpoint still sends events in an older version.
 */
function currentPeriodEnd(sub: Stripe.Subscription): number | null {
  const ends = (sub.items?.data ?? []).map((item) => item.current_period_end).filter((end): end is number => typeof end === 'number');
  if (ends.length > 0) return Math.max(...ends);
  const legacy = (sub as unknown as { current_period_end?: unknown }).current_period_end;
  return typeof legacy === 'number' ? legacy : null;
}

/** Our id and Stripe's for the subscription an invoice bills (`invoice.parent` since 2025-03-31, top-level fields before). */
function invoiceSubscription(invoice: Stripe.Invoice): { subscriptionId: string | null; externalSubscriptionId: string | null } {
  const details = invoice.parent?.subscription_details;
  const legacy = invoice as unknown as { subscription?: string | { id: string } | null; subscription_details?: { metadata?: Stripe.Metadata | null } | null };
  return {
    subscriptionId: metadataValue(details?.metadata ?? legacy.subscription_details?.metadata ?? null),
    externalSubscriptionId: idOf(details?.subscription ?? legacy.subscription ?? null),
  };
}

/**
 * The service period an invoice pays for, from its line items: `invoice.period_start/end` only bound the items
 * gathered (both equal the creation time on a subscription's first invoice). Prorations count only when nothing
 * else is billed.
 */
function servicePeriod(invoice: Stripe.Invoice): { start: number; end: number } | null {
  const lines = invoice.lines?.data ?? [];
  const regular = lines.filter((line) => !isProration(line));
  const used = regular.length > 0 ? regular : lines;
  if (used.length === 0) return null;
  return { start: Math.min(...used.map((l) => l.period.start)), end: Math.max(...used.map((l) => l.period.end)) };
}

function isProration(line: Stripe.InvoiceLineItem): boolean {
  const current = line.parent?.subscription_item_details?.proration ?? line.parent?.invoice_item_details?.proration;
  return current ?? (line as unknown as { proration?: boolean }).proration ?? false;
}

/** For staff and the dunning mail: what went wrong, in German; the card issuer's decline code is not on the invoice. */
function failureReason(invoice: Stripe.Invoice): string {
  const finalization = invoice.last_finalization_error;
  if (finalization) return `Rechnung konnte nicht abgeschlossen werden: ${finalization.message ?? finalization.code ?? finalization.type}`;
  const attempt = `Zahlungsversuch ${Math.max(invoice.attempt_count, 1)} fehlgeschlagen`;
  return invoice.next_payment_attempt != null ? `${attempt}; Stripe versucht es erneut.` : `${attempt}; kein weiterer Versuch geplant.`;
}

function metadataValue(metadata: Stripe.Metadata | null | undefined): string | null {
  const value = metadata?.[SUBSCRIPTION_METADATA_KEY];
  return typeof value === 'string' && value !== '' ? value : null;
}

function idOf(ref: string | { id: string } | null | undefined): string | null {
  if (ref == null) return null;
  return typeof ref === 'string' ? ref : ref.id;
}

function isoFromUnix(seconds: number): string {
  return new Date(seconds * 1000).toISOString();
}
