// /abo/danke and /abo/einloesen: the confirmation after an order, and the form that redeems a gift code.
import { STATE_LABELS, formatEuro, formatGermanDate, lastDayBefore, type OrderOverview } from '../../billing/index.ts';
import { AuthCard, CsrfField, ErrorSummary, Field, Notice, type FormState } from '../ui/form.view.tsx';

export function ThanksPage({ order, next, email }: { order: OrderOverview; next: string; email: string }) {
  const sub = order.subscription;
  const gift = sub.kind === 'gift';
  const pending = sub.provider === 'stripe' && sub.state === 'pending';
  return (
    <AuthCard kicker="Bestellung abgeschlossen" title={gift ? 'Danke – Ihr Geschenk-Abo ist bestellt' : pending ? 'Danke – wir warten auf die Zahlung' : 'Willkommen bei Plus!'}
      intro={<p>{gift ? 'Sie verschenken Plus: Die beschenkte Person löst den Code ein, dann beginnt ihr Abo.' : pending
        ? 'Sobald Stripe uns die Zahlung bestätigt, schalten wir Plus frei – meist in wenigen Sekunden. Laden Sie diese Seite dann neu.'
        : 'Ihr Abo ist aktiv. Alle Plus-Artikel stehen Ihnen ab sofort im Klartext offen.'}</p>}
      footer={<p><a href="/konto">Zu Mein Konto</a> · <a href="/">Zur Startseite</a></p>}>
      <dl class="thanks__facts">
        <dt>Angebot</dt><dd>{sub.offer_name}</dd>
        <dt>Abo-Nummer</dt><dd data-subscription-number>{sub.number}</dd>
        <dt>Status</dt><dd data-subscription-state>{STATE_LABELS[sub.state]}</dd>
        {!gift && sub.current_period_end && <><dt>Bezahlt bis</dt><dd>einschließlich {formatGermanDate(lastDayBefore(sub.current_period_end))}</dd></>}
        {order.firstDebit && <><dt>Erste Abbuchung</dt><dd>{formatEuro(order.firstDebit.amountCents)} am {formatGermanDate(order.firstDebit.dueOn)}{order.ibanMasked ? ` von ${order.ibanMasked}` : ''}</dd></>}
      </dl>
      {gift && <Notice kind="info">Den Geschenk-Code haben wir Ihnen aus Sicherheitsgründen nur per E-Mail an <strong>{email}</strong> geschickt, zusammen mit der Anleitung zum Einlösen unter <a href="/abo/einloesen">/abo/einloesen</a>.</Notice>}
      <p class="thanks__mail">Die Bestellbestätigung mit Vertragsdaten{sub.provider === 'sepa' ? ', Vorabankündigung der Abbuchung' : ''} und Widerrufsbelehrung ist unterwegs an <strong>{email}</strong>.</p>
      <p class="actions">
        {next && !gift && <a class="button button--plus button--large" href={next} data-continue>Weiterlesen</a>}
        {' '}<a class={next && !gift ? 'button button--ghost' : 'button button--large'} href="/konto">Mein Konto</a>
      </p>
    </AuthCard>
  );
}

export function RedeemPage({ form, csrf, redeemed }: { form: FormState; csrf: string; redeemed?: { offerName: string; until: string } }) {
  return (
    <AuthCard kicker="Geschenk-Abo" title="Geschenk-Code einlösen" intro={<p>Jemand hat Ihnen Plus geschenkt? Geben Sie hier den Code aus der E-Mail ein. Das Abo beginnt sofort und endet von selbst.</p>}
      footer={<p><a href="/abo">Alle Angebote</a> · <a href="/konto">Mein Konto</a></p>}>
      {redeemed
        ? <Notice>Eingelöst: Ihr {redeemed.offerName} läuft bis einschließlich {formatGermanDate(lastDayBefore(redeemed.until))}. Viel Freude beim Lesen!</Notice>
        : <>
          <ErrorSummary form={form} labels={{ code: 'Geschenk-Code' }} />
          <form method="post" action="/abo/einloesen" class="form" novalidate>
            <CsrfField token={csrf} />
            <Field form={form} name="code" label="Geschenk-Code" autocomplete="off" required hint="12 Zeichen, Groß- und Kleinschreibung egal." />
            <button class="button button--plus button--large form__submit" type="submit">Code einlösen</button>
          </form>
        </>}
    </AuthCard>
  );
}
