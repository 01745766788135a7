// For route tests of the billing pages: a test app whose billing context the test holds too (same store, clock and outbox), and SEPA orders.
import { randomBytes } from 'node:crypto';
import { createBillingContext, DEMO_OFFERS, ensureOffers, findOffer, placeOrder, quoteOffer, type BillingContext, type OrderResult } from '../billing/index.ts';
import { outboxMailer } from '../mail/index.ts';
import { createTestApp, type TestApp } from './test-app.ts';

export const TEST_IBAN = 'DE89370400440532013000';

export interface BillingTestApp extends TestApp {
  billing: BillingContext;
  clock: { now: Date };
  /** a SEPA order of the monthly demo offer for the given reader */
  order(reader: { id: string; email: string }, offer?: string): Promise<OrderResult>;
}

export async function createBillingTestApp(engine: string, start = '2027-01-31T10:00:00.000Z'): Promise<BillingTestApp> {
  const clock = { now: new Date(start) };
  const made: { ctx?: BillingContext } = {};
  // The app's billing context needs the store, which exists only inside createTestApp: the app gets a stand-in filled right after.
  const lazy = new Proxy({} as BillingContext, { get: (_, k) => made.ctx![k as keyof BillingContext] });
  const t = await createTestApp(engine, { now: () => clock.now, billing: lazy });
  const billing = made.ctx = createBillingContext({ config: t.config, store: t.store, mailer: outboxMailer(t.store.db), clock: () => clock.now, siteName: 'Brackenauer Kreisbote', baseUrl: t.config.publicUrl, stripe: null });
  await ensureOffers(t.store.db, DEMO_OFFERS, clock.now);
  await t.klartext.contentChanges.poll(); // the feed has read the new offers: none of them drops a page a test caches from here on
  return {
    ...t, billing, clock,
    async order(reader, slug = 'plus-digital') {
      const offer = (await findOffer(t.store.db, slug))!;
      return placeOrder(billing, {
        userId: reader.id, userEmail: reader.email, offer: offer.slug, method: 'sepa', priceKey: quoteOffer(offer, { now: clock.now }).priceKey,
        orderKey: randomBytes(12).toString('base64url'), consentImmediateStart: true, holderName: 'Ina Beispiel', iban: TEST_IBAN, mandateAccepted: true,
      });
    },
  };
}
