// The results of an offer experiment from the daily rollups: per variant impressions, clicks, orders, rates, z, p and a verdict in plain German.
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/index.ts';
import type { Experiment, ExperimentVariant } from './experiment.ts';
import { compareWithControl, MIN_IMPRESSIONS, type Comparison } from './significance.ts';

type Db = Kysely<Database> | Transaction<Database>;

export interface VariantCounts { impressions: number; clicks: number; orders: number }

export interface VariantResult extends VariantCounts {
  variant: ExperimentVariant;
  /** clicks on an order link / impressions; null without impressions */
  clickRate: number | null;
  /** orders / impressions: the figure the experiment is decided by */
  conversionRate: number | null;
  /** against the control; null for the control itself */
  comparison: Comparison | null;
  verdict: string;
}

export interface ExperimentResults { experiment: Experiment; variants: VariantResult[]; summary: string }

/**
 * Counts per variant from `analytics_daily`: paywall impressions (kind `paywall`), clicks on an order link in the box
 * (`offer_click`) and orders (`order`), each with the variant's id. A variant id belongs to one experiment, so no date
 * range is needed: whatever carries the id happened while it ran. Today's figures are in as far as the rollup job has
 * rolled up the day so far.
 */
export async function variantCounts(db: Db, variantIds: readonly string[]): Promise<Map<string, VariantCounts>> {
  const counts = new Map(variantIds.map((id) => [id, { impressions: 0, clicks: 0, orders: 0 }]));
  if (variantIds.length === 0) return counts;
  const rows = await db.selectFrom('analytics_daily')
    .select(['variant_id', 'kind', (eb) => eb.fn.sum<string | number>('count').as('n')])
    .where('variant_id', 'in', [...variantIds]).where('kind', 'in', ['paywall', 'offer_click', 'order'])
    .groupBy(['variant_id', 'kind']).execute();
  for (const r of rows) {
    const c = counts.get(r.variant_id)!;
    const n = Number(r.n);
    if (r.kind === 'paywall') c.impressions = n;
    else if (r.kind === 'offer_click') c.clicks = n;
    else c.orders = n;
  }
  return counts;
}

const rate = (part: number, whole: number): number | null => (whole > 0 ? part / whole : null);

export async function experimentResults(db: Db, experiment: Experiment): Promise<ExperimentResults> {
  return resultsOf(experiment, await variantCounts(db, experiment.variants.map((v) => v.id)));
}

/** The figures and verdicts for given counts (pure: the page, the CSV and the tests share it). */
export function resultsOf(experiment: Experiment, counts: Map<string, VariantCounts>): ExperimentResults {
  const [control, ...others] = experiment.variants;
  if (!control) return { experiment, variants: [], summary: 'Dieses Experiment hat keine Varianten.' };
  const countsOf = (v: ExperimentVariant) => counts.get(v.id) ?? { impressions: 0, clicks: 0, orders: 0 };
  const base = countsOf(control);
  const proportion = (c: VariantCounts) => ({ successes: c.orders, trials: c.impressions });
  const variants: VariantResult[] = experiment.variants.map((variant) => {
    const c = countsOf(variant);
    const comparison = variant === control ? null : compareWithControl(proportion(base), proportion(c), others.length);
    return {
      variant, ...c, clickRate: rate(c.clicks, c.impressions), conversionRate: rate(c.orders, c.impressions), comparison,
      verdict: comparison ? verdictOf(variant, comparison, c, base) : 'Die Kontrolle: Mit ihr werden die anderen Varianten verglichen. Ohne JavaScript sehen alle Leserinnen und Leser sie.',
    };
  });
  return { experiment, variants, summary: summaryOf(variants, experiment.state) };
}

const number = new Intl.NumberFormat('de-DE');
/** Rates as the page and the CSV show them: 2,0 %, 0,35 %. */
export const formatRate = (r: number | null): string =>
  r === null ? '–' : `${new Intl.NumberFormat('de-DE', { minimumFractionDigits: 1, maximumFractionDigits: r < 0.01 ? 2 : 1 }).format(r * 100)}\u00a0%`;
/** p below one in a thousand is said as such: more digits would pretend a precision the data does not have. */
export const formatPValue = (p: number): string => (p < 0.001 ? '< 0,001' : new Intl.NumberFormat('de-DE', { minimumFractionDigits: 3, maximumFractionDigits: 3 }).format(p));
export const formatP = (p: number): string => (p < 0.001 ? 'p < 0,001' : `p = ${formatPValue(p)}`);
export const formatZ = (z: number): string => new Intl.NumberFormat('de-DE', { minimumFractionDigits: 2, maximumFractionDigits: 2, signDisplay: 'exceptZero' }).format(z);

function verdictOf(variant: ExperimentVariant, comparison: Comparison, c: VariantCounts, base: VariantCounts): string {
  const k = variant.key;
  if (comparison.outcome === 'not-enough-data') {
    const { data } = comparison;
    if (data.reason === 'impressions') {
      return `Noch zu wenig Daten: Jede Variante braucht mindestens ${MIN_IMPRESSIONS} Einblendungen (bisher ${number.format(Math.min(c.impressions, base.impressions))}).`;
    }
    if (!Number.isFinite(data.needed)) return 'Noch zu wenig Daten: Über diese Variante und die Kontrolle wurde bisher nichts bestellt.';
    return `Noch zu wenig Daten: Bei der bisherigen Bestellrate braucht jede Variante etwa ${number.format(data.needed)} Einblendungen, bevor der Vergleich etwas aussagt.`;
  }
  const own = formatRate(comparison.test.rateB);
  const theirs = formatRate(comparison.test.rateA);
  const p = formatP(comparison.test.p);
  if (comparison.outcome === 'better') return `Variante ${k} verkauft besser als die Kontrolle: ${own} statt ${theirs} der Einblendungen führen zu einer Bestellung. Der Unterschied ist statistisch gesichert (${p}).`;
  if (comparison.outcome === 'worse') return `Variante ${k} verkauft schlechter als die Kontrolle: ${own} statt ${theirs} der Einblendungen führen zu einer Bestellung. Der Unterschied ist statistisch gesichert (${p}).`;
  return `Kein gesicherter Unterschied zur Kontrolle (${p}): Der Abstand zwischen ${own} und ${theirs} kann Zufall sein.`;
}

function summaryOf(variants: VariantResult[], state: Experiment['state']): string {
  const compared = variants.filter((v) => v.comparison);
  const better = compared.filter((v) => v.comparison!.outcome === 'better').sort((a, b) => (b.conversionRate ?? 0) - (a.conversionRate ?? 0));
  if (better.length) {
    const best = better[0]!;
    return `Variante ${best.variant.key} („${best.variant.headline}“) verkauft nachweislich besser als die Kontrolle: ${formatRate(best.conversionRate)} statt ${formatRate(variants[0]!.conversionRate)}.`;
  }
  if (compared.some((v) => v.comparison!.outcome === 'not-enough-data')) {
    if (state === 'draft') return 'Noch keine Ergebnisse: Das Experiment ist noch nicht gestartet.';
    return state === 'ended' ? 'Das Experiment endete mit zu wenig Daten für ein Urteil.' : 'Noch zu wenig Daten für ein Urteil. Lassen Sie das Experiment weiterlaufen.';
  }
  if (compared.every((v) => v.comparison!.outcome === 'worse')) return 'Die Kontrolle verkauft am besten: Jede andere Variante schneidet nachweislich schlechter ab.';
  return state === 'ended' ? 'Kein gesicherter Unterschied: Keine Variante hat nachweislich besser verkauft als die Kontrolle.'
    : 'Bisher kein gesicherter Unterschied: Keine Variante verkauft nachweislich besser als die Kontrolle.';
}
