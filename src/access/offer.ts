// The one Plus offer shown before billing exists: name, intro and follow-up price (gross, in cents), term and notice.

export interface Offer {
  id: string;
  /** the billing offer (src/billing) this box sells: its order page is /abo/bestellen/<orderSlug> */
  orderSlug: string;
  name: string;
  /** gross, in euro cents, for the intro period */
  introPriceCents: number;
  introPeriod: string;
  /** gross, in euro cents, per regular period */
  priceCents: number;
  period: string;
  notice: string;
  perks: readonly string[];
}

export const PLUS_OFFER: Offer = Object.freeze({
  id: 'plus-monatlich',
  orderSlug: 'plus-digital',
  name: 'Plus-Abo',
  introPriceCents: 100,
  introPeriod: 'im ersten Monat',
  priceCents: 999,
  period: 'monatlich',
  notice: 'monatlich kündbar',
  perks: Object.freeze(['Alle Plus-Artikel im Klartext', 'Auf allen Geräten lesen', 'Artikel an Freunde verschenken']),
});

const EURO = new Intl.NumberFormat('de-DE', { style: 'currency', currency: 'EUR' });

/** "1,00 €", with a no-break space so the sign never wraps away from the number. */
export const formatEuro = (cents: number): string => EURO.format(cents / 100);

/** Intro and follow-up price in one sentence, as price law wants them shown together. */
export const offerSummary = (offer: Offer): string =>
  `${formatEuro(offer.introPriceCents)} ${offer.introPeriod}, danach ${formatEuro(offer.priceCents)} ${offer.period}, ${offer.notice}`;

/**
 * The order page of the offer, coming back to the article afterwards. Only an article slug goes in, so `next`
 * is always a local article path (the checkout checks it again with safeNextPath).
 */
export function orderHref(offer: Pick<Offer, 'orderSlug'>, articleSlug?: string): string {
  const base = `/abo/bestellen/${offer.orderSlug}`;
  return articleSlug && /^[a-z0-9][a-z0-9-]*$/.test(articleSlug) ? `${base}?next=/artikel/${articleSlug}` : base;
}

/** The offer as JSON answers carry it, so a denied unlock can show it without another request. */
export function offerJson(offer: Offer, articleSlug?: string) {
  return {
    id: offer.id, name: offer.name, introPriceCents: offer.introPriceCents, priceCents: offer.priceCents,
    intro: `${formatEuro(offer.introPriceCents)} ${offer.introPeriod}`, then: `danach ${formatEuro(offer.priceCents)} ${offer.period}`,
    notice: offer.notice, summary: offerSummary(offer), url: orderHref(offer, articleSlug),
  };
}
