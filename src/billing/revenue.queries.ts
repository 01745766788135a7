// Revenue figures from the contracts themselves (subscriptions, and charges for intro-to-paid), in SQL that runs unchanged on SQLite and PostgreSQL.
// Each function is the SQL form of a definition in revenue.ts; revenue.queries.test.ts checks both against hand-computed contracts.
import { sql, type RawBuilder } from 'kysely';
import { addDays, addMonths, berlinDate, berlinMidnight } from './billing-calendar.ts';
import type { Db } from './subscription.store.ts';
import {
  arpu, firstAnchorWithRegularAfter, justBefore, mondayOf, rangeBounds, share, sortOffers, weeksOf,
  type Churn, type IntroConversion, type OfferShare, type RevenueRange, type WeekFlow,
} from './revenue.ts';

/** Offers allow intro periods of up to 24 months (offerInputSchema); each length gets its own threshold. */
const MAX_INTRO_MONTHS = 24;

const PAID = sql`kind = 'paid' and periods_paid > 0`;
const MONTHS = sql`(case when period = 'year' then 12 else 1 end)`;
const PER_12 = sql`(case when period = 'year' then 1 else 12 end)`;
const INTRO = sql`(intro_price_cents is not null and intro_months > 0)`;

const live = (t: string) => sql`(starts_at <= ${t} and (ended_at is null or ended_at > ${t}))`;

/** A CASE branch: for intro length m, the Berlin midnight of the first anchor whose regular price begins after `day`. */
const anchorBranch = (m: number, day: string) => sql`when ${m} then ${berlinMidnight(firstAnchorWithRegularAfter(m, day)).toISOString()}`;

/**
 * The starts_at from which a contract with each intro length is still before its regular price at t: its first day is
 * at or after firstAnchorWithRegularAfter(m, Berlin day of t). One CASE branch per possible length.
 */
function introThreshold(t: string): RawBuilder<string> {
  const day = berlinDate(new Date(t));
  const branches = Array.from({ length: MAX_INTRO_MONTHS }, (_, i) => anchorBranch(i + 1, day));
  return sql<string>`(case intro_months ${sql.join(branches, sql` `)} end)`;
}

/** monthlyValue12At in SQL: twelve times the monthly gross value of a live paid contract at t. */
const value12At = (t: string) =>
  sql`(case when ${INTRO} and starts_at >= ${introThreshold(t)} then intro_price_cents * ${PER_12} else price_cents * ${PER_12} end)`;

const num = (v: unknown): number => Number(v ?? 0);

export interface RangeFigures {
  /** MRR (gross cents) at the end of the range, and right before it began */
  mrrCents: number;
  mrrAtStartCents: number;
  /** paid contracts live at the end, and right before the start */
  paying: number;
  payingAtStart: number;
  arpuCents: number | null;
  started: number;
  cancelled: number;
  ended: number;
  churn: Churn;
  intro: IntroConversion;
}

export interface RevenueSummary { range: RevenueRange; current: RangeFigures; previous: RangeFigures }

/** Levels at an instant, flows and churn of one range, as SQL columns named with a prefix. */
function rangeColumns(p: string, range: RevenueRange, now: Date) {
  const { start, end } = rangeBounds(range, now);
  const before = justBefore(start);
  const inRange = (col: string) => sql`${sql.ref(col)} >= ${start} and ${sql.ref(col)} <= ${end}`;
  const count = (cond: RawBuilder<unknown>, name: string) => sql`sum(case when ${cond} then 1 else 0 end)`.as(`${p}_${name}`);
  return [
    count(live(before), 'n0'),
    sql`sum(case when ${live(before)} then ${value12At(before)} else 0 end)`.as(`${p}_v0`),
    count(live(end), 'n1'),
    sql`sum(case when ${live(end)} then ${value12At(end)} else 0 end)`.as(`${p}_v1`),
    count(sql`${live(before)} and ended_at <= ${end}`, 'churned'),
    count(inRange('starts_at'), 'started'),
    count(inRange('cancel_requested_at'), 'cancelled'),
    count(inRange('ended_at'), 'ended'),
  ];
}

/** The key revenue figures of a range and of the range before it (for the overview and the revenue page's comparison). */
export async function revenueSummary(db: Db, range: RevenueRange, previousRange: RevenueRange, now: Date = new Date()): Promise<RevenueSummary> {
  // one statement per range (eight sums each), over the contracts that can count in it: begun by its end, not ended before it
  const columnsOf = async (p: string, r: RevenueRange) => {
    const { start, end } = rangeBounds(r, now);
    return (await sql<Record<string, unknown>>`select ${sql.join(rangeColumns(p, r, now))} from subscriptions
      where ${PAID} and starts_at <= ${end} and (ended_at is null or ended_at > ${justBefore(start)})`.execute(db)).rows[0] ?? {};
  };
  const row = { ...(await columnsOf('c', range)), ...(await columnsOf('p', previousRange)) };
  const intro = await introConversions(db, [range, previousRange], now);
  const figures = (p: string, i: IntroConversion): RangeFigures => {
    const mrrCents = Math.round(num(row[`${p}_v1`]) / 12);
    const paying = num(row[`${p}_n1`]);
    const activeAtStart = num(row[`${p}_n0`]);
    const endedOfThose = num(row[`${p}_churned`]);
    return {
      mrrCents, mrrAtStartCents: Math.round(num(row[`${p}_v0`]) / 12), paying, payingAtStart: activeAtStart, arpuCents: arpu(mrrCents, paying),
      started: num(row[`${p}_started`]), cancelled: num(row[`${p}_cancelled`]), ended: num(row[`${p}_ended`]),
      churn: { activeAtStart, endedOfThose, rate: share(endedOfThose, activeAtStart) }, intro: i,
    };
  };
  return { range, current: figures('c', intro[0]!), previous: figures('p', intro[1]!) };
}

/**
 * Intro-to-paid for each range: paid contracts whose first regular day lies in it (per intro length, a window of
 * starts_at), and whether their first regular charge came back (returned or failed) — read from charges through its
 * (subscription, kind, period) index.
 */
export async function introConversions(db: Db, ranges: RevenueRange[], now: Date): Promise<IntroConversion[]> {
  // first regular day in [from, to]  ⇔  anchor ≥ a*(m, from − 1) and anchor < a*(m, to)
  const windowOf = (r: RevenueRange) => {
    const to = berlinDate(new Date(rangeBounds(r, now).end));
    const lo = Array.from({ length: MAX_INTRO_MONTHS }, (_, i) => anchorBranch(i + 1, addDays(r.from, -1)));
    const hi = Array.from({ length: MAX_INTRO_MONTHS }, (_, i) => anchorBranch(i + 1, to));
    return sql`(starts_at >= (case intro_months ${sql.join(lo, sql` `)} end) and starts_at < (case intro_months ${sql.join(hi, sql` `)} end))`;
  };
  const which = sql.join(ranges.map((r, i) => sql`when ${windowOf(r)} then ${i}`), sql` `);
  /*
   * The first regular charges that came back or failed, as a set the engine builds once (SQLite: an ephemeral index,
   * PostgreSQL: a hashed subplan) instead of two index lookups per contract. Only recent ones can matter: such a charge
   * is due on or after the first regular day (SEPA: the day, or the day after the billing run; Stripe: when the invoice
   * came), so one due more than a month before the earliest range began cannot belong to these contracts; the
   * (state, due_on) index finds them.
   */
  const earliest = ranges.reduce((a, r) => (r.from < a ? r.from : a), ranges[0]!.from);
  const failedFirst = sql`subscriptions.id in (select c.subscription_id from charges c
    where c.state in ('returned', 'failed') and c.due_on >= ${addDays(earliest, -31)} and c.kind = 'regular'
      and c.period_start = (select min(c2.period_start) from charges c2 where c2.subscription_id = c.subscription_id and c2.kind = 'regular'))`;
  // only a contract renewed past its intro has regular charges; the others are decided by the row alone
  const outcome = sql`(case when periods_paid * ${MONTHS} > intro_months then (case when ${failedFirst} then 'lost' else 'paying' end)
    when ended_at is null then 'open' else 'lost' end)`;
  const rows = (await sql<{ r: number | string; outcome: 'paying' | 'lost' | 'open'; n: number | string }>`
    select r, outcome, count(*) as n from (
      select (case ${which} else null end) as r, ${outcome} as outcome from subscriptions
      where ${PAID} and ${INTRO} and (${sql.join(ranges.map(windowOf), sql` or `)})
    ) x where r is not null group by r, outcome`.execute(db)).rows;
  return ranges.map((_, i) => {
    const out = { ended: 0, paying: 0, lost: 0, open: 0 };
    for (const r of rows) if (Number(r.r) === i) { out[r.outcome] += num(r.n); out.ended += num(r.n); }
    return { ...out, rate: share(out.paying, out.ended) };
  });
}

/** Live subscriptions at the end of the range by offer and kind, with their MRR (gift and comp with 0). */
export async function activeByOfferAt(db: Db, range: RevenueRange, now: Date): Promise<OfferShare[]> {
  const { end } = rangeBounds(range, now);
  const rows = (await sql<{ offer_name: string; kind: OfferShare['kind']; n: number | string; v12: number | string | null }>`
    select offer_name, kind, count(*) as n, sum(case when kind = 'paid' then ${value12At(end)} else 0 end) as v12 from subscriptions
    where ${live(end)} and (periods_paid > 0 or kind = 'comp') group by offer_name, kind`.execute(db)).rows;
  return sortOffers(rows.map((r) => ({ offerName: r.offer_name, kind: r.kind, count: num(r.n), mrrCents: Math.round(num(r.v12) / 12) })));
}

/**
 * A Berlin-day key an SQL engine computes cheaply from an ISO instant: the UTC date and whether the hour is before
 * 22:00, 22:xx or 23:xx. Berlin midnights fall only on 22:00 (summer) or 23:00 (winter) UTC, so every instant with
 * the same key lies on the same side of every Berlin midnight: the key stands in for the instant exactly where
 * weeks are concerned, and grouping by it keeps the groups few.
 */
const dayKey = (col: string) => sql<string>`substr(${sql.ref(col)}, 1, 10) || (case when substr(${sql.ref(col)}, 12, 2) < '22' then '' when substr(${sql.ref(col)}, 12, 2) < '23' then 'a' else 'b' end)`;
/** dayKey, and `=` when the instant is a whole hour: an end exactly at a Berlin midnight (a period end) is then told from one later in that hour. */
const exactKey = (col: string) => sql<string>`${dayKey(col)} || (case when substr(${sql.ref(col)}, 14) = ':00:00.000Z' then '=' else '' end)`;
/** An instant with the same key, so comparisons with Berlin midnights (before, equal, after) come out as for the real one. */
function instantOfKey(key: string): string {
  const exact = key.endsWith('=');
  const part = key.slice(10, exact ? -1 : undefined);
  const time = part === 'a' ? (exact ? '22:00' : '22:30') : part === 'b' ? (exact ? '23:00' : '23:30') : '12:00';
  return `${key.slice(0, 10)}T${time}:00.000Z`;
}

export interface WeekPoint extends WeekFlow { mrrCents: number }

/**
 * Per ISO week of the range: MRR at the end of the week (for the running week: now), and paid contracts begun,
 * cancellations received and contracts ended in it. Reconstructed from the contracts: MRR right before the range,
 * then every change inside it — a start adds its first monthly value, the end of an intro swaps intro for regular
 * price, an end takes its last value away.
 */
export async function weeklyRevenue(db: Db, range: RevenueRange, now: Date): Promise<WeekPoint[]> {
  const weeks = weeksOf(range, now);
  if (weeks.length === 0) return [];
  const { start, end } = rangeBounds(range, now);
  const before = justBefore(start);
  const inRange = (col: string) => sql`${sql.ref(col)} >= ${start} and ${sql.ref(col)} <= ${end}`;
  const startValue = sql`(case when ${INTRO} then intro_price_cents else price_cents end) * ${PER_12}`;
  // regular price beginning inside the range (first regular day from `from` to the last day counted)
  const lo = Array.from({ length: MAX_INTRO_MONTHS }, (_, i) => anchorBranch(i + 1, addDays(range.from, -1)));
  const hi = Array.from({ length: MAX_INTRO_MONTHS }, (_, i) => anchorBranch(i + 1, berlinDate(new Date(end))));
  const switchesInRange = sql`${INTRO} and (ended_at is null or ended_at > ${start})
    and starts_at >= (case intro_months ${sql.join(lo, sql` `)} end) and starts_at < (case intro_months ${sql.join(hi, sql` `)} end)`;
  type KeyRow = { k: string; s: string; m: number | string; a: number | string | null; b: number | string | null; n: number | string };
  /*
   * Statement by statement (a scan of the contracts each; SQLite runs them one after the other): the level right before
   * the range, starts, ends (intro contracts keep their start key: whether the value taken away is the intro or the
   * regular one depends on the intro's end), cancellations, and the switches from intro to regular price (with the end's
   * key: a switch counts only if the contract still runs then). One pass with a CROSS JOIN over the five kinds was
   * tried and was several times slower on SQLite.
   */
  const level = await sql<{ a: number | string | null }>`select sum(${value12At(before)}) as a from subscriptions where ${PAID} and ${live(before)}`.execute(db);
  const starts = await sql<KeyRow>`select ${dayKey('starts_at')} as k, '' as s, 0 as m, sum(${startValue}) as a, 0 as b, count(*) as n
    from subscriptions where ${PAID} and ${inRange('starts_at')} group by 1`.execute(db);
  const ends = await sql<KeyRow>`select ${exactKey('ended_at')} as k, (case when ${INTRO} then ${dayKey('starts_at')} else '' end) as s,
      (case when ${INTRO} then intro_months else 0 end) as m, sum(case when ${INTRO} then intro_price_cents * ${PER_12} else 0 end) as a,
      sum(price_cents * ${PER_12}) as b, count(*) as n
    from subscriptions where ${PAID} and ${inRange('ended_at')} group by 1, 2, 3`.execute(db);
  const cancels = await sql<KeyRow>`select ${dayKey('cancel_requested_at')} as k, '' as s, 0 as m, 0 as a, 0 as b, count(*) as n
    from subscriptions where ${PAID} and ${inRange('cancel_requested_at')} group by 1`.execute(db);
  const switches = await sql<KeyRow>`select ${dayKey('starts_at')} as k, (case when ended_at is null then '' else ${exactKey('ended_at')} end) as s, intro_months as m,
      sum((price_cents - intro_price_cents) * ${PER_12}) as a, 0 as b, count(*) as n
    from subscriptions where ${PAID} and ${switchesInRange} group by 1, 2, 3`.execute(db);
  const rows = [
    { c: 0, r: level.rows.map((r) => ({ k: '', s: '', m: 0, a: r.a, b: 0, n: 0 })) }, { c: 1, r: starts.rows }, { c: 2, r: ends.rows }, { c: 3, r: cancels.rows }, { c: 4, r: switches.rows },
  ].flatMap(({ c, r }) => r.map((x) => ({ ...x, c })));

  // every change in the range lands in its week (SQL kept only those in the range); MRR walks from the level before it
  const weekOf = (at: string) => mondayOf(berlinDate(new Date(at)));
  const introEndOf = (startKey: string, m: number) => berlinMidnight(addMonths(berlinDate(new Date(instantOfKey(startKey))), m)).toISOString();
  const add = (map: Map<string, number>, week: string, n: number) => map.set(week, (map.get(week) ?? 0) + n);
  const delta = new Map<string, number>();
  const flows = [new Map<string, number>(), new Map<string, number>(), new Map<string, number>(), new Map<string, number>()];
  let v12 = 0;
  for (const r of rows) {
    const kind = num(r.c);
    const [m, a, b] = [num(r.m), num(r.a), num(r.b)];
    if (kind === 0) { v12 += a; continue; }
    if (kind === 4) {
      const at = introEndOf(r.k, m);
      if (r.s === '' || instantOfKey(r.s) > at) add(delta, weekOf(at), a);
      continue;
    }
    const at = instantOfKey(r.k);
    add(flows[kind]!, weekOf(at), num(r.n));
    if (kind === 1) add(delta, weekOf(at), a);
    if (kind === 2) add(delta, weekOf(at), -(m > 0 && at <= introEndOf(r.s, m) ? a : b));
  }
  const [s, cancelled, e] = [flows[1]!, flows[3]!, flows[2]!];
  return weeks.map((w) => {
    v12 += delta.get(w.monday) ?? 0;
    return { monday: w.monday, mrrCents: Math.round(v12 / 12), started: s.get(w.monday) ?? 0, cancelled: cancelled.get(w.monday) ?? 0, ended: e.get(w.monday) ?? 0 };
  });
}
