// The conversion funnel of the paywall, as arithmetic: counts per step in, rates step by step and overall out (pure, no database).

/**
 * The five steps, in order. What each counts (docs/insights.md, "Funnel"):
 * view: views of Plus articles (beacon, detail = plus); paywall: offer box shown to a reader the unlock denied;
 * offer_click: a click on an order link in the box; checkout: the order page opened from a paywall (an article is
 * attributed); order: an order that created a subscription and is attributed to an article.
 */
export const FUNNEL_STEPS = [
  { kind: 'view', label: 'Aufrufe von Plus-Artikeln' },
  { kind: 'paywall', label: 'Paywall gezeigt' },
  { kind: 'offer_click', label: 'Angebot angeklickt' },
  { kind: 'checkout', label: 'Bestellseite geöffnet' },
  { kind: 'order', label: 'Bestellt' },
] as const;

export type FunnelKind = (typeof FUNNEL_STEPS)[number]['kind'];
export type FunnelCounts = Record<FunnelKind, number>;

export interface FunnelStep {
  kind: FunnelKind;
  label: string;
  count: number;
  /** count ÷ the step before; null for the first step or when the step before counted nothing */
  stepRate: number | null;
  /** count ÷ the first step; null when the first step counted nothing */
  overallRate: number | null;
}

export interface Funnel {
  steps: FunnelStep[];
  /** orders ÷ views of Plus articles: the headline conversion rate */
  conversion: number | null;
}

/**
 * A rate, or null when there is nothing to divide by. Not capped at 100 %: a step can count more than the one before
 * (an order placed days after the paywall it is attributed to, in the next range; a checkout page reloaded) — the
 * dashboard shows what was counted instead of hiding it.
 */
export function rate(part: number, whole: number): number | null {
  return whole > 0 ? part / whole : null;
}

export function funnelOf(counts: FunnelCounts): Funnel {
  const first = counts[FUNNEL_STEPS[0].kind];
  const steps = FUNNEL_STEPS.map((s, i): FunnelStep => ({
    kind: s.kind, label: s.label, count: counts[s.kind],
    stepRate: i === 0 ? null : rate(counts[s.kind], counts[FUNNEL_STEPS[i - 1]!.kind]),
    overallRate: rate(counts[s.kind], first),
  }));
  return { steps, conversion: rate(counts.order, first) };
}

export interface Change {
  /** current − previous */
  delta: number;
  /** (current − previous) ÷ previous; null when the previous range counted nothing */
  relative: number | null;
}

/** How a figure moved against the previous range of the same length. */
export function changeOf(current: number, previous: number): Change {
  return { delta: current - previous, relative: previous !== 0 ? (current - previous) / Math.abs(previous) : null };
}

export const emptyFunnelCounts = (): FunnelCounts => ({ view: 0, paywall: 0, offer_click: 0, checkout: 0, order: 0 });
