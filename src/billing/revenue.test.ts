// The revenue definitions on hand-computed contracts: what counts in MRR, normalised yearly and intro prices, weeks, churn, ARPU, intro-to-paid.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  activeByOffer, arpu, churnOf, firstAnchorWithRegularAfter, renewedPastIntro, firstRegularDay, introConversion, introEnd, monthlyValue12At, mrrAt,
  rangeBounds, weeklyFlows, weeksOf, type RevenueContract,
} from './revenue.ts';
import { addMonths } from './billing-calendar.ts';
import { CONTRACTS, EXPECTED, NOW, PREVIOUS, RANGE } from './revenue.fixture.ts';

const byName = (n: string) => CONTRACTS.find((c) => c.name === n)!;
const nowIso = NOW.toISOString();

test('MRR counts paid contracts only, past due ones too, at their monthly gross value', () => {
  assert.equal(mrrAt(CONTRACTS, nowIso), EXPECTED.current.mrrCents);
  assert.equal(monthlyValue12At(byName('D'), nowIso), 0, 'a gift brings no recurring revenue');
  assert.equal(monthlyValue12At(byName('E'), nowIso), 0, 'nor does a comp subscription');
  assert.equal(monthlyValue12At(byName('F'), nowIso), 999 * 12, 'a payment outstanding is not churn until the contract ends');
  assert.equal(monthlyValue12At(byName('L'), nowIso), 0, 'an order that never started does not count');
  assert.equal(monthlyValue12At(byName('K'), nowIso), 0, 'an ended contract does not count');
});

test('a yearly price counts a twelfth per month; the sum is rounded once, not per contract', () => {
  const yearly = byName('C');
  assert.equal(monthlyValue12At(yearly, nowIso), 9900);
  assert.equal(mrrAt([yearly], nowIso), 825);
  const odd = { ...yearly, priceCents: 1000 };
  // 1000/12 = 83.33…; three of them are 250, not 3 × 83 = 249
  assert.equal(mrrAt([odd, odd, odd], nowIso), 250);
});

test('an intro price counts until the first regular day (Berlin midnight), then the regular price', () => {
  const b = byName('B');
  assert.equal(introEnd(b), '2026-12-19T23:00:00.000Z');
  assert.equal(monthlyValue12At(b, nowIso), 100 * 12);
  assert.equal(monthlyValue12At(b, '2026-12-19T22:59:59.999Z'), 100 * 12);
  assert.equal(monthlyValue12At(b, '2026-12-19T23:00:00.000Z'), 999 * 12);
  // a yearly offer with a one-year intro: 60 € in the first year is 5 € a month
  const y: RevenueContract = { ...byName('C'), introPriceCents: 6000, introMonths: 12 };
  assert.equal(mrrAt([y], nowIso), 500);
  assert.equal(mrrAt([y], '2027-03-15T00:00:00.000Z'), 825);
});

test('a contract that ended with its intro counts at the intro price up to its end, and never at the regular one', () => {
  const h = byName('H');
  assert.equal(monthlyValue12At(h, '2026-11-04T22:59:59.999Z'), 1200);
  assert.equal(monthlyValue12At(h, '2026-11-04T23:00:00.000Z'), 0);
  assert.ok(!renewedPastIntro(h));
  assert.ok(renewedPastIntro(byName('J')), 'renewed into a regular period, ended later');
});

test('ARPU is MRR per paying contract, rounded; none paying is no figure, not zero', () => {
  assert.equal(arpu(EXPECTED.current.mrrCents, 7), 846);
  assert.equal(arpu(0, 0), null);
});

test('a range covers Berlin days: from its first midnight to its last millisecond, or now', () => {
  assert.deepEqual(rangeBounds(RANGE, NOW), { start: '2026-10-31T23:00:00.000Z', end: nowIso });
  assert.deepEqual(rangeBounds(PREVIOUS, NOW), { start: '2026-10-03T22:00:00.000Z', end: '2026-10-31T22:59:59.999Z' });
});

test('weeks are ISO weeks with Berlin Mondays, cut to the range and to now; summer time ends inside one', () => {
  const weeks = weeksOf(RANGE, NOW);
  assert.deepEqual(weeks.map((w) => w.monday), EXPECTED.weeks.map((w) => w.monday));
  assert.deepEqual(weeks[0], { monday: '2026-10-26', start: '2026-10-31T23:00:00.000Z', end: '2026-11-01T22:59:59.999Z' });
  assert.equal(weeks.at(-1)!.end, nowIso);
  const dst = weeksOf({ from: '2026-10-19', to: '2026-10-27' }, NOW);
  assert.deepEqual(dst.map((w) => [w.start, w.end]), [
    ['2026-10-18T22:00:00.000Z', '2026-10-25T22:59:59.999Z'], // Monday 0:00 CEST … Sunday 23:59:59.999 CET
    ['2026-10-25T23:00:00.000Z', '2026-10-27T22:59:59.999Z'],
  ]);
  assert.deepEqual(weeksOf({ from: '2026-12-01', to: '2026-12-31' }, NOW), [], 'weeks after now are not shown');
});

test('MRR at the end of each week, and begun / cancelled / ended per week, add up to the range', () => {
  const weeks = weeksOf(RANGE, NOW);
  assert.deepEqual(weeks.map((w) => mrrAt(CONTRACTS, w.end)), EXPECTED.weeks.map((w) => w.mrrCents));
  const flows = weeklyFlows(CONTRACTS, weeks);
  assert.deepEqual(flows, EXPECTED.weeks.map(({ mrrCents: _, ...f }) => f));
  assert.equal(flows.reduce((n, f) => n + f.started, 0), EXPECTED.current.started);
  assert.equal(flows.reduce((n, f) => n + f.ended, 0), EXPECTED.current.ended);
});

test('churn: of the contracts live right before the range, the share that ended in it; new ones do not count', () => {
  assert.deepEqual(churnOf(CONTRACTS, RANGE, NOW), EXPECTED.current.churn);
  assert.deepEqual(churnOf(CONTRACTS, PREVIOUS, NOW), EXPECTED.previous.churn);
  const startedAndEnded: RevenueContract = { ...byName('M'), endedAt: '2026-11-20T10:00:00.000Z' };
  assert.deepEqual(churnOf([startedAndEnded], RANGE, NOW), { activeAtStart: 0, endedOfThose: 0, rate: null });
});

test('the first regular day follows the billing calendar (31 Jan + 1 month is 28 Feb); the query threshold agrees', () => {
  assert.equal(firstRegularDay({ startsAt: '2026-01-30T23:00:00.000Z', introPriceCents: 100, introMonths: 1 }), '2026-02-28');
  assert.equal(firstAnchorWithRegularAfter(1, '2026-02-28'), '2026-02-01', 'anchors 29–31 Jan also switch on 28 Feb');
  assert.equal(firstAnchorWithRegularAfter(1, '2026-03-31'), '2026-03-01');
  assert.equal(firstAnchorWithRegularAfter(12, '2026-11-28'), '2025-11-29');
  // exhaustively: the threshold is the least anchor whose regular price begins after the day
  for (const m of [1, 3, 12, 24]) {
    for (let d = 0; d < 400; d += 7) {
      const target = new Date(Date.UTC(2026, 0, 31 + d)).toISOString().slice(0, 10);
      const a = firstAnchorWithRegularAfter(m, target);
      assert.ok(addMonths(a, m) > target, `${m} ${target}`);
      const prev = new Date(Date.parse(`${a}T12:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
      assert.ok(addMonths(prev, m) <= target, `${m} ${target}`);
    }
  }
});

test('intro-to-paid: renewed past the intro and the first regular debit not returned; ended in the intro or returned is lost', () => {
  const items = CONTRACTS.map((c) => ({ contract: c, firstRegularChargeFailed: c.firstRegularCharge === 'returned' || c.firstRegularCharge === 'failed' }));
  assert.deepEqual(introConversion(items, RANGE, NOW), EXPECTED.current.intro);
  assert.deepEqual(introConversion(items, PREVIOUS, NOW), EXPECTED.previous.intro);
  // the billing run has not renewed yet: open, in the denominator, not in the numerator
  const waiting: RevenueContract = { ...byName('B'), startsAt: '2026-10-27T10:00:00.000Z' };
  assert.deepEqual(introConversion([{ contract: waiting, firstRegularChargeFailed: false }], RANGE, NOW), { ended: 1, paying: 0, lost: 0, open: 1, rate: 0 });
  assert.deepEqual(introConversion([], RANGE, NOW).rate, null);
});

test('active subscriptions by offer list paid offers first with their MRR, gifts and comps with none', () => {
  assert.deepEqual(activeByOffer(CONTRACTS, nowIso), EXPECTED.byOffer);
});
