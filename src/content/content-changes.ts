// Which cached pages a content change touches (surrogate keys) and the record of the change that every process reads.
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/schema.ts';

/** The surrogate keys of the pages that show an article: its page, the front, its section, its authors, feeds, sitemaps. */
export function articleSurrogateKeys(a: { id: string; section: { slug: string }; authors: { slug: string }[] }): string[] {
  return [`article:${a.id}`, 'front', `section:${a.section.slug}`, ...a.authors.map((x) => `author:${x.slug}`), 'feeds', 'sitemaps'];
}

/**
 * Records that the pages with these keys changed, inside the caller's transaction, so the record commits with the
 * content. (To be built: a content_changes row, and pg_notify on PostgreSQL.)
 */
export async function recordContentChange(_db: Kysely<Database> | Transaction<Database>, _keys: readonly string[]): Promise<void> {}
