// What the cancellation and Mein Konto subscription forms share: the submitted fields, field problems from domain errors, form nonces.
import { randomBytes } from 'node:crypto';
import type { Context } from 'hono';
import { DomainError } from '../../domain-error.ts';
import { HttpError } from '../platform/app-error.ts';
import { parseFormBody } from '../platform/request-body.ts';
import type { Problems } from '../ui/form.view.tsx';

/** The submitted form as strings; files and repeated fields are ignored. */
export async function formFields(c: Context): Promise<Record<string, string>> {
  const type = c.req.header('content-type') ?? '';
  if (!/^(application\/x-www-form-urlencoded|multipart\/form-data)/i.test(type)) {
    throw new HttpError('bad-request', 'Bitte senden Sie das Formular ab (application/x-www-form-urlencoded).', 'content-type');
  }
  const body = await parseFormBody(c);
  return Object.fromEntries(Object.entries(body).filter((e): e is [string, string] => typeof e[1] === 'string'));
}

/** The field problems of a domain error a form can show inline, with the status to answer; anything else is rethrown to onError. */
export function problemsOf(e: unknown): { status: number; problems: Problems } {
  if (e instanceof DomainError && (e.code === 'invalid-input' || e.code === 'conflict') && e.field) {
    const problems: Problems = {};
    for (const f of e.fields.length ? e.fields : [{ path: e.field, message: e.message }]) problems[f.path] ??= f.message;
    return { status: e.code === 'conflict' ? 409 : 400, problems };
  }
  throw e;
}

/** A random nonce for a form (the submit key): the same form sent twice is one cancellation. */
export const newFormKey = (): string => randomBytes(24).toString('base64url');

/** "31.12.2026" or "2026-12-31" (what a date field sends) as `YYYY-MM-DD`; empty is null; anything else passes through for the domain to refuse. */
export function dateInput(v: string | undefined): string | null {
  const s = (v ?? '').trim();
  if (s === '') return null;
  const m = /^(\d{1,2})\.(\d{1,2})\.(\d{4})$/.exec(s);
  return m ? `${m[3]}-${m[2]!.padStart(2, '0')}-${m[1]!.padStart(2, '0')}` : s;
}
