// Is a variant's order rate different from the control's? The two-proportion z-test with a pooled standard error, and when there is too little data to say.

/** What one variant saw: paywall impressions (trials) and orders (successes). */
export interface Proportion { successes: number; trials: number }

/**
 * The complementary error function, Numerical Recipes' Chebyshev fit (`erfcc`, Press et al., 2nd ed., § 6.2): fractional
 * error below 1.2 × 10⁻⁷ for every x — also deep in the tails, where a p-value of 10⁻⁹ must not come out as 0 or as
 * 10⁻⁸. Accurate enough for any figure the page shows; no library needed.
 */
export function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r = t * Math.exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806
    + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))));
  return x >= 0 ? r : 2 - r;
}

/** Φ(x), the standard normal distribution function. */
export const normalCdf = (x: number): number => 0.5 * erfc(-x / Math.SQRT2);

export interface ZTest {
  /** the two rates, successes / trials */
  rateA: number;
  rateB: number;
  /** (successes A + successes B) / (trials A + trials B): the rate both would share if they did not differ */
  pooled: number;
  /** √(p̄ (1 − p̄) (1/nA + 1/nB)) */
  standardError: number;
  /** (rateB − rateA) / standardError: positive when B converts better */
  z: number;
  /** two-sided: the chance of a difference at least this large if both converted alike */
  p: number;
}

/**
 * The two-proportion z-test of B against A with the pooled standard error (the textbook test of "same rate"; its z²
 * equals Pearson's χ² of the 2 × 2 table without continuity correction). Null when it cannot be computed: a group
 * without trials, or no spread at all (nobody or everybody ordered in both).
 */
export function twoProportionZTest(a: Proportion, b: Proportion): ZTest | null {
  if (a.trials <= 0 || b.trials <= 0) return null;
  const rateA = a.successes / a.trials;
  const rateB = b.successes / b.trials;
  const pooled = (a.successes + b.successes) / (a.trials + b.trials);
  const standardError = Math.sqrt(pooled * (1 - pooled) * (1 / a.trials + 1 / b.trials));
  if (!(standardError > 0)) return null;
  const z = (rateB - rateA) / standardError;
  return { rateA, rateB, pooled, standardError, z, p: erfc(Math.abs(z) / Math.SQRT2) };
}

/** At least this many paywall impressions per variant before any verdict. */
export const MIN_IMPRESSIONS = 100;
/** At least this many expected orders — and expected non-orders — per variant under the pooled rate. */
export const MIN_EXPECTED = 10;
/** The usual 5 % level, shared among the comparisons (Bonferroni): with three variants against the control, 5 % / 3 each. */
export const ALPHA = 0.05;

export type DataVerdict = { enough: true } | { enough: false; reason: 'impressions' | 'orders'; needed: number };

/**
 * "Not enough data yet": the z-test leans on the normal approximation, which the textbooks trust when each group has
 * at least 10 expected successes and 10 expected failures (n·p̄ ≥ 10 and n·(1 − p̄) ≥ 10, with the pooled rate p̄).
 * Expected rather than observed orders, so a variant that sells nothing to 5,000 readers while the control sells 50
 * still gets its verdict. And never below 100 impressions per variant, whatever the rate: a handful of early readers
 * says nothing about the many.
 */
export function enoughData(control: Proportion, variant: Proportion): DataVerdict {
  const fewest = Math.min(control.trials, variant.trials);
  if (fewest < MIN_IMPRESSIONS) return { enough: false, reason: 'impressions', needed: MIN_IMPRESSIONS };
  const pooled = (control.successes + variant.successes) / (control.trials + variant.trials);
  const expected = Math.min(fewest * pooled, fewest * (1 - pooled));
  if (expected < MIN_EXPECTED) {
    // the impressions per variant at which the pooled rate would give 10 expected orders (or non-orders)
    const rate = Math.min(pooled, 1 - pooled);
    return { enough: false, reason: 'orders', needed: rate > 0 ? Math.ceil(MIN_EXPECTED / rate) : Infinity };
  }
  return { enough: true };
}

export type Comparison =
  | { outcome: 'not-enough-data'; data: Extract<DataVerdict, { enough: false }>; test: ZTest | null }
  | { outcome: 'better' | 'worse' | 'no-difference'; test: ZTest; alpha: number };

/**
 * A variant against the control. `comparisons` is how many variants are compared with the control in this experiment:
 * each test runs at ALPHA / comparisons, so that an experiment with four variants does not find a "winner" by chance
 * more often than one with two.
 */
export function compareWithControl(control: Proportion, variant: Proportion, comparisons = 1): Comparison {
  const data = enoughData(control, variant);
  const test = twoProportionZTest(control, variant);
  if (!data.enough) return { outcome: 'not-enough-data', data, test };
  if (!test) return { outcome: 'not-enough-data', data: { enough: false, reason: 'orders', needed: Infinity }, test };
  const alpha = ALPHA / Math.max(1, comparisons);
  const outcome = test.p >= alpha ? 'no-difference' : test.z > 0 ? 'better' : 'worse';
  return { outcome, test, alpha };
}
