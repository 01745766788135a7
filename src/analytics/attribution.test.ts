// The attribution window: an order is credited to the last Plus paywall seen at most 7 days before, and nothing else counts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ATTRIBUTION_WINDOW_MS, attributionOf } from './attribution.ts';

const NOW = Date.parse('2026-11-28T10:00:00.000Z');

test('an entry exactly 7 days old still counts; one millisecond older does not', () => {
  assert.deepEqual(attributionOf({ a: 'art1', t: NOW - ATTRIBUTION_WINDOW_MS, v: 'var1' }, NOW), { articleId: 'art1', variantId: 'var1' });
  assert.equal(attributionOf({ a: 'art1', t: NOW - ATTRIBUTION_WINDOW_MS - 1, v: 'var1' }, NOW), null);
  assert.equal(ATTRIBUTION_WINDOW_MS, 7 * 24 * 3600 * 1000);
});

test('a fresh entry counts, with or without a variant', () => {
  assert.deepEqual(attributionOf({ a: 'art1', t: NOW - 60_000, v: null }, NOW), { articleId: 'art1', variantId: null });
  assert.deepEqual(attributionOf({ a: 'art1', t: NOW }, NOW), { articleId: 'art1', variantId: null });
});

test('junk is no attribution: not an object, a missing or malformed id, a time that is not a number or lies in the future', () => {
  for (const entry of [null, undefined, 'art1', 42, [], {}, { a: 'art1' }, { t: NOW }, { a: '', t: NOW }, { a: '../x', t: NOW },
    { a: 'x'.repeat(65), t: NOW }, { a: 'art1', t: '2026-11-28' }, { a: 'art1', t: Number.NaN }, { a: 'art1', t: NOW + 1 }]) {
    assert.equal(attributionOf(entry, NOW), null, JSON.stringify(entry));
  }
});

test('a variant id that cannot be an id is left out, the article still counts', () => {
  assert.deepEqual(attributionOf({ a: 'art1', t: NOW, v: '<script>' }, NOW), { articleId: 'art1', variantId: null });
  assert.deepEqual(attributionOf({ a: 'art1', t: NOW, v: 7 }, NOW), { articleId: 'art1', variantId: null });
});
