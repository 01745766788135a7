// Reading what people type: email addresses, display names, and collecting every field's problem before answering.
import { z } from 'zod';
import { DomainError } from '../domain-error.ts';

const emailSchema = z.email();

/** Trimmed, lower-cased address, or null when it is not one. */
export function normalizeEmail(raw: string): string | null {
  const email = raw.trim().toLowerCase();
  if (email.length === 0 || email.length > 254) return null;
  return emailSchema.safeParse(email).success ? email : null;
}

export const INVALID_EMAIL = 'Bitte geben Sie eine gültige E-Mail-Adresse ein, zum Beispiel name@beispiel.de.';

/** Collects one message per field and throws them together, so a form can show every problem at once. */
export class FieldProblems {
  private readonly list: { path: string; message: string }[] = [];
  add(path: string, message: string): void {
    if (!this.list.some((p) => p.path === path)) this.list.push({ path, message });
  }
  has(path: string): boolean { return this.list.some((p) => p.path === path); }
  throwIfAny(): void {
    const first = this.list[0];
    if (first) throw new DomainError('invalid-input', first.message, first.path, [...this.list]);
  }
}

export function readEmail(problems: FieldProblems, field: string, raw: string): string {
  const email = normalizeEmail(raw);
  if (!email) { problems.add(field, raw.trim() ? INVALID_EMAIL : 'Bitte geben Sie Ihre E-Mail-Adresse ein.'); return ''; }
  return email;
}

export function readDisplayName(problems: FieldProblems, field: string, raw: string): string {
  const name = raw.trim().replace(/\s+/g, ' ');
  if (/[\u0000-\u001f\u007f<>]/.test(name)) problems.add(field, 'Der Name darf keine Steuerzeichen und keine spitzen Klammern enthalten.');
  else if ([...name].length > 80) problems.add(field, 'Der Name darf höchstens 80 Zeichen lang sein.');
  return name;
}
