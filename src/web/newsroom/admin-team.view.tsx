// The team page of the newsroom administration: who has which role, a form to change a role by address, the log of changes.
import type { Role, RoleChange, User } from '../../accounts/index.ts';
import { berlinDateTime } from '../platform/site-info.ts';
import { CsrfField, ErrorSummary, Field, type FormState } from '../ui/form.view.tsx';
import { AdminFrame } from './admin.view.tsx';

export const ROLE_CHOICES: Record<Role, string> = {
  reader: 'Leserin / Leser (keine Redaktion)',
  author: 'Autorin / Autor',
  editor: 'Redakteurin / Redakteur',
  admin: 'Administratorin / Administrator',
  publisher: 'Verlag (Auswertungen, keine Redaktion)',
};
const ROLE_SHORT: Record<string, string> = { reader: 'Leser', author: 'Autor', editor: 'Redaktion', admin: 'Admin', publisher: 'Verlag' };
const ROLE_RIGHTS: Record<Role, string> = {
  reader: 'kein Zugang zur Redaktion',
  author: 'schreibt und reicht ein',
  editor: 'veröffentlicht, plant, zieht zurück',
  admin: 'alles, dazu Ressorts, Autorenzeilen und Rollen',
  publisher: 'sieht die Auswertungen unter /verlag, kein Zugang zur Redaktion',
};

const roleChip = (role: string) => <span class={`nr-adm__role nr-adm__role--${ROLE_SHORT[role] ? role : 'reader'}`}>{ROLE_SHORT[role] ?? role}</span>;

function RoleSelect({ form, name = 'role', id = 'f-role', label = 'Neue Rolle' }: { form: FormState; name?: string; id?: string; label?: string }) {
  const error = form.problems[name];
  return (
    <div class={error ? 'field field--error' : 'field'}>
      <label for={id}>{label}</label>
      {error && <p class="field__error" id={`${name}-error`}>{error}</p>}
      <select id={id} name={name} aria-invalid={error ? 'true' : undefined} aria-describedby={error ? `${name}-error` : undefined}>
        {(Object.keys(ROLE_CHOICES) as Role[]).map((r) => <option value={r} selected={(form.values[name] ?? 'author') === r}>{ROLE_CHOICES[r]}</option>)}
      </select>
    </div>
  );
}

export function TeamPage({ staff, changes, form, csrf, me, notice }: { staff: User[]; changes: RoleChange[]; form: FormState; csrf: string; me: string; notice?: string | undefined }) {
  return (
    <AdminFrame title="Team & Rollen" active="/redaktion/verwaltung/team" notice={notice}
      intro="Wer in der Redaktion arbeitet und was er oder sie darf. Eine geänderte Rolle gilt ab der nächsten Seite, die die Person öffnet.">
      <table class="nr-adm__table">
        <thead><tr><th scope="col">Name</th><th scope="col">E-Mail</th><th scope="col">Rolle</th><th scope="col" class="nr-adm__rights">Darf</th><th scope="col">Rolle ändern</th></tr></thead>
        <tbody>{staff.map((u) => (
          <tr>
            <td><strong>{u.displayName}</strong>{u.id === me && <span class="nr-adm__muted"> (Sie)</span>}</td>
            <td>{u.email}</td>
            <td>{roleChip(u.role)}</td>
            <td class="nr-adm__muted nr-adm__rights">{ROLE_RIGHTS[u.role]}</td>
            <td>
              <form method="post" action="/redaktion/verwaltung/team/rolle" class="nr-adm__inline nr-adm__rolerow">
                <CsrfField token={csrf} />
                <input type="hidden" name="email" value={u.email} />
                <label class="visually-hidden" for={`role-${u.id}`}>Neue Rolle für {u.email}</label>
                <select id={`role-${u.id}`} name="role">
                  {(Object.keys(ROLE_CHOICES) as Role[]).map((r) => <option value={r} selected={u.role === r}>{ROLE_SHORT[r]}</option>)}
                </select>
                <button type="submit" class="nr-adm__btn nr-adm__btn--ghost">Ändern</button>
              </form>
            </td>
          </tr>
        ))}</tbody>
      </table>
      <section class="nr-adm__panel" aria-labelledby="rolle-vergeben">
        <h2 id="rolle-vergeben">Rolle vergeben</h2>
        <p class="nr-adm__muted">Für ein bestehendes Konto, auch eines Lesers, der in die Redaktion kommt. Neue Konten legt die Person selbst an (Registrieren) oder ein Admin mit <code>klartext user create</code>.</p>
        <ErrorSummary form={form} labels={{ email: 'E-Mail-Adresse', role: 'Rolle' }} />
        <form class="form nr-adm__form" method="post" action="/redaktion/verwaltung/team/rolle">
          <CsrfField token={csrf} />
          <Field form={form} name="email" label="E-Mail-Adresse des Kontos" type="email" required />
          <RoleSelect form={form} />
          <button class="button" type="submit">Rolle speichern</button>
        </form>
      </section>
      <section class="nr-adm__panel" aria-labelledby="rollen-protokoll">
        <h2 id="rollen-protokoll">Protokoll der Rollenänderungen</h2>
        {changes.length === 0 ? <p class="nr-adm__muted">Noch keine Änderungen.</p> : (
          <table class="nr-adm__table">
            <thead><tr><th scope="col">Zeitpunkt</th><th scope="col">Konto</th><th scope="col">Änderung</th><th scope="col">durch</th></tr></thead>
            <tbody>{changes.map((ch) => (
              <tr>
                <td><time datetime={ch.at}>{berlinDateTime(ch.at)}</time></td>
                <td>{ch.user.email ?? <span class="nr-adm__muted">gelöschtes Konto</span>}</td>
                <td>{roleChip(ch.from)} → {roleChip(ch.to)}</td>
                <td>{ch.actor ? ch.actor.email ?? <span class="nr-adm__muted">gelöschtes Konto</span> : <span class="nr-adm__muted">Kommandozeile</span>}</td>
              </tr>
            ))}</tbody>
          </table>
        )}
      </section>
    </AdminFrame>
  );
}
