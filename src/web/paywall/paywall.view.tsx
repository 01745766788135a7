// The paywall as readers see it: the premium section of the cached page (markup contract in src/access/CONTEXT.md), the offer box, the plain text for entitled readers.
import { raw } from 'hono/html';
import { orderHref, type BoxExperiment, type BoxOffer, type BoxVariant } from './paywall-offer.ts';
import type { Article } from '../../content/index.ts';

export const loginHref = (next: string): string => `/anmelden?weiter=${encodeURIComponent(next)}`;
export const registerHref = (next: string): string => `/registrieren?weiter=${encodeURIComponent(next)}`;
export const fallbackHref = (article: Pick<Article, 'slug'>): string => `/artikel/${article.slug}/klartext`;
export const giftHref = (article: Pick<Article, 'slug'>): string => `/artikel/${article.slug}/verschenken`;
/** The account route that sends the confirmation mail again (POST with CSRF token, answers with /konto). */
export const RESEND_VERIFICATION_PATH = '/konto/bestaetigung';

/** Intro and follow-up price together, gross, as price law asks. */
export function OfferPrice({ offer }: { offer: BoxOffer }) {
  return (
    <>
      <p class="price"><strong>{offer.price.amount}</strong> {offer.price.when}</p>
      <p class="price-note">{offer.price.then && `${offer.price.then} · `}{offer.termsText} · Preise inkl. 7 % MwSt.</p>
    </>
  );
}

const PERKS = ['Alle Plus-Artikel im Klartext', 'Auf allen Geräten lesen', 'Artikel an Freunde verschenken'];

export interface PaywallBoxProps {
  article: Pick<Article, 'slug' | 'access'>;
  /** the offer the box sells; null when none is on sale (the box then links to the offers page) */
  offer: BoxOffer | null;
  /** where login and registration send the reader back to */
  next: string;
  /** the no-JS reading link; left out on the no-JS page itself */
  noscriptFallback?: boolean;
  message?: string;
  signedIn?: boolean;
  /** set when the reader has to confirm the address: the CSRF token of the form that sends the mail again */
  resendCsrf?: string | undefined;
  /** a running experiment's control: its headline, copy and offer replace the standard ones (Plus box only) */
  copy?: BoxVariant | undefined;
  /** every variant of the running experiment, each in a <template> the page script may swap in (offer-variant.ts) */
  variants?: { experimentId: string; list: BoxVariant[] } | undefined;
}

/** The button that sends the confirmation mail again, for readers the meter waits for. */
function ResendVerification({ csrf }: { csrf: string }) {
  return (
    <form method="post" action={RESEND_VERIFICATION_PATH} class="paywall-resend">
      <input type="hidden" name="_csrf" value={csrf} />
      <button class="button button--large" type="submit">Bestätigungsmail erneut senden</button>
    </form>
  );
}

/** The offer box: registration wall for registered articles, the Plus offer for Plus articles. */
export function PaywallBox({ article, offer, next, noscriptFallback, message, signedIn, resendCsrf, copy, variants }: PaywallBoxProps) {
  const fallback = noscriptFallback && (
    <noscript><p class="paywall-box__noscript">Ohne JavaScript: <a href={fallbackHref(article)}>Artikel im Klartext öffnen</a> (für Abonnentinnen und Abonnenten).</p></noscript>
  );
  if (article.access === 'registered') {
    return (
      <div class="paywall-box paywall-box--registered">
        <p class="paywall-box__eyebrow">Kostenlos weiterlesen</p>
        <h2>Mit einem kostenlosen Konto lesen Sie weiter</h2>
        <p class="paywall-box__lead">Registrieren dauert eine Minute. Sie bekommen keine Werbung per E-Mail, wenn Sie das nicht möchten.</p>
        <p class="paywall-message" data-paywall-message>{message}</p>
        <p class="actions"><a class="button button--large" href={registerHref(next)}>Kostenlos registrieren</a></p>
        {!signedIn && <p class="login">Schon registriert? <a href={loginHref(next)}>Hier anmelden</a></p>}
        {fallback}
      </div>
    );
  }
  const content = (v: BoxVariant | undefined, m: string | undefined) => (
    <PlusBoxContent article={article} offer={v ? v.offer : offer} headline={v?.headline} body={v?.body} next={next} message={m} signedIn={signedIn} resendCsrf={resendCsrf} fallback={fallback} />
  );
  // The variants travel in the same bytes as the control: the page stays one cached page for everyone, and the
  // script shows the reader's variant by swapping a template's content in — without script the control stays.
  return (
    <div class="paywall-box" data-experiment={variants?.experimentId}>
      {content(copy, message)}
      {variants?.list.map((v) => <template data-variant={v.id} data-share={String(v.share)}>{content(v, undefined)}</template>)}
    </div>
  );
}

/** What the Plus box says and sells; a variant of an experiment brings its own headline, copy and offer. */
function PlusBoxContent({ article, offer, headline, body, next, message, signedIn, resendCsrf, fallback }: {
  article: Pick<Article, 'slug'>; offer: BoxOffer | null; headline: string | undefined; body: string | undefined; next: string;
  message: string | undefined; signedIn: boolean | undefined; resendCsrf: string | undefined; fallback: unknown;
}) {
  return (
    <>
      <p class="paywall-box__eyebrow"><span class="badge-plus">Plus</span> Jetzt weiterlesen</p>
      <h2>{headline ?? `Alle Artikel im Klartext${offer ? ` mit ${offer.name}` : ''}`}</h2>
      {body && <p class="paywall-box__lead">{body}</p>}
      {offer && <OfferPrice offer={offer} />}
      <ul>{PERKS.map((perk) => <li>{perk}</li>)}</ul>
      <p class="paywall-message" data-paywall-message>{message}</p>
      {resendCsrf !== undefined && <ResendVerification csrf={resendCsrf} />}
      <p class="actions">
        <a class="button button--plus button--large" href={orderHref(offer, article.slug)} data-order-link data-offer={offer?.slug}>{offer ? `Jetzt ${offer.name} bestellen` : 'Angebote ansehen'}</a>
        {!signedIn && <a class="button button--ghost button--large" href={registerHref(next)}>Kostenlos registrieren</a>}
      </p>
      {!signedIn && <p class="login">Schon digitale Abonnentin oder digitaler Abonnent? <a href={loginHref(next)}>Hier anmelden</a></p>}
      <p class="login"><a href={`/abo?next=/artikel/${article.slug}`}>Alle Angebote ansehen</a>, auch Jahres- und Geschenk-Abo</p>
      {fallback}
    </>
  );
}

const noteText = (access: Article['access']): string =>
  access === 'registered' ? 'Kostenlos weiterlesen nach Anmeldung: Registrierte Leserinnen und Leser sehen diesen Artikel im Klartext.'
    : 'Abonnentinnen und Abonnenten lesen diesen Artikel im Klartext. Bitte melden Sie sich an oder wählen Sie ein Angebot.';

export interface SealedPremium { keyId: string; ciphertext: string; decoy: string[] }

/**
 * The premium part of the cached page, the same bytes for every reader: note, decoy, the empty region the
 * script fills, the offer box and the ciphertext. Nothing in it depends on who asks.
 * The newsroom's preview passes the decoy alone (no key, no ciphertext, so the script has nothing to unlock) and the
 * message the script would have written into the box for that reader.
 */
export function PremiumSection({ article, sealed, offer, message, experiment }: {
  article: Pick<Article, 'id' | 'slug' | 'access'>; sealed: SealedPremium | Pick<SealedPremium, 'decoy'>; offer: BoxOffer | null; message?: string;
  /** the running experiment, for a Plus article: the control shows, every variant rides along in a template */
  experiment?: BoxExperiment | null;
}) {
  const variants = experiment && article.access === 'plus' ? { experimentId: experiment.id, list: experiment.variants } : undefined;
  const unlock = 'ciphertext' in sealed ? sealed : null;
  return (
    <div id="premium" class="premium" data-article-id={unlock ? article.id : undefined} data-key-id={unlock?.keyId} data-unlock-url={unlock ? `/api/unlock/${article.id}` : undefined}>
      <p class="premium-note">{noteText(article.access)}</p>
      <div class="premium-decoy" aria-hidden="true">{sealed.decoy.map((p) => <p>{p}</p>)}</div>
      <p class="meter-status" data-meter-status></p>
      <div class="premium-text" hidden aria-live="polite"></div>
      <PaywallBox article={article} offer={offer} next={`/artikel/${article.slug}`} noscriptFallback message={message} copy={variants?.list[0]} variants={variants} />
      <p class="gift-action" data-gift-action hidden><a class="button button--ghost" href={giftHref(article)}>Artikel verschenken</a></p>
      {unlock && <template id="premium-ciphertext">{unlock.ciphertext}</template>}
    </div>
  );
}

/** "Freigeschaltet über …": whose access opened the text — the same line the page script writes (src/client/institution-note.ts). */
export function InstitutionNote({ name }: { name: string }) {
  return <p class="premium-via"><span class="premium-via__label">Freigeschaltet über</span> <span class="premium-via__name">{name}</span></p>;
}

/** The premium blocks in plain HTML, for a verified crawler or an entitled reader without JavaScript. */
export function PlainPremium({ html, note, giftable, article, institution }: { html: string; note?: string | undefined; giftable?: boolean; article: Pick<Article, 'slug'>; institution?: string | undefined }) {
  return (
    <div class="premium premium--unlocked">
      {institution && <InstitutionNote name={institution} />}
      {note && <p class="meter-status">{note}</p>}
      <div class="premium-text">{raw(html)}</div>
      {giftable && <p class="gift-action"><a class="button button--ghost" href={giftHref(article)}>Artikel verschenken</a></p>}
    </div>
  );
}

/** No JavaScript, a free meter article left: reading it counts, so it takes a button (a POST), never a mere link. */
export function MeterConfirm({ article, remaining, limit, csrf }: { article: Pick<Article, 'slug'>; remaining: number; limit: number; csrf: string }) {
  return (
    <div class="premium">
      <div class="paywall-box">
        <p class="paywall-box__eyebrow"><span class="badge-plus">Plus</span> Freier Artikel</p>
        <h2>Diesen Artikel mit Ihrem Kontingent lesen?</h2>
        <p>Sie können in diesem Monat noch {remaining} von {limit} Plus-Artikeln kostenlos lesen. Einmal freigeschaltet, bleibt der Artikel für Sie bis Monatsende frei.</p>
        <form method="post" action={fallbackHref(article)}>
          <input type="hidden" name="_csrf" value={csrf} />
          <p class="actions"><button class="button button--plus button--large" type="submit">Artikel jetzt freischalten</button></p>
        </form>
        <p class="login">Oder alles lesen: <a href="/abo">Plus-Abo ansehen</a></p>
      </div>
    </div>
  );
}

export interface Denial {
  need: 'login' | 'subscription' | 'verification';
  signedIn: boolean;
  meter?: { limit: number; used: number; remaining: number };
  gift: 'valid' | 'expired' | 'revoked' | 'lapsed' | 'unknown' | null;
  /** the reader's institution has no seat left */
  institutionFull?: { name: string } | undefined;
}

/** Why the text stays closed and what would open it, in a sentence or two; the box around it shows the prices. */
export function denialMessage(d: Denial): string {
  const gift = d.gift === 'expired' ? 'Dieser Geschenk-Link ist abgelaufen. '
    : d.gift === 'revoked' ? 'Dieser Geschenk-Link wurde zurückgezogen. '
      : d.gift === 'lapsed' ? 'Dieser Geschenk-Link gilt nicht mehr. '
        : d.gift === 'unknown' ? 'Dieser Geschenk-Link ist ungültig. ' : '';
  const meterOn = d.meter !== undefined && d.meter.limit > 0;
  if (d.institutionFull) {
    const full = `Alle Plätze von „${d.institutionFull.name}“ sind vergeben – fragen Sie dort nach, ob einer frei werden kann. `;
    return meterOn ? `${gift}${full}Ihre ${d.meter!.limit} freien Plus-Artikel in diesem Monat haben Sie gelesen; mit dem Plus-Abo lesen Sie sofort weiter.`
      : `${gift}${full}Mit dem Plus-Abo lesen Sie sofort weiter.`;
  }
  if (d.need === 'login') return `${gift}Melden Sie sich an oder registrieren Sie sich kostenlos, um diesen Artikel weiterzulesen.`;
  if (d.need === 'verification') {
    const free = meterOn ? `Ihre ${d.meter!.limit} freien Plus-Artikel im Monat` : 'diesen Artikel';
    return `${gift}Bitte bestätigen Sie Ihre E-Mail-Adresse, dann lesen Sie ${free}. Den Bestätigungslink haben wir Ihnen per E-Mail geschickt.`;
  }
  if (!d.signedIn) {
    return meterOn ? `${gift}Registrieren Sie sich kostenlos und lesen Sie ${d.meter!.limit} Plus-Artikel im Monat gratis.` : `${gift}Dieser Artikel ist Teil von Plus.`;
  }
  if (meterOn) return `${gift}Sie haben Ihre ${d.meter!.limit} freien Plus-Artikel in diesem Monat gelesen. Mit dem Plus-Abo lesen Sie alle Artikel.`;
  return `${gift}Dieser Artikel ist Teil von Plus. Mit dem Plus-Abo lesen Sie ihn sofort.`;
}
