// SQLite: which FTS5 row holds an article's search document. FTS5 indexes no column but the text, so finding the
// row by article_id read the whole table on every re-index (imports grew quadratic); by rowid it is one lookup.
import { type Kysely, sql } from 'kysely';
import type { DialectCapabilities } from '../dialect.ts';

export async function up(db: Kysely<unknown>, caps: DialectCapabilities): Promise<void> {
  if (caps.fullText !== 'fts5') return; // PostgreSQL's search_documents has article_id as its primary key
  await db.schema.createTable('search_rowids')
    .addColumn('article_id', 'text', (c) => c.primaryKey())
    .addColumn('doc_rowid', 'integer', (c) => c.notNull().unique())
    .execute();
  await sql`insert into search_rowids (article_id, doc_rowid) select article_id, min(rowid) from search_documents group by article_id`.execute(db);
}
