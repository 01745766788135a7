// The newsroom: working copies with their workflow state, revisions, the editorial audit log; articles get a
// `live` flag (what readers may see) and SEO fields.
import { type Kysely, sql } from 'kysely';

/**
 * An article row exists from the moment a draft is created (one id and one unique slug from the start), but readers
 * see it only while `live` = 1. Rows from before the newsroom (imports) are live. The working copy the newsroom edits
 * is `article_drafts.doc_json`; publishing copies it into the article row.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('articles').addColumn('live', 'integer', (c) => c.notNull().defaultTo(1)).execute();
  await db.schema.alterTable('articles').addColumn('seo_title', 'text', (c) => c.notNull().defaultTo('')).execute();
  await db.schema.alterTable('articles').addColumn('seo_description', 'text', (c) => c.notNull().defaultTo('')).execute();
  await db.schema.createIndex('articles_live_published').on('articles').columns(['live', 'published_at']).execute();

  await db.schema.createTable('article_drafts')
    .addColumn('article_id', 'text', (c) => c.primaryKey().references('articles.id').onDelete('cascade'))
    .addColumn('doc_json', 'text', (c) => c.notNull())
    /** optimistic lock: every save must name the version it started from */
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull().check(sql`state in ('draft', 'review', 'scheduled', 'published', 'unpublished')`))
    .addColumn('scheduled_at', 'text')
    /** the working-copy version that is live (null: never published) */
    .addColumn('published_version', 'integer')
    .addColumn('created_by', 'text')
    .addColumn('updated_by', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('article_drafts_state').on('article_drafts').columns(['state', 'updated_at']).execute();
  await db.schema.createIndex('article_drafts_created_by').on('article_drafts').columns(['created_by', 'updated_at']).execute();

  await db.schema.createTable('article_revisions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('article_id', 'text', (c) => c.notNull().references('articles.id').onDelete('cascade'))
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('doc_json', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('saved_by', 'text')
    .addColumn('saved_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('article_revisions_article').on('article_revisions').columns(['article_id', 'version']).execute();

  await db.schema.createTable('editorial_audit')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('article_id', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('actor_id', 'text')
    .addColumn('detail_json', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('editorial_audit_article').on('editorial_audit').columns(['article_id', 'at']).execute();
  await db.schema.createIndex('editorial_audit_at').on('editorial_audit').columns(['at']).execute();
}
