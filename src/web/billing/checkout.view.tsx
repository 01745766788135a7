// The checkout page for a logged-in reader: payment method, bank details, SEPA mandate, and the summary right above the order button (§ 312j BGB).
import {
  WITHDRAWAL_TEXT, berlinMidnight, formatEuro, formatGermanDate, lastDayBefore, type CheckoutQuote, type Offer,
} from '../../billing/index.ts';
import { Checkbox, CsrfField, ErrorSummary, Field, type FormState } from '../ui/form.view.tsx';
import { queryOf } from './billing-area.ts';

export const CHECKOUT_LABELS: Record<string, string> = {
  method: 'Zahlungsart', holderName: 'Kontoinhaber/in', iban: 'IBAN', bic: 'BIC', mandate: 'SEPA-Lastschriftmandat',
  consent: 'Sofortiger Beginn', priceKey: 'Preis', orderKey: 'Bestellformular', offer: 'Angebot', giftMonths: 'Laufzeit',
};

export interface CheckoutView {
  offer: Offer;
  quote: CheckoutQuote;
  csrf: string;
  form: FormState;
  orderKey: string;
  next: string;
  /** Stripe is configured and the offer may be paid through it */
  stripe: boolean;
  mandate: string;
  email: string;
  /** the checked attribution fields; empty ones are filled by the page script from the browser's memory (decision 028) */
  attribution: { articleId: string | null; variantId: string | null };
}

const day = (date: string) => formatGermanDate(date);
const lastDay = (endExclusive: string) => formatGermanDate(lastDayBefore(berlinMidnight(endExclusive)));

/** The steps of the order in a narrow column, the summary last, right above the button. */
export function CheckoutPage(v: CheckoutView) {
  const { offer, quote, form } = v;
  const method = form.values.method === 'stripe' && v.stripe ? 'stripe' : 'sepa';
  const action = `/abo/bestellen/${offer.slug}`;
  return (
    <div class="checkout">
      <CheckoutHeader offer={offer} step={2} />
      <div class="checkout__grid">
        <div class="checkout__main">
          <ErrorSummary form={form} labels={CHECKOUT_LABELS} />
          {offer.kind === 'gift' && <GiftMonths offer={offer} chosen={quote.giftMonths!} next={v.next} />}
          <form method="post" action={action} class="form checkout__form" novalidate>
            <CsrfField token={v.csrf} />
            <input type="hidden" name="priceKey" value={quote.priceKey} />
            <input type="hidden" name="orderKey" value={v.orderKey} />
            <input type="hidden" name="next" value={v.next} />
            <input type="hidden" name="herkunft" value={v.attribution.articleId ?? ''} data-attribution="article" />
            <input type="hidden" name="variante" value={v.attribution.variantId ?? ''} data-attribution="variant" />
            {quote.giftMonths !== null && <input type="hidden" name="giftMonths" value={String(quote.giftMonths)} />}

            <fieldset class="checkout__section">
              <legend><span class="checkout__num">1</span> Zahlungsart</legend>
              {form.problems.method && <p class="field__error" id="method-error">{form.problems.method}</p>}
              <label class="pay-choice">
                <input type="radio" name="method" value="sepa" id="f-method" checked={method === 'sepa'} />
                <span><strong>SEPA-Lastschrift</strong><br /><span class="pay-choice__note">Bequem vom Girokonto, ohne Gebühren.</span></span>
              </label>
              {v.stripe && (
                <label class="pay-choice">
                  <input type="radio" name="method" value="stripe" checked={method === 'stripe'} />
                  <span><strong>Karte, PayPal oder SEPA über Stripe</strong><br /><span class="pay-choice__note">Sie bezahlen im nächsten Schritt auf der sicheren Seite unseres Zahlungsdienstleisters Stripe.</span></span>
                </label>
              )}
            </fieldset>

            <fieldset class="checkout__section">
              <legend><span class="checkout__num">2</span> Bankverbindung {v.stripe && <span class="field__aside">(nur bei SEPA-Lastschrift)</span>}</legend>
              <Field form={form} name="holderName" label="Kontoinhaber/in" autocomplete="name" />
              <Field form={form} name="iban" label="IBAN" autocomplete="off" hint="Zum Beispiel DE89 3704 0044 0532 0130 00 – Leerzeichen sind erlaubt." />
              <Field form={form} name="bic" label="BIC (optional)" autocomplete="off" hint="Nur nötig bei Konten außerhalb des SEPA-Raums, sonst leer lassen." />
              <details class="checkout__mandate">
                <summary>SEPA-Lastschriftmandat lesen</summary>
                <pre class="checkout__mandate-text">{v.mandate}</pre>
              </details>
              <Checkbox form={form} name="mandate">
                Ich erteile das <strong>SEPA-Lastschriftmandat</strong> (Text oben). Die Vorabankündigung jeder Abbuchung erhalte ich spätestens zwei Tage vorher per E-Mail.
              </Checkbox>
            </fieldset>

            {(form.problems.priceKey || form.problems.offer) && <div class="acc-notice acc-notice--warning" id="f-priceKey" role="alert">{form.problems.priceKey ?? form.problems.offer}</div>}
            <OrderSummary offer={offer} quote={quote} method={method} email={v.email} />

            <details class="checkout__withdrawal">
              <summary>Widerrufsbelehrung</summary>
              {WITHDRAWAL_TEXT.map((p) => <p>{p}</p>)}
            </details>
            <Checkbox form={form} name="consent">
              Ich stimme ausdrücklich zu, dass {offer.kind === 'gift' ? 'der Geschenk-Code sofort erstellt wird' : 'Plus sofort beginnt'}, also vor Ablauf der Widerrufsfrist. Mir ist bekannt, dass mein Widerrufsrecht damit vorzeitig erlischt (§ 356 Abs. 5 BGB).
            </Checkbox>
            <button class="button button--plus button--large form__submit checkout__submit" type="submit">zahlungspflichtig bestellen</button>
            <p class="checkout__fineprint">Mit der Bestellung schließen Sie einen kostenpflichtigen Vertrag. Die Bestätigung mit allen Vertragsdaten senden wir an <strong>{v.email}</strong>.</p>
          </form>
        </div>
        <OfferAside offer={offer} />
      </div>
    </div>
  );
}

/** Offer, prices, first and next payment, term, notice and how to cancel — what § 312j BGB wants right above the button. */
export function OrderSummary({ offer, quote, method, email }: { offer: Offer; quote: CheckoutQuote; method: 'sepa' | 'stripe'; email?: string }) {
  const gift = offer.kind === 'gift';
  return (
    <section class="order-summary" aria-labelledby="order-summary-title">
      <h2 id="order-summary-title">Ihre Bestellung</h2>
      <dl>
        <dt>Angebot</dt><dd><strong>{offer.name}</strong>{gift ? ` · ${quote.giftMonths} Monate` : ''}</dd>
        <dt>Preis</dt><dd data-price-text>{quote.priceText} <span class="field__aside">(inkl. 7 % MwSt.)</span></dd>
        <dt>Erste Zahlung</dt>
        <dd><strong>{formatEuro(quote.firstAmountCents)}</strong>{method === 'sepa'
          ? <> – Einzug per Lastschrift am {day(quote.sepaDueOn)}</>
          : <> – heute über Stripe</>}</dd>
        {gift
          ? <><dt>Laufzeit</dt><dd>{quote.giftMonths} Monate ab Einlösung des Codes; keine weitere Zahlung</dd></>
          : <>
            <dt>Zeitraum</dt><dd>{day(quote.firstPeriodFrom)} bis einschließlich {lastDay(quote.firstPeriodTo)}</dd>
            {quote.nextAmountCents !== null && quote.nextDueOn && <><dt>Nächste Zahlung</dt><dd>{formatEuro(quote.nextAmountCents)} am {day(quote.nextDueOn)}</dd></>}
          </>}
        <dt>Laufzeit und Kündigung</dt><dd>{quote.termsText}</dd>
        {!gift && <><dt>Kündigen</dt><dd>Jederzeit online über <a href="/kuendigen">„Verträge hier kündigen“</a> (unten auf jeder Seite) oder in <a href="/konto">Mein Konto</a>.</dd></>}
        {email && <><dt>Konto</dt><dd>{email}</dd></>}
      </dl>
    </section>
  );
}

/** Progress: 1 Angebot, 2 Bestellen, 3 Fertig. */
export function CheckoutHeader({ offer, step }: { offer: Offer; step: 1 | 2 | 3 }) {
  const steps = ['Anmelden', 'Bezahlen', 'Fertig'];
  return (
    <header class="checkout__head">
      <p class="auth__kicker"><a href="/abo">Plus-Abo</a></p>
      <h1 class="checkout__title">{offer.name} bestellen</h1>
      <ol class="checkout__steps">
        {steps.map((s, i) => <li class={i + 1 === step ? 'is-current' : i + 1 < step ? 'is-done' : ''} aria-current={i + 1 === step ? 'step' : undefined}>{s}</li>)}
      </ol>
    </header>
  );
}

/** The offer beside the form: what the reader gets, and why they can trust the page. */
export function OfferAside({ offer }: { offer: Offer }) {
  return (
    <aside class="checkout__aside">
      <div class="offer-card checkout__offer">
        <h2>{offer.name}</h2>
        {offer.description && <p>{offer.description}</p>}
        <ul>
          <li>Alle Plus-Artikel im Klartext</li>
          <li>Auf allen Geräten lesen</li>
          <li>{offer.kind === 'gift' ? 'Endet von selbst, keine Kündigung nötig' : 'Online kündbar, ohne Anruf'}</li>
        </ul>
      </div>
      <p class="checkout__trust">Ihre Bankdaten werden verschlüsselt übertragen und gespeichert; auf dem Bildschirm zeigen wir sie nur gekürzt.</p>
    </aside>
  );
}

/** Gift length: a choice of links (no script needed), since the price above the button depends on it. */
function GiftMonths({ offer, chosen, next }: { offer: Offer; chosen: number; next: string }) {
  return (
    <nav class="gift-months" aria-label="Laufzeit des Geschenk-Abos">
      <p class="gift-months__label">Laufzeit wählen</p>
      <ul>
        {offer.giftMonths.map((m) => (
          <li><a class={m === chosen ? 'gift-months__option is-chosen' : 'gift-months__option'} aria-current={m === chosen ? 'true' : undefined}
            href={`/abo/bestellen/${offer.slug}${queryOf({ monate: m, next })}`}>
            <strong>{m} Monate</strong> <span>{formatEuro(offer.priceCents * m)}</span>
          </a></li>
        ))}
      </ul>
    </nav>
  );
}
