// The meter by address: a keyed hash of the reader's address per unlocked article and month, kept apart from the account so deleting and re-creating it does not renew the free articles.
import type { Kysely } from 'kysely';

/**
 * A table of its own rather than a column of meter_unlocks: those rows go with the account (foreign key, cascade),
 * which is right for the reader's data but would take the count along. Rows from before this migration have no
 * hash (the key is not available here); they still count through meter_unlocks.user_id until their month ends.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.createTable('meter_address_unlocks')
    .addColumn('address_hash', 'text', (c) => c.notNull())
    .addColumn('month', 'text', (c) => c.notNull())
    .addColumn('article_id', 'text', (c) => c.notNull().references('articles.id').onDelete('cascade'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('meter_address_unlocks_pk', ['address_hash', 'month', 'article_id'])
    .execute();
  await db.schema.createIndex('meter_address_unlocks_month').on('meter_address_unlocks').columns(['month']).execute();
}
