// The significance figures against known values: normal table values, χ² of 2 × 2 tables, the not-enough-data rule at its edges.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compareWithControl, enoughData, erfc, normalCdf, twoProportionZTest, MIN_IMPRESSIONS } from './significance.ts';

const close = (actual: number, expected: number, tolerance: number, what: string) =>
  assert.ok(Math.abs(actual - expected) <= tolerance, `${what}: ${actual} is not within ${tolerance} of ${expected}`);

test('Φ matches the normal table to 1e-6, and the tails keep their relative accuracy', () => {
  // Φ(x) to 16 digits (scipy.stats.norm.cdf); the familiar table entries 0.8413, 0.9750, 0.9950, 0.0500 among them
  const table: [number, number][] = [
    [0, 0.5], [1, 0.8413447460685429], [1.96, 0.9750021048517795], [2.576, 0.995002467684265], [-1.645, 0.049984905539121376],
    [-3, 0.0013498980316300933], [3.5, 0.9997673709209645], [5, 0.9999997133484281],
  ];
  for (const [x, phi] of table) close(normalCdf(x), phi, 1e-6, `Φ(${x})`);
  // deep in the tail an absolute error of 1e-6 would be meaningless: the fit is relative there too
  close(normalCdf(-6) / 9.865876450376946e-10, 1, 1e-6, 'Φ(−6) relative');
  close(erfc(0), 1, 1e-7, 'erfc(0)');
  close(erfc(-1) + erfc(1), 2, 1e-7, 'erfc(−x) = 2 − erfc(x)');
});

test('the z-test gives the textbook figures: z² is χ² of the 2 × 2 table, p its two-sided tail', () => {
  // [control orders, impressions, variant orders, impressions, |z|, p] — reference values: scipy chi2_contingency(correction=False)
  const cases: [number, number, number, number, number, number][] = [
    // OpenIntro's mammogram trial: 505 of 44,910 vs. 500 of 44,925 — no difference (z ≈ −0.16, p ≈ 0.87)
    [505, 44910, 500, 44925, 0.16393295615779796, 0.869783922786003],
    [30, 1000, 45, 1000, 1.7654696590094991, 0.07748486513264485],
    [40, 2000, 60, 2000, 2.0254787341673333, 0.042818229951210623],
    [180, 500, 200, 500, 1.3029938101426073, 0.19257687480088154],
    [30, 1500, 12, 1500, 2.79710907596496, 0.005156212264165866],
  ];
  for (const [xa, na, xb, nb, z, p] of cases) {
    const r = twoProportionZTest({ successes: xa, trials: na }, { successes: xb, trials: nb })!;
    close(Math.abs(r.z), z, 1e-9, `|z| of ${xa}/${na} vs ${xb}/${nb}`);
    close(r.p, p, 1e-6, `p of ${xa}/${na} vs ${xb}/${nb}`);
    assert.equal(Math.sign(r.z), Math.sign(xb / nb - xa / na), 'z is positive when the variant converts better');
  }
  const r = twoProportionZTest({ successes: 30, trials: 1000 }, { successes: 45, trials: 1000 })!;
  close(r.pooled, 0.0375, 1e-12, 'pooled rate');
  close(r.standardError, Math.sqrt(0.0375 * 0.9625 * 0.002), 1e-12, 'pooled standard error');
});

test('no test without trials or without any spread', () => {
  assert.equal(twoProportionZTest({ successes: 0, trials: 0 }, { successes: 1, trials: 10 }), null);
  assert.equal(twoProportionZTest({ successes: 0, trials: 500 }, { successes: 0, trials: 500 }), null);
  assert.equal(twoProportionZTest({ successes: 500, trials: 500 }, { successes: 500, trials: 500 }), null);
});

test('not enough data: under 100 impressions per variant, or fewer than 10 expected orders at the pooled rate', () => {
  assert.deepEqual(enoughData({ successes: 20, trials: 99 }, { successes: 30, trials: 400 }), { enough: false, reason: 'impressions', needed: MIN_IMPRESSIONS });
  // pooled 19 / 2000 = 0.95 %: 1000 × 0.0095 = 9.5 expected orders per variant — one short
  assert.deepEqual(enoughData({ successes: 9, trials: 1000 }, { successes: 10, trials: 1000 }), { enough: false, reason: 'orders', needed: 1053 });
  assert.deepEqual(enoughData({ successes: 10, trials: 1000 }, { successes: 10, trials: 1000 }), { enough: true });
  // expected, not observed: a variant that sells nothing still gets a verdict once the control sold enough for both
  assert.deepEqual(enoughData({ successes: 50, trials: 5000 }, { successes: 0, trials: 5000 }), { enough: true });
  // the smaller group decides
  assert.equal(enoughData({ successes: 40, trials: 4000 }, { successes: 2, trials: 200 }).enough, false);
  // nobody ordered at all: no number of impressions would do
  assert.deepEqual(enoughData({ successes: 0, trials: 1000 }, { successes: 0, trials: 1000 }), { enough: false, reason: 'orders', needed: Infinity });
  // the mirror: almost everybody ordered (expected non-orders count too)
  assert.equal(enoughData({ successes: 995, trials: 1000 }, { successes: 996, trials: 1000 }).enough, false);
});

test('the verdict: better, worse or no difference at 5 %, shared among the comparisons', () => {
  const control = { successes: 40, trials: 2000 };
  assert.equal(compareWithControl(control, { successes: 60, trials: 2000 }).outcome, 'better');
  assert.equal(compareWithControl({ successes: 60, trials: 2000 }, control).outcome, 'worse');
  assert.equal(compareWithControl(control, { successes: 45, trials: 2000 }).outcome, 'no-difference');
  // p ≈ 0.043 passes 5 % alone, but not 5 % / 3 with three variants against the control
  const three = compareWithControl(control, { successes: 60, trials: 2000 }, 3);
  assert.equal(three.outcome, 'no-difference');
  assert.ok('alpha' in three && Math.abs(three.alpha - 0.05 / 3) < 1e-12);
  const early = compareWithControl({ successes: 1, trials: 50 }, { successes: 5, trials: 60 });
  assert.equal(early.outcome, 'not-enough-data');
  assert.ok(early.test, 'the figures are still there to show, marked as preliminary');
});
