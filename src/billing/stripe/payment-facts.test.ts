// Which payment fact each recorded Stripe event means, and how subscription versions order.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type Stripe from 'stripe';
import { paymentFactFromStripeEvent, subscriptionVersion, type PaymentFact } from './payment-facts.ts';
import { stripeEventFixture } from './stripe-event-fixtures.ts';

const OURS = 'Kx8sV2pQm4Tz7aLc';
const SUB = 'sub_1SxQ7rE4fGk2Lm9QpA1b2C3d';

function factOf(event: Stripe.Event): PaymentFact {
  const fact = paymentFactFromStripeEvent(event);
  assert.ok(fact, `${event.type} should map to a fact`);
  return fact;
}

/** A subscription event fixture with its object changed, for the cases Stripe produces but the fixtures do not show. */
function subscriptionEvent(name: 'customer.subscription.updated.active' | 'customer.subscription.updated.portal-cancel', change: (sub: Stripe.Subscription) => void): Stripe.Event {
  const event = stripeEventFixture(name);
  change(event.data.object as Stripe.Subscription);
  return event;
}

test('checkout.session.completed names our subscription, the Stripe customer and the Stripe subscription', () => {
  assert.deepEqual(factOf(stripeEventFixture('checkout.session.completed')), {
    type: 'checkout-completed',
    eventId: 'evt_1SxQ7tE4fGk2Lm9QpJk8Dd4f',
    occurredAt: '2026-11-23T09:14:08.000Z',
    subscriptionId: OURS,
    customerId: 'cus_TQk3fL8mZp2Vx1',
    externalSubscriptionId: SUB,
  });
});

test('invoice.paid is a payment of the amount paid for the service period of its lines, not the invoice period', () => {
  assert.deepEqual(factOf(stripeEventFixture('invoice.paid')), {
    type: 'payment-succeeded',
    eventId: 'evt_1SxQ7sE4fGk2Lm9QpTt2Pz9d',
    occurredAt: '2026-11-23T09:14:07.000Z',
    subscriptionId: OURS,
    externalSubscriptionId: SUB,
    externalInvoiceId: 'in_1SxQ7rE4fGk2Lm9QpLk8Jh2G',
    amountCents: 100,
    periodStart: '2026-11-23T09:14:07.000Z',
    periodEnd: '2026-12-23T09:14:07.000Z',
  });
});

test('invoice.payment_succeeded maps to nothing, so a paid invoice is applied once (from invoice.paid)', () => {
  assert.equal(paymentFactFromStripeEvent(stripeEventFixture('invoice.payment_succeeded')), null);
});

test('invoice.payment_failed is a failed payment of the amount due, with a reason that says whether Stripe retries', () => {
  const event = stripeEventFixture('invoice.payment_failed');
  assert.deepEqual(factOf(event), {
    type: 'payment-failed',
    eventId: 'evt_1TBd2yE4fGk2Lm9QpMn6Gh5g',
    occurredAt: '2026-12-23T10:14:09.000Z',
    subscriptionId: OURS,
    externalSubscriptionId: SUB,
    externalInvoiceId: 'in_1TBd2xE4fGk2Lm9QpUv3Yz9K',
    amountCents: 990,
    reason: 'Zahlungsversuch 1 fehlgeschlagen; Stripe versucht es erneut.',
  });
  const lastTry = event.data.object as Stripe.Invoice;
  lastTry.attempt_count = 4;
  lastTry.next_payment_attempt = null;
  assert.equal((factOf(event) as { reason: string }).reason, 'Zahlungsversuch 4 fehlgeschlagen; kein weiterer Versuch geplant.');
});

test('customer.subscription.created/updated/deleted are subscription changes with Stripe status, period end and end', () => {
  const created = factOf(stripeEventFixture('customer.subscription.created'));
  const active = factOf(stripeEventFixture('customer.subscription.updated.active'));
  const deleted = factOf(stripeEventFixture('customer.subscription.deleted'));
  assert.deepEqual(active, {
    type: 'subscription-changed',
    eventId: 'evt_1SxQ7sE4fGk2Lm9QpQe5Rb7c',
    occurredAt: '2026-11-23T09:14:07.000Z',
    subscriptionId: OURS,
    externalSubscriptionId: SUB,
    status: 'active',
    cancelAtPeriodEnd: false,
    cancelAt: null,
    currentPeriodEnd: '2026-12-23T09:14:07.000Z',
    endedAt: null,
    version: subscriptionVersion(1795425247, 'updated', 'active'),
  });
  assert.equal(created.type === 'subscription-changed' && created.status, 'incomplete');
  assert.deepEqual(deleted.type === 'subscription-changed' && [deleted.status, deleted.endedAt, deleted.currentPeriodEnd],
    ['canceled', '2027-01-23T09:14:07.000Z', '2027-01-23T09:14:07.000Z']);
});

test('versions order created before updated within the same second, and the end after everything', () => {
  const version = (f: PaymentFact) => (f.type === 'subscription-changed' ? f.version : NaN);
  const created = version(factOf(stripeEventFixture('customer.subscription.created')));
  const active = version(factOf(stripeEventFixture('customer.subscription.updated.active')));
  const cancelScheduled = version(factOf(stripeEventFixture('customer.subscription.updated.portal-cancel')));
  const deleted = version(factOf(stripeEventFixture('customer.subscription.deleted')));
  assert.ok(created < active, 'same second: created, then updated');
  assert.ok(active < cancelScheduled && cancelScheduled < deleted);
  // a final status wins within its second even when it came as an update
  assert.ok(subscriptionVersion(1795425247, 'updated', 'incomplete_expired') > subscriptionVersion(1795425247, 'updated', 'active'));
  // an event one second later outranks anything of the second before
  assert.ok(subscriptionVersion(1795425248, 'created', 'incomplete') > subscriptionVersion(1795425247, 'deleted', 'canceled'));
  // stays a 32-bit integer into 2041
  assert.ok(Number.isSafeInteger(deleted) && subscriptionVersion(Date.UTC(2040, 11, 31) / 1000, 'deleted', 'canceled') < 2 ** 31);
});

test('a cancellation scheduled in the portal (flexible billing: cancel_at, flag false) counts as cancel at period end', () => {
  const fact = factOf(stripeEventFixture('customer.subscription.updated.portal-cancel'));
  assert.equal(fact.type, 'subscription-changed');
  assert.deepEqual(fact.type === 'subscription-changed' && [fact.status, fact.cancelAtPeriodEnd, fact.cancelAt, fact.currentPeriodEnd],
    ['past_due', true, '2027-01-23T09:14:07.000Z', '2027-01-23T09:14:07.000Z']);
});

test('cancel_at_period_end counts as is; a cancel_at beyond the current period does not end this period', () => {
  const classic = factOf(subscriptionEvent('customer.subscription.updated.active', (sub) => { sub.cancel_at_period_end = true; }));
  assert.equal(classic.type === 'subscription-changed' && classic.cancelAtPeriodEnd, true);
  const later = factOf(subscriptionEvent('customer.subscription.updated.portal-cancel', (sub) => { sub.cancel_at = Date.UTC(2027, 5, 1) / 1000; }));
  assert.deepEqual(later.type === 'subscription-changed' && [later.cancelAtPeriodEnd, later.cancelAt], [false, '2027-06-01T00:00:00.000Z']);
});

test('a subscription without our metadata still maps, with no subscription id of ours', () => {
  const fact = factOf(subscriptionEvent('customer.subscription.updated.active', (sub) => { sub.metadata = {}; }));
  assert.equal(fact.subscriptionId, null);
});

test('events in an older API version (period on the subscription, subscription on the invoice) map the same', () => {
  const sub = stripeEventFixture('customer.subscription.updated.active');
  const subObject = sub.data.object as unknown as Record<string, unknown> & { items: { data: Record<string, unknown>[] } };
  subObject.current_period_end = 1798017247;
  delete subObject.items.data[0]!.current_period_end;
  const subFact = factOf(sub);
  assert.equal(subFact.type === 'subscription-changed' && subFact.currentPeriodEnd, '2026-12-23T09:14:07.000Z');

  const invoice = stripeEventFixture('invoice.paid');
  const invoiceObject = invoice.data.object as unknown as Record<string, unknown> & { lines: { data: Record<string, unknown>[] } };
  invoiceObject.subscription = SUB;
  invoiceObject.subscription_details = { metadata: { klartext_subscription_id: OURS } };
  invoiceObject.parent = null;
  invoiceObject.lines.data[0]!.parent = null;
  invoiceObject.lines.data[0]!.proration = false;
  const invoiceFact = factOf(invoice);
  assert.deepEqual([invoiceFact.subscriptionId, invoiceFact.type === 'payment-succeeded' && invoiceFact.externalSubscriptionId, invoiceFact.type === 'payment-succeeded' && invoiceFact.periodEnd],
    [OURS, SUB, '2026-12-23T09:14:07.000Z']);
});

test('prorations do not stretch the paid period unless nothing else is billed', () => {
  const event = stripeEventFixture('invoice.paid');
  const invoice = event.data.object as Stripe.Invoice;
  const regular = invoice.lines.data[0]!;
  const proration = structuredClone(regular);
  proration.parent!.subscription_item_details!.proration = true;
  proration.period = { start: regular.period.start - 86400 * 10, end: regular.period.start };
  invoice.lines.data.push(proration);
  const fact = factOf(event);
  assert.equal(fact.type === 'payment-succeeded' && fact.periodStart, '2026-11-23T09:14:07.000Z');
  invoice.lines.data = [proration];
  const onlyProration = factOf(event);
  assert.equal(onlyProration.type === 'payment-succeeded' && onlyProration.periodStart, '2026-11-13T09:14:07.000Z');
  invoice.lines.data = [];
  const noLines = factOf(event);
  assert.deepEqual(noLines.type === 'payment-succeeded' && [noLines.periodStart, noLines.periodEnd], [null, null]);
});

test('events we do not handle map to nothing', () => {
  const unknown = { ...stripeEventFixture('invoice.paid'), type: 'customer.created', data: { object: { id: 'cus_TQk3fL8mZp2Vx1', object: 'customer' } } } as unknown as Stripe.Event;
  assert.equal(paymentFactFromStripeEvent(unknown), null);
  const expired = { ...stripeEventFixture('checkout.session.completed'), type: 'checkout.session.expired' } as Stripe.Event;
  assert.equal(paymentFactFromStripeEvent(expired), null);
});
