// Money arithmetic for invoices: gross prices split into net and VAT in whole cents, line by line, and euro amounts as Germans read them.
import { DomainError } from '../domain-error.ts';

/** 7 %: electronic newspapers and magazines are taxed at the reduced rate (§ 12 (2) Nr. 14 UStG). */
export const VAT_RATE_PERMILLE = 70;

export interface VatSplit {
  netCents: number;
  vatCents: number;
  grossCents: number;
}

export interface VatLine {
  grossCents: number;
  ratePermille: number;
}

export type VatLineSplit = VatSplit & { ratePermille: number };

export interface VatTotals extends VatSplit {
  /** Each input line split on its own, in input order. */
  lines: VatLineSplit[];
  /** Sums per tax rate, ascending by rate: § 14 (4) Nr. 7/8 UStG wants net and tax broken down by rate. */
  byRate: VatLineSplit[];
}

function assertCents(cents: number, field: string): void {
  if (!Number.isSafeInteger(cents) || cents < 0) {
    throw new DomainError('invalid-input', 'Beträge müssen ganze, nicht negative Centbeträge sein.', field);
  }
}

function assertRate(ratePermille: number, field: string): void {
  if (!Number.isSafeInteger(ratePermille) || ratePermille < 0 || ratePermille > 1000) {
    throw new DomainError('invalid-input', 'Der Steuersatz muss in Promille zwischen 0 und 1000 angegeben sein.', field);
  }
}

/**
 * Splits a gross price: net = gross × 1000 / (1000 + rate), rounded half away from zero, VAT = gross − net,
 * so net + VAT is always exactly the price the reader was shown. BigInt keeps the product exact at any size.
 */
export function splitGross(grossCents: number, ratePermille: number = VAT_RATE_PERMILLE): VatSplit {
  assertCents(grossCents, 'grossCents');
  assertRate(ratePermille, 'ratePermille');
  const numerator = BigInt(grossCents) * 1000n;
  const denominator = BigInt(1000 + ratePermille);
  // Both operands are non-negative, so adding half the divisor before the floor division rounds halves up, i.e. away from zero.
  const netCents = Number((2n * numerator + denominator) / (2n * denominator));
  return { netCents, vatCents: grossCents - netCents, grossCents };
}

/**
 * Totals of an invoice: every line is rounded on its own and the totals add up the rounded line values,
 * so the table and its sum row agree to the cent (the sum of rounded lines can differ from the rounded sum).
 */
export function sumLines(lines: readonly VatLine[]): VatTotals {
  const split = lines.map((line, i): VatLineSplit => {
    assertCents(line.grossCents, `lines.${i}.grossCents`);
    assertRate(line.ratePermille, `lines.${i}.ratePermille`);
    return { ...splitGross(line.grossCents, line.ratePermille), ratePermille: line.ratePermille };
  });
  const rates = new Map<number, VatLineSplit>();
  for (const line of split) {
    const sum = rates.get(line.ratePermille) ?? { netCents: 0, vatCents: 0, grossCents: 0, ratePermille: line.ratePermille };
    sum.netCents += line.netCents;
    sum.vatCents += line.vatCents;
    sum.grossCents += line.grossCents;
    rates.set(line.ratePermille, sum);
  }
  const byRate = [...rates.values()].sort((a, b) => a.ratePermille - b.ratePermille);
  return {
    netCents: byRate.reduce((s, r) => s + r.netCents, 0),
    vatCents: byRate.reduce((s, r) => s + r.vatCents, 0),
    grossCents: byRate.reduce((s, r) => s + r.grossCents, 0),
    lines: split,
    byRate,
  };
}

const EURO = new Intl.NumberFormat('de-DE', { style: 'currency', currency: 'EUR' });

/**
 * "9,99 €", with a no-break space so the sign never wraps away from the number; the same output as access/offer.ts.
 * Negative amounts (refunds, credit notes) are formatted too; only fractions of a cent are refused.
 */
export function formatEuro(cents: number): string {
  if (!Number.isSafeInteger(cents)) throw new DomainError('invalid-input', 'Beträge müssen ganze Centbeträge sein.', 'cents');
  return EURO.format(cents / 100);
}

const PERCENT = new Intl.NumberFormat('de-DE', { maximumFractionDigits: 1 });

/** "7 %" or "5,5 %": a tax rate in permille as German invoices print it, again with a no-break space. */
export function formatVatRate(ratePermille: number): string {
  assertRate(ratePermille, 'ratePermille');
  return `${PERCENT.format(ratePermille / 10)}\u00a0%`;
}
