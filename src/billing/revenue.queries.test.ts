// The revenue queries on every engine agree with the hand-computed figures of revenue.fixture.ts (and so with the definitions in revenue.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openTestStore, testEngines } from '../db/test-stores.ts';
import { newId } from '../db/index.ts';
import { seededRng } from '../content/index.ts';
import { activeByOffer, churnOf, introConversion, mrrAt, payingAt, rangeBounds, weeklyFlows, weeksOf, type RevenueContract } from './revenue.ts';
import { newSubscriptionRow } from './subscription.store.ts';
import { berlinDate, berlinMidnight } from './billing-calendar.ts';
import { activeByOfferAt, introConversions, revenueSummary, weeklyRevenue } from './revenue.queries.ts';
import { EXPECTED, NOW, PREVIOUS, RANGE, insertRevenueFixture } from './revenue.fixture.ts';

for (const engine of testEngines()) {
  test(`[${engine}] the summary of a range and the one before match the hand-computed figures`, async () => {
    const store = await openTestStore(engine);
    try {
      await insertRevenueFixture(store.db);
      const s = await revenueSummary(store.db, RANGE, PREVIOUS, NOW);
      assert.deepEqual(s.current, EXPECTED.current);
      assert.deepEqual(s.previous, EXPECTED.previous);
      assert.equal(s.current.mrrAtStartCents, s.previous.mrrCents, 'the end of the previous range is the start of this one');
    } finally { await store.close(); }
  });

  test(`[${engine}] MRR per week is reconstructed from the contracts, and ends at today's MRR`, async () => {
    const store = await openTestStore(engine);
    try {
      await insertRevenueFixture(store.db);
      assert.deepEqual(await weeklyRevenue(store.db, RANGE, NOW), EXPECTED.weeks);
      const prevWeeks = await weeklyRevenue(store.db, PREVIOUS, NOW);
      assert.equal(prevWeeks.at(-1)!.mrrCents, EXPECTED.previous.mrrCents);
      assert.equal(prevWeeks.reduce((n, w) => n + w.started, 0), EXPECTED.previous.started);
      assert.deepEqual(await weeklyRevenue(store.db, { from: '2027-01-01', to: '2027-01-31' }, NOW), [], 'a range after now has no weeks');
    } finally { await store.close(); }
  });

  test(`[${engine}] live subscriptions by offer, and intro-to-paid reads the first regular charge`, async () => {
    const store = await openTestStore(engine);
    try {
      await insertRevenueFixture(store.db);
      assert.deepEqual(await activeByOfferAt(store.db, RANGE, NOW), EXPECTED.byOffer);
      const [cur] = await introConversions(store.db, [RANGE], NOW);
      assert.deepEqual(cur, EXPECTED.current.intro);
      // J's returned first debit, had it been re-presented and paid: J went on paying
      await store.db.updateTable('charges').set({ state: 'paid' }).where('state', '=', 'returned').execute();
      const [after] = await introConversions(store.db, [RANGE], NOW);
      assert.equal(after!.paying, 2);
      // a later regular charge that came back does not undo the first one's: still paying
      await store.db.updateTable('charges').set({ state: 'returned' }).where('end_to_end_id', 'like', '%-1').execute();
      assert.deepEqual(await introConversions(store.db, [RANGE], NOW), [after]);
    } finally { await store.close(); }
  });
}

/**
 * Random contracts at random instants (any hour, both sides of the summer-time switches, many ending exactly at a
 * Berlin midnight): the SQL, which groups instants by a Berlin-day key, must still agree with the definitions exactly.
 */
function randomContracts(n: number): RevenueContract[] {
  const r = seededRng(12);
  const base = Date.parse('2025-01-01T00:00:00Z');
  const span = Date.parse('2026-11-28T10:00:00Z') - base;
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  return Array.from({ length: n }, () => {
    const kind = pick(['paid', 'paid', 'paid', 'paid', 'gift', 'comp'] as const);
    const yearly = r() < 0.25;
    const introMonths = r() < 0.5 ? (yearly ? 12 : pick([1, 1, 3])) : 0;
    const startsAt = new Date(base + Math.floor(r() * span / 60_000) * 60_000).toISOString();
    const ends = r() < 0.4;
    // half of the ends on a Berlin midnight (cancellations take effect at a period end), the rest at any minute
    const endAt = base + Math.floor(r() * span);
    const endedAt = !ends || endAt <= Date.parse(startsAt) ? null
      : r() < 0.5 ? berlinMidnight(berlinDate(new Date(endAt))).toISOString() : new Date(endAt).toISOString();
    const periodsPaid = r() < 0.05 ? 0 : 1 + Math.floor(r() * 4) * (yearly ? 1 : 3);
    const cancelRequestedAt = r() < 0.3 ? new Date(Math.max(Date.parse(startsAt), endAt - 20 * 86_400_000)).toISOString() : null;
    return {
      kind, offerName: yearly ? 'Jahr' : 'Monat', startsAt, endedAt, cancelRequestedAt, periodsPaid, priceCents: yearly ? 9900 + Math.floor(r() * 13) : 999,
      period: yearly ? 'year' : 'month', introPriceCents: introMonths ? (yearly ? 6000 : 100) : null, introMonths,
    } satisfies RevenueContract;
  });
}

for (const engine of testEngines()) {
  test(`[${engine}] on 400 random contracts the queries agree with the definitions for several ranges`, async () => {
    const store = await openTestStore(engine);
    try {
      const contracts = randomContracts(400);
      let n = 0;
      for (const c of contracts) {
        await store.db.insertInto('subscriptions').values(newSubscriptionRow({
          id: newId(), number: `KT-RAND-${++n}`, user_id: null, kind: c.kind, provider: 'sepa', state: c.endedAt ? 'ended' : 'active',
          starts_at: c.startsAt, offer_name: c.offerName, price_cents: c.priceCents, period: c.period, intro_price_cents: c.introPriceCents, intro_months: c.introMonths,
          periods_paid: c.periodsPaid, cancel_requested_at: c.cancelRequestedAt, ended_at: c.endedAt, created_at: c.startsAt, updated_at: c.startsAt,
        })).execute();
      }
      for (const [range, previous] of [[RANGE, PREVIOUS], [{ from: '2026-03-20', to: '2026-04-05' }, { from: '2026-03-03', to: '2026-03-19' }],
        [{ from: '2025-02-01', to: '2026-11-28' }, { from: '2023-03-08', to: '2025-01-31' }]] as const) {
        const { end } = rangeBounds(range, NOW);
        const weeks = weeksOf(range, NOW);
        const expectedWeeks = weeklyFlows(contracts, weeks).map((f, i) => ({ monday: f.monday, mrrCents: mrrAt(contracts, weeks[i]!.end), started: f.started, cancelled: f.cancelled, ended: f.ended }));
        assert.deepEqual(await weeklyRevenue(store.db, range, NOW), expectedWeeks, `weeks ${range.from}`);
        const s = await revenueSummary(store.db, range, previous, NOW);
        assert.equal(s.current.mrrCents, mrrAt(contracts, end));
        assert.equal(s.current.paying, payingAt(contracts, end));
        assert.deepEqual(s.current.churn, churnOf(contracts, range, NOW));
        assert.deepEqual(s.previous.churn, churnOf(contracts, previous, NOW));
        assert.deepEqual(await activeByOfferAt(store.db, range, NOW), activeByOffer(contracts, end));
        const items = contracts.map((contract) => ({ contract, firstRegularChargeFailed: false }));
        assert.deepEqual(await introConversions(store.db, [range, previous], NOW), [introConversion(items, range, NOW), introConversion(items, previous, NOW)]);
      }
    } finally { await store.close(); }
  });
}
