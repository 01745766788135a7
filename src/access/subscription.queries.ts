// Subscriptions as the paywall reads them: entitled while access_until (written by billing's state machine) lies ahead.
import type { Kysely, Transaction } from 'kysely';
import { nowIso, type Database } from '../db/index.ts';

type Db = Kysely<Database> | Transaction<Database>;


/**
 * Entitled means: started and access_until ahead. Billing's lifecycle writes access_until on every transition
 * (period end, cancellation date, grace while a payment is outstanding, end), so this one column is the answer.
 */
export async function hasActiveSubscription(db: Db, userId: string, now: Date): Promise<boolean> {
  const at = nowIso(now);
  const row = await db.selectFrom('subscriptions').select('id')
    .where('user_id', '=', userId).where('access_until', '>', at).where('starts_at', '<=', at)
    .limit(1).executeTakeFirst();
  return row !== undefined;
}

/** How the paywall asks "is this reader a subscriber now?"; the cached variant below has the same shape. */
export type SubscriptionCheck = (db: Db, userId: string, now: Date) => Promise<boolean>;

/**
 * hasActiveSubscription with a short memory of positive answers, for the unlock hot path: a subscriber's
 * answer is kept for `ttlMs` (never past the subscription's end), so a revocation takes effect within `ttlMs`
 * in every process while a grant takes effect at once (negative answers are never kept).
 */
export function cachedSubscriptionCheck(o: { ttlMs: number; maxEntries?: number }): SubscriptionCheck {
  const maxEntries = o.maxEntries ?? 50_000;
  const known = new Map<string, number>();
  return async (db, userId, now) => {
    const t = now.getTime();
    const until = known.get(userId);
    if (until !== undefined && until > t) return true;
    known.delete(userId);
    const at = nowIso(now);
    const row = await db.selectFrom('subscriptions').select('access_until')
      .where('user_id', '=', userId).where('access_until', '>', at).where('starts_at', '<=', at)
      .orderBy('access_until', 'desc').limit(1).executeTakeFirst();
    if (!row) return false;
    if (known.size >= maxEntries) known.delete(known.keys().next().value!);
    known.set(userId, Math.min(t + o.ttlMs, Date.parse(row.access_until!)));
    return true;
  };
}
