// The meter's bookkeeping: which Plus articles a reader — the account and its address — unlocked this Berlin month, recorded once per article.
import type { Kysely, Transaction } from 'kysely';
import { nowIso, type Database } from '../db/index.ts';
import { berlinMonth } from './berlin-calendar.ts';
import type { ReaderMeter } from './access-policy.ts';

type Db = Kysely<Database> | Transaction<Database>;

/**
 * The reader's meter for this article in this month, in one query: the articles counted for the account
 * (meter_unlocks, the reader's own data, gone with the account) together with those counted for the address
 * (meter_address_unlocks, which outlive the account until the month ends). `addressHash` is null for an
 * unconfirmed address: its count belongs to whoever owns the mailbox, not to this account.
 */
export async function readMeter(db: Db, input: { userId: string; addressHash: string | null; articleId: string; limit: number; now: Date }): Promise<ReaderMeter> {
  const month = berlinMonth(input.now);
  const byAccount = db.selectFrom('meter_unlocks').select('article_id').where('user_id', '=', input.userId).where('month', '=', month);
  const rows = input.addressHash === null ? await byAccount.execute()
    : await byAccount.union(db.selectFrom('meter_address_unlocks').select('article_id').where('address_hash', '=', input.addressHash).where('month', '=', month)).execute();
  const articles = new Set(rows.map((r) => r.article_id));
  // `used` counts this article too when it was already unlocked, as checkAccess expects.
  return { limit: input.limit, used: articles.size, alreadyCounted: articles.has(input.articleId) };
}

/** Stores one unlock for the account and for the address; a second insert of the same article and month does nothing. */
export async function insertMeterUnlock(db: Db, input: { userId: string; addressHash: string; articleId: string; now: Date }): Promise<void> {
  const month = berlinMonth(input.now);
  const at = nowIso(input.now);
  await db.insertInto('meter_unlocks')
    .values({ user_id: input.userId, article_id: input.articleId, month, created_at: at })
    .onConflict((oc) => oc.columns(['user_id', 'month', 'article_id']).doNothing())
    .execute();
  await db.insertInto('meter_address_unlocks')
    .values({ address_hash: input.addressHash, article_id: input.articleId, month, created_at: at })
    .onConflict((oc) => oc.columns(['address_hash', 'month', 'article_id']).doNothing())
    .execute();
}

/** Address hashes are kept for their meter month only: rows of earlier months are deleted. */
export async function pruneMeterAddresses(db: Db, now: Date): Promise<void> {
  await db.deleteFrom('meter_address_unlocks').where('month', '<', berlinMonth(now)).execute();
}

/**
 * Serialises a reader's access-changing writes (meter unlocks, gift links) inside a transaction: a no-op update
 * of the user's row holds its row lock on PostgreSQL and the write lock on SQLite until commit, so two
 * concurrent requests cannot both see "one left" and both take it. It must be the transaction's first
 * statement: on SQLite a transaction that has already read cannot wait for the write lock (SQLITE_BUSY at once,
 * or a stale snapshot), while a first statement that writes waits under busy_timeout like BEGIN IMMEDIATE.
 */
export async function lockReader(trx: Transaction<Database>, userId: string): Promise<void> {
  await trx.updateTable('users').set((eb) => ({ updated_at: eb.ref('updated_at') })).where('id', '=', userId).execute();
}
