// What the billing services need from the outside, gathered once: database, clock, keys, the publisher's data, mail, providers.
import type { Kysely } from 'kysely';
import type { Database, DialectCapabilities } from '../db/index.ts';
import type { OutgoingMail } from '../mail/index.ts';
import type { StripeGateway } from './stripe/stripe-gateway.ts';

export interface Creditor { name: string; iban: string; bic: string | null; creditorId: string }
export interface Seller { name: string; address: string; email: string; vatId: string; taxNumber?: string; register?: string }

export interface BillingContext {
  db: Kysely<Database>;
  caps: DialectCapabilities;
  clock: () => Date;
  /** how long a reader keeps reading while a payment is outstanding */
  graceMs: number;
  /** wraps the data keys of IBANs and account holders (derived from the master key) */
  paymentKey: Buffer;
  /** the same derived from KLARTEXT_MASTER_KEY_PREVIOUS: opened, never used to seal (key rotation, decision 025) */
  previousPaymentKeys?: readonly Buffer[];
  creditor: Creditor;
  seller: Seller;
  siteName: string;
  baseUrl: string;
  /** where pain.008 files are written */
  sepaDir: string;
  sendMail: (mail: OutgoingMail) => Promise<void>;
  stripe: StripeGateway | null;
}

/** The keys that may open payment data, the current one first. */
export const paymentKeysOf = (ctx: Pick<BillingContext, 'paymentKey' | 'previousPaymentKeys'>): Buffer[] => [ctx.paymentKey, ...(ctx.previousPaymentKeys ?? [])];
