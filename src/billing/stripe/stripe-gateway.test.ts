// The Stripe gateway against an in-process fake of the API, and webhook verification with real signatures.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { DomainError } from '../../domain-error.ts';
import { startFakeStripe, signedStripeEvent, type FakeStripe } from '../../testing/fake-stripe-api.ts';
import { createStripeGateway, WEBHOOK_TOLERANCE_SECONDS, type StripeCheckoutInput, type StripeGateway } from './stripe-gateway.ts';
import { paymentFactFromStripeEvent } from './payment-facts.ts';
import { stripeEventFixture } from './stripe-event-fixtures.ts';

const SECRET_KEY = 'sk_test_51KlartextGeheimerSchluessel0123456789';
const WEBHOOK_SECRET = 'whsec_KlartextWebhookGeheimnis0123456789';
const NOW = new Date('2026-11-23T09:14:10Z');

let fake: FakeStripe;
let gateway: StripeGateway;
before(async () => {
  fake = await startFakeStripe({ secretKey: SECRET_KEY });
  gateway = createStripeGateway({ secretKey: SECRET_KEY, webhookSecret: WEBHOOK_SECRET, ...fake.connection }, { now: () => NOW });
});
after(() => fake.close());

let counter = 0;
function checkoutInput(overrides: Partial<StripeCheckoutInput> = {}, offer: Partial<StripeCheckoutInput['offer']> = {}): StripeCheckoutInput {
  counter += 1;
  return {
    subscriptionId: `abo${counter}Kx8sV2pQm4Tz`,
    subscriptionNumber: `KB-2026-00${counter}`,
    customerEmail: 'leserin@example.de',
    offer: { id: 'Wq2eR5tY8uI1oP3a', name: 'Kreisbote Plus', priceCents: 990, period: 'month', introPriceCents: 100, introMonths: 1, ...offer },
    methods: ['card', 'paypal', 'sepa_debit'],
    successUrl: 'https://zeitung.example/abo/danke',
    cancelUrl: 'https://zeitung.example/abo/abbruch',
    ...overrides,
  };
}

const requestsTo = (path: string) => fake.requests.filter((r) => r.path === path);
const lastRequestTo = (path: string) => requestsTo(path).at(-1)!;

/** Asserts a DomainError with this code and that no secret shows in it or its cause. */
async function assertDomainError(run: () => unknown, code: string): Promise<DomainError> {
  let caught: unknown;
  try {
    await run();
  } catch (e) {
    caught = e;
  }
  assert.ok(caught instanceof DomainError, `expected a DomainError, got ${String(caught)}`);
  assert.equal(caught.code, code);
  const visible = `${caught.message} ${JSON.stringify(caught.cause ?? null)} ${caught.stack ?? ''}`;
  for (const secret of [SECRET_KEY, WEBHOOK_SECRET, 'sk_test_', 'whsec_']) assert.ok(!visible.includes(secret), `"${secret}" leaked into the error`);
  return caught;
}

test('checkout opens a subscription session with our reference, EUR gross price, the methods and the intro coupon', async () => {
  const input = checkoutInput();
  const result = await gateway.createCheckout(input);

  const coupon = lastRequestTo('/v1/coupons');
  assert.deepEqual(
    { amount_off: coupon.params.amount_off, currency: coupon.params.currency, duration: coupon.params.duration, max_redemptions: coupon.params.max_redemptions },
    { amount_off: '890', currency: 'eur', duration: 'once', max_redemptions: '1' },
  );
  const couponId = fake.created.coupons.at(-1)!.id;

  const session = lastRequestTo('/v1/checkout/sessions');
  assert.equal(session.headers.authorization, `Bearer ${SECRET_KEY}`);
  assert.equal(session.idempotencyKey, input.subscriptionId);
  assert.equal(session.params.mode, 'subscription');
  assert.equal(session.params.client_reference_id, input.subscriptionId);
  assert.equal(session.params.customer_email, 'leserin@example.de');
  assert.deepEqual(session.params.subscription_data, {
    metadata: { klartext_subscription_id: input.subscriptionId, klartext_subscription_number: input.subscriptionNumber, klartext_offer_id: 'Wq2eR5tY8uI1oP3a' },
    description: `Abo ${input.subscriptionNumber}: Kreisbote Plus`,
  });
  assert.deepEqual(session.params.line_items, [{
    quantity: '1',
    price_data: {
      currency: 'eur', unit_amount: '990', tax_behavior: 'inclusive', recurring: { interval: 'month' },
      product_data: { name: 'Kreisbote Plus', metadata: { klartext_offer_id: 'Wq2eR5tY8uI1oP3a' } },
    },
  }]);
  assert.deepEqual(session.params.allowed_payment_method_types, ['card', 'paypal', 'sepa_debit']);
  assert.deepEqual(session.params.discounts, [{ coupon: couponId }]);
  assert.equal(session.params.success_url, 'https://zeitung.example/abo/danke');
  assert.equal(session.params.cancel_url, 'https://zeitung.example/abo/abbruch');

  const made = fake.created.checkoutSessions.at(-1)!;
  assert.equal(result.sessionId, made.id);
  assert.equal(result.url, made.url);
  assert.match(result.url, /^https:\/\/checkout\.stripe\.com\//);
  assert.equal(made.amount_total, 100, 'the first month costs the intro price');
});

test('an offer without intro price, or with one not below the regular price, gets no coupon', async () => {
  for (const introPriceCents of [null, 990, 1200]) {
    const coupons = fake.created.coupons.length;
    await gateway.createCheckout(checkoutInput({}, { introPriceCents }));
    assert.equal(fake.created.coupons.length, coupons, `intro ${introPriceCents}`);
    assert.equal(lastRequestTo('/v1/checkout/sessions').params.discounts, undefined);
  }
});

test('a longer intro of a monthly offer repeats the coupon for its months; a yearly intro covers the first year once', async () => {
  await gateway.createCheckout(checkoutInput({}, { introPriceCents: 0, introMonths: 3 }));
  const monthly = lastRequestTo('/v1/coupons').params;
  assert.deepEqual([monthly.amount_off, monthly.duration, monthly.duration_in_months], ['990', 'repeating', '3']);

  await gateway.createCheckout(checkoutInput({}, { period: 'year', priceCents: 9900, introPriceCents: 4900, introMonths: 12 }));
  const yearly = lastRequestTo('/v1/coupons').params;
  assert.deepEqual([yearly.amount_off, yearly.duration, yearly.duration_in_months], ['5000', 'once', undefined]);
  const yearlyItems = lastRequestTo('/v1/checkout/sessions').params.line_items as { price_data: { recurring: unknown } }[];
  assert.deepEqual(yearlyItems[0]!.price_data.recurring, { interval: 'year' });
});

test('an intro a yearly price cannot express, or a checkout without methods, is refused before Stripe is called', async () => {
  const sentBefore = fake.requests.length;
  await assertDomainError(() => gateway.createCheckout(checkoutInput({}, { period: 'year', priceCents: 9900, introPriceCents: 100, introMonths: 3 })), 'invalid-input');
  await assertDomainError(() => gateway.createCheckout(checkoutInput({ methods: [] })), 'invalid-input');
  await assertDomainError(() => gateway.createCheckout(checkoutInput({}, { priceCents: 9.9 })), 'invalid-input');
  assert.equal(fake.requests.length, sentBefore);
});

test('a double submit for the same subscription creates one coupon and one session', async () => {
  const input = checkoutInput();
  const sessions = fake.created.checkoutSessions.length;
  const coupons = fake.created.coupons.length;
  const first = await gateway.createCheckout(input);
  const second = await gateway.createCheckout(input);
  assert.deepEqual(second, first);
  assert.equal(fake.created.checkoutSessions.length, sessions + 1);
  assert.equal(fake.created.coupons.length, coupons + 1);
  const sent = requestsTo('/v1/checkout/sessions').slice(-2);
  assert.deepEqual(sent.map((r) => r.idempotencyKey), [input.subscriptionId, input.subscriptionId]);
});

test('the same subscription sent again with other details is a conflict, not a second session', async () => {
  const input = checkoutInput();
  await gateway.createCheckout(input);
  await assertDomainError(() => gateway.createCheckout({ ...input, customerEmail: 'jemand-anders@example.de' }), 'conflict');
});

test('the portal link is made for the Stripe customer and comes back to our page', async () => {
  const url = await gateway.createPortalLink('cus_TQk3fL8mZp2Vx1', 'https://zeitung.example/konto/abo');
  const sent = lastRequestTo('/v1/billing_portal/sessions');
  assert.deepEqual(sent.params, { customer: 'cus_TQk3fL8mZp2Vx1', return_url: 'https://zeitung.example/konto/abo', locale: 'de' });
  assert.equal(url, fake.created.portalSessions.at(-1)!.url);
  assert.match(url, /^https:\/\/billing\.stripe\.com\//);
  await assertDomainError(() => gateway.createPortalLink('', 'https://zeitung.example/konto/abo'), 'invalid-input');
});

test('a refused API key is "unavailable" for the reader and shows no key, not even masked', async () => {
  const wrong = createStripeGateway({ secretKey: 'sk_test_51FalscherSchluessel9876543210', webhookSecret: WEBHOOK_SECRET, ...fake.connection });
  const error = await assertDomainError(() => wrong.createCheckout(checkoutInput()), 'unavailable');
  const cause = error.cause as { statusCode: number; message: string };
  assert.deepEqual([cause.statusCode, cause.message], [401, 'Invalid API Key provided: [entfernt]']);
});

test('settings without a key or webhook secret are refused at start', () => {
  assert.throws(() => createStripeGateway({ secretKey: '', webhookSecret: WEBHOOK_SECRET }), /API-Schlüssel fehlt/);
  assert.throws(() => createStripeGateway({ secretKey: SECRET_KEY, webhookSecret: ' ' }), /Webhook-Geheimnis fehlt/);
});

test('a correctly signed event is accepted and becomes its payment fact', () => {
  const { body, header } = signedStripeEvent(stripeEventFixture('invoice.paid'), WEBHOOK_SECRET, NOW);
  const event = gateway.verifyEvent(body, header);
  assert.equal(event.id, 'evt_1SxQ7sE4fGk2Lm9QpTt2Pz9d');
  assert.equal(paymentFactFromStripeEvent(event)?.type, 'payment-succeeded');
});

test('a forged signature, a wrong secret, a missing header and a tampered body are all forbidden', async () => {
  const { body, header } = signedStripeEvent(stripeEventFixture('invoice.paid'), WEBHOOK_SECRET, NOW);
  const timestamp = /t=(\d+)/.exec(header)![1];
  const forged = `t=${timestamp},v1=${'0'.repeat(64)}`;
  const otherSecret = signedStripeEvent(stripeEventFixture('invoice.paid'), 'whsec_NichtUnserGeheimnis', NOW).header;
  const tampered = body.replace('"amount_paid": 100', '"amount_paid": 1');
  assert.notEqual(tampered, body);

  for (const [what, rawBody, signature] of [
    ['forged signature', body, forged],
    ['wrong secret', body, otherSecret],
    ['missing header', body, undefined],
    ['empty header', body, ''],
    ['header without signature', body, `t=${timestamp}`],
    ['tampered body', tampered, header],
  ] as const) {
    const error = await assertDomainError(() => gateway.verifyEvent(rawBody, signature), 'forbidden');
    assert.equal(error.message, 'Signatur der Stripe-Nachricht ungültig.', what);
  }
});

test('a replayed delivery signed longer ago than the tolerance is forbidden; one just inside it passes', async () => {
  const event = stripeEventFixture('invoice.paid');
  const old = signedStripeEvent(event, WEBHOOK_SECRET, new Date(NOW.getTime() - (WEBHOOK_TOLERANCE_SECONDS + 1) * 1000));
  await assertDomainError(() => gateway.verifyEvent(old.body, old.header), 'forbidden');
  const recent = signedStripeEvent(event, WEBHOOK_SECRET, new Date(NOW.getTime() - (WEBHOOK_TOLERANCE_SECONDS - 1) * 1000));
  assert.equal(gateway.verifyEvent(recent.body, recent.header).id, event.id);
});

test('a correctly signed body that is no JSON event is invalid input, not a crash', async () => {
  const { body, header } = signedStripeEvent('kein JSON', WEBHOOK_SECRET, NOW);
  await assertDomainError(() => gateway.verifyEvent(body, header), 'invalid-input');
});
