// What the cancellation form needs beyond the platform's form reading: a form nonce and the date field.
import { randomBytes } from 'node:crypto';

/** A random nonce for a form (the submit key): the same form sent twice is one cancellation. */
export const newFormKey = (): string => randomBytes(24).toString('base64url');

/** "31.12.2026" or "2026-12-31" (what a date field sends) as `YYYY-MM-DD`; empty is null; anything else passes through for the domain to refuse. */
export function dateInput(v: string | undefined): string | null {
  const s = (v ?? '').trim();
  if (s === '') return null;
  const m = /^(\d{1,2})\.(\d{1,2})\.(\d{4})$/.exec(s);
  return m ? `${m[3]}-${m[2]!.padStart(2, '0')}-${m[1]!.padStart(2, '0')}` : s;
}
