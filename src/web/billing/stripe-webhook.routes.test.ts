// The Stripe path over HTTP on both engines: order → Stripe redirect, then signed webhooks (duplicates, forgeries, out-of-order updates).
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type Stripe from 'stripe';
import { testEngines } from '../../db/test-stores.ts';
import { DEMO_OFFERS, createBillingContext, ensureOffers, type BillingContext } from '../../billing/index.ts';
import { createStripeGateway } from '../../billing/stripe/stripe-gateway.ts';
import { stripeEventFixture, type StripeEventFixture } from '../../billing/stripe/stripe-event-fixtures.ts';
import { outboxMailer } from '../../mail/index.ts';
import { createTestApp, type TestApp } from '../../testing/test-app.ts';
import { startFakeStripe, signedStripeEvent, type FakeStripe } from '../../testing/fake-stripe-api.ts';
import { loggedInAs } from '../../testing/test-accounts.ts';

const SECRET_KEY = 'sk_test_klartext';
const WEBHOOK_SECRET = 'whsec_klartexttest';
const hidden = (html: string, name: string): string => new RegExp(`name="${name}" value="([^"]*)"`).exec(html)?.[1] ?? '';

for (const engine of testEngines()) {
  describe(`Stripe checkout and webhook (${engine})`, () => {
    let t: TestApp;
    let fake: FakeStripe;
    // The event fixtures were recorded late in November 2026; the clock sits just after them.
    const clock = { now: new Date(1795425300 * 1000) };
    let subId = '';
    let seq = 0;

    /** A fixture made ours: its own event id, our subscription, the given creation second. */
    function event(name: StripeEventFixture, created: number, change: (o: Record<string, unknown>) => void = () => {}): Stripe.Event {
      const e = stripeEventFixture(name);
      const o = e.data.object as unknown as Record<string, unknown>;
      (e as { id: string }).id = `evt_test_${engine}_${++seq}`;
      (e as { created: number }).created = created;
      if (o.client_reference_id !== undefined) o.client_reference_id = subId;
      o.metadata = { ...(o.metadata as object), klartext_subscription_id: subId };
      change(o);
      return e;
    }
    const deliver = (body: string, signature: string) => t.app.request('/api/stripe/webhook', { method: 'POST', body, headers: { 'content-type': 'application/json', 'stripe-signature': signature } });
    const send = async (e: Stripe.Event) => {
      const { body, header } = signedStripeEvent(e, WEBHOOK_SECRET, clock.now);
      return deliver(body, header);
    };
    const sub = () => t.store.db.selectFrom('subscriptions').selectAll().where('id', '=', subId).executeTakeFirstOrThrow();

    before(async () => {
      fake = await startFakeStripe({ secretKey: SECRET_KEY });
      const gateway = createStripeGateway({ secretKey: SECRET_KEY, webhookSecret: WEBHOOK_SECRET, ...fake.connection }, { now: () => clock.now });
      // The app takes its billing context at creation; it is filled in once the test store exists.
      const billing = {} as BillingContext;
      t = await createTestApp(engine, { now: () => clock.now, billing });
      Object.assign(billing, createBillingContext({
        config: t.config, store: t.store, mailer: outboxMailer(t.store.db, { keepSecrets: true }), clock: () => clock.now,
        siteName: 'Testzeitung', baseUrl: t.config.publicUrl, stripe: gateway,
      }));
      await ensureOffers(t.store.db, DEMO_OFFERS, clock.now);
    });
    after(async () => { await t?.close(); await fake?.close(); });

    test('with Stripe configured the reader may choose it, and the order leads to the Stripe page (303), once per order key', async () => {
      const { browser, userId } = await loggedInAs(t, 'reader', `stripe-${engine}@example.de`);
      const page = await browser.get('/abo/bestellen/plus-digital');
      assert.match(page.text, /Karte, PayPal oder SEPA über Stripe/);
      const fields = { priceKey: hidden(page.text, 'priceKey'), orderKey: hidden(page.text, 'orderKey'), method: 'stripe', consent: 'on' };
      const first = await browser.post('/abo/bestellen/plus-digital', fields);
      assert.equal(first.status, 303, first.text.slice(0, 400));
      assert.match(first.location!, /^https?:\/\//);
      const again = await browser.post('/abo/bestellen/plus-digital', fields);
      assert.equal(again.location, first.location);
      assert.equal(fake.created.checkoutSessions.length, 1);
      const row = await t.store.db.selectFrom('subscriptions').selectAll().where('user_id', '=', userId).executeTakeFirstOrThrow();
      assert.equal(row.provider, 'stripe');
      assert.equal(row.state, 'pending');
      subId = row.id;
    });

    test('a signed checkout.session.completed starts the subscription; the same event again is a duplicate', async () => {
      const e = event('checkout.session.completed', 1795425248);
      const r = await send(e);
      assert.equal(r.status, 200);
      assert.deepEqual(await r.json(), { received: true, outcome: 'applied' });
      assert.equal((await sub()).state, 'intro');
      const dup = await send(e);
      assert.deepEqual(await dup.json(), { received: true, outcome: 'duplicate' });
    });

    test('a forged or missing signature is refused (400) and changes nothing', async () => {
      const before = await t.store.db.selectFrom('payment_events').select('id').execute();
      const e = event('customer.subscription.deleted', 1795425290);
      const forged = signedStripeEvent(e, 'whsec_someoneelse', clock.now);
      const r = await deliver(forged.body, forged.header);
      assert.equal(r.status, 400);
      assert.match(await r.text(), /Signatur/);
      assert.equal((await deliver(forged.body, '')).status, 400);
      const tampered = signedStripeEvent(e, WEBHOOK_SECRET, clock.now);
      assert.equal((await deliver(tampered.body.replace('"canceled"', '"active"'), tampered.header)).status, 400);
      assert.equal((await t.store.db.selectFrom('payment_events').select('id').execute()).length, before.length);
      assert.equal((await sub()).state, 'intro');
    });

    test('an older subscription.updated arriving after a newer one is stale: the state follows the newer version', async () => {
      const newer = event('customer.subscription.updated.portal-cancel', 1795425280, (o) => { o.cancel_at_period_end = false; o.cancel_at = null; o.status = 'past_due'; });
      const older = event('customer.subscription.updated.active', 1795425260);
      assert.deepEqual(await (await send(newer)).json(), { received: true, outcome: 'applied' });
      assert.equal((await sub()).state, 'past_due');
      assert.deepEqual(await (await send(older)).json(), { received: true, outcome: 'stale' });
      assert.equal((await sub()).state, 'past_due');
    });

    test('the webhook needs no CSRF token but refuses bodies over 256 KB', async () => {
      const big = 'x'.repeat(257 * 1024);
      const r = await deliver(big, 't=1,v1=00');
      assert.equal(r.status, 413);
    });
  });
}
