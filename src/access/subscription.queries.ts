// Subscriptions as the paywall reads them, and the manual grant and revoke that stand in until billing creates them.
import type { Kysely, Transaction } from 'kysely';
import { newId, nowIso, type Database } from '../db/index.ts';
import { DomainError } from '../domain-error.ts';

type Db = Kysely<Database> | Transaction<Database>;

const DAY_MS = 24 * 3600_000;
export const MAX_GRANT_DAYS = 3660;

export interface SubscriptionGrant { subscriptionId: string; endsAt: string | null; extended: boolean }

/**
 * Active means: not ended, started, and not past its end. A cancelled subscription runs to its end date,
 * so `canceled` still counts until `ends_at`.
 */
export async function hasActiveSubscription(db: Db, userId: string, now: Date): Promise<boolean> {
  const at = nowIso(now);
  const row = await db.selectFrom('subscriptions').select('id')
    .where('user_id', '=', userId).where('status', 'in', ['active', 'canceled']).where('starts_at', '<=', at)
    .where((eb) => eb.or([eb('ends_at', 'is', null), eb('ends_at', '>', at)]))
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
    const row = await db.selectFrom('subscriptions').select('ends_at')
      .where('user_id', '=', userId).where('status', 'in', ['active', 'canceled']).where('starts_at', '<=', at)
      .where((eb) => eb.or([eb('ends_at', 'is', null), eb('ends_at', '>', at)]))
      .orderBy('ends_at', 'desc').limit(1).executeTakeFirst();
    if (!row) return false;
    if (known.size >= maxEntries) known.delete(known.keys().next().value!);
    known.set(userId, Math.min(t + o.ttlMs, row.ends_at === null ? Infinity : Date.parse(row.ends_at)));
    return true;
  };
}

/**
 * Grants a manual subscription for `days` from now. A running manual subscription is extended to the later of
 * its end and now + days instead of adding a second one, so granting twice never stacks up rows.
 */
export async function grantSubscription(db: Kysely<Database>, input: { userId: string; days: number; now: Date }): Promise<SubscriptionGrant> {
  const { userId, days, now } = input;
  if (!Number.isInteger(days) || days < 1 || days > MAX_GRANT_DAYS) {
    throw new DomainError('invalid-input', `Die Laufzeit muss eine ganze Zahl von 1 bis ${MAX_GRANT_DAYS} Tagen sein.`, 'days');
  }
  const at = nowIso(now);
  const endsAt = nowIso(new Date(now.getTime() + days * DAY_MS));
  return db.transaction().execute(async (trx) => {
    const running = await trx.selectFrom('subscriptions').select(['id', 'ends_at'])
      .where('user_id', '=', userId).where('source', '=', 'manual').where('status', '=', 'active').where('starts_at', '<=', at)
      .where((eb) => eb.or([eb('ends_at', 'is', null), eb('ends_at', '>', at)]))
      .orderBy('created_at', 'desc').limit(1).executeTakeFirst();
    if (running) {
      const later = running.ends_at === null || running.ends_at >= endsAt ? running.ends_at : endsAt;
      await trx.updateTable('subscriptions').set({ ends_at: later, updated_at: at }).where('id', '=', running.id).execute();
      return { subscriptionId: running.id, endsAt: later, extended: true };
    }
    const id = newId();
    await trx.insertInto('subscriptions').values({
      id, user_id: userId, status: 'active', source: 'manual', starts_at: at, ends_at: endsAt, created_at: at, updated_at: at,
    }).execute();
    return { subscriptionId: id, endsAt, extended: false };
  });
}

/** Ends the reader's running manual subscriptions now; paid ones belong to billing and are left alone. Returns how many ended. */
export async function revokeSubscriptions(db: Db, input: { userId: string; now: Date }): Promise<number> {
  const at = nowIso(input.now);
  const result = await db.updateTable('subscriptions').set({ status: 'ended', ends_at: at, updated_at: at })
    .where('user_id', '=', input.userId).where('source', '=', 'manual').where('status', 'in', ['active', 'canceled'])
    .where((eb) => eb.or([eb('ends_at', 'is', null), eb('ends_at', '>', at)]))
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}
