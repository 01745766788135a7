// The admin pages of the newsroom (/redaktion/verwaltung): their frame, sections and bylines.
import type { Child } from 'hono/jsx';
import type { Byline, SectionWithUsage } from '../../content/index.ts';
import type { User } from '../../accounts/index.ts';
import { CsrfField, ErrorSummary, Field, Notice, TextAreaField, type FormState } from '../ui/form.view.tsx';

const TABS = [
  { href: '/redaktion/verwaltung/ressorts', label: 'Ressorts' },
  { href: '/redaktion/verwaltung/autoren', label: 'Autorenzeilen' },
  { href: '/redaktion/verwaltung/team', label: 'Team & Rollen' },
] as const;

/** Inside the newsroom frame (which carries the page title): the tabs of the administration, its intro, notice and error. */
export function AdminFrame({ active, intro, notice, error, children }: { title: string; active: string; intro?: Child; notice?: string | undefined; error?: string | undefined; children: Child }) {
  return (
    <div class="nr-adm">
      <header class="nr-adm__head">
        <nav class="nr-adm__tabs" aria-label="Verwaltung">
          {TABS.map((t) => <a href={t.href} aria-current={active === t.href ? 'page' : undefined}>{t.label}</a>)}
        </nav>
        {intro && <p class="nr-adm__intro">{intro}</p>}
      </header>
      {notice && <Notice>{notice}</Notice>}
      {error && <div class="form-errors" role="alert"><p class="form-errors__title">{error}</p></div>}
      {children}
    </div>
  );
}

/** A one-button form (move, delete): POST with the CSRF token, nothing else to fill in. */
export function ActionButton({ action, csrf, label, fields = {}, kind = 'ghost', title }: { action: string; csrf: string; label: Child; fields?: Record<string, string>; kind?: 'ghost' | 'danger'; title?: string }) {
  return (
    <form method="post" action={action} class="nr-adm__inline">
      <CsrfField token={csrf} />
      {Object.entries(fields).map(([k, v]) => <input type="hidden" name={k} value={v} />)}
      <button type="submit" class={`nr-adm__btn nr-adm__btn--${kind}`} title={title} aria-label={title}>{label}</button>
    </form>
  );
}

const SECTION_LABELS = { name: 'Name', slug: 'Kurzbezeichnung', description: 'Beschreibung' };

export function SectionsPage({ sections, form, csrf, notice, error }: { sections: SectionWithUsage[]; form: FormState; csrf: string; notice?: string | undefined; error?: string | undefined }) {
  return (
    <AdminFrame title="Ressorts" active="/redaktion/verwaltung/ressorts" notice={notice} error={error}
      intro="Die Reihenfolge hier ist die Reihenfolge der Navigation. Die Kurzbezeichnung ist die Adresse des Ressorts und bleibt nach dem Anlegen fest.">
      <table class="nr-adm__table">
        <thead><tr><th scope="col">Reihenfolge</th><th scope="col">Ressort</th><th scope="col">Adresse</th><th scope="col">Beschreibung</th><th scope="col" class="nr-adm__num">Artikel</th><th scope="col"><span class="visually-hidden">Aktionen</span></th></tr></thead>
        <tbody>{sections.map((s, i) => (
          <tr>
            <td class="nr-adm__order">
              {i > 0 ? <ActionButton action={`/redaktion/verwaltung/ressorts/${s.slug}/verschieben`} csrf={csrf} fields={{ richtung: 'hoch' }} label="↑" title={`${s.name} nach oben`} /> : <span class="nr-adm__spacer" />}
              {i < sections.length - 1 ? <ActionButton action={`/redaktion/verwaltung/ressorts/${s.slug}/verschieben`} csrf={csrf} fields={{ richtung: 'runter' }} label="↓" title={`${s.name} nach unten`} /> : <span class="nr-adm__spacer" />}
            </td>
            <td><a href={`/redaktion/verwaltung/ressorts/${s.slug}`}><strong>{s.name}</strong></a></td>
            <td><code>/{s.slug}</code></td>
            <td class="nr-adm__desc">{s.description || <span class="nr-adm__muted">—</span>}</td>
            <td class="nr-adm__num">{s.articleCount}</td>
            <td class="nr-adm__actions">
              <a class="nr-adm__btn nr-adm__btn--ghost" href={`/redaktion/verwaltung/ressorts/${s.slug}`}>Bearbeiten</a>
              {s.articleCount === 0
                ? <ActionButton action={`/redaktion/verwaltung/ressorts/${s.slug}/loeschen`} csrf={csrf} kind="danger" label="Löschen" title={`Ressort ${s.name} löschen`} />
                : <span class="nr-adm__muted" title="Ein Ressort mit Artikeln kann nicht gelöscht werden.">in Verwendung</span>}
            </td>
          </tr>
        ))}</tbody>
      </table>
      {sections.length === 0 && <p>Noch keine Ressorts.</p>}
      <section class="nr-adm__panel" aria-labelledby="neues-ressort">
        <h2 id="neues-ressort">Neues Ressort</h2>
        <ErrorSummary form={form} labels={SECTION_LABELS} />
        <form class="form nr-adm__form" method="post" action="/redaktion/verwaltung/ressorts">
          <CsrfField token={csrf} />
          <Field form={form} name="name" label="Name" required />
          <Field form={form} name="slug" label="Kurzbezeichnung (Adresse)" hint="leer lassen: aus dem Namen; Kleinbuchstaben, Ziffern, Bindestriche. Bleibt nach dem Anlegen fest." />
          <TextAreaField form={form} name="description" label="Beschreibung" hint="erscheint auf der Ressortseite; höchstens 500 Zeichen" />
          <button class="button" type="submit">Ressort anlegen</button>
        </form>
      </section>
    </AdminFrame>
  );
}

export function SectionEditPage({ section, form, csrf }: { section: SectionWithUsage; form: FormState; csrf: string }) {
  return (
    <AdminFrame title={`Ressort „${section.name}“`} active="/redaktion/verwaltung/ressorts">
      <p class="nr-adm__back"><a href="/redaktion/verwaltung/ressorts">← Alle Ressorts</a></p>
      <ErrorSummary form={form} labels={SECTION_LABELS} />
      <form class="form nr-adm__form" method="post" action={`/redaktion/verwaltung/ressorts/${section.slug}`}>
        <CsrfField token={csrf} />
        <p class="nr-adm__fixed">Adresse: <code>/{section.slug}</code> <span class="nr-adm__muted">(fest, damit bestehende Links gültig bleiben)</span></p>
        <Field form={form} name="name" label="Name" required />
        <TextAreaField form={form} name="description" label="Beschreibung" hint="erscheint auf der Ressortseite; höchstens 500 Zeichen" />
        <button class="button" type="submit">Änderungen speichern</button>
      </form>
      <p class="nr-adm__muted">{section.articleCount === 1 ? 'Ein Artikel' : `${section.articleCount} Artikel`} in diesem Ressort.</p>
    </AdminFrame>
  );
}

const BYLINE_LABELS = { name: 'Name', bio: 'Kurzbiografie', userId: 'Konto' };

function AccountSelect({ form, staff }: { form: FormState; staff: User[] }) {
  const error = form.problems.userId;
  return (
    <div class={error ? 'field field--error' : 'field'}>
      <label for="f-userId">Konto in der Redaktion (optional)</label>
      <p class="field__hint" id="userId-hint">für Autorinnen und Autoren mit Zugang zur Redaktion; freie Mitarbeit und Agenturen brauchen keins</p>
      {error && <p class="field__error" id="userId-error">{error}</p>}
      <select id="f-userId" name="userId" aria-invalid={error ? 'true' : undefined} aria-describedby={error ? 'userId-hint userId-error' : 'userId-hint'}>
        <option value="">— kein Konto —</option>
        {staff.map((u) => <option value={u.id} selected={form.values.userId === u.id}>{u.displayName} ({u.email})</option>)}
      </select>
    </div>
  );
}

export function BylinesPage({ bylines, staff, form, csrf, notice, error }: { bylines: Byline[]; staff: User[]; form: FormState; csrf: string; notice?: string | undefined; error?: string | undefined }) {
  return (
    <AdminFrame title="Autorenzeilen" active="/redaktion/verwaltung/autoren" notice={notice} error={error}
      intro="Die Namen, die über Artikeln stehen, mit ihrer Autorenseite. Die Adresse der Autorenseite entsteht aus dem Namen und bleibt fest.">
      <table class="nr-adm__table">
        <thead><tr><th scope="col">Name</th><th scope="col">Autorenseite</th><th scope="col">Konto</th><th scope="col" class="nr-adm__num">Artikel</th><th scope="col"><span class="visually-hidden">Aktionen</span></th></tr></thead>
        <tbody>{bylines.map((b) => (
          <tr>
            <td><a href={`/redaktion/verwaltung/autoren/${b.slug}`}><strong>{b.name}</strong></a>{b.bio && <><br /><span class="nr-adm__muted nr-adm__clip">{b.bio}</span></>}</td>
            <td><code>/autor/{b.slug}</code></td>
            <td>{b.user ? b.user.email : <span class="nr-adm__muted">—</span>}</td>
            <td class="nr-adm__num">{b.articleCount}</td>
            <td class="nr-adm__actions">
              <a class="nr-adm__btn nr-adm__btn--ghost" href={`/redaktion/verwaltung/autoren/${b.slug}`}>Bearbeiten</a>
              {b.articleCount === 0
                ? <ActionButton action={`/redaktion/verwaltung/autoren/${b.slug}/loeschen`} csrf={csrf} kind="danger" label="Löschen" title={`Autorenzeile ${b.name} löschen`} />
                : <span class="nr-adm__muted">in Verwendung</span>}
            </td>
          </tr>
        ))}</tbody>
      </table>
      {bylines.length === 0 && <p>Noch keine Autorenzeilen.</p>}
      <section class="nr-adm__panel" aria-labelledby="neue-autorenzeile">
        <h2 id="neue-autorenzeile">Neue Autorenzeile</h2>
        <ErrorSummary form={form} labels={BYLINE_LABELS} />
        <BylineFields form={form} staff={staff} csrf={csrf} action="/redaktion/verwaltung/autoren" submit="Autorenzeile anlegen" />
      </section>
    </AdminFrame>
  );
}

function BylineFields({ form, staff, csrf, action, submit }: { form: FormState; staff: User[]; csrf: string; action: string; submit: string }) {
  return (
    <form class="form nr-adm__form" method="post" action={action}>
      <CsrfField token={csrf} />
      <Field form={form} name="name" label="Name" required />
      <TextAreaField form={form} name="bio" label="Kurzbiografie" hint="erscheint auf der Autorenseite; höchstens 1000 Zeichen" rows={4} />
      <AccountSelect form={form} staff={staff} />
      <button class="button" type="submit">{submit}</button>
    </form>
  );
}

export function BylineEditPage({ byline, staff, form, csrf }: { byline: Byline; staff: User[]; form: FormState; csrf: string }) {
  return (
    <AdminFrame title={`Autorenzeile „${byline.name}“`} active="/redaktion/verwaltung/autoren">
      <p class="nr-adm__back"><a href="/redaktion/verwaltung/autoren">← Alle Autorenzeilen</a></p>
      <ErrorSummary form={form} labels={BYLINE_LABELS} />
      <p class="nr-adm__fixed">Autorenseite: <code>/autor/{byline.slug}</code> <span class="nr-adm__muted">(fest)</span></p>
      <BylineFields form={form} staff={staff} csrf={csrf} action={`/redaktion/verwaltung/autoren/${byline.slug}`} submit="Änderungen speichern" />
      <p class="nr-adm__muted">{byline.articleCount === 1 ? 'Ein Artikel' : `${byline.articleCount} Artikel`} mit dieser Autorenzeile. Ein neuer Name erscheint auf allen.</p>
    </AdminFrame>
  );
}
