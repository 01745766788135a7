// Stripe's events applied to our contracts: once per event id, and by the object's latest version, so duplicates and late arrivals change nothing.
import { newId, nowIso } from '../db/index.ts';
import type { BillingContext } from './billing-context.ts';
import { issueInvoices } from './invoice.service.ts';
import type { PaymentFact } from './stripe/payment-facts.ts';
import { ALLOWED_FROM, type LifecycleEvent } from './subscription-lifecycle.ts';
import { applyLifecycle, type Db, type Subscription } from './subscription.store.ts';

export type StripeOutcome = 'applied' | 'duplicate' | 'stale' | 'unknown-subscription' | 'ignored';

async function subscriptionFor(db: Db, f: { subscriptionId: string | null; externalSubscriptionId: string | null }): Promise<Subscription | null> {
  if (f.externalSubscriptionId) {
    const byRef = await db.selectFrom('subscriptions').selectAll().where('external_ref', '=', f.externalSubscriptionId).executeTakeFirst();
    if (byRef) return byRef;
  }
  if (f.subscriptionId) return (await db.selectFrom('subscriptions').selectAll().where('id', '=', f.subscriptionId).where('provider', '=', 'stripe').executeTakeFirst()) ?? null;
  return null;
}

/** Applies the event if the lifecycle allows it from the current state; a step that does not fit (already there) is skipped. */
async function step(ctx: BillingContext, db: Db, sub: Subscription, e: LifecycleEvent, cause: string, actor: `stripe:${string}`): Promise<Subscription> {
  if (!ALLOWED_FROM[e.type].includes(sub.state)) return sub;
  if (e.type === 'cancel' && sub.cancel_effective_at !== null) return sub;
  if (e.type === 'withdraw-cancellation' && (sub.cancel_effective_at === null || sub.cancel_effective_at <= e.at)) return sub;
  return applyLifecycle(db, sub, e, { cause, actor, graceMs: ctx.graceMs });
}

export async function applyStripeFact(ctx: BillingContext, fact: PaymentFact): Promise<StripeOutcome> {
  const actor = `stripe:${fact.eventId}` as const;
  return ctx.db.transaction().execute(async (trx) => {
    const at = nowIso(ctx.clock());
    const fresh = await trx.insertInto('payment_events').values({ id: fact.eventId, provider: 'stripe', type: fact.type, received_at: at, outcome: 'applied' })
      .onConflict((oc) => oc.column('id').doNothing()).executeTakeFirst();
    if (Number(fresh.numInsertedOrUpdatedRows ?? 0n) !== 1) return 'duplicate';
    let sub = await subscriptionFor(trx, fact);
    if (!sub) {
      await trx.updateTable('payment_events').set({ outcome: 'unknown-subscription' }).where('id', '=', fact.eventId).execute();
      return 'unknown-subscription';
    }
    switch (fact.type) {
      case 'checkout-completed': {
        await trx.updateTable('subscriptions').set({ external_ref: fact.externalSubscriptionId, external_customer: fact.customerId }).where('id', '=', sub.id).execute();
        sub = { ...sub, external_ref: fact.externalSubscriptionId, external_customer: fact.customerId };
        const end = new Date(Date.parse(fact.occurredAt));
        end.setUTCMonth(end.getUTCMonth() + (sub.period === 'year' ? 12 : 1));
        await step(ctx, trx, sub, { type: 'start', at: fact.occurredAt, periodEnd: end.toISOString() }, 'Stripe-Checkout abgeschlossen', actor);
        return 'applied';
      }
      case 'subscription-changed': {
        // The object's own version decides, not the order of arrival: an older snapshot never overwrites a newer one.
        if (fact.version < sub.external_version) {
          await trx.updateTable('payment_events').set({ outcome: 'stale' }).where('id', '=', fact.eventId).execute();
          return 'stale';
        }
        await trx.updateTable('subscriptions').set({ external_version: fact.version, external_ref: fact.externalSubscriptionId }).where('id', '=', sub.id).execute();
        sub = { ...sub, external_version: fact.version, external_ref: fact.externalSubscriptionId };
        const periodEnd = fact.currentPeriodEnd;
        if (fact.status === 'canceled' || fact.status === 'incomplete_expired') {
          await step(ctx, trx, sub, { type: 'terminate', at: fact.endedAt ?? fact.occurredAt, reason: 'cancelled' }, 'Abo bei Stripe beendet', actor);
          return 'applied';
        }
        if (fact.status === 'active' || fact.status === 'trialing') {
          if (sub.state === 'pending' && periodEnd) sub = await step(ctx, trx, sub, { type: 'start', at: fact.occurredAt, periodEnd }, 'Stripe: Abo aktiv', actor);
          if ((sub.state === 'past_due' || sub.state === 'dunning')) sub = await step(ctx, trx, sub, { type: 'payment-recovered', at: fact.occurredAt, ...(periodEnd ? { periodEnd } : {}) }, 'Stripe: Zahlung eingegangen', actor);
        }
        if ((fact.status === 'past_due' || fact.status === 'unpaid') && (sub.state === 'intro' || sub.state === 'active')) {
          sub = await step(ctx, trx, sub, { type: 'payment-failed', at: fact.occurredAt, reason: `Stripe: ${fact.status}` }, 'Stripe: Zahlung offen', actor);
        }
        if (fact.cancelAtPeriodEnd && periodEnd) sub = await step(ctx, trx, sub, { type: 'cancel', at: fact.occurredAt, effectiveAt: periodEnd }, 'Stripe: zum Periodenende gekündigt', actor);
        if (!fact.cancelAtPeriodEnd && sub.cancel_effective_at !== null) sub = await step(ctx, trx, sub, { type: 'withdraw-cancellation', at: fact.occurredAt }, 'Stripe: Kündigung zurückgenommen', actor);
        if (periodEnd && (sub.state === 'intro' || sub.state === 'active') && sub.current_period_end !== null && periodEnd > sub.current_period_end && (!sub.cancel_effective_at || sub.cancel_effective_at > sub.current_period_end)) {
          await step(ctx, trx, sub, { type: 'renew', at: fact.occurredAt, periodStart: sub.current_period_end, periodEnd }, 'Stripe: neuer Zeitraum', actor);
        }
        return 'applied';
      }
      case 'payment-succeeded': {
        const chargeId = newId();
        const inserted = await trx.insertInto('charges').values({
          id: chargeId, subscription_id: sub.id, kind: sub.periods_paid * (sub.period === 'year' ? 12 : 1) < sub.intro_months ? 'intro' : 'regular', amount_cents: fact.amountCents,
          period_start: fact.periodStart ?? fact.occurredAt, period_end: fact.periodEnd ?? fact.occurredAt, due_on: fact.occurredAt.slice(0, 10),
          state: 'paid', provider: 'stripe', sequence_type: null, end_to_end_id: `stripe-${fact.externalInvoiceId}`, batch_id: null, external_id: fact.externalInvoiceId,
          return_reason: null, created_at: at, updated_at: at,
        }).onConflict((oc) => oc.doNothing()).executeTakeFirst();
        if (Number(inserted.numInsertedOrUpdatedRows ?? 0n) === 1 && fact.amountCents > 0) {
          await issueInvoices(trx, [{
            charge: { id: chargeId, amount_cents: fact.amountCents, period_start: fact.periodStart ?? fact.occurredAt, period_end: fact.periodEnd ?? fact.occurredAt, kind: 'regular' },
            subscription: sub, paymentNote: 'Bezahlt über Stripe.',
          }], ctx.clock());
        }
        if (sub.state === 'pending' && fact.periodEnd) await step(ctx, trx, sub, { type: 'start', at: fact.occurredAt, periodEnd: fact.periodEnd }, 'Stripe: erste Zahlung eingegangen', actor);
        else if (sub.state === 'past_due' || sub.state === 'dunning') await step(ctx, trx, sub, { type: 'payment-recovered', at: fact.occurredAt, ...(fact.periodEnd ? { periodEnd: fact.periodEnd } : {}) }, 'Stripe: Zahlung eingegangen', actor);
        else if (fact.periodEnd && fact.periodStart && sub.current_period_end !== null && fact.periodEnd > sub.current_period_end) {
          await step(ctx, trx, sub, { type: 'renew', at: fact.occurredAt, periodStart: sub.current_period_end, periodEnd: fact.periodEnd }, 'Stripe: Zeitraum bezahlt', actor);
        }
        return 'applied';
      }
      case 'payment-failed': {
        await trx.insertInto('charges').values({
          id: newId(), subscription_id: sub.id, kind: 'regular', amount_cents: fact.amountCents, period_start: fact.occurredAt, period_end: fact.occurredAt,
          due_on: fact.occurredAt.slice(0, 10), state: 'failed', provider: 'stripe', sequence_type: null, end_to_end_id: `stripe-${fact.externalInvoiceId}`,
          batch_id: null, external_id: fact.externalInvoiceId, return_reason: fact.reason, created_at: at, updated_at: at,
        }).onConflict((oc) => oc.doNothing()).execute();
        await step(ctx, trx, sub, { type: 'payment-failed', at: fact.occurredAt, reason: fact.reason }, `Stripe: Zahlung fehlgeschlagen (${fact.reason})`, actor);
        return 'applied';
      }
    }
    return 'ignored';
  });
}
