// Berlin months: the meter and gift allowance turn over at Berlin midnight, in winter (CET) and summer (CEST) alike.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { berlinMonth, berlinMonthStart } from './berlin-calendar.ts';

test('an instant belongs to the Berlin month, not the UTC one', () => {
  assert.equal(berlinMonth(new Date('2026-11-30T22:59:59Z')), '2026-11');
  assert.equal(berlinMonth(new Date('2026-11-30T23:00:00Z')), '2026-12', 'midnight CET is 23:00 UTC');
  assert.equal(berlinMonth(new Date('2026-06-30T21:59:59Z')), '2026-06');
  assert.equal(berlinMonth(new Date('2026-06-30T22:00:00Z')), '2026-07', 'midnight CEST is 22:00 UTC');
});

test('the month starts at Berlin midnight of the 1st, across daylight saving changes', () => {
  assert.equal(berlinMonthStart(new Date('2026-12-15T12:00:00Z')).toISOString(), '2026-11-30T23:00:00.000Z');
  assert.equal(berlinMonthStart(new Date('2026-07-15T12:00:00Z')).toISOString(), '2026-06-30T22:00:00.000Z');
  assert.equal(berlinMonthStart(new Date('2026-03-31T12:00:00Z')).toISOString(), '2026-02-28T23:00:00.000Z', 'March began in winter time');
  assert.equal(berlinMonthStart(new Date('2026-11-01T00:30:00Z')).toISOString(), '2026-10-31T23:00:00.000Z', 'November began after the switch back');
  assert.equal(berlinMonthStart(new Date('2026-10-31T22:30:00Z')).toISOString(), '2026-09-30T22:00:00.000Z', 'still October in Berlin');
});
