// Content keys, subscriptions, meter, gift links and the search index.
import { type Kysely, sql } from 'kysely';
import type { DialectCapabilities } from '../dialect.ts';

export async function up(db: Kysely<unknown>, caps: DialectCapabilities): Promise<void> {
  await db.schema.createTable('content_keys')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('article_id', 'text', (c) => c.notNull().references('articles.id').onDelete('cascade'))
    .addColumn('premium_hash', 'text', (c) => c.notNull())
    .addColumn('wrapped_key', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('content_keys_article_hash', ['article_id', 'premium_hash'])
    .execute();
  await db.schema.createTable('subscriptions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('active', 'canceled', 'ended')`))
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('starts_at', 'text', (c) => c.notNull())
    .addColumn('ends_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('subscriptions_user').on('subscriptions').columns(['user_id']).execute();
  await db.schema.createTable('meter_unlocks')
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('article_id', 'text', (c) => c.notNull().references('articles.id').onDelete('cascade'))
    .addColumn('month', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('meter_unlocks_pk', ['user_id', 'month', 'article_id'])
    .execute();
  await db.schema.createTable('gift_links')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('token', 'text', (c) => c.notNull().unique())
    .addColumn('article_id', 'text', (c) => c.notNull().references('articles.id').onDelete('cascade'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('revoked_at', 'text')
    .execute();
  await db.schema.createIndex('gift_links_user_created').on('gift_links').columns(['user_id', 'created_at']).execute();

  if (caps.fullText === 'fts5') {
    await sql`create virtual table search_documents using fts5(article_id unindexed, free_text, premium_text, tokenize = 'unicode61 remove_diacritics 2')`.execute(db);
  } else {
    await db.schema.createTable('search_documents')
      .addColumn('article_id', 'text', (c) => c.primaryKey().references('articles.id').onDelete('cascade'))
      .addColumn('free_text', 'text', (c) => c.notNull())
      .addColumn('premium_text', 'text', (c) => c.notNull())
      .execute();
    await sql`alter table search_documents add column free_tsv tsvector generated always as (to_tsvector('german', free_text)) stored`.execute(db);
    await sql`alter table search_documents add column premium_tsv tsvector generated always as (to_tsvector('german', free_text || ' ' || premium_text)) stored`.execute(db);
    await sql`create index search_documents_free on search_documents using gin (free_tsv)`.execute(db);
    await sql`create index search_documents_premium on search_documents using gin (premium_tsv)`.execute(db);
  }
}
