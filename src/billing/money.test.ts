// Money arithmetic: gross prices split exactly into net and VAT, rounding per line, German euro strings, bad amounts refused.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DomainError } from '../domain-error.ts';
import { VAT_RATE_PERMILLE, formatEuro, formatVatRate, splitGross, sumLines } from './money.ts';

test('the default rate is the 7 % for electronic newspapers', () => {
  assert.equal(VAT_RATE_PERMILLE, 70);
  assert.deepEqual(splitGross(999), splitGross(999, 70));
});

test('a gross price splits into net and 7 % VAT that add up to the price', () => {
  assert.deepEqual(splitGross(999), { netCents: 934, vatCents: 65, grossCents: 999 });
  assert.deepEqual(splitGross(100), { netCents: 93, vatCents: 7, grossCents: 100 });
  assert.deepEqual(splitGross(9900), { netCents: 9252, vatCents: 648, grossCents: 9900 });
  assert.deepEqual(splitGross(1), { netCents: 1, vatCents: 0, grossCents: 1 }, '1000/1070 = 0.93 rounds up to 1');
  assert.deepEqual(splitGross(0), { netCents: 0, vatCents: 0, grossCents: 0 });
  assert.deepEqual(splitGross(1999, 190), { netCents: 1680, vatCents: 319, grossCents: 1999 }, '19 %: 1679.83 rounds up');
  assert.deepEqual(splitGross(500, 0), { netCents: 500, vatCents: 0, grossCents: 500 });
});

test('net + VAT equals gross for every price up to 1000 €, and net is the nearest cent', () => {
  for (let gross = 0; gross <= 100_000; gross++) {
    const { netCents, vatCents } = splitGross(gross);
    assert.equal(netCents + vatCents, gross);
    // |net × 1070 − gross × 1000| ≤ 535 is "within half a cent" in integers.
    assert.ok(Math.abs(netCents * 1070 - gross * 1000) <= 535, `gross ${gross}`);
  }
});

test('an exact half cent rounds away from zero', () => {
  // At 100 % tax, net is gross / 2: the only rate here where halves occur (at 7 % and 19 % they cannot).
  assert.equal(splitGross(1, 1000).netCents, 1);
  assert.equal(splitGross(3, 1000).netCents, 2);
  assert.equal(splitGross(5, 1000).netCents, 3);
  assert.equal(splitGross(4, 1000).netCents, 2);
});

test('amounts beyond float precision are still exact', () => {
  const gross = Number.MAX_SAFE_INTEGER; // 9007199254740991
  const { netCents, vatCents } = splitGross(gross);
  assert.equal(BigInt(netCents) + BigInt(vatCents), BigInt(gross));
  assert.equal(netCents, 8417943228729898, '9007199254740991000 / 1070 = 8417943228729898.13…');
});

test('lines are rounded one by one and the totals add up the rounded lines', () => {
  const totals = sumLines([
    { grossCents: 999, ratePermille: 70 },
    { grossCents: 999, ratePermille: 70 },
    { grossCents: 999, ratePermille: 70 },
  ]);
  assert.deepEqual(totals.lines.map((l) => [l.netCents, l.vatCents]), [[934, 65], [934, 65], [934, 65]]);
  assert.equal(totals.netCents, 2802);
  assert.equal(totals.vatCents, 195);
  assert.equal(totals.grossCents, 2997);
  // Splitting the sum instead would give 2801 + 196: one cent off the lines the reader sees.
  assert.deepEqual(splitGross(2997), { netCents: 2801, vatCents: 196, grossCents: 2997 });
});

test('totals are broken down by tax rate, lowest rate first', () => {
  const totals = sumLines([
    { grossCents: 1999, ratePermille: 190 },
    { grossCents: 999, ratePermille: 70 },
    { grossCents: 100, ratePermille: 70 },
  ]);
  assert.deepEqual(totals.byRate, [
    { ratePermille: 70, netCents: 934 + 93, vatCents: 65 + 7, grossCents: 1099 },
    { ratePermille: 190, netCents: 1680, vatCents: 319, grossCents: 1999 },
  ]);
  assert.equal(totals.grossCents, 3098);
  assert.equal(totals.netCents + totals.vatCents, totals.grossCents);
  assert.deepEqual(totals.lines.map((l) => l.ratePermille), [190, 70, 70], 'lines keep their order');
});

test('no lines add up to zero', () => {
  assert.deepEqual(sumLines([]), { netCents: 0, vatCents: 0, grossCents: 0, lines: [], byRate: [] });
});

test('fractions of a cent, negative amounts and odd rates are refused as invalid input', () => {
  const refused = (fn: () => unknown, field: string) =>
    assert.throws(fn, (e: unknown) => e instanceof DomainError && e.code === 'invalid-input' && e.field === field);
  refused(() => splitGross(9.99), 'grossCents');
  refused(() => splitGross(-1), 'grossCents');
  refused(() => splitGross(Number.NaN), 'grossCents');
  refused(() => splitGross(Number.MAX_SAFE_INTEGER + 1), 'grossCents');
  refused(() => splitGross(100, 7.5), 'ratePermille');
  refused(() => splitGross(100, -70), 'ratePermille');
  refused(() => sumLines([{ grossCents: 100, ratePermille: 70 }, { grossCents: 0.5, ratePermille: 70 }]), 'lines.1.grossCents');
  refused(() => sumLines([{ grossCents: 100, ratePermille: 1070 }]), 'lines.0.ratePermille');
  refused(() => formatEuro(0.5), 'cents');
});

test('euro amounts read the German way, with a no-break space before the sign', () => {
  assert.equal(formatEuro(999), '9,99\u00a0€');
  assert.equal(formatEuro(100), '1,00\u00a0€');
  assert.equal(formatEuro(0), '0,00\u00a0€');
  assert.equal(formatEuro(7), '0,07\u00a0€');
  assert.equal(formatEuro(123456789), '1.234.567,89\u00a0€');
  assert.equal(formatEuro(-999), '-9,99\u00a0€');
});

test('tax rates read as German percentages', () => {
  assert.equal(formatVatRate(70), '7\u00a0%');
  assert.equal(formatVatRate(190), '19\u00a0%');
  assert.equal(formatVatRate(55), '5,5\u00a0%');
  assert.equal(formatVatRate(0), '0\u00a0%');
});
