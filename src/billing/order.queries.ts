// What the thank-you page shows about a fresh order: the subscription, its first debit and the masked account.
import type { Db, Subscription } from './subscription.store.ts';

export interface OrderOverview {
  subscription: Subscription;
  /** the first SEPA debit (amount and due date, YYYY-MM-DD); null for Stripe */
  firstDebit: { amountCents: number; dueOn: string } | null;
  ibanMasked: string | null;
}

export async function orderOverview(db: Db, number: string): Promise<OrderOverview | null> {
  const subscription = await db.selectFrom('subscriptions').selectAll().where('number', '=', number).executeTakeFirst();
  if (!subscription) return null;
  const charge = await db.selectFrom('charges').select(['amount_cents', 'due_on']).where('subscription_id', '=', subscription.id)
    .where('provider', '=', 'sepa').orderBy('due_on').orderBy('created_at').limit(1).executeTakeFirst();
  const mandate = await db.selectFrom('sepa_mandates').select('iban_masked').where('subscription_id', '=', subscription.id)
    .where('revoked_at', 'is', null).executeTakeFirst();
  return { subscription, firstDebit: charge ? { amountCents: charge.amount_cents, dueOn: charge.due_on } : null, ibanMasked: mandate?.iban_masked ?? null };
}
