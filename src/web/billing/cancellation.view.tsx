// The cancellation button's pages (§ 312k BGB): the form that ends with "jetzt kündigen", and the receipt with date and time of receipt.
import type { CancellationReceipt } from '../../billing/index.ts';
import { formatGermanDate, formatGermanDateTime, lastDayBefore } from '../../billing/index.ts';
import { CsrfField, ErrorSummary, Field, type FormState } from '../ui/form.view.tsx';

const LABELS: Record<string, string> = {
  kind: 'Art der Kündigung', reason: 'Grund', name: 'Name', email: 'E-Mail-Adresse', contract: 'Vertrag', date: 'Wunschtermin', form: 'Formular',
};

export const KIND_TEXT: Record<CancellationReceipt['kind'], string> = {
  ordinary: 'Ordentliche Kündigung zum nächstmöglichen Zeitpunkt',
  extraordinary: 'Außerordentliche Kündigung (fristlos, aus wichtigem Grund)',
};

export interface CancellationFormProps { form: FormState; csrf: string; submitKey: string; loggedIn: boolean }

function Problem({ form, name }: { form: FormState; name: string }) {
  const error = form.problems[name];
  return error ? <p class="field__error" id={`${name}-error`}>{error}</p> : null;
}

export function CancellationForm({ form, csrf, submitKey, loggedIn }: CancellationFormProps) {
  const v = form.values;
  const kind = v.kind === 'extraordinary' ? 'extraordinary' : 'ordinary';
  return (
    <div class="auth cancel">
      <section class="auth__card">
        <p class="auth__kicker">Verträge hier kündigen</p>
        <h1 class="auth__title">Abo kündigen</h1>
        <div class="auth__intro">
          <p>Hier kündigen Sie Ihr Abo – ohne Anmeldung. Sie erhalten sofort eine Eingangsbestätigung mit Datum und Uhrzeit, auf dieser Seite und per E-Mail.</p>
        </div>
        {form.problems.form && <div class="form-errors" role="alert"><p class="form-errors__title">{form.problems.form}</p></div>}
        <ErrorSummary form={{ ...form, problems: Object.fromEntries(Object.entries(form.problems).filter(([k]) => k !== 'form')) }} labels={LABELS} />
        <form method="post" action="/kuendigen" class="form" novalidate>
          <CsrfField token={csrf} />
          <input type="hidden" name="submitKey" value={submitKey} />

          <fieldset class={form.problems.kind ? 'cancel-kind field--error' : 'cancel-kind'} id="f-kind">
            <legend>Art der Kündigung</legend>
            <Problem form={form} name="kind" />
            <div class="field field--check">
              <input id="f-kind-ordinary" type="radio" name="kind" value="ordinary" checked={kind === 'ordinary'} />
              <label for="f-kind-ordinary"><strong>Ordentliche Kündigung</strong> zum nächstmöglichen Zeitpunkt</label>
            </div>
            <div class="field field--check">
              <input id="f-kind-extraordinary" type="radio" name="kind" value="extraordinary" checked={kind === 'extraordinary'} />
              <label for="f-kind-extraordinary"><strong>Außerordentliche Kündigung</strong> (fristlos, aus wichtigem Grund)</label>
            </div>
          </fieldset>
          <div class={form.problems.reason ? 'field field--error' : 'field'}>
            <label for="f-reason">Grund <span class="field__aside">(nur bei außerordentlicher Kündigung)</span></label>
            <Problem form={form} name="reason" />
            <textarea id="f-reason" name="reason" rows={3} maxlength={2000} aria-invalid={form.problems.reason ? 'true' : undefined}
              aria-describedby={form.problems.reason ? 'reason-error' : undefined}>{v.reason ?? ''}</textarea>
          </div>

          <Field form={form} name="name" label="Ihr Name" autocomplete="name" required />
          <Field form={form} name="email" label="E-Mail-Adresse für die Bestätigung" type="email" autocomplete="email" required
            hint="An diese Adresse schicken wir die Eingangsbestätigung." />
          <Field form={form} name="contract" label="Ihr Vertrag: Abo-Nummer oder die E-Mail-Adresse, mit der Sie bestellt haben" required
            hint="Die Abo-Nummer (z. B. KT-4HX9-P2QM) steht in Ihrer Bestellbestätigung und in „Mein Konto“." />
          <div class={form.problems.date ? 'field field--error' : 'field'}>
            <label for="f-date">Gewünschter Kündigungstermin <span class="field__aside">(freiwillig)</span></label>
            <p class="field__hint" id="date-hint">Leer lassen heißt: zum nächstmöglichen Zeitpunkt. Ein früherer Termin als möglich gilt als nächstmöglicher.</p>
            <Problem form={form} name="date" />
            <input id="f-date" name="date" type="date" value={v.date ?? ''} aria-invalid={form.problems.date ? 'true' : undefined}
              aria-describedby={form.problems.date ? 'date-hint date-error' : 'date-hint'} />
          </div>

          <button class="button button--large button--danger form__submit" type="submit">jetzt kündigen</button>
        </form>
      </section>
      <div class="auth__footer">
        <p>{loggedIn ? <>Ihr Abo finden Sie auch in <a href="/konto/abo">Mein Konto</a>.</> : <>Mit Konto geht es auch über <a href="/konto/abo">Mein Konto</a>.</>}</p>
      </div>
    </div>
  );
}

/**
 * The receipt. Matched or not, it has the same parts; only a contract proven to be the sender's (number and address
 * match, or the logged-in reader's own) shows its end — so the page tells a stranger nothing about other contracts.
 */
export function CancellationReceiptPage({ receipt }: { receipt: CancellationReceipt }) {
  const end = receipt.effectiveAt ? formatGermanDate(lastDayBefore(receipt.effectiveAt)) : null;
  return (
    <div class="auth cancel">
      <section class="auth__card receipt">
        <p class="auth__kicker">Eingangsbestätigung</p>
        <h1 class="auth__title">Ihre Kündigung ist eingegangen</h1>
        <dl class="receipt__facts">
          <dt>Eingegangen am</dt><dd data-received>{formatGermanDateTime(receipt.receivedAt)}</dd>
          <dt>Eingangsnummer</dt><dd data-receipt-number>{receipt.number}</dd>
          <dt>Art</dt><dd>{KIND_TEXT[receipt.kind]}</dd>
          <dt>Vertrag</dt><dd>{receipt.subscriptionNumber ? `Abo ${receipt.subscriptionNumber}` : receipt.contractHint}</dd>
          <dt>Name</dt><dd>{receipt.name}</dd>
          <dt>Bestätigung an</dt><dd>{receipt.email}</dd>
          {end && <><dt>Vertragsende</dt><dd data-end><strong>{end}</strong> (einschließlich)</dd></>}
        </dl>
        {end ? (
          <p>Ihr Vertrag endet mit Ablauf des {end}. Bis dahin lesen Sie Plus wie gewohnt weiter; bis dahin können Sie die Kündigung in „Mein Konto“ auch zurücknehmen.</p>
        ) : receipt.matched ? (
          <p>Wir prüfen Ihre außerordentliche Kündigung und teilen Ihnen das Vertragsende umgehend per E-Mail mit.</p>
        ) : (
          <p>Wir haben Ihre Kündigung erhalten. Sobald wir sie Ihrem Vertrag zugeordnet haben, bestätigen wir Ihnen das Vertragsende per E-Mail.</p>
        )}
        <p>Diese Bestätigung haben wir Ihnen auch per E-Mail geschickt. Sie können diese Seite ausdrucken oder speichern.</p>
        <p class="receipt__actions">
          <button class="button button--ghost" type="button" data-print hidden>Bestätigung drucken</button>
          <a class="button" href="/">Zur Startseite</a>
        </p>
      </section>
    </div>
  );
}
