// Funnel arithmetic: step and overall rates, empty steps, steps larger than the one before, and changes against the previous range.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { changeOf, emptyFunnelCounts, funnelOf, rate } from './funnel.ts';

test('rates step by step and overall: 10,000 views → 2,500 paywalls → 250 clicks → 100 checkouts → 40 orders', () => {
  const f = funnelOf({ view: 10_000, paywall: 2_500, offer_click: 250, checkout: 100, order: 40 });
  assert.deepEqual(f.steps.map((s) => s.kind), ['view', 'paywall', 'offer_click', 'checkout', 'order']);
  assert.deepEqual(f.steps.map((s) => s.stepRate), [null, 0.25, 0.1, 0.4, 0.4]);
  assert.deepEqual(f.steps.map((s) => s.overallRate), [1, 0.25, 0.025, 0.01, 0.004]);
  assert.equal(f.conversion, 0.004);
});

test('a step after an empty one has no step rate (not 0, not infinity); nothing counted gives no rates at all', () => {
  const f = funnelOf({ view: 500, paywall: 0, offer_click: 0, checkout: 3, order: 1 });
  assert.equal(f.steps[2]!.stepRate, null);
  assert.equal(f.steps[3]!.stepRate, null, 'checkouts after zero clicks: no rate');
  assert.equal(f.steps[4]!.stepRate, 1 / 3);
  assert.equal(f.conversion, 1 / 500);
  const none = funnelOf(emptyFunnelCounts());
  assert.ok(none.steps.every((s) => s.stepRate === null && s.overallRate === null));
  assert.equal(none.conversion, null);
});

test('a step larger than the one before is shown as counted (above 100 %), not capped', () => {
  const f = funnelOf({ view: 100, paywall: 40, offer_click: 5, checkout: 8, order: 6 });
  assert.equal(f.steps[3]!.stepRate, 1.6);
  assert.equal(rate(3, 2), 1.5);
});

test('change against the previous range: difference and relative change; from nothing there is no relative change', () => {
  assert.deepEqual(changeOf(120, 100), { delta: 20, relative: 0.2 });
  assert.deepEqual(changeOf(75, 100), { delta: -25, relative: -0.25 });
  assert.deepEqual(changeOf(5, 0), { delta: 5, relative: null });
  assert.deepEqual(changeOf(0, 0), { delta: 0, relative: null });
});
