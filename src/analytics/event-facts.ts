// What an event from outside (a beacon, an attribution field) may name: live articles, offers and offer-box variants — looked up with bounded, short-lived memory.
import type { Kysely } from 'kysely';
import { nowIso, type Database } from '../db/index.ts';
import { LruMap } from '../lru-map.ts';

export type ArticleAccess = 'free' | 'registered' | 'plus';

/** How long an answer is trusted: a newly published article is counted within this time, an unpublished one stops being counted. */
export const FACTS_TTL_MS = 60_000;
/** Articles remembered at once (hits and misses): made-up ids cannot grow memory beyond this. */
const ARTICLES_MAX = 20_000;

export interface EventFacts {
  /** the access level of a live, published article, or null: no such article for readers */
  articleAccess(id: string): Promise<ArticleAccess | null>;
  /** id and access level of a live, published article by its slug, or null */
  articleOfSlug(slug: string): Promise<{ id: string; access: ArticleAccess } | null>;
  /** the id of an active offer by its slug, or null */
  offerIdOfSlug(slug: string): Promise<string | null>;
  /** the id of an active offer by its id, or null */
  offerExists(id: string): Promise<boolean>;
  /** whether an offer-box variant with this id exists */
  variantExists(id: string): Promise<boolean>;
}

const ID = /^[A-Za-z0-9_-]{1,64}$/;
const SLUG = /^[a-z0-9][a-z0-9-]{0,199}$/;
const ARTICLE_PATH = /^\/artikel\/([a-z0-9][a-z0-9-]*)(?:\/klartext)?$/;

/**
 * The article of a paywall a reader came from, by the return path the paywall's links carry (`weiter`, `next`): the id of
 * a live article with a paywall (registered or Plus), or null. A path is only a hint: a free or unknown article gives null.
 */
export async function paywallArticleOfPath(facts: EventFacts, path: string | undefined): Promise<string | null> {
  const slug = path ? ARTICLE_PATH.exec(path)?.[1] : undefined;
  if (!slug) return null;
  const article = await facts.articleOfSlug(slug);
  return article && article.access !== 'free' ? article.id : null;
}

/**
 * The attribution fields of an order form or checkout link (`herkunft`, `variante`), each kept only if it names what it
 * claims: a live Plus article, an existing offer-box variant. Anything else is dropped silently — it is a hint, not input.
 */
export async function checkedAttribution(facts: EventFacts, fields: { herkunft?: string | undefined; variante?: string | undefined }): Promise<{ articleId: string | null; variantId: string | null }> {
  const articleId = fields.herkunft && (await facts.articleAccess(fields.herkunft)) === 'plus' ? fields.herkunft : null;
  const variantId = fields.variante && (await facts.variantExists(fields.variante)) ? fields.variante : null;
  return { articleId, variantId };
}

/**
 * Beacons arrive by the thousand and name the same few articles: each id is asked once a minute at most. Offers and
 * variants are small tables, read whole once a minute. Ids that cannot be ids never reach the database.
 */
export function createEventFacts(db: Kysely<Database>, now: () => Date, o: { ttlMs?: number } = {}): EventFacts {
  const ttl = o.ttlMs ?? FACTS_TTL_MS;
  const articles = new LruMap<string, { access: ArticleAccess | null; until: number }>(ARTICLES_MAX);
  const slugs = new LruMap<string, { found: { id: string; access: ArticleAccess } | null; until: number }>(ARTICLES_MAX);
  let offers: { bySlug: Map<string, string>; ids: Set<string>; until: number } | null = null;
  let variants: { ids: Set<string>; until: number } | null = null;

  async function offerTable() {
    const t = now().getTime();
    if (!offers || offers.until <= t) {
      const rows = await db.selectFrom('offers').select(['id', 'slug']).where('active', '=', 1).execute();
      offers = { bySlug: new Map(rows.map((r) => [r.slug, r.id])), ids: new Set(rows.map((r) => r.id)), until: t + ttl };
    }
    return offers;
  }

  return {
    async articleAccess(id) {
      if (!ID.test(id)) return null;
      const t = now().getTime();
      const known = articles.get(id);
      if (known && known.until > t) return known.access;
      const row = await db.selectFrom('articles').select('access').where('id', '=', id).where('live', '=', 1)
        .where('published_at', '<=', nowIso(now())).executeTakeFirst();
      const access = row?.access ?? null;
      articles.set(id, { access, until: t + ttl });
      return access;
    },
    async articleOfSlug(slug) {
      if (!SLUG.test(slug)) return null;
      const t = now().getTime();
      const known = slugs.get(slug);
      if (known && known.until > t) return known.found;
      const row = await db.selectFrom('articles').select(['id', 'access']).where('slug', '=', slug).where('live', '=', 1)
        .where('published_at', '<=', nowIso(now())).executeTakeFirst();
      const found = row ? { id: row.id, access: row.access } : null;
      slugs.set(slug, { found, until: t + ttl });
      return found;
    },
    async offerIdOfSlug(slug) {
      return (await offerTable()).bySlug.get(slug) ?? null;
    },
    async offerExists(id) {
      return (await offerTable()).ids.has(id);
    },
    async variantExists(id) {
      if (!ID.test(id)) return false;
      const t = now().getTime();
      if (!variants || variants.until <= t) {
        const rows = await db.selectFrom('experiment_variants').select('id').execute();
        variants = { ids: new Set(rows.map((r) => r.id)), until: t + ttl };
      }
      return variants.ids.has(id);
    },
  };
}
