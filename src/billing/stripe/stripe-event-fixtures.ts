// For tests: the recorded Stripe events in fixtures/, shaped like deliveries in the SDK's pinned API version.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type Stripe from 'stripe';

const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');

export type StripeEventFixture =
  | 'checkout.session.completed' | 'invoice.paid' | 'invoice.payment_succeeded' | 'invoice.payment_failed'
  | 'customer.subscription.created' | 'customer.subscription.updated.active' | 'customer.subscription.updated.portal-cancel'
  | 'customer.subscription.deleted';

/** A fresh copy each time, so a test may change it. */
export function stripeEventFixture(name: StripeEventFixture): Stripe.Event {
  return JSON.parse(readFileSync(path.join(dir, `${name}.json`), 'utf8')) as Stripe.Event;
}
