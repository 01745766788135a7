// Period arithmetic across month ends, leap years and daylight saving time.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { addDays, addMonths, berlinDate, berlinMidnight, daysBetween, isCalendarDate, lastDayBefore, periodEnd } from './billing-calendar.ts';

test('31 January plus one month is the last day of February, 29 February in a leap year', () => {
  assert.equal(addMonths('2027-01-31', 1), '2027-02-28');
  assert.equal(addMonths('2028-01-31', 1), '2028-02-29');
  assert.equal(addMonths('2026-12-15', 1), '2027-01-15');
  assert.equal(addMonths('2028-02-29', 12), '2029-02-28');
  assert.equal(addMonths('2026-03-31', -1), '2026-02-28');
});

test('periods count from the first day, so a contract from the 31st comes back to the 31st', () => {
  const anchor = '2027-01-31';
  assert.deepEqual([1, 2, 3, 4].map((k) => berlinDate(periodEnd(anchor, k, 1))), ['2027-02-28', '2027-03-31', '2027-04-30', '2027-05-31']);
  assert.equal(berlinDate(periodEnd('2028-02-29', 1, 12)), '2029-02-28');
});

test('Berlin midnight is 23:00 UTC in winter and 22:00 UTC in summer', () => {
  assert.equal(berlinMidnight('2026-01-15').toISOString(), '2026-01-14T23:00:00.000Z');
  assert.equal(berlinMidnight('2026-07-15').toISOString(), '2026-07-14T22:00:00.000Z');
  // the day daylight saving time starts
  assert.equal(berlinMidnight('2026-03-29').toISOString(), '2026-03-28T23:00:00.000Z');
  assert.equal(berlinDate(new Date('2026-03-28T23:30:00Z')), '2026-03-29');
});

test('calendar dates are validated, day arithmetic crosses years', () => {
  assert.equal(isCalendarDate('2026-02-29'), false);
  assert.equal(isCalendarDate('2028-02-29'), true);
  assert.equal(isCalendarDate('2026-13-01'), false);
  assert.equal(isCalendarDate('26-01-01'), false);
  assert.equal(addDays('2026-12-31', 1), '2027-01-01');
  assert.equal(daysBetween('2028-02-01', '2028-03-01'), 29);
  assert.equal(lastDayBefore(berlinMidnight('2027-03-01')), '2027-02-28');
});

test('the Berlin day computed from the EU summer-time rule agrees with Intl for every hour around each switch and every 7 hours from 2024 to 2040', () => {
  const intl = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Berlin', year: 'numeric', month: '2-digit', day: '2-digit' });
  const instants: number[] = [];
  for (let t = Date.UTC(2024, 0, 1); t < Date.UTC(2040, 0, 1); t += 7 * 3_600_000) instants.push(t);
  for (let year = 2024; year < 2040; year++) {
    for (const month of [2, 9]) for (let h = -48; h <= 48; h++) instants.push(Date.UTC(year, month, 31, 0) - 7 * 86_400_000 + h * 3_600_000, Date.UTC(year, month, 25) + h * 1_800_000);
  }
  for (const t of instants) assert.equal(berlinDate(new Date(t)), intl.format(new Date(t)), new Date(t).toISOString());
  for (let d = Date.UTC(2024, 0, 1); d < Date.UTC(2030, 0, 1); d += 86_400_000) {
    const date = new Date(d).toISOString().slice(0, 10);
    const midnight = berlinMidnight(date);
    assert.equal(intl.format(midnight), date);
    assert.notEqual(intl.format(new Date(midnight.getTime() - 1)), date);
  }
});
