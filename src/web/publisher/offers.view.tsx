// The offers: a list with prices as readers see them, and one form for a new or changed offer (problems next to the fields).
import { priceText, termsText, type Offer } from '../../billing/index.ts';
import { Checkbox, CsrfField, ErrorSummary, Field, type FormState } from '../ui/form.view.tsx';
import { PublisherFrame } from './publisher-frame.view.tsx';

const LABELS: Record<string, string> = {
  slug: 'Kurzbezeichnung', name: 'Name', description: 'Beschreibung', kind: 'Art', priceCents: 'Preis', period: 'Abrechnungszeitraum',
  introPriceCents: 'Einführungspreis', introMonths: 'Einführungszeitraum', minTermMonths: 'Mindestlaufzeit', noticeMonths: 'Kündigungsfrist',
  giftMonths: 'Geschenk-Laufzeiten', paymentMethods: 'Zahlarten', active: 'Aktiv', position: 'Reihenfolge',
};

export function OfferListPage({ offers, notice }: { offers: Offer[]; notice?: string | undefined }) {
  return (
    <PublisherFrame title="Angebote" active="/verlag/angebote" notice={notice}
      meta="Preisänderungen gelten für neue Bestellungen; laufende Abos behalten ihre Bedingungen.">
      <p class="publisher__tools"><a class="button button--small" href="/verlag/angebote/neu">Neues Angebot</a></p>
      <table class="publisher__table">
        <thead><tr><th scope="col">Angebot</th><th scope="col">Preis</th><th scope="col">Bedingungen</th><th scope="col">Zahlarten</th><th scope="col">Status</th></tr></thead>
        <tbody>{offers.map((o) => (
          <tr>
            <td><a href={`/verlag/angebote/${o.slug}`}>{o.name}</a><br /><code class="publisher__muted">{o.slug}</code></td>
            <td>{priceText(o)}</td><td>{termsText(o)}</td>
            <td>{o.paymentMethods.map((m) => (m === 'sepa' ? 'SEPA' : 'Stripe')).join(', ')}</td>
            <td>{o.active ? <span class="status status--ok">aktiv</span> : <span class="status status--off">inaktiv</span>}</td>
          </tr>
        ))}</tbody>
      </table>
    </PublisherFrame>
  );
}

/** Form values of an offer (all strings, prices in cents as typed). */
export function offerFormValues(o: Offer): Record<string, string> {
  return {
    slug: o.slug, name: o.name, description: o.description, kind: o.kind, priceCents: String(o.priceCents), period: o.period,
    introPriceCents: o.introPriceCents === null ? '' : String(o.introPriceCents), introMonths: o.introMonths ? String(o.introMonths) : '',
    minTermMonths: String(o.minTermMonths), noticeMonths: String(o.noticeMonths), giftMonths: o.giftMonths.join(', '),
    method_sepa: o.paymentMethods.includes('sepa') ? 'on' : '', method_stripe: o.paymentMethods.includes('stripe') ? 'on' : '',
    active: o.active ? 'on' : '', position: String(o.position),
  };
}

export function OfferFormPage({ form, slug, csrf }: { form: FormState; slug: string | null; csrf: string }) {
  const v = form.values;
  const select = (name: string, label: string, options: [string, string][]) => (
    <div class={form.problems[name] ? 'field field--error' : 'field'}>
      <label for={`f-${name}`}>{label}</label>
      {form.problems[name] && <p class="field__error" id={`${name}-error`}>{form.problems[name]}</p>}
      <select id={`f-${name}`} name={name} aria-invalid={form.problems[name] ? 'true' : undefined}>
        {options.map(([value, text]) => <option value={value} selected={v[name] === value}>{text}</option>)}
      </select>
    </div>
  );
  return (
    <PublisherFrame title={slug ? `Angebot „${v.name || slug}“ bearbeiten` : 'Neues Angebot'} active="/verlag/angebote">
      <p class="publisher__tools"><a href="/verlag/angebote">← Alle Angebote</a></p>
      <ErrorSummary form={form} labels={LABELS} />
      <form class="form publisher__offer-form" method="post" action={slug ? `/verlag/angebote/${slug}` : '/verlag/angebote'}>
        <CsrfField token={csrf} />
        {slug ? <input type="hidden" name="slug" value={slug} /> : <Field form={form} name="slug" label="Kurzbezeichnung" hint="für die Adresse /abo/bestellen/…: Kleinbuchstaben, Ziffern, Bindestriche" required />}
        <Field form={form} name="name" label="Name" required />
        <Field form={form} name="description" label="Beschreibung" />
        {select('kind', 'Art', [['recurring', 'Abo (verlängert sich)'], ['gift', 'Geschenk-Abo (endet von selbst)']])}
        <Field form={form} name="priceCents" label="Preis in Cent (brutto)" hint="9,99 € = 999; beim Geschenk-Abo der Monatspreis" required />
        {select('period', 'Abrechnungszeitraum', [['month', 'monatlich'], ['year', 'jährlich']])}
        <Field form={form} name="introPriceCents" label="Einführungspreis in Cent" hint="leer lassen für keinen" />
        <Field form={form} name="introMonths" label="Einführungszeitraum in Monaten" />
        <Field form={form} name="minTermMonths" label="Mindestlaufzeit in Monaten" required />
        <Field form={form} name="noticeMonths" label="Kündigungsfrist in Monaten" hint="0 oder 1" required />
        <Field form={form} name="giftMonths" label="Geschenk-Laufzeiten in Monaten" hint="nur Geschenk-Abo, z. B. 3, 6, 12" />
        <fieldset class="form__consents">
          <legend>Zahlarten</legend>
          {form.problems.paymentMethods && <p class="field__error" id="paymentMethods-error">{form.problems.paymentMethods}</p>}
          <Checkbox form={form} name="method_sepa">SEPA-Lastschrift</Checkbox>
          <Checkbox form={form} name="method_stripe">Karte / Stripe</Checkbox>
        </fieldset>
        <Checkbox form={form} name="active">Aktiv (auf /abo bestellbar)</Checkbox>
        <Field form={form} name="position" label="Reihenfolge" hint="kleinere Zahlen stehen weiter oben" />
        <button class="button" type="submit">{slug ? 'Änderungen speichern' : 'Angebot anlegen'}</button>
      </form>
    </PublisherFrame>
  );
}
