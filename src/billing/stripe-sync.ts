// Tells Stripe about a cancellation, its withdrawal or an immediate end decided here, so Stripe stops (or keeps) charging.
import { nowIso } from '../db/index.ts';
import type { BillingContext } from './billing-context.ts';
import { recordEvent, type Subscription } from './subscription.store.ts';

/**
 * Runs after our own change is committed: the cancellation is valid on receipt (§ 312k), whatever Stripe says. If
 * Stripe cannot be reached, the history says so for the publisher, who then ends it in the Stripe dashboard; the
 * webhook that follows a successful call only confirms what is already recorded.
 */
export async function syncStripe(ctx: BillingContext, sub: Subscription, change: 'cancel-at-period-end' | 'resume' | 'cancel-now'): Promise<void> {
  if (sub.provider !== 'stripe' || !sub.external_ref || !ctx.stripe) return;
  try {
    if (change === 'cancel-now') await ctx.stripe.cancelNow(sub.external_ref);
    else await ctx.stripe.setCancelAtPeriodEnd(sub.external_ref, change === 'cancel-at-period-end');
  } catch {
    await recordEvent(ctx.db, sub, {
      at: nowIso(ctx.clock()), event: 'stripe-sync-failed', from: sub.state, to: sub.state,
      cause: 'Stripe war nicht erreichbar: bitte die Änderung im Stripe-Dashboard nachtragen', actor: 'system:stripe-sync',
    });
  }
}
