// Content changes: one row per change with the surrogate keys of the pages it touched, so every process (and a CDN) drops exactly those.
import { type Kysely } from 'kysely';
import type { DialectCapabilities } from '../dialect.ts';

/**
 * `seq` must never be reused: a process reads the rows after the last seq it saw, and old rows are deleted, so SQLite
 * needs AUTOINCREMENT (a plain rowid would hand out a deleted maximum again). `at` is indexed for that deletion.
 */
export async function up(db: Kysely<unknown>, caps: DialectCapabilities): Promise<void> {
  await db.schema.createTable('content_changes')
    .addColumn('seq', 'integer', (c) => (caps.serialKey === 'autoincrement' ? c.primaryKey().autoIncrement() : c.primaryKey().generatedAlwaysAsIdentity()))
    .addColumn('keys', 'text', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('purge_claimed', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.createIndex('content_changes_at').on('content_changes').column('at').execute();
}
