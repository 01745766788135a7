// Revenue definitions as pure functions: which contract counts when, at what monthly value, and the figures built on that (MRR, churn, ARPU, intro-to-paid).
// docs/insights.md ("Umsatz") states the same rules in words; revenue.queries.ts computes them in SQL and must agree with these.
import { mondayOf } from '../berlin-time.ts';
import { addDays, addMonths, berlinDate, berlinMidnight } from './billing-calendar.ts';

/** The part of a contract the revenue figures read (a `subscriptions` row, mapped). Instants are ISO strings (UTC). */
export interface RevenueContract {
  kind: 'paid' | 'gift' | 'comp';
  offerName: string;
  startsAt: string;
  endedAt: string | null;
  cancelRequestedAt: string | null;
  /** 0 = never started (an order that never got its first period) */
  periodsPaid: number;
  priceCents: number;
  period: string;
  introPriceCents: number | null;
  introMonths: number;
}

/** A range of Berlin days, both ends included (the insights pages' DayRange has this shape). */
export interface RevenueRange { from: string; to: string }

const MS = 1;

export const monthsOf = (c: Pick<RevenueContract, 'period'>): number => (c.period === 'year' ? 12 : 1);
export const hasIntro = (c: Pick<RevenueContract, 'introPriceCents' | 'introMonths'>): boolean => c.introPriceCents !== null && c.introMonths > 0;

/** A paid contract that has begun (its first period started). Gift and comp subscriptions bring no recurring revenue. */
export const isRevenueContract = (c: Pick<RevenueContract, 'kind' | 'periodsPaid'>): boolean => c.kind === 'paid' && c.periodsPaid > 0;

/** Live at instant t: begun at or before t and not yet ended. */
export const liveAt = (c: Pick<RevenueContract, 'startsAt' | 'endedAt'>, t: string): boolean => c.startsAt <= t && (c.endedAt === null || c.endedAt > t);

/** The first instant at the regular price: Berlin midnight of the contract's first day + intro months (the billing calendar's period end). */
export function introEnd(c: Pick<RevenueContract, 'startsAt' | 'introPriceCents' | 'introMonths'>): string | null {
  if (!hasIntro(c)) return null;
  return berlinMidnight(addMonths(berlinDate(new Date(c.startsAt)), c.introMonths)).toISOString();
}

/**
 * Twelve times the monthly value at instant t, in gross cents (VAT included), so that yearly prices stay integers:
 * a monthly price counts 12 ×, a yearly one 1 ×. Before introEnd the intro price, from then on the regular price (the
 * billing calendar's dates, whatever the billing run has done yet). 0 when the contract does not count or is not live at t.
 */
export function monthlyValue12At(c: RevenueContract, t: string): number {
  if (!isRevenueContract(c) || !liveAt(c, t)) return 0;
  const per = 12 / monthsOf(c);
  return hasIntro(c) && t < introEnd(c)! ? c.introPriceCents! * per : c.priceCents * per;
}

/** Monthly recurring revenue at t in whole gross cents: the sum of the monthly values, rounded once at the end. */
export function mrrAt(contracts: readonly RevenueContract[], t: string): number {
  return Math.round(contracts.reduce((sum, c) => sum + monthlyValue12At(c, t), 0) / 12);
}

export const payingAt = (contracts: readonly RevenueContract[], t: string): number => contracts.filter((c) => isRevenueContract(c) && liveAt(c, t)).length;

/** Average monthly revenue per paying subscription (gross cents, rounded); null without paying subscriptions. */
export const arpu = (mrrCents: number, paying: number): number | null => (paying > 0 ? Math.round(mrrCents / paying) : null);

/** A share as a fraction 0…1; null when there is nothing to divide by (shown as „–“, never as 0 %). */
export const share = (part: number, whole: number): number | null => (whole > 0 ? part / whole : null);

/** The instants a range covers: start = Berlin midnight of `from`; end = the last millisecond of `to`, or now if that is earlier. */
export function rangeBounds(range: RevenueRange, now: Date): { start: string; end: string } {
  const start = berlinMidnight(range.from).toISOString();
  const last = new Date(berlinMidnight(addDays(range.to, 1)).getTime() - MS);
  const end = now.getTime() < last.getTime() ? now : last;
  return { start, end: end.toISOString() };
}

/** The instant just before `iso`: "at the start of the range" means live right before its first midnight. */
export const justBefore = (iso: string): string => new Date(Date.parse(iso) - MS).toISOString();

export { mondayOf };

export interface WeekSlot {
  /** the week's Monday, YYYY-MM-DD (the chart's x) */
  monday: string;
  /** first instant of the week counted (Monday 0:00 Berlin, or the range start) */
  start: string;
  /** last instant counted: the end of the week, or of the range, or now */
  end: string;
}

/** The ISO weeks (Berlin Mondays) a range touches, each cut to the range and to now; weeks that begin after now are left out. */
export function weeksOf(range: RevenueRange, now: Date): WeekSlot[] {
  const bounds = rangeBounds(range, now);
  const out: WeekSlot[] = [];
  for (let monday = mondayOf(range.from); monday <= range.to; monday = addDays(monday, 7)) {
    const weekStart = berlinMidnight(monday).toISOString();
    const weekEnd = justBefore(berlinMidnight(addDays(monday, 7)).toISOString());
    const start = weekStart < bounds.start ? bounds.start : weekStart;
    const end = weekEnd > bounds.end ? bounds.end : weekEnd;
    if (start > end) break;
    out.push({ monday, start, end });
  }
  return out;
}

const within = (t: string | null, start: string, end: string): boolean => t !== null && t >= start && t <= end;

export interface WeekFlow { monday: string; started: number; cancelled: number; ended: number }

/** Per week: paid contracts begun, cancellations received (still standing: a withdrawn one is gone from the contract) and contracts ended. */
export function weeklyFlows(contracts: readonly RevenueContract[], weeks: readonly WeekSlot[]): WeekFlow[] {
  const paid = contracts.filter(isRevenueContract);
  return weeks.map((w) => ({
    monday: w.monday,
    started: paid.filter((c) => within(c.startsAt, w.start, w.end)).length,
    cancelled: paid.filter((c) => within(c.cancelRequestedAt, w.start, w.end)).length,
    ended: paid.filter((c) => within(c.endedAt, w.start, w.end)).length,
  }));
}

export interface Churn { activeAtStart: number; endedOfThose: number; rate: number | null }

/** Churn of a range: of the paid contracts live right before its first day, the share that ended by its end. New contracts of the range do not count. */
export function churnOf(contracts: readonly RevenueContract[], range: RevenueRange, now: Date): Churn {
  const { start, end } = rangeBounds(range, now);
  const before = justBefore(start);
  const cohort = contracts.filter((c) => isRevenueContract(c) && liveAt(c, before));
  const endedOfThose = cohort.filter((c) => c.endedAt !== null && c.endedAt <= end).length;
  return { activeAtStart: cohort.length, endedOfThose, rate: share(endedOfThose, cohort.length) };
}

/** The Berlin day the regular price begins (the first day after the intro), or null without an intro. */
export function firstRegularDay(c: Pick<RevenueContract, 'startsAt' | 'introPriceCents' | 'introMonths'>): string | null {
  return hasIntro(c) ? addMonths(berlinDate(new Date(c.startsAt)), c.introMonths) : null;
}

/**
 * The earliest first day (anchor) of a contract with `introMonths` whose regular price begins after `day`:
 * addMonths(anchor, m) > day. addMonths never decreases as the anchor grows, so this is a threshold the queries compare
 * starts_at with (as the anchor's Berlin midnight).
 */
export function firstAnchorWithRegularAfter(introMonths: number, day: string): string {
  let a = addDays(addMonths(day, -introMonths), -4);
  while (addMonths(a, introMonths) <= day) a = addDays(a, 1);
  return a;
}

export type IntroOutcome = 'paying' | 'lost' | 'open';

/** Renewed past its intro periods: it has begun a period at the regular price. */
export const renewedPastIntro = (c: RevenueContract): boolean => c.periodsPaid * monthsOf(c) > c.introMonths;

/**
 * What became of a contract after its intro: `paying` when it was renewed past the intro and its first regular charge
 * was not returned or failed; `lost` when that charge came back or failed, or the contract ended without a regular
 * period; `open` while it runs and the renewal is still to come (billing run or Stripe not yet through).
 */
export function introOutcome(c: RevenueContract, firstRegularChargeFailed: boolean): IntroOutcome {
  // only a contract renewed past its intro has regular charges
  if (!renewedPastIntro(c)) return c.endedAt === null ? 'open' : 'lost';
  return firstRegularChargeFailed ? 'lost' : 'paying';
}

export interface IntroConversion { ended: number; paying: number; lost: number; open: number; rate: number | null }

/** Intro-to-paid: of the paid contracts whose first regular day lies in the range (up to today), the share that went on paying (÷ all of them, open ones included). */
export function introConversion(items: readonly { contract: RevenueContract; firstRegularChargeFailed: boolean }[], range: RevenueRange, now: Date): IntroConversion {
  const out = { ended: 0, paying: 0, lost: 0, open: 0 };
  const to = berlinDate(new Date(rangeBounds(range, now).end));
  for (const { contract, firstRegularChargeFailed } of items) {
    if (!isRevenueContract(contract)) continue;
    const day = firstRegularDay(contract);
    if (day === null || day < range.from || day > to) continue;
    out.ended++;
    out[introOutcome(contract, firstRegularChargeFailed)]++;
  }
  return { ...out, rate: share(out.paying, out.ended) };
}

export interface OfferShare { offerName: string; kind: RevenueContract['kind']; count: number; mrrCents: number }

/** Live subscriptions at t by offer and kind (gift and comp listed, with 0 MRR), the biggest first. */
export function activeByOffer(contracts: readonly RevenueContract[], t: string): OfferShare[] {
  const map = new Map<string, OfferShare & { v12: number }>();
  for (const c of contracts) {
    const started = c.kind === 'comp' || c.periodsPaid > 0;
    if (!started || !liveAt(c, t)) continue;
    const key = `${c.kind}\u0000${c.offerName}`;
    const row = map.get(key) ?? { offerName: c.offerName, kind: c.kind, count: 0, mrrCents: 0, v12: 0 };
    row.count++;
    row.v12 += monthlyValue12At(c, t);
    map.set(key, row);
  }
  return sortOffers([...map.values()].map(({ v12, ...r }) => ({ ...r, mrrCents: Math.round(v12 / 12) })));
}

const KIND_ORDER = { paid: 0, gift: 1, comp: 2 } as const;
export const sortOffers = (rows: OfferShare[]): OfferShare[] =>
  rows.sort((a, b) => KIND_ORDER[a.kind] - KIND_ORDER[b.kind] || b.count - a.count || a.offerName.localeCompare(b.offerName, 'de'));
