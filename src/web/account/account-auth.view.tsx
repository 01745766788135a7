// Login, registration, password reset and logout pages: plain forms that work without JavaScript.
import { MIN_PASSWORD_LENGTH } from '../../accounts/index.ts';
import { AuthCard, Checkbox, CsrfField, ErrorSummary, Field, Notice, type FormState } from '../ui/form.view.tsx';

const LABELS: Record<string, string> = {
  email: 'E-Mail-Adresse', password: 'Passwort', acceptTerms: 'Nutzungsbedingungen', acceptPrivacy: 'Datenschutz', token: 'Link',
};
const PASSWORD_HINT = `Mindestens ${MIN_PASSWORD_LENGTH} Zeichen. Am sichersten ist ein Satz aus mehreren Wörtern, den nur Sie kennen.`;

export type LoginNotice = 'verified' | 'reset' | 'logged-out' | 'deleted' | 'email-changed' | undefined;
const LOGIN_NOTICES: Record<Exclude<LoginNotice, undefined>, string> = {
  verified: 'Danke, Ihre E-Mail-Adresse ist bestätigt. Sie können sich jetzt anmelden.',
  reset: 'Ihr neues Passwort gilt. Bitte melden Sie sich damit an.',
  'logged-out': 'Sie sind abgemeldet. Bis bald!',
  deleted: 'Ihr Konto und Ihre Daten sind gelöscht.',
  'email-changed': 'Ihre neue E-Mail-Adresse ist bestätigt. Bitte melden Sie sich damit an.',
};

export function LoginPage({ form, csrf, next, notice }: { form: FormState; csrf: string; next: string; notice?: LoginNotice }) {
  return (
    <AuthCard kicker="Mein Konto" title="Anmelden" intro={<p>Melden Sie sich an, um Plus-Artikel zu lesen und Ihr Abo zu verwalten.</p>}
      footer={<p>Noch kein Konto? <a href="/registrieren">Jetzt kostenlos registrieren</a></p>}>
      {notice && <Notice>{LOGIN_NOTICES[notice]}</Notice>}
      <ErrorSummary form={form} labels={LABELS} />
      <form method="post" action="/anmelden" class="form" novalidate>
        <CsrfField token={csrf} />
        <input type="hidden" name="weiter" value={next} />
        <Field form={form} name="email" label="E-Mail-Adresse" type="email" autocomplete="username" required />
        <Field form={form} name="password" label="Passwort" type="password" autocomplete="current-password" required />
        <Checkbox form={form} name="persistent">Angemeldet bleiben <span class="field__aside">(30 Tage auf diesem Gerät)</span></Checkbox>
        <button class="button button--large form__submit" type="submit">Anmelden</button>
      </form>
      <p class="auth__aside"><a href="/passwort-vergessen">Passwort vergessen?</a></p>
    </AuthCard>
  );
}

/** `next`: the article the reader came from (the paywall's registration link), kept through the form; '' for none */
export function RegisterPage({ form, csrf, next = '' }: { form: FormState; csrf: string; next?: string }) {
  return (
    <AuthCard kicker="Mein Konto" title="Registrieren" intro={<p>Mit einem kostenlosen Konto lesen Sie ausgewählte Artikel und können ein Plus-Abo abschließen.</p>}
      footer={<p>Schon registriert? <a href="/anmelden">Hier anmelden</a></p>}>
      <ErrorSummary form={form} labels={LABELS} />
      <form method="post" action="/registrieren" class="form" novalidate>
        <CsrfField token={csrf} />
        {next && <input type="hidden" name="weiter" value={next} />}
        <Field form={form} name="email" label="E-Mail-Adresse" type="email" autocomplete="email" required />
        <Field form={form} name="password" label="Passwort" type="password" autocomplete="new-password" hint={PASSWORD_HINT} required minlength={MIN_PASSWORD_LENGTH} />
        <fieldset class="form__consents">
          <legend>Einwilligungen</legend>
          <Checkbox form={form} name="acceptTerms">Ich akzeptiere die <a href="/agb">Nutzungsbedingungen</a>. <span class="field__aside">(erforderlich)</span></Checkbox>
          <Checkbox form={form} name="acceptPrivacy">Ich habe die <a href="/datenschutz">Datenschutzerklärung</a> gelesen. <span class="field__aside">(erforderlich)</span></Checkbox>
          <Checkbox form={form} name="newsletter">Ja, ich möchte den kostenlosen Newsletter mit den wichtigsten Nachrichten per E-Mail erhalten. Abbestellen ist jederzeit möglich. <span class="field__aside">(freiwillig)</span></Checkbox>
        </fieldset>
        <button class="button button--large form__submit" type="submit">Konto anlegen</button>
      </form>
    </AuthCard>
  );
}

const OutboxHint = ({ outbox }: { outbox: boolean }) => outbox
  ? <Notice kind="info">Auf dieser Installation ist kein Mailserver eingerichtet: Mails landen im Postausgang, den Administratoren unter „Mein Konto“ → „Postausgang“ einsehen.</Notice>
  : null;

/** The same page whether or not the address already had an account. */
export function CheckMailPage({ email, outbox }: { email: string; outbox: boolean }) {
  return (
    <AuthCard kicker="Fast geschafft" title="Bitte bestätigen Sie Ihre E-Mail-Adresse">
      <p>Wir haben eine Mail an <strong>{email}</strong> geschickt. Bitte öffnen Sie den Link darin, um Ihre Registrierung abzuschließen. Der Link gilt 48 Stunden.</p>
      <p class="auth__aside">Keine Mail bekommen? Sehen Sie bitte auch im Spam-Ordner nach. Sie können sich auch schon anmelden und unter „Mein Konto“ eine neue Mail anfordern.</p>
      <OutboxHint outbox={outbox} />
      <p><a class="button" href="/anmelden">Zur Anmeldung</a></p>
    </AuthCard>
  );
}

export function ForgotPage({ form, csrf }: { form: FormState; csrf: string }) {
  return (
    <AuthCard kicker="Mein Konto" title="Passwort vergessen?" intro={<p>Geben Sie die E-Mail-Adresse Ihres Kontos ein. Wir schicken Ihnen einen Link, mit dem Sie ein neues Passwort festlegen.</p>}
      footer={<p>Passwort wieder eingefallen? <a href="/anmelden">Zur Anmeldung</a></p>}>
      <ErrorSummary form={form} labels={LABELS} />
      <form method="post" action="/passwort-vergessen" class="form" novalidate>
        <CsrfField token={csrf} />
        <Field form={form} name="email" label="E-Mail-Adresse" type="email" autocomplete="email" required />
        <button class="button button--large form__submit" type="submit">Link anfordern</button>
      </form>
    </AuthCard>
  );
}

/** The same page whether or not the address has an account. */
export function ForgotSentPage({ email, outbox }: { email: string; outbox: boolean }) {
  return (
    <AuthCard kicker="Passwort vergessen" title="Schauen Sie in Ihr Postfach">
      <p>Wenn es für <strong>{email}</strong> ein Konto gibt, haben wir dorthin einen Link geschickt. Er gilt eine Stunde und funktioniert einmal.</p>
      <OutboxHint outbox={outbox} />
      <p><a class="button" href="/anmelden">Zur Anmeldung</a></p>
    </AuthCard>
  );
}

export function ResetPage({ form, csrf, token }: { form: FormState; csrf: string; token: string }) {
  return (
    <AuthCard kicker="Passwort vergessen" title="Neues Passwort festlegen" intro={<p>Danach melden wir Sie auf allen Geräten ab; Sie melden sich einfach mit dem neuen Passwort wieder an.</p>}>
      <ErrorSummary form={form} labels={{ ...LABELS, password: 'Neues Passwort' }} />
      <form method="post" action="/passwort-vergessen/neu" class="form" novalidate>
        <CsrfField token={csrf} />
        <input type="hidden" name="token" value={token} />
        <Field form={form} name="password" label="Neues Passwort" type="password" autocomplete="new-password" hint={PASSWORD_HINT} required minlength={MIN_PASSWORD_LENGTH} />
        <button class="button button--large form__submit" type="submit">Passwort speichern</button>
      </form>
    </AuthCard>
  );
}

/** An unusable link from a mail: says why and where to get a new one. */
export function LinkProblemPage({ message, action }: { message: string; action: { href: string; label: string } }) {
  return (
    <AuthCard kicker="Link aus Ihrer Mail" title="Dieser Link funktioniert nicht">
      <p class="form-errors" role="alert">{message}</p>
      <p><a class="button" href={action.href}>{action.label}</a></p>
    </AuthCard>
  );
}

export function LogoutPage({ csrf, loggedIn }: { csrf: string; loggedIn: boolean }) {
  return (
    <AuthCard kicker="Mein Konto" title={loggedIn ? 'Abmelden' : 'Sie sind nicht angemeldet'}>
      {loggedIn
        ? <form method="post" action="/abmelden" class="form"><CsrfField token={csrf} /><p>Möchten Sie sich auf diesem Gerät abmelden?</p><button class="button button--large form__submit" type="submit">Jetzt abmelden</button></form>
        : <p><a class="button" href="/anmelden">Zur Anmeldung</a></p>}
    </AuthCard>
  );
}
