// "Mein Konto": profile, email, password, sessions, data export and account deletion, each a plain form.
import type { SessionInfo, User } from '../../accounts/index.ts';
import { MIN_PASSWORD_LENGTH } from '../../accounts/index.ts';
import { Checkbox, CsrfField, ErrorSummary, Field, Notice, emptyForm, type FormState } from '../ui/form.view.tsx';
import { berlinDateTime } from '../platform/site-info.ts';

export type AccountForm = 'profile' | 'email' | 'password' | 'delete';

export const ACCOUNT_NOTICES: Record<string, string> = {
  profil: 'Ihr Profil ist gespeichert.',
  email: 'Wir haben eine Mail an die neue Adresse geschickt. Bitte bestätigen Sie die Änderung über den Link darin; bis dahin gilt Ihre bisherige Adresse.',
  passwort: 'Ihr neues Passwort gilt. Alle anderen Geräte wurden abgemeldet.',
  sitzung: 'Das Gerät wurde abgemeldet.',
  sitzungen: 'Alle anderen Geräte wurden abgemeldet.',
  verifiziert: 'Danke, Ihre E-Mail-Adresse ist bestätigt.',
  bestaetigung: 'Wir haben Ihnen eine neue Bestätigungsmail geschickt.',
  'neue-email': 'Ihre neue E-Mail-Adresse ist bestätigt und gilt ab sofort.',
};

const LABELS: Record<string, string> = {
  displayName: 'Name', newEmail: 'Neue E-Mail-Adresse', password: 'Passwort', currentPassword: 'Aktuelles Passwort', newPassword: 'Neues Passwort',
};

const ROLE_NAMES: Record<User['role'], string> = { reader: 'Leserin/Leser', author: 'Autorin/Autor', editor: 'Redaktion', admin: 'Administration', publisher: 'Verlag' };

/** "Firefox auf Linux" from a user agent string, good enough to recognise one's own devices. */
export function deviceName(ua: string): string {
  const browser = /Edg\//.test(ua) ? 'Edge' : /Firefox\//.test(ua) ? 'Firefox' : /Chrom(e|ium)\//.test(ua) ? 'Chrome' : /Safari\//.test(ua) ? 'Safari' : '';
  const os = /Android/.test(ua) ? 'Android' : /iPhone|iPad/.test(ua) ? 'iOS' : /Windows/.test(ua) ? 'Windows' : /Mac OS X|Macintosh/.test(ua) ? 'macOS' : /Linux/.test(ua) ? 'Linux' : '';
  if (browser && os) return `${browser} auf ${os}`;
  return browser || os || 'Unbekanntes Gerät';
}

export interface AccountPageProps {
  user: User;
  sessions: SessionInfo[];
  currentSessionId: string;
  csrf: string;
  notice?: string;
  failed?: { form: AccountForm; state: FormState };
  showOutbox: boolean;
}

export function AccountPage({ user, sessions, currentSessionId, csrf, notice, failed, showOutbox }: AccountPageProps) {
  const formOf = (name: AccountForm, values: Record<string, string> = {}): FormState => (failed?.form === name ? failed.state : emptyForm(values));
  const profile = formOf('profile', { displayName: user.displayName, newsletter: user.newsletterOptIn ? 'on' : '' });
  const email = formOf('email');
  const password = formOf('password');
  const del = formOf('delete');
  const others = sessions.filter((s) => s.id !== currentSessionId).length;
  return (
    <div class="account">
      <header class="account__head">
        <p class="auth__kicker">Mein Konto</p>
        <h1 class="account__title">Guten Tag, {user.displayName}</h1>
        <p class="account__meta">Angemeldet als <strong>{user.email}</strong>{user.role !== 'reader' && <> · <span class="role-badge">{ROLE_NAMES[user.role]}</span></>}</p>
      </header>
      <div class="account__layout">
        <nav class="account__nav" aria-label="Bereiche von Mein Konto">
          <ul>
            <li><a href="/konto/abo">Abo &amp; Rechnungen</a></li>
            <li><a href="#profil">Profil</a></li>
            <li><a href="#email">E-Mail-Adresse</a></li>
            <li><a href="#passwort">Passwort</a></li>
            <li><a href="#geraete">Angemeldete Geräte</a></li>
            <li><a href="#daten">Meine Daten</a></li>
            <li><a href="/konto/geschenke">Verschenkte Artikel</a></li>
            {showOutbox && <li><a href="/konto/postausgang">Postausgang</a></li>}
          </ul>
          <form method="post" action="/abmelden"><CsrfField token={csrf} /><button class="button button--ghost account__logout" type="submit">Abmelden</button></form>
        </nav>
        <div class="account__main">
          {notice && <Notice>{notice}</Notice>}
          {!user.emailVerified && (
            <Notice kind="warning">
              <form method="post" action="/konto/bestaetigung" class="inline-form">
                <CsrfField token={csrf} />
                <span>Ihre E-Mail-Adresse ist noch nicht bestätigt. Bitte öffnen Sie den Link aus unserer Mail.</span>
                <button class="button button--small" type="submit">Mail erneut senden</button>
              </form>
            </Notice>
          )}

          <section class="panel" id="profil" aria-labelledby="profil-h">
            <h2 id="profil-h">Profil</h2>
            <ErrorSummary form={profile} labels={LABELS} />
            <form method="post" action="/konto/profil" class="form" novalidate>
              <CsrfField token={csrf} />
              <Field form={profile} name="displayName" label="Name" autocomplete="name" hint="So sprechen wir Sie an. Er erscheint nicht öffentlich." />
              <Checkbox form={profile} name="newsletter">Newsletter mit den wichtigsten Nachrichten per E-Mail erhalten</Checkbox>
              <button class="button" type="submit">Profil speichern</button>
            </form>
          </section>

          <section class="panel" id="email" aria-labelledby="email-h">
            <h2 id="email-h">E-Mail-Adresse</h2>
            <p>Ihre Adresse: <strong>{user.email}</strong> {user.emailVerified ? <span class="status status--ok">bestätigt</span> : <span class="status status--warn">nicht bestätigt</span>}</p>
            <ErrorSummary form={email} labels={LABELS} />
            <form method="post" action="/konto/email" class="form" novalidate>
              <CsrfField token={csrf} />
              <Field form={email} name="newEmail" label="Neue E-Mail-Adresse" type="email" autocomplete="email" hint="Die Änderung gilt, sobald Sie sie über den Link in unserer Mail an die neue Adresse bestätigen." />
              <Field form={email} name="password" label="Aktuelles Passwort" type="password" autocomplete="current-password" />
              <button class="button" type="submit">Adresse ändern</button>
            </form>
          </section>

          <section class="panel" id="passwort" aria-labelledby="passwort-h">
            <h2 id="passwort-h">Passwort</h2>
            <ErrorSummary form={password} labels={LABELS} />
            <form method="post" action="/konto/passwort" class="form" novalidate>
              <CsrfField token={csrf} />
              <Field form={password} name="currentPassword" label="Aktuelles Passwort" type="password" autocomplete="current-password" />
              <Field form={password} name="newPassword" label="Neues Passwort" type="password" autocomplete="new-password" minlength={MIN_PASSWORD_LENGTH} hint={`Mindestens ${MIN_PASSWORD_LENGTH} Zeichen. Andere Geräte werden danach abgemeldet.`} />
              <button class="button" type="submit">Passwort ändern</button>
            </form>
          </section>

          <section class="panel" id="geraete" aria-labelledby="geraete-h">
            <h2 id="geraete-h">Angemeldete Geräte</h2>
            <ul class="sessions">
              {sessions.map((s) => (
                <li class="sessions__item">
                  <div>
                    <p class="sessions__device">{deviceName(s.userAgent)} {s.id === currentSessionId && <span class="status status--ok">dieses Gerät</span>}</p>
                    <p class="sessions__meta">Zuletzt aktiv {berlinDateTime(s.lastSeenAt)} · angemeldet seit {berlinDateTime(s.createdAt)}{s.ip && s.ip !== 'unknown' ? ` · IP ${s.ip}` : ''}{s.persistent ? ' · bleibt angemeldet' : ''}</p>
                  </div>
                  {s.id !== currentSessionId && (
                    <form method="post" action="/konto/sitzungen/beenden">
                      <CsrfField token={csrf} />
                      <input type="hidden" name="session" value={s.id} />
                      <button class="button button--ghost button--small" type="submit">Abmelden</button>
                    </form>
                  )}
                </li>
              ))}
            </ul>
            {others > 0 && (
              <form method="post" action="/konto/sitzungen/beenden">
                <CsrfField token={csrf} />
                <input type="hidden" name="session" value="andere" />
                <button class="button button--ghost" type="submit">Alle anderen Geräte abmelden</button>
              </form>
            )}
          </section>

          <section class="panel" id="daten" aria-labelledby="daten-h">
            <h2 id="daten-h">Meine Daten</h2>
            <p>Sie können alle Daten, die wir zu Ihrem Konto speichern, als JSON-Datei herunterladen (Art. 15 und 20 DSGVO).</p>
            <p><a class="button button--ghost" href="/konto/daten.json" download="meine-daten.json">Meine Daten herunterladen</a></p>
            <h3 class="panel__danger-title">Konto löschen</h3>
            <p>Wir löschen Ihr Konto mit allen persönlichen Daten sofort. Abo- und Rechnungsdaten, die wir aus gesetzlichen Gründen aufbewahren müssen, bleiben ohne Verbindung zu Ihrer Person erhalten.</p>
            <ErrorSummary form={del} labels={LABELS} />
            <form method="post" action="/konto/loeschen" class="form" novalidate>
              <CsrfField token={csrf} />
              <Field form={del} name="password" label="Zur Bestätigung: Ihr Passwort" type="password" autocomplete="current-password" />
              <button class="button button--danger" type="submit">Konto endgültig löschen</button>
            </form>
          </section>
        </div>
      </div>
    </div>
  );
}

export function ConfirmEmailPage({ csrf, token, newEmail }: { csrf: string; token: string; newEmail: string }) {
  return (
    <div class="auth">
      <section class="auth__card">
        <p class="auth__kicker">E-Mail-Adresse ändern</p>
        <h1 class="auth__title">Neue Adresse bestätigen</h1>
        <p>Ihr Konto soll künftig die Adresse <strong>{newEmail}</strong> verwenden.</p>
        <form method="post" action="/konto/email/bestaetigen" class="form">
          <CsrfField token={csrf} />
          <input type="hidden" name="token" value={token} />
          <button class="button button--large form__submit" type="submit">Ja, diese Adresse verwenden</button>
        </form>
      </section>
    </div>
  );
}
