// For tests: a billing context on a test store with a movable clock and the mails it sent collected in an array.
import os from 'node:os';
import path from 'node:path';
import fs from 'node:fs';
import { randomBytes } from 'node:crypto';
import type { Store } from '../db/index.ts';
import type { OutgoingMail } from '../mail/index.ts';
import { DEMO_OFFERS, ensureOffers, paymentDataKey, type BillingContext, type StripeGateway } from '../billing/index.ts';
import { createUser, TEST_HASHING } from '../accounts/index.ts';

export interface TestBilling { ctx: BillingContext; mails: OutgoingMail[]; clock: { now: Date; set(iso: string): void; advanceDays(d: number): void } }

export async function testBilling(store: Store, o: { start?: string; stripe?: StripeGateway | null } = {}): Promise<TestBilling> {
  const clock = {
    now: new Date(o.start ?? '2027-01-31T10:00:00.000Z'),
    set(iso: string) { this.now = new Date(iso); },
    advanceDays(d: number) { this.now = new Date(this.now.getTime() + d * 86_400_000); },
  };
  const mails: OutgoingMail[] = [];
  const sepaDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kt-sepa-'));
  const ctx: BillingContext = {
    db: store.db, caps: store.caps, clock: () => clock.now, graceMs: 3 * 86_400_000, paymentKey: paymentDataKey(randomBytes(32)),
    creditor: { name: 'Brackenauer Verlagshaus', creditorId: 'DE98ZZZ09999999999', iban: 'DE02120300000000202051', bic: null },
    seller: { name: 'Brackenauer Verlagshaus GmbH', address: 'Marktplatz 1\n12345 Brackenau', email: 'abo@example.de', vatId: 'DE123456789' },
    siteName: 'Brackenauer Kreisbote', baseUrl: 'http://localhost:3000', sepaDir,
    sendMail: async (m) => { mails.push(m); }, stripe: o.stripe ?? null,
  };
  await ensureOffers(store.db, DEMO_OFFERS, clock.now);
  return { ctx, mails, clock };
}

let readers = 0;
/** A reader account (no password login needed for domain tests). */
export async function testReader(store: Store, email = `leser${++readers}-${randomBytes(3).toString('hex')}@example.de`): Promise<{ id: string; email: string }> {
  const { user } = await createUser(store.db, { email, password: 'ein-langes-passwort-42', role: 'reader' }, { hashing: TEST_HASHING });
  return { id: user.id, email: user.email };
}
