// SQL for articles, sections and authors; rows are mapped to domain types here and nowhere else.
import { SqliteAdapter, sql, type Kysely, type Selectable } from 'kysely';
import type { ArticleRow, Database } from '../db/schema.ts';
import type { Article, ArticleSummary, Author, AuthorRef, Block, Section, StoredImage } from './article.types.ts';

type Db = Kysely<Database>;

const summaryColumns = [
  'articles.id', 'articles.slug', 'articles.kicker', 'articles.headline', 'articles.teaser', 'articles.access',
  'articles.image_id', 'articles.image_caption', 'articles.image_credit', 'articles.published_at', 'articles.updated_at',
  'sections.slug as section_slug', 'sections.name as section_name', 'images.width as image_width', 'images.height as image_height',
  'images.focal_x as image_focal_x', 'images.focal_y as image_focal_y',
] as const;

type SummaryRow = Pick<Selectable<ArticleRow>, 'id' | 'slug' | 'kicker' | 'headline' | 'teaser' | 'access' | 'image_id' | 'image_caption' | 'image_credit' | 'published_at' | 'updated_at'>
  & { section_slug: string; section_name: string; image_width: number | null; image_height: number | null; image_focal_x: number | null; image_focal_y: number | null };

function toSummary(r: SummaryRow): ArticleSummary {
  const image: StoredImage | null = r.image_id
    ? {
      imageId: r.image_id, width: r.image_width ?? 1200, height: r.image_height ?? 675, caption: r.image_caption, credit: r.image_credit,
      focal: { x: Number(r.image_focal_x ?? 0.5), y: Number(r.image_focal_y ?? 0.5) },
    }
    : null;
  return {
    id: r.id, slug: r.slug, kicker: r.kicker, headline: r.headline, teaser: r.teaser, access: r.access, image,
    section: { slug: r.section_slug, name: r.section_name }, publishedAt: r.published_at, updatedAt: r.updated_at,
  };
}

function summaries(db: Db) {
  return db.selectFrom('articles')
    .innerJoin('sections', 'sections.id', 'articles.section_id')
    .leftJoin('images', 'images.id', 'articles.image_id')
    .select(summaryColumns);
}

/**
 * Readers see an article only while it is live (published in the newsroom or imported) and from its publishedAt on;
 * every reader query starts here. Drafts and unpublished articles have rows too (live = 0).
 */
function visible(db: Db, now: Date | string) {
  return summaries(db).where('articles.live', '=', 1).where('articles.published_at', '<=', typeof now === 'string' ? now : now.toISOString());
}

/**
 * A place in a listing: the article a page continues after. Listings are ordered by (published_at, id), newest first,
 * so a page is "the next n rows after this pair" — one index range however deep (keyset pagination, decision 021).
 */
export interface ListingCursor { publishedAt: string; id: string }

/** `now`: the moment that decides what is published; articles scheduled after it stay hidden. */
export interface ListFilter { sectionSlug?: string; sectionId?: string; authorSlug?: string; since?: string; now: Date }

/** The section named by its id (see filtered); undefined when the slug names no section. */
async function bySectionId<F extends ListFilter>(db: Db, o: F): Promise<F | undefined> {
  if (!o.sectionSlug || o.sectionId) return o;
  const s = await db.selectFrom('sections').select('id').where('slug', '=', o.sectionSlug).executeTakeFirst();
  return s ? { ...o, sectionSlug: undefined, sectionId: s.id } : undefined;
}

/**
 * `olderThan`: the articles after the cursor (the next page); `newerThan`: those just before it, still answered newest
 * first. `offset` is for the old `?seite=N` links only.
 */
export interface ListOptions extends ListFilter { limit: number; offset?: number; olderThan?: ListingCursor; newerThan?: ListingCursor }

function filtered<Q extends ReturnType<typeof visible>>(db: Db, q: Q, o: ListFilter): Q {
  let r = q;
  // by the section's id as a value, not through the join or a subquery: only with a known id does the engine read
  // (section_id, live, published_at, id) in its order instead of sorting or walking the whole site's index
  if (o.sectionId) r = r.where('articles.section_id', '=', o.sectionId) as Q;
  else if (o.sectionSlug) r = r.where('sections.slug', '=', o.sectionSlug) as Q;
  if (o.since) r = r.where('articles.published_at', '>=', o.since) as Q;
  if (o.authorSlug) {
    r = r.where('articles.id', 'in', db.selectFrom('article_authors').innerJoin('authors', 'authors.id', 'article_authors.author_id')
      .select('article_authors.article_id').where('authors.slug', '=', o.authorSlug)) as Q;
  }
  return r;
}

/**
 * The newest `published_at` a listing may show: `now`, or the cursor's when paging older (the row value below decides
 * ties). SQLite bounds its index range by this one plain `published_at <= ?`, not by the row value: bounded by `now`
 * alone it walked the index from today down to the cursor (~24,000 entries 2,000 pages deep, 8 ms vs 0.02 ms); and
 * with both bounds written it picked `now`'s. SQLite only: PostgreSQL puts the row value into its index condition
 * anyway, and given the tighter bound its planner estimated few rows and sorted a bitmap scan instead of reading the
 * index in order (tests/explain-indexes.test.ts caught it).
 */
function upperBound(db: Db, o: ListOptions): string {
  const now = o.now.toISOString();
  if (!(db.getExecutor().adapter instanceof SqliteAdapter)) return now;
  return o.olderThan && o.olderThan.publishedAt < now ? o.olderThan.publishedAt : now;
}

/** The query behind listArticles, built but not run (tests/explain-indexes.test.ts reads its plan). */
export function listArticlesQuery(db: Db, o: ListOptions) {
  let q = filtered(db, visible(db, upperBound(db, o)), o);
  if (o.olderThan) q = q.where((eb) => eb(eb.refTuple('articles.published_at', 'articles.id'), '<', eb.tuple(o.olderThan!.publishedAt, o.olderThan!.id)));
  if (o.newerThan) {
    const c = o.newerThan;
    q = q.where('articles.published_at', '>=', c.publishedAt).where((eb) => eb(eb.refTuple('articles.published_at', 'articles.id'), '>', eb.tuple(c.publishedAt, c.id)));
  }
  const dir = o.newerThan ? 'asc' : 'desc';
  q = q.orderBy('articles.published_at', dir).orderBy('articles.id', dir).limit(o.limit);
  return o.offset ? q.offset(o.offset) : q;
}

/**
 * Only the cursors (published_at, id) of a listing, without joins: the engine answers from the listing index alone
 * (an index-only scan on PostgreSQL, a covering index on SQLite). The section must be given by id (bySectionId).
 */
function listingCursorsQuery(db: Db, o: ListOptions) {
  let q = db.selectFrom('articles').select(['articles.published_at', 'articles.id'])
    .where('articles.live', '=', 1).where('articles.published_at', '<=', upperBound(db, o));
  if (o.sectionId) q = q.where('articles.section_id', '=', o.sectionId);
  if (o.since) q = q.where('articles.published_at', '>=', o.since);
  if (o.authorSlug) {
    q = q.where('articles.id', 'in', db.selectFrom('article_authors').innerJoin('authors', 'authors.id', 'article_authors.author_id')
      .select('article_authors.article_id').where('authors.slug', '=', o.authorSlug));
  }
  if (o.olderThan) q = q.where((eb) => eb(eb.refTuple('articles.published_at', 'articles.id'), '<', eb.tuple(o.olderThan!.publishedAt, o.olderThan!.id)));
  if (o.newerThan) {
    const c = o.newerThan;
    q = q.where('articles.published_at', '>=', c.publishedAt).where((eb) => eb(eb.refTuple('articles.published_at', 'articles.id'), '>', eb.tuple(c.publishedAt, c.id)));
  }
  const dir = o.newerThan ? 'asc' : 'desc';
  q = q.orderBy('articles.published_at', dir).orderBy('articles.id', dir).limit(o.limit);
  return o.offset ? q.offset(o.offset) : q;
}

/** Published articles, newest first. */
export async function listArticles(db: Db, options: ListOptions): Promise<ArticleSummary[]> {
  const o = await bySectionId(db, options);
  if (!o) return [];
  const rows = (await listArticlesQuery(db, o).execute()).map(toSummary);
  return o.newerThan ? rows.reverse() : rows;
}

/** The summaries of these articles in the order given, those visible at `now` only: one query for a page of search results. */
export async function articleSummariesByIds(db: Db, ids: string[], now: Date): Promise<ArticleSummary[]> {
  if (ids.length === 0) return [];
  const rows = await visible(db, now).where('articles.id', 'in', ids).execute();
  const byId = new Map(rows.map((r) => [r.id, toSummary(r)]));
  return ids.flatMap((id) => byId.get(id) ?? []);
}

/** Whether the cursor names an article this listing shows now: only those are pages (a page cache entry each). */
export async function listingHas(db: Db, cursor: ListingCursor, filter: ListFilter): Promise<boolean> {
  const o = await bySectionId(db, filter);
  if (!o) return false;
  const row = await filtered(db, visible(db, o.now), o).where('articles.id', '=', cursor.id).where('articles.published_at', '=', cursor.publishedAt).executeTakeFirst();
  return row !== undefined;
}

/**
 * The cursor of the article at a position of the listing (0 = newest), for the old `?seite=N` links: reads only the
 * index (published_at, id), no article row, so even a deep old link is cheap.
 */
export async function listingCursorAt(db: Db, filter: ListFilter, position: number): Promise<ListingCursor | undefined> {
  const o = await bySectionId(db, filter);
  if (!o) return undefined;
  const row = await listingCursorsQuery(db, { ...o, limit: 1, offset: position }).executeTakeFirst();
  return row ? { publishedAt: row.published_at, id: row.id } : undefined;
}

/**
 * The cursor a page must continue after so that it shows the `pageSize` articles just newer than `first` (the page
 * before one starting at `first`); undefined when fewer are newer, so the page before is the listing's first page.
 */
export async function previousPageCursor(db: Db, filter: ListFilter, first: ListingCursor, pageSize: number): Promise<ListingCursor | undefined> {
  const o = await bySectionId(db, filter);
  if (!o) return undefined;
  const rows = await listingCursorsQuery(db, { ...o, limit: pageSize + 1, newerThan: first }).execute();
  const row = rows[pageSize];
  return row ? { publishedAt: row.published_at, id: row.id } : undefined;
}

/** A calendar month (UTC, `YYYY-MM`) of published articles, for the sitemap index. */
export interface PublishedMonth { month: string; articles: number; lastModified: string }

/**
 * Months with published articles, oldest first, with their count and newest change: one pass over the listing index
 * (live, published_at, id, updated_at) without reading an article row.
 */
export async function listPublishedMonths(db: Db, now: Date): Promise<PublishedMonth[]> {
  const month = sql<string>`substr(published_at, 1, 7)`;
  const rows = await db.selectFrom('articles')
    .select((eb) => [month.as('month'), eb.fn.countAll<string | number>().as('n'), eb.fn.max('updated_at').as('last')])
    .where('live', '=', 1).where('published_at', '<=', now.toISOString())
    .groupBy(month).orderBy(month).execute();
  return rows.map((r) => ({ month: r.month, articles: Number(r.n), lastModified: r.last }));
}

/** The query behind sitemapArticles, built but not run (tests/explain-indexes.test.ts reads its plan). */
export function sitemapArticlesQuery(db: Db, o: { month: string; limit: number; offset: number; now: Date }) {
  const [y, m] = o.month.split('-').map(Number) as [number, number];
  const from = new Date(Date.UTC(y, m - 1, 1)).toISOString();
  const to = new Date(Date.UTC(y, m, 1)).toISOString();
  const q = db.selectFrom('articles').select(['slug', 'updated_at'])
    .where('live', '=', 1).where('published_at', '<=', o.now.toISOString()).where('published_at', '>=', from).where('published_at', '<', to)
    .orderBy('published_at').orderBy('id').limit(o.limit);
  return o.offset ? q.offset(o.offset) : q;
}

/** Addresses and last changes of the articles published in one month, oldest first; `offset` skips earlier parts. */
export async function sitemapArticles(db: Db, o: { month: string; limit: number; offset: number; now: Date }): Promise<{ slug: string; updatedAt: string }[]> {
  return (await sitemapArticlesQuery(db, o).execute()).map((r) => ({ slug: r.slug, updatedAt: r.updated_at }));
}

/** When the next scheduled article becomes visible (the earliest publishedAt after now), if any is scheduled. */
export async function nextPublicationAfter(db: Db, now: Date): Promise<string | undefined> {
  const r = await db.selectFrom('articles').select((eb) => eb.fn.min('published_at').as('next'))
    .where('live', '=', 1).where('published_at', '>', now.toISOString()).executeTakeFirst();
  return r?.next ?? undefined;
}

export async function countArticles(db: Db, o: { sectionSlug?: string; now: Date }): Promise<number> {
  let q = db.selectFrom('articles').innerJoin('sections', 'sections.id', 'articles.section_id')
    .select((eb) => eb.fn.countAll<string | number>().as('n'))
    .where('articles.live', '=', 1).where('articles.published_at', '<=', o.now.toISOString());
  if (o.sectionSlug) q = q.where('sections.slug', '=', o.sectionSlug);
  const r = await q.executeTakeFirstOrThrow();
  return Number(r.n);
}

/**
 * Readers ask with `now` (a scheduled, draft or unpublished article does not exist for them); import, export and the
 * newsroom take every row (`includeScheduled`: also those not live).
 */
export async function getArticleBySlug(db: Db, slug: string, o: { now: Date } | { includeScheduled: true }): Promise<Article | undefined> {
  const base = 'now' in o ? visible(db, o.now) : summaries(db);
  const row = await base.select(['articles.paywall_after', 'articles.blocks_json', 'articles.seo_title', 'articles.seo_description'])
    .where('articles.slug', '=', slug).executeTakeFirst();
  if (!row) return undefined;
  const authors = await db.selectFrom('article_authors').innerJoin('authors', 'authors.id', 'article_authors.author_id')
    .select(['authors.slug', 'authors.name']).where('article_authors.article_id', '=', row.id).orderBy('article_authors.position').execute();
  return {
    ...toSummary(row), paywallAfter: row.paywall_after, blocks: JSON.parse(row.blocks_json) as Block[], authors,
    seoTitle: row.seo_title, seoDescription: row.seo_description,
  };
}

/** Any article row, live or not (newsroom, import); never for readers. */
export async function getArticleById(db: Db, id: string): Promise<Article | undefined> {
  const row = await db.selectFrom('articles').select('slug').where('id', '=', id).executeTakeFirst();
  return row ? getArticleBySlug(db, row.slug, { includeScheduled: true }) : undefined;
}

export async function listSections(db: Db): Promise<Section[]> {
  return db.selectFrom('sections').select(['id', 'slug', 'name', 'description', 'position']).orderBy('position').orderBy('name').execute();
}

export async function getSectionBySlug(db: Db, slug: string): Promise<Section | undefined> {
  return db.selectFrom('sections').select(['id', 'slug', 'name', 'description', 'position']).where('slug', '=', slug).executeTakeFirst();
}

export async function getAuthorBySlug(db: Db, slug: string): Promise<Author | undefined> {
  return db.selectFrom('authors').select(['id', 'slug', 'name', 'bio']).where('slug', '=', slug).executeTakeFirst();
}

export async function listAuthors(db: Db): Promise<AuthorRef[]> {
  return db.selectFrom('authors').select(['slug', 'name']).orderBy('name').execute();
}
