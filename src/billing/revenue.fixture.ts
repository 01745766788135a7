// A hand-built set of contracts for the revenue tests (units, queries, the page), with the figures worked out by hand in the comments.
import type { Kysely } from 'kysely';
import { newId, type ChargeRow, type Database } from '../db/index.ts';
import { introEnd, type RevenueContract, type RevenueRange } from './revenue.ts';
import { newSubscriptionRow } from './subscription.store.ts';

/** Saturday 28 Nov 2026, 10:00 UTC (11:00 in Berlin, winter time). */
export const NOW = new Date('2026-11-28T10:00:00.000Z');
/** Sunday 1 Nov – Saturday 28 Nov: five ISO weeks touched (Mondays 26 Oct, 2, 9, 16, 23 Nov). */
export const RANGE: RevenueRange = { from: '2026-11-01', to: '2026-11-28' };
/** The 28 days before. */
export const PREVIOUS: RevenueRange = { from: '2026-10-04', to: '2026-10-31' };

type Named = RevenueContract & { name: string; state: 'active' | 'intro' | 'past_due' | 'ended' | 'pending'; firstRegularCharge?: ChargeRow['state'] };
const base = { cancelRequestedAt: null, endedAt: null, introPriceCents: null, introMonths: 0 } as const;
const monthly = { ...base, kind: 'paid', offerName: 'Plus Digital', priceCents: 999, period: 'month' } as const;
const intro = { ...monthly, introPriceCents: 100, introMonths: 1 } as const;

/**
 * Monthly values now (28 Nov): A 9,99 · B 1,00 (intro until 20 Dec) · C 99,00/12 = 8,25 · F 9,99 (payment outstanding
 * still counts) · G 9,99 (cancelled, ends 20 Dec) · I 9,99 · M 9,99 → MRR 59,20 €, 7 paying, ARPU 8,46 €.
 * Right before 1 Nov: A, C, F, G (regular since 20 Oct), H, I, J (intro, 1,00 each) → 41,22 €, 7 live.
 */
export const CONTRACTS: Named[] = [
  { ...monthly, name: 'A', state: 'active', startsAt: '2026-06-10T08:00:00.000Z', periodsPaid: 6 },
  { ...intro, name: 'B', state: 'intro', startsAt: '2026-11-20T09:00:00.000Z', periodsPaid: 1 },
  { ...base, kind: 'paid', offerName: 'Plus Jahresabo', priceCents: 9900, period: 'year', name: 'C', state: 'active', startsAt: '2026-03-15T10:00:00.000Z', periodsPaid: 1 },
  { ...base, kind: 'gift', offerName: 'Plus verschenken', priceCents: 2997, period: 'month', name: 'D', state: 'active', startsAt: '2026-11-02T10:00:00.000Z', periodsPaid: 1 },
  { ...base, kind: 'comp', offerName: 'Freiabo', priceCents: 0, period: 'month', name: 'E', state: 'active', startsAt: '2026-05-01T10:00:00.000Z', periodsPaid: 0 },
  { ...monthly, name: 'F', state: 'past_due', startsAt: '2026-01-05T10:00:00.000Z', periodsPaid: 11 },
  // intro ended 20 Oct (regular since then), cancellation received 10 Nov, takes effect 20 Dec
  { ...intro, name: 'G', state: 'active', startsAt: '2026-09-20T10:00:00.000Z', periodsPaid: 3, cancelRequestedAt: '2026-11-10T12:00:00.000Z' },
  // cancelled in the intro, ended at its end (midnight 5 Nov, 4 Nov 23:00 UTC): lost, and churned
  { ...intro, name: 'H', state: 'ended', startsAt: '2026-10-05T10:00:00.000Z', periodsPaid: 1, cancelRequestedAt: '2026-10-20T09:00:00.000Z', endedAt: '2026-11-04T23:00:00.000Z' },
  // regular from 12 Nov, first regular debit paid: went on paying
  { ...intro, name: 'I', state: 'active', startsAt: '2026-10-12T10:00:00.000Z', periodsPaid: 2, firstRegularCharge: 'paid' },
  // regular from 14 Nov, first regular debit returned, ended by dunning 27 Nov: lost, churned
  { ...intro, name: 'J', state: 'ended', startsAt: '2026-10-14T10:00:00.000Z', periodsPaid: 2, endedAt: '2026-11-27T10:00:00.000Z', firstRegularCharge: 'returned' },
  { ...monthly, name: 'K', state: 'ended', startsAt: '2025-01-01T10:00:00.000Z', periodsPaid: 22, endedAt: '2026-10-15T10:00:00.000Z' },
  // ordered, never started (Stripe checkout not finished): not counted anywhere
  { ...monthly, name: 'L', state: 'pending', startsAt: '2026-11-25T10:00:00.000Z', periodsPaid: 0 },
  { ...monthly, name: 'M', state: 'active', startsAt: '2026-11-03T10:00:00.000Z', periodsPaid: 1 },
];

/** The figures of RANGE and PREVIOUS, by hand. */
export const EXPECTED = {
  current: {
    mrrCents: 5920, mrrAtStartCents: 4122, paying: 7, payingAtStart: 7, arpuCents: 846, started: 2, cancelled: 1, ended: 2,
    churn: { activeAtStart: 7, endedOfThose: 2, rate: 2 / 7 },
    intro: { ended: 3, paying: 1, lost: 2, open: 0, rate: 1 / 3 },
  },
  previous: {
    // right before 4 Oct: A, C, F, G (intro, 1,00), K → 39,22 €; K ended 15 Oct; H, I, J began; H cancelled 20 Oct; G went on paying
    mrrCents: 4122, mrrAtStartCents: 3922, paying: 7, payingAtStart: 5, arpuCents: 589, started: 3, cancelled: 1, ended: 1,
    churn: { activeAtStart: 5, endedOfThose: 1, rate: 1 / 5 },
    intro: { ended: 1, paying: 1, lost: 0, open: 0, rate: 1 },
  },
  /** MRR at the end of each week (the last: now), and the week's flows */
  weeks: [
    { monday: '2026-10-26', mrrCents: 4122, started: 0, cancelled: 0, ended: 0 },
    { monday: '2026-11-02', mrrCents: 5021, started: 1, cancelled: 0, ended: 1 }, // + M 9,99, − H 1,00
    { monday: '2026-11-09', mrrCents: 6819, started: 0, cancelled: 1, ended: 0 }, // I and J switch to 9,99 (+ 8,99 each)
    { monday: '2026-11-16', mrrCents: 6919, started: 1, cancelled: 0, ended: 0 }, // + B 1,00
    { monday: '2026-11-23', mrrCents: 5920, started: 0, cancelled: 0, ended: 1 }, // − J 9,99
  ],
  byOffer: [
    { offerName: 'Plus Digital', kind: 'paid', count: 6, mrrCents: 5095 },
    { offerName: 'Plus Jahresabo', kind: 'paid', count: 1, mrrCents: 825 },
    { offerName: 'Plus verschenken', kind: 'gift', count: 1, mrrCents: 0 },
    { offerName: 'Freiabo', kind: 'comp', count: 1, mrrCents: 0 },
  ],
} as const;

/** Writes CONTRACTS as subscription rows (with the first regular charge where one is named) into a test database. */
export async function insertRevenueFixture(db: Kysely<Database>): Promise<void> {
  let n = 0;
  for (const c of CONTRACTS) {
    const id = newId();
    n++;
    const number = `KT-TEST-${n}`;
    await db.insertInto('subscriptions').values(newSubscriptionRow({
      id, number, user_id: null, kind: c.kind, provider: c.kind === 'comp' ? 'none' : 'sepa', state: c.state, starts_at: c.startsAt,
      offer_name: c.offerName, price_cents: c.priceCents, period: c.period, intro_price_cents: c.introPriceCents, intro_months: c.introMonths,
      periods_paid: c.periodsPaid, cancel_requested_at: c.cancelRequestedAt, ended_at: c.endedAt, created_at: c.startsAt, updated_at: c.startsAt,
    })).execute();
    if (c.firstRegularCharge) {
      const start = introEnd(c)!;
      for (const [k, state] of [[0, c.firstRegularCharge], [1, 'paid']] as const) {
        // the second regular period's charge (paid) must not hide a returned first one
        const periodStart = k === 0 ? start : new Date(Date.parse(start) + 31 * 86_400_000).toISOString();
        await db.insertInto('charges').values({
          id: newId(), subscription_id: id, kind: 'regular', amount_cents: c.priceCents, period_start: periodStart, period_end: periodStart, due_on: periodStart.slice(0, 10),
          state, provider: 'sepa', sequence_type: null, end_to_end_id: `${number}-${k}`, batch_id: null, external_id: null, return_reason: null, created_at: periodStart, updated_at: periodStart,
        }).execute();
      }
    }
  }
}
