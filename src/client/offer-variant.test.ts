// The variant choice without a browser: the reader's number (stored only without GPC/DNT), its mixing per experiment, and the shares it follows.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AB_STORAGE_KEY, pointFor, privacySignal, readerNumber, variantIndex } from './offer-variant.ts';

function memoryStorage(initial: Record<string, string> = {}) {
  const data = new Map(Object.entries(initial));
  return { data, getItem: (k: string) => data.get(k) ?? null, setItem: (k: string, v: string) => { data.set(k, v); } };
}

test('the number is created once and kept — but with GPC or DNT nothing is read or written and every page view draws anew', () => {
  const storage = memoryStorage();
  const first = readerNumber(storage, false, () => 0.4242);
  assert.equal(first, 0.4242);
  assert.equal(storage.data.get(AB_STORAGE_KEY), '0.4242');
  assert.equal(readerNumber(storage, false, () => 0.9), 0.4242, 'the stored number, not a new one');

  const untouched = memoryStorage();
  assert.equal(readerNumber(untouched, true, () => 0.1), 0.1);
  assert.equal(untouched.data.size, 0, 'nothing stored under a privacy signal');
  const kept = memoryStorage({ [AB_STORAGE_KEY]: '0.7' });
  assert.equal(readerNumber(kept, true, () => 0.2), 0.2, 'nor a stored one read');
  assert.equal(privacySignal({ doNotTrack: '1' }), true);
  assert.equal(privacySignal({ doNotTrack: null, globalPrivacyControl: true }), true);
  assert.equal(privacySignal({ doNotTrack: '0', globalPrivacyControl: false }), false);
});

test('a stored value that is not a number in [0, 1) is replaced; storage that throws means per page view', () => {
  for (const junk of ['1', '1.5', '-0.2', 'abc', '0.5e3', '<script>', '']) {
    const storage = memoryStorage({ [AB_STORAGE_KEY]: junk });
    assert.equal(readerNumber(storage, false, () => 0.33), 0.33, junk);
    assert.equal(storage.data.get(AB_STORAGE_KEY), '0.33');
  }
  const broken = { getItem: () => { throw new Error('SecurityError'); }, setItem: () => { throw new Error('QuotaExceeded'); } };
  assert.equal(readerNumber(broken, false, () => 0.6), 0.6);
  assert.equal(readerNumber(null, false, () => 0.7), 0.7);
});

test('shares are followed: over many readers each variant gets its share, within a percentage point', () => {
  const shares = [50, 30, 20];
  const seen = [0, 0, 0];
  const readers = 20000;
  for (let i = 0; i < readers; i++) seen[variantIndex(pointFor((i + 0.5) / readers, 'exp-1'), shares)]!++;
  for (const [i, share] of shares.entries()) assert.ok(Math.abs(seen[i]! / readers - share / 100) < 0.01, `variant ${i}: ${seen[i]} of ${readers}`);
  assert.equal(variantIndex(0, shares), 0);
  assert.equal(variantIndex(0.4999, shares), 0);
  assert.equal(variantIndex(0.5, shares), 1);
  assert.equal(variantIndex(0.9999, shares), 2);
  assert.equal(variantIndex(0.5, [0, 100]), 1, 'a share of 0 is never chosen');
});

test('a reader keeps the variant within an experiment and lands independently in the next one', () => {
  const r = 0.123456789;
  assert.equal(pointFor(r, 'exp-1'), pointFor(r, 'exp-1'));
  // readers in the control (A, 50 %) of one experiment spread over both halves of the next
  const controls = Array.from({ length: 4000 }, (_, i) => (i + 0.5) / 4000).filter((x) => variantIndex(pointFor(x, 'exp-1'), [50, 50]) === 0);
  const againControl = controls.filter((x) => variantIndex(pointFor(x, 'exp-2'), [50, 50]) === 0).length;
  assert.ok(Math.abs(againControl / controls.length - 0.5) < 0.05, `${againControl} of ${controls.length}`);
  for (let i = 0; i < 1000; i++) {
    const p = pointFor(i / 1000, 'x');
    assert.ok(p >= 0 && p < 1);
  }
});
