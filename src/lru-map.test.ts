// LruMap: never holds more than its limit, and forgets the entry used least recently, not the one stored first.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LruMap } from './lru-map.ts';

test('an LruMap never holds more than its limit', () => {
  const m = new LruMap<number, string>(3);
  for (let i = 0; i < 10; i++) m.set(i, String(i));
  assert.equal(m.size, 3);
  assert.deepEqual([7, 8, 9].map((i) => m.get(i)), ['7', '8', '9']);
  assert.equal(m.get(0), undefined);
});

test('reading an entry keeps it: the least recently used one goes first', () => {
  const m = new LruMap<string, number>(2);
  m.set('a', 1);
  m.set('b', 2);
  assert.equal(m.get('a'), 1);
  m.set('c', 3);
  assert.equal(m.has('a'), true);
  assert.equal(m.has('b'), false);
  m.set('a', 4);
  assert.equal(m.size, 2, 'overwriting does not evict');
  assert.equal(m.get('a'), 4);
});

test('an LruMap without room is refused', () => {
  assert.throws(() => new LruMap(0), RangeError);
});
