// SQL for articles, sections and authors; rows are mapped to domain types here and nowhere else.
import type { Kysely, Selectable } from 'kysely';
import type { ArticleRow, Database } from '../db/schema.ts';
import type { Article, ArticleSummary, Author, AuthorRef, Block, Section, StoredImage } from './article.types.ts';

type Db = Kysely<Database>;

const summaryColumns = [
  'articles.id', 'articles.slug', 'articles.kicker', 'articles.headline', 'articles.teaser', 'articles.access',
  'articles.image_id', 'articles.image_caption', 'articles.image_credit', 'articles.published_at', 'articles.updated_at',
  'sections.slug as section_slug', 'sections.name as section_name', 'images.width as image_width', 'images.height as image_height',
] as const;

type SummaryRow = Pick<Selectable<ArticleRow>, 'id' | 'slug' | 'kicker' | 'headline' | 'teaser' | 'access' | 'image_id' | 'image_caption' | 'image_credit' | 'published_at' | 'updated_at'>
  & { section_slug: string; section_name: string; image_width: number | null; image_height: number | null };

function toSummary(r: SummaryRow): ArticleSummary {
  const image: StoredImage | null = r.image_id
    ? { imageId: r.image_id, width: r.image_width ?? 1200, height: r.image_height ?? 675, caption: r.image_caption, credit: r.image_credit }
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
function visible(db: Db, now: Date) {
  return summaries(db).where('articles.live', '=', 1).where('articles.published_at', '<=', now.toISOString());
}

/** `now`: the moment that decides what is published; articles scheduled after it stay hidden. */
export interface ListOptions { limit: number; offset?: number; sectionSlug?: string; authorSlug?: string; since?: string; now: Date }

/** Published articles, newest first. */
export async function listArticles(db: Db, o: ListOptions): Promise<ArticleSummary[]> {
  let q = visible(db, o.now);
  if (o.sectionSlug) q = q.where('sections.slug', '=', o.sectionSlug);
  if (o.since) q = q.where('articles.published_at', '>=', o.since);
  if (o.authorSlug) {
    q = q.where('articles.id', 'in', db.selectFrom('article_authors').innerJoin('authors', 'authors.id', 'article_authors.author_id')
      .select('article_authors.article_id').where('authors.slug', '=', o.authorSlug));
  }
  const rows = await q.orderBy('articles.published_at', 'desc').orderBy('articles.id').limit(o.limit).offset(o.offset ?? 0).execute();
  return rows.map(toSummary);
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
