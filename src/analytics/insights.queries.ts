// What the publisher dashboard reads: funnel and event counts per day, per article, section and author, and institution use — from the rollups (analytics_daily) and their summaries (migration 015), never from raw events.
import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { ArticleRow, Database } from '../db/index.ts';
import { emptyFunnelCounts, rate, type FunnelCounts, type FunnelKind } from './funnel.ts';
import { daysOf, monthPlan } from './summaries.ts';

/** Berlin days, both included (the web layer's DayRange fits). */
export interface DaySpan { from: string; to: string }

/**
 * Whether a row of day totals counts toward the funnel: views only of Plus articles (detail = access), paywall and clicks
 * always, checkouts and orders only when an article is attributed (they came from a paywall, not from /abo).
 */
const IN_FUNNEL = sql<number>`case when (kind = 'view' and detail = 'plus') or kind in ('paywall', 'offer_click')
  or (kind in ('checkout', 'order') and attributed = 1) then ${sql.ref('count')} else 0 end`;

export interface DayCount {
  day: string;
  kind: string;
  /** every event of the kind that day */
  total: number;
  /** the part that counts toward the funnel (see IN_FUNNEL) */
  funnel: number;
}

/**
 * Counts per day and kind over a span — one row per day and kind that has any. The overview asks once for the range
 * and the range before it together (adjacent spans, one index range), then splits.
 */
export async function dailyCounts(db: Kysely<Database>, span: DaySpan, kinds?: readonly string[]): Promise<DayCount[]> {
  // analytics_day_totals: the sums of analytics_daily per day, kind, detail and attributed (about twenty rows a day)
  let q = db.selectFrom('analytics_day_totals')
    .select(['day', 'kind', sql<number>`sum(${sql.ref('count')})`.as('total'), sql<number>`sum(${IN_FUNNEL})`.as('funnel')])
    .where('day', '>=', span.from).where('day', '<=', span.to);
  if (kinds) q = q.where('kind', 'in', [...kinds]);
  const rows = await q.groupBy(['day', 'kind']).orderBy('day').orderBy('kind').execute();
  return rows.map((r) => ({ day: r.day, kind: r.kind, total: Number(r.total), funnel: Number(r.funnel) }));
}

/** Sums daily rows (of `dailyCounts`) that fall into a span: funnel counts and totals per kind. */
export function totalsIn(rows: readonly DayCount[], span: DaySpan): { funnel: FunnelCounts; totals: Record<string, number> } {
  const funnel = emptyFunnelCounts();
  const totals: Record<string, number> = {};
  for (const r of rows) {
    if (r.day < span.from || r.day > span.to) continue;
    totals[r.kind] = (totals[r.kind] ?? 0) + r.total;
    if (Object.hasOwn(funnel, r.kind)) funnel[r.kind as FunnelKind] += r.funnel;
  }
  return { funnel, totals };
}

/** The numbers of one row of the per-article, per-section and per-author tables. */
export interface ReachCounts {
  views: number;
  paywall: number;
  /** orders attributed (the last Plus paywall the reader saw within 7 days before ordering) */
  orders: number;
  registrations: number;
  /** orders ÷ paywall impressions; null without paywall impressions */
  conversion: number | null;
}

export interface ArticleInsight extends ReachCounts {
  articleId: string;
  /** null when the article was deleted since */
  headline: string | null;
  slug: string | null;
  access: ArticleRow['access'] | null;
  sectionName: string | null;
}
export interface GroupInsight extends ReachCounts { id: string; name: string | null; slug: string | null }

export const ARTICLE_SORT_KEYS = ['aufrufe', 'paywall', 'bestellungen', 'konversion', 'registrierungen', 'titel'] as const;
export type ArticleSortKey = (typeof ARTICLE_SORT_KEYS)[number];
export type SortDirection = 'auf' | 'ab';

export interface ArticleQuery {
  sectionId?: string | undefined;
  authorId?: string | undefined;
  sort: ArticleSortKey;
  direction: SortDirection;
  limit: number;
  offset: number;
}

const REACH_KINDS = ['view', 'paywall', 'order', 'registration'] as const;
const sumOf = (kind: string): RawBuilder<number> => sql<number>`sum(case when kind = ${kind} then ${sql.ref('count')} else 0 end)`;
type ReachFilter = { sectionId?: string | undefined; authorId?: string | undefined };

/**
 * The reach counts per article and section (as rolled up) in the span, optionally one section or one author: whole
 * months from analytics_article_months, the days at the edges from analytics_daily, added or taken away (`monthPlan`).
 * Rows can be zero or, before summing, negative; the callers sum per article or section and keep only what has counts.
 */
function reachRows(db: Kysely<Database>, span: DaySpan, f: ReachFilter = {}) {
  const plan = monthPlan(span);
  const byAuthor = (authorId: string) => db.selectFrom('article_authors').select('article_id').where('author_id', '=', authorId);
  const parts = plan.days.map((d) => {
    const sign = sql.lit(d.sign);
    let q = db.selectFrom('analytics_daily')
      .select(['article_id', 'section_id', sql<number>`${sign} * ${sumOf('view')}`.as('views'), sql<number>`${sign} * ${sumOf('paywall')}`.as('paywall'),
        sql<number>`${sign} * ${sumOf('order')}`.as('orders'), sql<number>`${sign} * ${sumOf('registration')}`.as('registrations')])
      // the days as a list, not a range: with a range SQLite's statistics sometimes chose a skip-scan of
      // (article_id, day) with a table lookup per row, 3–5× slower than the covering index analytics_daily_reach
      // (day, kind, article_id, section_id, count), which equality on each day always picks (EXPLAIN, decision 034)
      .where('day', 'in', daysOf(d))
      .where('kind', 'in', [...REACH_KINDS]).where('article_id', '<>', '');
    if (f.sectionId) q = q.where('section_id', '=', f.sectionId);
    if (f.authorId) q = q.where('article_id', 'in', byAuthor(f.authorId));
    return q.groupBy(['article_id', 'section_id']);
  });
  let months = db.selectFrom('analytics_article_months')
    .select(['article_id', 'section_id', 'views', 'paywalls as paywall', 'orders', 'registrations'])
    .where('month', '>=', plan.months?.from ?? '9999').where('month', '<=', plan.months?.to ?? '0000');
  if (f.sectionId) months = months.where('section_id', '=', f.sectionId);
  if (f.authorId) months = months.where('article_id', 'in', byAuthor(f.authorId));
  return parts.reduce((all, part) => all.unionAll(part), months);
}

/** Sums of `reachRows` per article; only articles with a view, paywall impression, attributed order or registration. */
function perArticle(db: Kysely<Database>, span: DaySpan, f: ReachFilter = {}) {
  return db.selectFrom(reachRows(db, span, f).as('r'))
    .select(['r.article_id', sql<number>`sum(r.views)`.as('views'), sql<number>`sum(r.paywall)`.as('paywall'), sql<number>`sum(r.orders)`.as('orders'),
      sql<number>`sum(r.registrations)`.as('registrations')])
    .groupBy('r.article_id')
    .having(sql<boolean>`sum(r.views) + sum(r.paywall) + sum(r.orders) + sum(r.registrations) > 0`);
}

const reachOf = (r: { views: unknown; paywall: unknown; orders: unknown; registrations: unknown }): ReachCounts => {
  const paywall = Number(r.paywall);
  const orders = Number(r.orders);
  return { views: Number(r.views), paywall, orders, registrations: Number(r.registrations), conversion: rate(orders, paywall) };
};

const SORT_COLUMN: Record<Exclude<ArticleSortKey, 'konversion' | 'titel'>, string> = {
  aufrufe: 'views', paywall: 'paywall', bestellungen: 'orders', registrierungen: 'registrations',
};

/**
 * The per-article table: one row per article with any view, paywall, attributed order or registration in the span,
 * sorted in the database (conversion: articles without paywall impressions last in either direction), paged.
 */
export async function articleInsights(db: Kysely<Database>, span: DaySpan, o: ArticleQuery): Promise<{ rows: ArticleInsight[]; total: number }> {
  const dir = o.direction === 'auf' ? sql`asc` : sql`desc`;
  const order = o.sort === 'konversion'
    ? sql`case when a.paywall > 0 then 0 else 1 end, a.orders * 1.0 / case when a.paywall > 0 then a.paywall else 1 end ${dir}, a.views desc`
    : o.sort === 'titel'
      ? sql`case when ar.headline is null then 1 else 0 end, lower(ar.headline) ${dir}`
      : sql`${sql.ref(`a.${SORT_COLUMN[o.sort]}`)} ${dir}, a.views desc`;
  const rows = await db.selectFrom(perArticle(db, span, o).as('a'))
    .leftJoin('articles as ar', 'ar.id', 'a.article_id')
    .leftJoin('sections as s', 's.id', 'ar.section_id')
    .select(['a.article_id', 'a.views', 'a.paywall', 'a.orders', 'a.registrations', 'ar.headline', 'ar.slug', 'ar.access', 's.name as section_name',
      sql<number>`count(*) over ()`.as('total')])
    .orderBy(sql`${order}, a.article_id`)
    .limit(o.limit).offset(o.offset)
    .execute();
  const total = rows.length > 0 ? Number(rows[0]!.total) : o.offset > 0 ? await countArticles(db, span, o) : 0;
  return {
    total,
    rows: rows.map((r) => ({ articleId: r.article_id, headline: r.headline ?? null, slug: r.slug ?? null, access: r.access ?? null, sectionName: r.section_name ?? null, ...reachOf(r) })),
  };
}

/** The articles with the most attributed orders (the overview's short list); articles without orders do not appear, equal order counts go by article id. */
export async function topArticlesByOrders(db: Kysely<Database>, span: DaySpan, limit: number): Promise<ArticleInsight[]> {
  const rows = await db.selectFrom(perArticle(db, span).as('a'))
    .leftJoin('articles as ar', 'ar.id', 'a.article_id')
    .leftJoin('sections as s', 's.id', 'ar.section_id')
    .select(['a.article_id', 'a.views', 'a.paywall', 'a.orders', 'a.registrations', 'ar.headline', 'ar.slug', 'ar.access', 's.name as section_name'])
    .where('a.orders', '>', 0)
    .orderBy('a.orders', 'desc').orderBy('a.article_id').limit(limit)
    .execute();
  return rows.map((r) => ({ articleId: r.article_id, headline: r.headline ?? null, slug: r.slug ?? null, access: r.access ?? null, sectionName: r.section_name ?? null, ...reachOf(r) }));
}

/** How many articles the table has (for a page beyond the last one, where the window count is not there). */
async function countArticles(db: Kysely<Database>, span: DaySpan, o: ArticleQuery): Promise<number> {
  const r = await db.selectFrom(perArticle(db, span, o).as('a')).select((eb) => eb.fn.countAll<string | number>().as('n')).executeTakeFirst();
  return Number(r?.n ?? 0);
}

/** Per section (as it was when the day was rolled up), every section with counts, most views first. */
export async function sectionInsights(db: Kysely<Database>, span: DaySpan): Promise<GroupInsight[]> {
  const rows = await db.selectFrom(db.selectFrom(reachRows(db, span).as('r'))
    .select(['r.section_id', sql<number>`sum(r.views)`.as('views'), sql<number>`sum(r.paywall)`.as('paywall'), sql<number>`sum(r.orders)`.as('orders'),
      sql<number>`sum(r.registrations)`.as('registrations')])
    .groupBy('r.section_id')
    .having(sql<boolean>`sum(r.views) + sum(r.paywall) + sum(r.orders) + sum(r.registrations) > 0`).as('a'))
    .leftJoin('sections as s', 's.id', 'a.section_id')
    .select(['a.section_id', 'a.views', 'a.paywall', 'a.orders', 'a.registrations', 's.name', 's.slug'])
    .orderBy('a.views', 'desc').orderBy('a.section_id').execute();
  return rows.map((r) => ({ id: r.section_id, name: r.name ?? null, slug: r.slug ?? null, ...reachOf(r) }));
}

/** Per author: an article with several authors counts fully for each of them (a byline is not a share). */
export async function authorInsights(db: Kysely<Database>, span: DaySpan): Promise<GroupInsight[]> {
  const rows = await db.selectFrom(perArticle(db, span).as('a'))
    .innerJoin('article_authors as aa', 'aa.article_id', 'a.article_id')
    .innerJoin('authors as au', 'au.id', 'aa.author_id')
    .select(['au.id', 'au.name', 'au.slug',
      sql<number>`sum(a.views)`.as('views'), sql<number>`sum(a.paywall)`.as('paywall'), sql<number>`sum(a.orders)`.as('orders'), sql<number>`sum(a.registrations)`.as('registrations')])
    .groupBy(['au.id', 'au.name', 'au.slug'])
    .orderBy('views', 'desc').orderBy('au.id').execute();
  return rows.map((r) => ({ id: r.id, name: r.name, slug: r.slug, ...reachOf(r) }));
}

export interface InstitutionUse { institutionId: string; name: string | null; unlocks: number }

/** Unlocks through institutional access per institution in the span, most first. */
export async function institutionUsage(db: Kysely<Database>, span: DaySpan): Promise<InstitutionUse[]> {
  const rows = await db.selectFrom(db.selectFrom('analytics_daily')
    .select(['institution_id', sql<number>`sum(${sql.ref('count')})`.as('unlocks')])
    .where('day', '>=', span.from).where('day', '<=', span.to).where('kind', '=', 'institution_unlock').where('institution_id', '<>', '')
    .groupBy('institution_id').as('u'))
    .leftJoin('institutions as i', 'i.id', 'u.institution_id')
    .select(['u.institution_id', 'u.unlocks', 'i.name'])
    .orderBy('u.unlocks', 'desc').orderBy('u.institution_id').execute();
  return rows.map((r) => ({ institutionId: r.institution_id, name: r.name ?? null, unlocks: Number(r.unlocks) }));
}

/** The choices of the article table's filters: sections in navigation order, authors by name. */
export interface FilterChoice { id: string; slug: string; name: string }
export async function insightFilters(db: Kysely<Database>): Promise<{ sections: FilterChoice[]; authors: FilterChoice[] }> {
  const [sections, authors] = await Promise.all([
    db.selectFrom('sections').select(['id', 'slug', 'name']).orderBy('position').orderBy('name').execute(),
    db.selectFrom('authors').select(['id', 'slug', 'name']).orderBy('name').execute(),
  ]);
  return { sections, authors };
}
