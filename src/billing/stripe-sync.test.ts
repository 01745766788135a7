// A cancellation, its withdrawal and an immediate end reach Stripe, so Stripe stops charging; an unreachable Stripe is recorded, never lost.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { openTestStore, testEngines, type TestStore } from '../db/test-stores.ts';
import { startFakeStripe, type FakeStripe } from '../testing/fake-stripe-api.ts';
import { testBilling, testReader, type TestBilling } from '../testing/billing-fixtures.ts';
import { createStripeGateway } from './stripe/stripe-gateway.ts';
import { terminateSubscription } from './subscription-admin.service.ts';
import { applyStripeFact, cancelSubscription, findOffer, placeOrder, quoteOffer, subscriptionHistory, withdrawCancellation, type OrderInput, type OrderResult } from './index.ts';

/** A store, a fake Stripe and a reader with a Stripe order of Plus Digital (still pending), for each test. */
async function withStripeOrder(engine: string, fn: (o: {
  store: TestStore; fake: FakeStripe; t: TestBilling; reader: { id: string; email: string }; order: OrderResult; base: Omit<OrderInput, 'method' | 'orderKey'>;
}) => Promise<void>): Promise<void> {
  const store = await openTestStore(engine);
  const fake = await startFakeStripe();
  try {
    const stripe = createStripeGateway({ secretKey: 'sk_test_klartext', webhookSecret: 'whsec_klartexttest', ...fake.connection });
    const t = await testBilling(store, { stripe });
    const reader = await testReader(store);
    const offer = (await findOffer(store.db, 'plus-digital'))!;
    const base = { userId: reader.id, userEmail: reader.email, offer: offer.slug, priceKey: quoteOffer(offer, { now: t.clock.now }).priceKey, consentImmediateStart: true };
    const order = await placeOrder(t.ctx, { ...base, method: 'stripe', orderKey: newKey() });
    await fn({ store, fake, t, reader, order, base });
  } finally { await fake.close().catch(() => undefined); await store.close(); }
}

const newKey = () => randomBytes(12).toString('base64url');

for (const engine of testEngines()) {
  test(`[${engine}] cancelling, withdrawing and ending a Stripe subscription are passed on to Stripe; an unreachable Stripe leaves a note in the history`, () => withStripeOrder(engine, async ({ store, fake, t, reader, order }) => {
    assert.ok(order.redirectUrl);
    await applyStripeFact(t.ctx, { type: 'checkout-completed', eventId: 'evt_1', occurredAt: t.clock.now.toISOString(), subscriptionId: order.subscription.id, customerId: 'cus_1', externalSubscriptionId: 'sub_Abc1' });

    await cancelSubscription(t.ctx, order.subscription.id, { actor: `reader:${reader.id}`, ownerId: reader.id });
    await withdrawCancellation(t.ctx, order.subscription.id, { actor: `reader:${reader.id}`, ownerId: reader.id });
    assert.deepEqual(fake.subscriptionChanges.map((c) => [c.id, c.change, c.params.cancel_at_period_end]), [['sub_Abc1', 'update', 'true'], ['sub_Abc1', 'update', 'false']]);

    await fake.close();
    await cancelSubscription(t.ctx, order.subscription.id, { actor: `reader:${reader.id}`, ownerId: reader.id });
    const history = await subscriptionHistory(store.db, order.subscription.id);
    assert.equal(history.at(-1)!.event, 'stripe-sync-failed', 'the publisher sees that Stripe must still be told');
    assert.equal(history.at(-2)!.event, 'cancel', 'the cancellation itself stands');
  }));

  test(`[${engine}] a Stripe checkout the reader left does not stop an order by SEPA direct debit`, () => withStripeOrder(engine, async ({ t, order, base }) => {
    assert.equal(order.subscription.state, 'pending');
    const sepa = { ...base, method: 'sepa' as const, holderName: 'Erika Müller', iban: 'DE89370400440532013000', mandateAccepted: true };
    assert.equal((await placeOrder(t.ctx, { ...sepa, orderKey: newKey() })).subscription.state, 'intro');
    // but a running subscription does
    await assert.rejects(placeOrder(t.ctx, { ...sepa, orderKey: newKey() }), /bereits ein laufendes Plus-Abo/);
  }));

  test(`[${engine}] the publisher's immediate end cancels the Stripe subscription at once`, () => withStripeOrder(engine, async ({ fake, t, order }) => {
    await applyStripeFact(t.ctx, { type: 'checkout-completed', eventId: 'evt_2', occurredAt: t.clock.now.toISOString(), subscriptionId: order.subscription.id, customerId: 'cus_2', externalSubscriptionId: 'sub_Xyz2' });
    await terminateSubscription(t.ctx, order.subscription.id, { actor: 'admin:a1', reason: 'Betrug' });
    assert.deepEqual(fake.subscriptionChanges.map((c) => [c.id, c.change]), [['sub_Xyz2', 'cancel']]);
  }));
}
