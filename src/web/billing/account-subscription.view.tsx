// Mein Konto → Abo & Rechnungen: the contract, its next payment, payment method, cancellation and its withdrawal, invoices, history.
import type { InvoiceSummary, SubscriptionEvent } from '../../billing/index.ts';
import { formatEuro, formatGermanDate, formatGermanDateTime } from '../../billing/index.ts';
import { Checkbox, CsrfField, ErrorSummary, Field, Notice, emptyForm, type FormState } from '../ui/form.view.tsx';

export const SUBSCRIPTION_NOTICES: Record<string, string> = {
  gekuendigt: 'Ihr Abo ist gekündigt. Die Bestätigung mit dem Vertragsende steht unten; Sie können die Kündigung bis dahin zurücknehmen.',
  zurueckgenommen: 'Ihre Kündigung ist zurückgenommen. Ihr Abo läuft weiter wie bisher.',
  zahlungsart: 'Ihre neue Bankverbindung ist gespeichert. Künftige Lastschriften ziehen wir von diesem Konto ein.',
};

const EVENT_LABELS: Record<string, string> = {
  order: 'Bestellung', start: 'Beginn', renew: 'Verlängerung', 'payment-failed': 'Zahlung fehlgeschlagen', 'dunning-step': 'Zahlungserinnerung',
  'payment-recovered': 'Zahlung eingegangen', cancel: 'Kündigung', 'withdraw-cancellation': 'Kündigung zurückgenommen', expire: 'Ende',
  terminate: 'Sofortiges Ende', 'payment-method': 'Zahlungsart geändert', grant: 'Freizugang', revoke: 'Freizugang entzogen',
};

const LABELS: Record<string, string> = { holderName: 'Kontoinhaber/in', iban: 'IBAN', bic: 'BIC', mandate: 'SEPA-Mandat', state: 'Abo', subscription: 'Abo' };

export interface SubscriptionCard {
  id: string;
  number: string;
  offerName: string;
  kindLabel: string;
  stateLabel: string;
  ended: boolean;
  /** "Bestellt am" */
  startedOn: string;
  /** the last day of a cancelled contract (a Berlin date) */
  cancelEndsOn: string | null;
  canWithdraw: boolean;
  /** when cancelling now, the contract ends on (Berlin date) */
  cancelWouldEndOn: string | null;
  nextPayment: { on: string; amountCents: number } | null;
  /** gifts and free access: until when */
  accessUntil: string | null;
  payment: { kind: 'sepa'; ibanMasked: string | null; reference: string | null; mandateText: string | null } | { kind: 'stripe'; portal: boolean } | null;
  history: SubscriptionEvent[];
}

export interface AccountSubscriptionProps {
  cards: SubscriptionCard[];
  invoices: InvoiceSummary[];
  csrf: string;
  notice?: string;
  /** the card whose form failed, which form, and what to show */
  failed?: { id: string; form: 'mandate' | 'action'; state: FormState };
}

function Facts({ card }: { card: SubscriptionCard }) {
  return (
    <dl class="facts">
      <dt>Abo-Nummer</dt><dd>{card.number}</dd>
      <dt>Status</dt><dd>{card.stateLabel}{card.cancelEndsOn && !card.ended && <span class="status status--warn">gekündigt</span>}</dd>
      <dt>Bestellt am</dt><dd>{formatGermanDate(card.startedOn)}</dd>
      {card.cancelEndsOn && <><dt>Vertragsende</dt><dd>{formatGermanDate(card.cancelEndsOn)} (einschließlich)</dd></>}
      {card.accessUntil && <><dt>Lesen bis</dt><dd>{formatGermanDate(card.accessUntil)} (einschließlich)</dd></>}
      {card.nextPayment && <><dt>Nächste Zahlung</dt><dd data-next-payment>{formatEuro(card.nextPayment.amountCents)} am {formatGermanDate(card.nextPayment.on)}</dd></>}
      {card.payment?.kind === 'sepa' && <><dt>Zahlungsart</dt><dd data-payment-method>SEPA-Lastschrift{card.payment.ibanMasked ? `, Konto ${card.payment.ibanMasked}` : ''}</dd></>}
      {card.payment?.kind === 'stripe' && <><dt>Zahlungsart</dt><dd data-payment-method>Stripe (Karte, PayPal oder Lastschrift)</dd></>}
    </dl>
  );
}

function MandateForm({ card, csrf, form }: { card: SubscriptionCard; csrf: string; form: FormState }) {
  if (card.payment?.kind !== 'sepa' || card.ended) return null;
  return (
    <details class="subscription__more" open={Object.keys(form.problems).length > 0}>
      <summary>Bankverbindung ändern</summary>
      <ErrorSummary form={form} labels={LABELS} />
      <form method="post" action="/konto/abo/zahlungsart" class="form" novalidate>
        <CsrfField token={csrf} />
        <input type="hidden" name="abo" value={card.id} />
        <Field form={form} name="holderName" label="Kontoinhaberin oder Kontoinhaber" autocomplete="name" />
        <Field form={form} name="iban" label="IBAN" autocomplete="off" hint="Offene Lastschriften ziehen wir dann von diesem Konto ein." />
        <Field form={form} name="bic" label="BIC (freiwillig)" autocomplete="off" />
        {card.payment.mandateText && <pre class="mandate-text">{card.payment.mandateText}</pre>}
        <Checkbox form={form} name="mandate">Ich erteile das SEPA-Lastschriftmandat für das neue Konto. Das bisherige Mandat erlischt damit.</Checkbox>
        <button class="button" type="submit">Neue Bankverbindung speichern</button>
      </form>
    </details>
  );
}

function Actions({ card, csrf, problems }: { card: SubscriptionCard; csrf: string; problems: Record<string, string> }) {
  const message = problems.state ?? problems.subscription;
  return (
    <div class="subscription__actions">
      {message && <p class="field__error" role="alert">{message}</p>}
      {card.payment?.kind === 'stripe' && card.payment.portal && !card.ended && (
        <form method="post" action="/konto/abo/stripe">
          <CsrfField token={csrf} /><input type="hidden" name="abo" value={card.id} />
          <button class="button button--ghost" type="submit">Zahlungsart bei Stripe ändern</button>
        </form>
      )}
      {card.canWithdraw && (
        <form method="post" action="/konto/abo/kuendigung-zuruecknehmen">
          <CsrfField token={csrf} /><input type="hidden" name="abo" value={card.id} />
          <button class="button" type="submit">Kündigung zurücknehmen</button>
        </form>
      )}
      {card.cancelWouldEndOn && (
        <form method="post" action="/konto/abo/kuendigen" class="subscription__cancel">
          <CsrfField token={csrf} /><input type="hidden" name="abo" value={card.id} />
          <p>Wenn Sie jetzt kündigen, endet Ihr Abo mit Ablauf des <strong>{formatGermanDate(card.cancelWouldEndOn)}</strong>. Bis dahin lesen Sie weiter.</p>
          <button class="button button--danger" type="submit">Abo kündigen</button>
        </form>
      )}
    </div>
  );
}

function History({ events }: { events: SubscriptionEvent[] }) {
  if (events.length === 0) return null;
  return (
    <details class="subscription__more">
      <summary>Verlauf</summary>
      <table class="data-table">
        <thead><tr><th scope="col">Zeitpunkt</th><th scope="col">Ereignis</th><th scope="col">Anlass</th></tr></thead>
        <tbody>{[...events].reverse().map((e) => <tr><td>{formatGermanDateTime(e.at)}</td><td>{EVENT_LABELS[e.event] ?? e.event}</td><td>{e.cause}</td></tr>)}</tbody>
      </table>
    </details>
  );
}

export function AccountSubscriptionPage({ cards, invoices, csrf, notice, failed }: AccountSubscriptionProps) {
  const stateOf = (card: SubscriptionCard, form: 'mandate' | 'action') => (failed?.id === card.id && failed.form === form ? failed.state : emptyForm());
  return (
    <div class="account">
      <header class="account__head">
        <p class="auth__kicker"><a href="/konto">Mein Konto</a></p>
        <h1 class="account__title">Abo &amp; Rechnungen</h1>
      </header>
      <div class="account__layout">
        <nav class="account__nav" aria-label="Bereiche von Mein Konto">
          <ul>
            <li><a href="/konto">Mein Konto</a></li>
            <li><a href="#abo">Abo</a></li>
            <li><a href="#rechnungen">Rechnungen</a></li>
            <li><a href="/kuendigen">Verträge hier kündigen</a></li>
          </ul>
        </nav>
        <div class="account__main">
          {notice && <Notice>{notice}</Notice>}
          <section class="panel" id="abo" aria-labelledby="abo-h">
            <h2 id="abo-h">Ihr Abo</h2>
            {cards.length === 0 && <p>Sie haben noch kein Abo. <a href="/abo">Plus-Angebote ansehen</a></p>}
            {cards.map((card) => (
              <article class={card.ended ? 'subscription subscription--ended' : 'subscription'} id={`abo-${card.number}`}>
                <h3 class="subscription__title">{card.offerName} <span class="subscription__kind">{card.kindLabel}</span></h3>
                <Facts card={card} />
                {!card.ended && <Actions card={card} csrf={csrf} problems={stateOf(card, 'action').problems} />}
                <MandateForm card={card} csrf={csrf} form={stateOf(card, 'mandate')} />
                <History events={card.history} />
              </article>
            ))}
          </section>
          <section class="panel" id="rechnungen" aria-labelledby="rechnungen-h">
            <h2 id="rechnungen-h">Rechnungen</h2>
            {invoices.length === 0 ? <p>Noch keine Rechnungen. Eine Rechnung entsteht mit jeder Zahlung.</p> : (
              <table class="data-table">
                <thead><tr><th scope="col">Datum</th><th scope="col">Nummer</th><th scope="col">Leistung</th><th scope="col" class="num">Betrag</th><th scope="col"><span class="visually-hidden">PDF</span></th></tr></thead>
                <tbody>{invoices.map((i) => (
                  <tr>
                    <td>{formatGermanDate(i.issuedOn)}</td><td>{i.number}</td><td>{i.description}</td><td class="num">{formatEuro(i.grossCents)}</td>
                    <td><a href={`/konto/rechnungen/${i.number}.pdf`} download={`${i.number}.pdf`}>PDF</a></td>
                  </tr>
                ))}</tbody>
              </table>
            )}
          </section>
        </div>
      </div>
    </div>
  );
}
