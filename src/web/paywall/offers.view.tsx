// /abo: the active offers from the database, each with intro and follow-up price together (PAngV), its terms and the way to order it.
import { formatEuro, priceText, termsText, type Offer } from '../../billing/index.ts';
import { loginHref, registerHref } from './paywall.view.tsx';

const orderHref = (offer: Offer, next: string, months?: number): string => {
  const q = new URLSearchParams();
  if (months) q.set('monate', String(months));
  if (next) q.set('next', next);
  const s = q.toString().replace(/%2F/g, '/');
  return `/abo/bestellen/${offer.slug}${s ? `?${s}` : ''}`;
};

function OfferCard({ offer, next, featured }: { offer: Offer; next: string; featured: boolean }) {
  return (
    <article class={featured ? 'offer-card offer-card--featured' : 'offer-card'} data-offer={offer.slug}>
      {featured && <p class="offer-card__flag">Beliebt</p>}
      <h2>{offer.name}</h2>
      {offer.description && <p class="offer-card__desc">{offer.description}</p>}
      <p class={offer.kind === 'gift' ? 'offer-card__price offer-card__price--gift' : 'offer-card__price'} data-price-text>{priceText(offer)}</p>
      <p class="price-note">{termsText(offer)} · Preise inkl. 7 % MwSt.</p>
      {offer.kind === 'gift'
        ? <p class="actions offer-card__months">{offer.giftMonths.map((m) => (
          <a class="button button--ghost" href={orderHref(offer, next, m)}>{m} Monate · {formatEuro(offer.priceCents * m)}</a>
        ))}</p>
        : <p class="actions"><a class={featured ? 'button button--plus button--large' : 'button button--large'} href={orderHref(offer, next)}>{offer.name} bestellen</a></p>}
    </article>
  );
}

/** The offer page; `next` (an article path, checked by the route) travels on to the order page. */
export function OffersPage({ offers, next, meterPerMonth }: { offers: Offer[]; next: string; meterPerMonth: number }) {
  const featured = offers.find((o) => o.kind === 'recurring')?.slug;
  return (
    <section class="offer-page offer-page--list">
      <p class="paywall-box__eyebrow"><span class="badge-plus">Plus</span> Digital-Abo</p>
      <h1>Alle Artikel im Klartext</h1>
      <p class="intro">Unabhängiger Lokaljournalismus aus der Region – auf jedem Gerät, ohne Werbetracker. Online bestellt, online kündbar.</p>
      {offers.length === 0
        ? <p class="notice">Im Moment können Sie hier kein Abo bestellen. Bitte schauen Sie bald wieder vorbei.</p>
        : <div class="offer-list">{offers.map((o) => <OfferCard offer={o} next={next} featured={o.slug === featured} />)}</div>}
      <p class="login">Geschenk bekommen? <a href="/abo/einloesen">Geschenk-Code einlösen</a></p>
      <p class="login">Schon Abonnentin oder Abonnent? <a href={loginHref(next || '/')}>Hier anmelden</a>
        {meterPerMonth > 0 && <> · Noch kein Konto? <a href={registerHref(next || '/abo')}>Kostenlos registrieren</a> und {meterPerMonth} Plus-Artikel im Monat gratis lesen.</>}</p>
    </section>
  );
}
