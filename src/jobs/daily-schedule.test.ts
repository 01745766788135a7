// Berlin days and hours for daily jobs: summer time, the turn of the day in UTC versus Berlin, and the key a schedule asks for.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { berlinDayHour, dailyJobDue } from './daily-schedule.ts';

test('the Berlin day and hour follow CET in winter and CEST in summer, and turn at Berlin midnight, not UTC', () => {
  assert.deepEqual(berlinDayHour(new Date('2026-11-28T02:00:00Z')), { day: '2026-11-28', hour: 3 });
  assert.deepEqual(berlinDayHour(new Date('2026-07-01T01:00:00Z')), { day: '2026-07-01', hour: 3 });
  assert.deepEqual(berlinDayHour(new Date('2026-12-31T23:00:00Z')), { day: '2027-01-01', hour: 0 });
  assert.deepEqual(berlinDayHour(new Date('2026-12-31T22:59:59Z')), { day: '2026-12-31', hour: 23 });
});

test('a schedule is due from its Berlin hour on, keyed by kind and Berlin day, with the day in the payload', () => {
  const schedule = { kind: 'gift-reminders', hourBerlin: 8, payload: { day: 'overwritten', batch: 50 } };
  assert.equal(dailyJobDue(schedule, new Date('2026-11-28T06:59:59Z')), null);
  assert.deepEqual(dailyJobDue(schedule, new Date('2026-11-28T07:00:00Z')), { day: '2026-11-28', uniqueKey: 'gift-reminders:2026-11-28', payload: { day: '2026-11-28', batch: 50 } });
  assert.equal(dailyJobDue(schedule, new Date('2026-11-28T22:59:00Z'))?.uniqueKey, 'gift-reminders:2026-11-28');
});

test('on the days summer time starts and ends the job is still due once: the skipped hour fires at 03:00, the doubled one shares a key', () => {
  const two = { kind: 'k', hourBerlin: 2 };
  // 2026-03-29: 01:59:59 CET is followed by 03:00:00 CEST
  assert.equal(dailyJobDue(two, new Date('2026-03-29T00:59:59Z')), null);
  assert.equal(dailyJobDue(two, new Date('2026-03-29T01:00:00Z'))?.uniqueKey, 'k:2026-03-29');
  // 2026-10-25: 02:00–03:00 happens twice (CEST, then CET)
  assert.equal(dailyJobDue(two, new Date('2026-10-25T00:00:00Z'))?.uniqueKey, 'k:2026-10-25');
  assert.equal(dailyJobDue(two, new Date('2026-10-25T01:00:00Z'))?.uniqueKey, 'k:2026-10-25');
});
