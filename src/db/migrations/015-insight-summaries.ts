// Summaries of the daily rollups for the publisher dashboard (decision 034): site-wide totals per day and one wide row per article and month, so a two-year range reads thousands of rows, not millions.
import { sql, type Kysely } from 'kysely';
import type { DialectCapabilities } from '../dialect.ts';

/**
 * - `analytics_day_totals`: per Berlin day, kind, detail and whether an article is attributed (`article_id <> ''`), the
 *   sum of `analytics_daily.count` — what the funnel and the day/week charts read (about twenty rows a day).
 * - `analytics_article_months`: per month (`YYYY-MM`), article and section (as rolled up) the sums of the kinds the
 *   article tables read. The section is part of the key because an article moved in the middle of a month has rows of
 *   both sections that month, and the per-section table counts each day under the section it had.
 * - `analytics_daily_reach`: covering index for the days at the edges of a range (read from `analytics_daily`): the
 *   per-article queries read day, kind, article, section and count and nothing else.
 * Both summaries are filled from the rollups already there; the rollup job keeps them in step from now on
 * (`analytics/summaries.ts`). On SQLite they are WITHOUT ROWID tables: a range of months or days is one walk of the
 * primary key, with the numbers in it.
 */
export async function up(db: Kysely<unknown>, caps: DialectCapabilities): Promise<void> {
  const clustered = <T extends { modifyEnd: (s: ReturnType<typeof sql>) => T }>(t: T): T => (caps.name === 'postgres' ? t : t.modifyEnd(sql`without rowid`));
  await clustered(db.schema.createTable('analytics_day_totals')
    .addColumn('day', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('detail', 'text', (c) => c.notNull())
    .addColumn('attributed', 'integer', (c) => c.notNull())
    .addColumn('count', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('analytics_day_totals_pk', ['day', 'kind', 'detail', 'attributed'])).execute();
  await clustered(db.schema.createTable('analytics_article_months')
    .addColumn('month', 'text', (c) => c.notNull())
    .addColumn('article_id', 'text', (c) => c.notNull())
    .addColumn('section_id', 'text', (c) => c.notNull())
    .addColumn('views', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('paywalls', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('clicks', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('checkouts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('orders', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('registrations', 'integer', (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint('analytics_article_months_pk', ['month', 'article_id', 'section_id'])).execute();
  await db.schema.createIndex('analytics_daily_reach').on('analytics_daily').columns(['day', 'kind', 'article_id', 'section_id', 'count']).execute();

  const count = sql.ref('count');
  await sql`insert into analytics_day_totals (day, kind, detail, attributed, count)
    select day, kind, detail, case when article_id <> '' then 1 else 0 end, sum(${count}) from analytics_daily
    group by day, kind, detail, case when article_id <> '' then 1 else 0 end`.execute(db);
  const sum = (kind: string) => sql`sum(case when kind = ${sql.lit(kind)} then ${count} else 0 end)`;
  await sql`insert into analytics_article_months (month, article_id, section_id, views, paywalls, clicks, checkouts, orders, registrations)
    select substr(day, 1, 7), article_id, section_id, ${sum('view')}, ${sum('paywall')}, ${sum('offer_click')}, ${sum('checkout')}, ${sum('order')}, ${sum('registration')}
    from analytics_daily where article_id <> '' and kind in ('view', 'paywall', 'offer_click', 'checkout', 'order', 'registration')
    group by substr(day, 1, 7), article_id, section_id`.execute(db);
}
