// The insight summaries (migration 015, decision 034): site-wide totals per day and wide rows per article and month, kept in step with analytics_daily, and the split of a range into whole months and edge days.
import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Database } from '../db/index.ts';

/** The kinds an article's month row sums, by column. */
const MONTH_COLUMNS = { views: 'view', paywalls: 'paywall', clicks: 'offer_click', checkouts: 'checkout', orders: 'order', registrations: 'registration' } as const;
type MonthColumn = keyof typeof MONTH_COLUMNS;
const COLUMNS = Object.keys(MONTH_COLUMNS) as MonthColumn[];
const KINDS = Object.values(MONTH_COLUMNS);
const count = sql.ref('count');
const attributed = sql`case when article_id <> '' then 1 else 0 end`;

/** `sign × sum of count` of one kind, for a column of analytics_article_months. */
const sumOf = (column: MonthColumn, sign: 1 | -1 = 1): RawBuilder<number> =>
  sql<number>`${sql.lit(sign)} * sum(case when kind = ${MONTH_COLUMNS[column]} then ${count} else 0 end)`;
const columnList = sql.join(COLUMNS.map((c) => sql.ref(c)));

/** `YYYY-MM-DD` of the last day of a month `YYYY-MM`. */
export function lastDayOf(month: string): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10);
}

/** Days from `from` to `to`, both included (0 when `to` is before `from`). */
const daysFromTo = (from: string, to: string): number => Math.round((Date.parse(`${to}T12:00:00Z`) - Date.parse(`${from}T12:00:00Z`)) / 86_400_000) + 1;
const shift = (day: string, n: number): string => new Date(Date.parse(`${day}T12:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
const nextMonth = (month: string): string => shift(`${lastDayOf(month)}`, 1).slice(0, 7);

/**
 * Recomputes the summaries of the days `fromDay`…`toDay` from analytics_daily: their day totals, and the month rows of
 * every month they touch (whole months, so a month is never half old, half new). Call it inside the transaction that
 * wrote the rollups (the history seed, a bulk load); the rollup job keeps the summaries in step day by day (`replaceDay`).
 */
export async function rebuildSummaries(db: Kysely<Database>, fromDay: string, toDay: string): Promise<void> {
  await db.deleteFrom('analytics_day_totals').where('day', '>=', fromDay).where('day', '<=', toDay).execute();
  await sql`insert into analytics_day_totals (day, kind, detail, attributed, count)
    select day, kind, detail, ${attributed}, sum(${count}) from analytics_daily where day >= ${fromDay} and day <= ${toDay}
    group by day, kind, detail, ${attributed}`.execute(db);
  const first = fromDay.slice(0, 7);
  const last = toDay.slice(0, 7);
  await db.deleteFrom('analytics_article_months').where('month', '>=', first).where('month', '<=', last).execute();
  await sql`insert into analytics_article_months (month, article_id, section_id, ${columnList})
    select substr(day, 1, 7), article_id, section_id, ${sql.join(COLUMNS.map((c) => sumOf(c)))}
    from analytics_daily where day >= ${`${first}-01`} and day <= ${lastDayOf(last)} and article_id <> '' and kind in (${sql.join(KINDS)})
    group by substr(day, 1, 7), article_id, section_id`.execute(db);
}

/** Adds (sign 1) or takes away (sign −1) one day's rollup rows from its month's article rows. */
async function moveDayIntoMonth(db: Kysely<Database>, day: string, sign: 1 | -1): Promise<void> {
  await sql`insert into analytics_article_months (month, article_id, section_id, ${columnList})
    select substr(day, 1, 7), article_id, section_id, ${sql.join(COLUMNS.map((c) => sumOf(c, sign)))}
    from analytics_daily where day = ${day} and article_id <> '' and kind in (${sql.join(KINDS)})
    group by substr(day, 1, 7), article_id, section_id
    on conflict (month, article_id, section_id) do update set
    ${sql.join(COLUMNS.map((c) => sql`${sql.ref(c)} = analytics_article_months.${sql.ref(c)} + excluded.${sql.ref(c)}`))}`.execute(db);
}

/**
 * Replaces one day in the summaries around `rewrite`, which replaces the day's rows in analytics_daily: the day's old
 * counts leave its month rows before, the new ones enter after, the day's totals are written anew, and month rows left
 * at zero are removed. Cost: the day's rows, twice — not the month's. Run it inside the rollup's transaction.
 */
export async function replaceDay<T>(db: Kysely<Database>, day: string, rewrite: () => Promise<T>): Promise<T> {
  await moveDayIntoMonth(db, day, -1);
  const result = await rewrite();
  await moveDayIntoMonth(db, day, 1);
  let zero = db.deleteFrom('analytics_article_months').where('month', '=', day.slice(0, 7));
  for (const c of COLUMNS) zero = zero.where(c, '=', 0);
  await zero.execute();
  await db.deleteFrom('analytics_day_totals').where('day', '=', day).execute();
  await sql`insert into analytics_day_totals (day, kind, detail, attributed, count)
    select day, kind, detail, ${attributed}, sum(${count}) from analytics_daily where day = ${day}
    group by day, kind, detail, ${attributed}`.execute(db);
  return result;
}

/** Every day from `from` to `to`, both included. */
export function daysOf(span: { from: string; to: string }): string[] {
  return Array.from({ length: Math.max(0, daysFromTo(span.from, span.to)) }, (_, i) => shift(span.from, i));
}

/** Days read from analytics_daily and added (sign 1) or taken away (sign −1). */
export interface EdgeDays { from: string; to: string; sign: 1 | -1 }
/** How a range is read: whole months from analytics_article_months (none: null) and a few days from analytics_daily. */
export interface MonthPlan { months: { from: string; to: string } | null; days: EdgeDays[] }

/**
 * Splits a range of days into whole months and edge days. A month the range covers only partly is read as its days when
 * they are at most half of it, else as the whole month minus the days outside the range (exact: every figure is a sum).
 * So a range never reads more than about half a month of daily rows at each end — usually none: a range ending today
 * takes this month minus the days still to come, which have no rows.
 */
export function monthPlan(span: { from: string; to: string }): MonthPlan {
  const plan: MonthPlan = { months: null, days: [] };
  const whole = (month: string) => {
    plan.months = plan.months ? { from: plan.months.from, to: month } : { from: month, to: month };
  };
  for (let month = span.from.slice(0, 7); month <= span.to.slice(0, 7); month = nextMonth(month)) {
    const start = `${month}-01`;
    const end = lastDayOf(month);
    const from = span.from > start ? span.from : start;
    const to = span.to < end ? span.to : end;
    const inside = daysFromTo(from, to);
    const all = daysFromTo(start, end);
    if (inside === all) { whole(month); continue; }
    if (inside * 2 <= all) { plan.days.push({ from, to, sign: 1 }); continue; }
    whole(month);
    if (from > start) plan.days.push({ from: start, to: shift(from, -1), sign: -1 });
    if (to < end) plan.days.push({ from: shift(to, 1), to: end, sign: -1 });
  }
  return plan;
}
