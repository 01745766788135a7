// What the unlock path needs to know of an article — access level, publication, premium blocks and their hash — in one query.
import type { Kysely, Transaction } from 'kysely';
import { systemClock, type Clock } from '../clock.ts';
import { premiumBlocks, type AccessLevel, type Block } from '../content/index.ts';
import type { Database } from '../db/index.ts';
import { premiumHash } from './content-key.store.ts';

type Db = Kysely<Database> | Transaction<Database>;

export interface ArticleFacts {
  id: string;
  slug: string;
  headline: string;
  access: AccessLevel;
  publishedAt: string;
  /** readers may see it (a newsroom draft or an unpublished article is not live) */
  live: boolean;
  premiumBlocks: Block[];
  premiumHash: string;
}

export type ArticleFactsReader = (db: Db, articleId: string, o?: { fresh?: boolean }) => Promise<ArticleFacts | undefined>;

/**
 * Reads the articles row directly rather than through content's getArticleById (three queries with authors and
 * sections the unlock path never shows): unlock is the hot private endpoint. Facts are kept `ttlMs` (default
 * 2 s, as long as the page cache takes to notice a change); `fresh` reads the row again. Parsing and hashing
 * the blocks is remembered per (id, stored blocks text), so an edit is noticed as soon as the row is read.
 */
export function createArticleFactsReader(o: { maxEntries?: number; ttlMs?: number; now?: Clock } = {}): ArticleFactsReader {
  const maxEntries = o.maxEntries ?? 5000;
  const ttlMs = o.ttlMs ?? 2000;
  const clock = o.now ?? systemClock;
  const now = () => clock().getTime();
  const derived = new Map<string, { source: string; premium: Block[]; hash: string }>();
  const recent = new Map<string, { facts: ArticleFacts | undefined; until: number }>();
  return async (db, articleId, opts = {}) => {
    const hit = recent.get(articleId);
    if (hit && !opts.fresh && hit.until > now()) return hit.facts;
    const facts = await read(db, articleId);
    recent.delete(articleId);
    if (recent.size >= maxEntries) recent.delete(recent.keys().next().value!);
    // Unknown ids are not remembered: guessing ids must not fill the memory.
    if (facts) recent.set(articleId, { facts, until: now() + ttlMs });
    return facts;
  };

  async function read(db: Db, articleId: string): Promise<ArticleFacts | undefined> {
    const row = await db.selectFrom('articles')
      .select(['id', 'slug', 'headline', 'access', 'paywall_after', 'blocks_json', 'published_at', 'live'])
      .where('id', '=', articleId).executeTakeFirst();
    if (!row) return undefined;
    const source = `${row.access}\0${row.paywall_after}\0${row.blocks_json}`;
    let entry = derived.get(row.id);
    if (!entry || entry.source !== source) {
      const premium = premiumBlocks({ access: row.access, paywallAfter: row.paywall_after, blocks: JSON.parse(row.blocks_json) as Block[] });
      entry = { source, premium, hash: premiumHash(premium) };
      derived.delete(row.id);
      if (derived.size >= maxEntries) derived.delete(derived.keys().next().value!);
      derived.set(row.id, entry);
    }
    return { id: row.id, slug: row.slug, headline: row.headline, access: row.access, publishedAt: row.published_at, live: Number(row.live) === 1, premiumBlocks: entry.premium, premiumHash: entry.hash };
  }
}
