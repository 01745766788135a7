// Publisher insights (issue 12): first-party events and their daily rollups, offer experiments, institutional access, the publisher role and attribution on orders.
import { sql, type Kysely } from 'kysely';
import type { DialectCapabilities } from '../dialect.ts';

const ROLE_CHECK_OLD = "role in ('reader', 'author', 'editor', 'admin')";
const ROLE_CHECK_NEW = "role in ('reader', 'author', 'editor', 'admin', 'publisher')";

/**
 * - `analytics_events`: raw events, no person in them (no user id, no address, no session): what happened, when, to which
 *   article/offer/variant/institution, with one short `detail` (meter state, unlock reason, cancellation kind). Deleted after
 *   the retention (default 90 days) once their day is rolled up. Indexed by (day, kind) for the rollup and by `at` for deletion.
 * - `analytics_daily`: one row per Berlin day and combination of dimensions with the count; kept forever. Empty string, not
 *   null, for "none", so the combination can be the primary key on both engines. `section_id` is the article's section when
 *   the day was rolled up.
 * - `subscriptions.attributed_article_id` / `experiment_variant_id`: the last Plus article whose paywall the reader saw
 *   within 7 days before ordering, and the offer-box variant shown — an article id on the order, not a profile.
 * - experiments, variants; institutions with networks (CIDR), email domains and claimed seats.
 * - the `publisher` role: SQLite cannot change a CHECK constraint in place, so `users` is rebuilt by the documented
 *   procedure (foreign keys off, new table from the old definition, copy, drop, rename, foreign_key_check).
 */
export async function up(db: Kysely<unknown>, caps: DialectCapabilities): Promise<void> {
  await db.schema.createTable('analytics_events')
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('day', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('article_id', 'text')
    .addColumn('offer_id', 'text')
    .addColumn('variant_id', 'text')
    .addColumn('institution_id', 'text')
    .addColumn('detail', 'text')
    .execute();
  await db.schema.createIndex('analytics_events_day_kind').on('analytics_events').columns(['day', 'kind']).execute();
  await db.schema.createIndex('analytics_events_at').on('analytics_events').columns(['at']).execute();

  await db.schema.createTable('analytics_daily')
    .addColumn('day', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('article_id', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('offer_id', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('variant_id', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('institution_id', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('detail', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('section_id', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('count', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('analytics_daily_pk', ['day', 'kind', 'article_id', 'offer_id', 'variant_id', 'institution_id', 'detail'])
    .execute();
  await db.schema.createIndex('analytics_daily_kind_day').on('analytics_daily').columns(['kind', 'day']).execute();
  await db.schema.createIndex('analytics_daily_article_day').on('analytics_daily').columns(['article_id', 'day']).execute();
  /** which days are rolled up, and when: the rollup job continues from here; raw events of a day are deleted only after */
  await db.schema.createTable('analytics_rollup_days')
    .addColumn('day', 'text', (c) => c.primaryKey())
    .addColumn('rolled_up_at', 'text', (c) => c.notNull())
    .addColumn('final', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();

  await db.schema.alterTable('subscriptions').addColumn('attributed_article_id', 'text').execute();
  await db.schema.alterTable('subscriptions').addColumn('experiment_variant_id', 'text').execute();
  await db.schema.createIndex('subscriptions_attributed_article').on('subscriptions').columns(['attributed_article_id']).execute();

  await db.schema.createTable('experiments')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull().check(sql`state in ('draft', 'running', 'ended')`))
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('started_at', 'text')
    .addColumn('ended_at', 'text')
    .execute();
  await db.schema.createTable('experiment_variants')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('experiment_id', 'text', (c) => c.notNull().references('experiments.id').onDelete('cascade'))
    /** 'A', 'B', … — A is the control: what readers without script see */
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('headline', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull().defaultTo(''))
    /** the offer the box features; null: the featured offer */
    .addColumn('offer_id', 'text', (c) => c.references('offers.id'))
    /** share of traffic in percent; the shares of an experiment add up to 100 */
    .addColumn('share', 'integer', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('experiment_variants_experiment').on('experiment_variants').columns(['experiment_id', 'key']).unique().execute();

  await db.schema.createTable('institutions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('school', 'library', 'company', 'other')`))
    /** readers by email domain who may hold a seat at once; null: no limit */
    .addColumn('seats', 'integer')
    /** Berlin day (YYYY-MM-DD), the last day of access */
    .addColumn('ends_on', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('revoked_at', 'text')
    .execute();
  await db.schema.createTable('institution_networks')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('institution_id', 'text', (c) => c.notNull().references('institutions.id').onDelete('cascade'))
    /** normalised CIDR, e.g. 192.0.2.0/24 or 2001:db8::/48 */
    .addColumn('cidr', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('institution_networks_institution').on('institution_networks').columns(['institution_id']).execute();
  await db.schema.createTable('institution_domains')
    /** lower-case domain; one institution per domain */
    .addColumn('domain', 'text', (c) => c.primaryKey())
    .addColumn('institution_id', 'text', (c) => c.notNull().references('institutions.id').onDelete('cascade'))
    .execute();
  await db.schema.createTable('institution_members')
    .addColumn('institution_id', 'text', (c) => c.notNull().references('institutions.id').onDelete('cascade'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('claimed_at', 'text', (c) => c.notNull())
    .addColumn('last_used_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('institution_members_pk', ['institution_id', 'user_id'])
    .execute();
  await db.schema.createIndex('institution_members_user').on('institution_members').columns(['user_id']).execute();

  await allowPublisherRole(db, caps);
}

async function allowPublisherRole(db: Kysely<unknown>, caps: DialectCapabilities): Promise<void> {
  if (caps.name === 'postgres') {
    const found = await sql<{ conname: string }>`
      select con.conname from pg_constraint con join pg_class rel on rel.oid = con.conrelid
      where rel.relname = 'users' and con.contype = 'c' and rel.relnamespace = (select oid from pg_namespace where nspname = current_schema())
        and pg_get_constraintdef(con.oid) like '%role%'`.execute(db);
    for (const { conname } of found.rows) await sql`alter table users drop constraint ${sql.id(conname)}`.execute(db);
    await sql`alter table users add constraint users_role_check check (${sql.raw(ROLE_CHECK_NEW)})`.execute(db);
    return;
  }
  // SQLite: https://www.sqlite.org/lang_altertable.html#otheralter — the migrator runs SQLite migrations outside a
  // transaction, so foreign keys can be switched off for the rebuild (dropping `users` would otherwise cascade).
  const row = await sql<{ sql: string }>`select sql from sqlite_master where type = 'table' and name = 'users'`.execute(db);
  const definition = row.rows[0]?.sql ?? '';
  if (!definition.includes(ROLE_CHECK_OLD)) throw new Error('users table: the role check is not the one this migration expects');
  const rebuilt = definition.replace(ROLE_CHECK_OLD, ROLE_CHECK_NEW).replace(/^CREATE TABLE "?users"?/i, 'CREATE TABLE "users_new"');
  await sql`pragma foreign_keys = off`.execute(db);
  try {
    await db.transaction().execute(async (trx) => {
      await sql.raw(rebuilt).execute(trx);
      await sql`insert into users_new select * from users`.execute(trx);
      await sql`drop table users`.execute(trx);
      await sql`alter table users_new rename to users`.execute(trx);
      const broken = await sql`pragma foreign_key_check`.execute(trx);
      if (broken.rows.length > 0) throw new Error(`users rebuild: ${broken.rows.length} foreign key problems`);
    });
  } finally {
    await sql`pragma foreign_keys = on`.execute(db);
  }
}
