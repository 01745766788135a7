// Indexes for a big paper (the hot queries of tests/explain-indexes.test.ts): every listing (front, sections, feeds, sitemaps) walks one index in its own order, so a
// page 2,000 deep costs what the first one does (keyset pagination, decision 021).
import type { Kysely } from 'kysely';

/**
 * Listings ask `live = 1 and published_at <= now` ordered by `published_at desc, id desc` and continue after a cursor
 * `(published_at, id)`: the index leads with the equality columns and ends with the order, so the engine reads exactly
 * the rows it shows. `updated_at` rides along in the site-wide index so the sitemap index (months with their newest
 * change) is read from the index alone. Plain indexes rather than partial ones (`where live = 1`): both engines use
 * them with `live` as a bound parameter, which SQLite's partial indexes do not promise.
 * The older indexes on (live, published_at) and (section_id, published_at) are prefixes of these and only cost writes;
 * (published_at) becomes (published_at, id), whose order the newsroom's article list and every site-wide listing ask for.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.createIndex('articles_listing').on('articles').columns(['live', 'published_at', 'id', 'updated_at']).execute();
  await db.schema.createIndex('articles_section_listing').on('articles').columns(['section_id', 'live', 'published_at', 'id']).execute();
  await db.schema.dropIndex('articles_live_published').execute();
  await db.schema.dropIndex('articles_section_published').execute();
  // (published_at) alone left the tie-break on id to a sort; the newsroom's list orders by both too
  await db.schema.dropIndex('articles_published').execute();
  await db.schema.createIndex('articles_published_id').on('articles').columns(['published_at', 'id']).execute();
  // the private app prunes expired sessions and old throttle rows as it goes: by time, not by the whole table
  await db.schema.createIndex('sessions_expires').on('sessions').columns(['expires_at']).execute();
  await db.schema.createIndex('throttle_events_at').on('throttle_events').columns(['at']).execute();
}
