// The offer the paywall box and a denied unlock show: the featured billing offer, its price in the one price text (PAngV).
import { priceParts, priceText, termsText, type Offer } from '../../billing/index.ts';

export interface BoxOffer { slug: string; name: string; price: ReturnType<typeof priceParts>; priceText: string; termsText: string }

/** One variant of the box in a running experiment: its copy and the offer it sells (the featured one unless it names another). */
export interface BoxVariant { id: string; key: string; headline: string; body: string; share: number; offer: BoxOffer | null }
/** The running experiment as the box shows it; the first variant is the control (A), what readers without script see. */
export interface BoxExperiment { id: string; variants: BoxVariant[] }

export const boxOfferOf = (offer: Offer): BoxOffer => ({ slug: offer.slug, name: offer.name, price: priceParts(offer), priceText: priceText(offer), termsText: termsText(offer) });

/**
 * The order page of the offer, coming back to the article afterwards. Only an article slug goes in, so `next`
 * is always a local article path (the checkout checks it again with safeNextPath). Without an offer: the offers page.
 */
export function orderHref(offer: Pick<BoxOffer, 'slug'> | null, articleSlug?: string): string {
  const base = offer ? `/abo/bestellen/${offer.slug}` : '/abo';
  const next = articleSlug && /^[a-z0-9][a-z0-9-]*$/.test(articleSlug) ? `/artikel/${articleSlug}` : '';
  return next ? `${base}?next=${next}` : base;
}

/** The offer as JSON answers carry it, so a denied unlock can show it without another request. */
export function offerJson(offer: BoxOffer | null, articleSlug?: string) {
  return offer
    ? { id: offer.slug, name: offer.name, summary: `${offer.priceText}, ${offer.termsText}`, url: orderHref(offer, articleSlug) }
    : { id: null, name: 'Plus', summary: 'Alle Angebote ansehen', url: orderHref(null, articleSlug) };
}
