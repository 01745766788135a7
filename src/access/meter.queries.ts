// The meter's bookkeeping: which Plus articles a reader unlocked this Berlin month, recorded once per article.
import type { Kysely, Transaction } from 'kysely';
import { nowIso, type Database } from '../db/index.ts';
import { berlinMonth } from './berlin-calendar.ts';
import type { ReaderMeter } from './access-policy.ts';

type Db = Kysely<Database> | Transaction<Database>;

/** The reader's meter for this article in this month, in one query. */
export async function readMeter(db: Db, input: { userId: string; articleId: string; limit: number; now: Date }): Promise<ReaderMeter> {
  const rows = await db.selectFrom('meter_unlocks').select('article_id')
    .where('user_id', '=', input.userId).where('month', '=', berlinMonth(input.now)).execute();
  const alreadyCounted = rows.some((r) => r.article_id === input.articleId);
  // `used` counts this article too when it was already unlocked, as checkAccess expects.
  return { limit: input.limit, used: rows.length, alreadyCounted };
}

/** Stores one unlock; a second insert of the same (user, month, article) does nothing. */
export async function insertMeterUnlock(db: Db, input: { userId: string; articleId: string; now: Date }): Promise<void> {
  await db.insertInto('meter_unlocks')
    .values({ user_id: input.userId, article_id: input.articleId, month: berlinMonth(input.now), created_at: nowIso(input.now) })
    .onConflict((oc) => oc.columns(['user_id', 'month', 'article_id']).doNothing())
    .execute();
}

/**
 * Serialises a reader's access-changing writes (meter unlocks, gift links) inside a transaction: a no-op update
 * of the user's row holds its row lock on PostgreSQL and the write lock on SQLite until commit, so two
 * concurrent requests cannot both see "one left" and both take it.
 */
export async function lockReader(trx: Transaction<Database>, userId: string): Promise<void> {
  await trx.updateTable('users').set((eb) => ({ updated_at: eb.ref('updated_at') })).where('id', '=', userId).execute();
}
