// The one Plus offer shown before billing exists: name, intro and follow-up price (gross, in cents), term and notice.

export interface Offer {
  id: string;
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

/** The offer as JSON answers carry it, so a denied unlock can show it without another request. */
export function offerJson(offer: Offer) {
  return {
    id: offer.id, name: offer.name, introPriceCents: offer.introPriceCents, priceCents: offer.priceCents,
    intro: `${formatEuro(offer.introPriceCents)} ${offer.introPeriod}`, then: `danach ${formatEuro(offer.priceCents)} ${offer.period}`,
    notice: offer.notice, summary: offerSummary(offer), url: '/abo',
  };
}
