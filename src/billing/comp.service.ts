// Comp (free) subscriptions granted by an admin or the CLI: one kind of subscription among paid and gift, with history.
import type { Kysely } from 'kysely';
import { newId, nowIso, type Database } from '../db/index.ts';
import { DomainError } from '../domain-error.ts';
import { applyLifecycle, newSubscriptionNumber, newSubscriptionRow, recordEvent, type Actor, type Db } from './subscription.store.ts';

const DAY_MS = 24 * 3600_000;
export const MAX_GRANT_DAYS = 3660;

export interface SubscriptionGrant { subscriptionId: string; number: string; endsAt: string; extended: boolean }

/**
 * Grants a comp subscription for `days` from now. A running comp subscription is extended to the later of its end
 * and now + days instead of adding a second one, so granting twice never stacks up rows.
 */
export async function grantSubscription(db: Kysely<Database>, input: { userId: string; days: number; now: Date; actor?: Actor }): Promise<SubscriptionGrant> {
  const { userId, days, now } = input;
  const actor = input.actor ?? 'cli';
  if (!Number.isInteger(days) || days < 1 || days > MAX_GRANT_DAYS) {
    throw new DomainError('invalid-input', `Die Laufzeit muss eine ganze Zahl von 1 bis ${MAX_GRANT_DAYS} Tagen sein.`, 'days');
  }
  const at = nowIso(now);
  const endsAt = nowIso(new Date(now.getTime() + days * DAY_MS));
  const run = async (trx: Db) => {
    const running = await trx.selectFrom('subscriptions').select(['id', 'number', 'access_until', 'current_period_end'])
      .where('user_id', '=', userId).where('kind', '=', 'comp').where('state', '=', 'active').where('access_until', '>', at)
      .orderBy('created_at', 'desc').limit(1).executeTakeFirst();
    if (running) {
      const later = running.access_until! >= endsAt ? running.access_until! : endsAt;
      await trx.updateTable('subscriptions').set({ access_until: later, current_period_end: later, updated_at: at }).where('id', '=', running.id).execute();
      await recordEvent(trx, running, { at, event: 'extend', from: 'active', to: 'active', cause: `Freiabo bis ${later} verlängert`, actor });
      return { subscriptionId: running.id, number: running.number, endsAt: later, extended: true };
    }
    const id = newId();
    const number = newSubscriptionNumber();
    await trx.insertInto('subscriptions').values(newSubscriptionRow({
      id, number, user_id: userId, kind: 'comp', provider: 'none', state: 'active', starts_at: at, access_until: endsAt,
      current_period_start: at, current_period_end: endsAt, periods_paid: 1, offer_name: 'Plus (Freiabo)', price_cents: 0, period: 'month', gift_code_hash: null,
      created_at: at, updated_at: at,
    })).execute();
    await recordEvent(trx, { id }, { at, event: 'grant', from: null, to: 'active', cause: `Freiabo für ${days} Tage`, actor });
    return { subscriptionId: id, number, endsAt, extended: false };
  };
  return db.transaction().execute(run);
}

/** Ends the reader's running comp subscriptions now; paid ones are ended by cancellation, not here. Returns how many ended. */
export async function revokeSubscriptions(db: Db, input: { userId: string; now: Date; actor?: Actor }): Promise<number> {
  const at = nowIso(input.now);
  const running = await db.selectFrom('subscriptions').selectAll()
    .where('user_id', '=', input.userId).where('kind', '=', 'comp').where('state', '=', 'active').where('access_until', '>', at).execute();
  for (const sub of running) await applyLifecycle(db, sub, { type: 'terminate', at, reason: 'revoked' }, { cause: 'Freiabo entzogen', actor: input.actor ?? 'cli', graceMs: 0 });
  return running.length;
}

