// Sections, authors, images and articles.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.createTable('sections')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('slug', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    .execute();
  await db.schema.createTable('authors')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('slug', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('bio', 'text', (c) => c.notNull().defaultTo(''))
    .execute();
  await db.schema.createTable('images')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('file', 'text', (c) => c.notNull())
    .addColumn('width', 'integer', (c) => c.notNull())
    .addColumn('height', 'integer', (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull().unique())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createTable('articles')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('slug', 'text', (c) => c.notNull().unique())
    .addColumn('section_id', 'text', (c) => c.notNull().references('sections.id'))
    .addColumn('kicker', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('headline', 'text', (c) => c.notNull())
    .addColumn('teaser', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('access', 'text', (c) => c.notNull().check(sql`access in ('free', 'registered', 'plus')`))
    .addColumn('paywall_after', 'integer', (c) => c.notNull())
    .addColumn('blocks_json', 'text', (c) => c.notNull())
    .addColumn('image_id', 'text', (c) => c.references('images.id'))
    .addColumn('image_caption', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('image_credit', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('published_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('articles_published').on('articles').columns(['published_at']).execute();
  await db.schema.createIndex('articles_section_published').on('articles').columns(['section_id', 'published_at']).execute();
  await db.schema.createTable('article_authors')
    .addColumn('article_id', 'text', (c) => c.notNull().references('articles.id').onDelete('cascade'))
    .addColumn('author_id', 'text', (c) => c.notNull().references('authors.id'))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('article_authors_pk', ['article_id', 'author_id'])
    .execute();
  await db.schema.createIndex('article_authors_author').on('article_authors').columns(['author_id']).execute();
}
