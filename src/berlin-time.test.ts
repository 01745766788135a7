// Berlin wall-clock input: datetime-local values to instants and back, across both summer-time changes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { berlinWallClock, berlinWallClockOf } from './berlin-time.ts';

test('a Berlin wall-clock time is read in winter and in summer time', () => {
  assert.equal(berlinWallClock('2026-01-15T09:30')?.toISOString(), '2026-01-15T08:30:00.000Z');
  assert.equal(berlinWallClock('2026-07-01T00:05')?.toISOString(), '2026-06-30T22:05:00.000Z');
});

test('the hour skipped in March does not exist; the hour repeated in October is taken in summer time', () => {
  assert.equal(berlinWallClock('2026-03-29T02:30'), undefined);
  assert.equal(berlinWallClock('2026-03-29T03:00')?.toISOString(), '2026-03-29T01:00:00.000Z');
  assert.equal(berlinWallClock('2026-10-25T02:30')?.toISOString(), '2026-10-25T00:30:00.000Z');
});

test('malformed and impossible wall-clock values are refused', () => {
  for (const s of ['', '2026-01-15', '2026-01-15 09:30', '2026-02-30T10:00', '2026-01-15T24:00', '2026-01-15T09:30:00', 'x']) {
    assert.equal(berlinWallClock(s), undefined, s);
  }
});

test('an instant becomes the datetime-local value of its Berlin wall clock, and back', () => {
  for (const iso of ['2026-01-15T08:30:00.000Z', '2026-06-30T22:05:00.000Z', '2026-12-31T23:59:00.000Z']) {
    assert.equal(berlinWallClock(berlinWallClockOf(new Date(iso)))?.toISOString(), iso);
  }
  assert.equal(berlinWallClockOf(new Date('2026-12-31T23:59:00.000Z')), '2027-01-01T00:59');
});
