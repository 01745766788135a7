// The events of the insights: what kinds there are and what one carries — never a person (no user id, no address, no session).
import { berlinDate } from '../berlin-time.ts';
import type { AnalyticsEventRow } from '../db/index.ts';

/**
 * Sent by the page's beacon (the cached page is the same for everyone, so only the browser knows it was seen):
 *   view, paywall (detail: the meter state), offer_click.
 * Recorded by the server where it knows: checkout (the order page was opened), order, registration (from a paywall,
 * article_id = that article), meter_unlock, gift_open, institution_unlock (institution_id), cancellation (detail: kind).
 */
export const EVENT_KINDS = ['view', 'paywall', 'offer_click', 'checkout', 'order', 'registration', 'meter_unlock', 'gift_open', 'institution_unlock', 'cancellation'] as const;
export type EventKind = (typeof EVENT_KINDS)[number];
export const BEACON_KINDS = ['view', 'paywall', 'offer_click'] as const satisfies readonly EventKind[];
export type BeaconKind = (typeof BEACON_KINDS)[number];
export const isEventKind = (s: string): s is EventKind => (EVENT_KINDS as readonly string[]).includes(s);

export interface AnalyticsEvent {
  kind: EventKind;
  /** default: the recorder's clock */
  at?: Date;
  articleId?: string | null;
  offerId?: string | null;
  variantId?: string | null;
  institutionId?: string | null;
  /** one short word: the meter state of a paywall, the kind of a cancellation, … */
  detail?: string | null;
}

/** The row an event becomes; `day` is the Berlin calendar day the dashboard counts by. */
export function eventRow(event: AnalyticsEvent, now: Date): AnalyticsEventRow {
  const at = event.at ?? now;
  return {
    at: at.toISOString(), day: berlinDate(at), kind: event.kind,
    article_id: event.articleId ?? null, offer_id: event.offerId ?? null, variant_id: event.variantId ?? null,
    institution_id: event.institutionId ?? null, detail: event.detail ?? null,
  };
}
