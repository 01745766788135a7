// Building blocks of the account forms: fields with inline errors, the CSRF field, the error summary, notices.
import type { Child } from 'hono/jsx';

/** Field name → message, for inline errors. */
export type Problems = Record<string, string>;

export interface FormState { values: Record<string, string>; problems: Problems }
export const emptyForm = (values: Record<string, string> = {}): FormState => ({ values, problems: {} });

export const CsrfField = ({ token }: { token: string }) => <input type="hidden" name="_csrf" value={token} />;

/** One button that POSTs to `action` with the CSRF token: a row action in a table, a confirmation. */
export function PostButton({ action, csrf, class: className = 'button button--small', children }: { action: string; csrf: string; class?: string; children: Child }) {
  return (
    <form method="post" action={action}>
      <CsrfField token={csrf} />
      <button class={className} type="submit">{children}</button>
    </form>
  );
}

export interface FieldProps {
  form: FormState;
  name: string;
  label: string;
  type?: 'text' | 'email' | 'password';
  autocomplete?: string;
  hint?: string;
  required?: boolean;
  /** never echo passwords back into the page */
  keepValue?: boolean;
  minlength?: number;
}

/** Label, hint and error around one control; the control gets the id, aria-invalid and aria-describedby it needs. */
function FieldFrame({ form, name, label, hint, control }: { form: FormState; name: string; label: string; hint?: string | undefined; control: (a: { id: string; invalid: 'true' | undefined; describedBy: string | undefined }) => Child }) {
  const error = form.problems[name];
  const describedBy = [hint ? `${name}-hint` : '', error ? `${name}-error` : ''].filter(Boolean).join(' ') || undefined;
  return (
    <div class={error ? 'field field--error' : 'field'}>
      <label for={`f-${name}`}>{label}</label>
      {hint && <p class="field__hint" id={`${name}-hint`}>{hint}</p>}
      {error && <p class="field__error" id={`${name}-error`}>{error}</p>}
      {control({ id: `f-${name}`, invalid: error ? 'true' : undefined, describedBy })}
    </div>
  );
}

export function Field({ form, name, label, type = 'text', autocomplete, hint, required, keepValue = type !== 'password', minlength }: FieldProps) {
  return (
    <FieldFrame form={form} name={name} label={label} hint={hint} control={(a) => (
      <input id={a.id} name={name} type={type} value={keepValue ? form.values[name] ?? '' : ''} autocomplete={autocomplete}
        required={required} minlength={minlength} aria-invalid={a.invalid} aria-describedby={a.describedBy} />
    )} />
  );
}

/** A multi-line field with the same label, hint and error wiring as Field; `lines` for one entry per line (no spell check). */
export function TextAreaField({ form, name, label, hint, rows = 3, maxlength, lines = false }: { form: FormState; name: string; label: string; hint?: string; rows?: number; maxlength?: number; lines?: boolean }) {
  return (
    <FieldFrame form={form} name={name} label={label} hint={hint} control={(a) => (
      <textarea id={a.id} name={name} rows={rows} maxlength={maxlength} spellcheck={lines ? false : undefined} class={lines ? 'field__lines' : undefined}
        aria-invalid={a.invalid} aria-describedby={a.describedBy}>{form.values[name] ?? ''}</textarea>
    )} />
  );
}

export function Checkbox({ form, name, children, checked }: { form: FormState; name: string; children: Child; checked?: boolean }) {
  const error = form.problems[name];
  const on = checked ?? form.values[name] === 'on';
  return (
    <div class={error ? 'field field--check field--error' : 'field field--check'}>
      {error && <p class="field__error" id={`${name}-error`}>{error}</p>}
      <input id={`f-${name}`} name={name} type="checkbox" checked={on} aria-invalid={error ? 'true' : undefined} aria-describedby={error ? `${name}-error` : undefined} />
      <label for={`f-${name}`}>{children}</label>
    </div>
  );
}

/** Lists every problem at the top of the form, each linked to its field. */
export function ErrorSummary({ form, labels }: { form: FormState; labels: Record<string, string> }) {
  const entries = Object.entries(form.problems);
  if (entries.length === 0) return null;
  return (
    <div class="form-errors" role="alert">
      <p class="form-errors__title">{entries.length === 1 ? 'Bitte prüfen Sie Ihre Angabe:' : 'Bitte prüfen Sie Ihre Angaben:'}</p>
      <ul>{entries.map(([name, message]) => <li><a href={`#f-${name}`}>{labels[name] ?? name}</a>: {message}</li>)}</ul>
    </div>
  );
}

export function Notice({ kind = 'success', children }: { kind?: 'success' | 'info' | 'warning'; children: Child }) {
  return <div class={`acc-notice acc-notice--${kind}`} role="status">{children}</div>;
}

/** The narrow card the login, registration and reset pages sit in. */
export function AuthCard({ title, kicker, intro, children, footer }: { title: string; kicker?: string; intro?: Child; children: Child; footer?: Child }) {
  return (
    <div class="auth">
      <section class="auth__card">
        {kicker && <p class="auth__kicker">{kicker}</p>}
        <h1 class="auth__title">{title}</h1>
        {intro && <div class="auth__intro">{intro}</div>}
        {children}
      </section>
      {footer && <div class="auth__footer">{footer}</div>}
    </div>
  );
}
