// The offer of an order page and its quote: 404 for an unknown or withdrawn offer, 400 for a gift length it lacks.
import { DomainError } from '../../domain-error.ts';
import { findOffer, quoteOffer, type BillingContext, type CheckoutQuote, type Offer } from '../../billing/index.ts';
import { HttpError } from '../platform/app-error.ts';

/** The active offer of the path, or 404: an unknown or withdrawn offer has no order page. */
export async function activeOffer(ctx: BillingContext, slug: string): Promise<Offer> {
  const offer = /^[a-z0-9-]{1,60}$/.test(slug) ? await findOffer(ctx.db, slug) : null;
  if (!offer || !offer.active) throw new HttpError('not-found', 'Dieses Angebot gibt es nicht (mehr). Alle aktuellen Angebote finden Sie unter /abo.', 'offer');
  return offer;
}

/** The gift length from the query or form, else the offer's first; a length the offer lacks is a 400 from quoteOffer. */
export function quoteFor(ctx: BillingContext, offer: Offer, rawMonths: string | undefined): CheckoutQuote {
  const months = rawMonths && /^\d{1,2}$/.test(rawMonths) ? Number(rawMonths) : null;
  try {
    return quoteOffer(offer, { now: ctx.clock(), giftMonths: offer.kind === 'gift' ? months : null });
  } catch (e) {
    if (e instanceof DomainError) throw new HttpError('bad-request', e.message, e.field);
    throw e;
  }
}
