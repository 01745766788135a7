// Reading a submitted form and turning a domain error into the field problems a form shows inline: shared by every area with forms.
import type { Context, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { DomainError } from '../../domain-error.ts';
import { HttpError } from './app-error.ts';
import { csrfProtection } from './csrf.ts';
import { parseFormBody } from './request-body.ts';

/** field → message, the shape web/ui's form views show (web/platform does not import web/ui) */
type Problems = Record<string, string>;

/** The submitted form as strings; files and repeated fields are ignored. */
export async function formOf(c: Context): Promise<Record<string, string>> {
  const type = c.req.header('content-type') ?? '';
  if (!/^(application\/x-www-form-urlencoded|multipart\/form-data)/i.test(type)) {
    throw new HttpError('bad-request', 'Bitte senden Sie das Formular ab (application/x-www-form-urlencoded).', 'content-type');
  }
  const body = await parseFormBody(c);
  return Object.fromEntries(Object.entries(body).filter((e): e is [string, string] => typeof e[1] === 'string'));
}

/** The field problems of a domain error a form can show inline; anything else is rethrown to onError. */
export function problemsOf(e: unknown): { status: number; problems: Problems } {
  if (e instanceof DomainError && (e.code === 'invalid-input' || e.code === 'unauthenticated' || e.code === 'conflict') && e.field) {
    const problems: Problems = {};
    for (const f of e.fields.length ? e.fields : [{ path: e.field, message: e.message }]) problems[f.path] ??= f.message;
    return { status: e.code === 'unauthenticated' ? 401 : e.code === 'conflict' ? 409 : 400, problems };
  }
  throw e;
}

/**
 * What every form POST of an area passes first: a body limit (a larger form is refused before it is read, with a
 * message naming the limit) and the CSRF check. `app.use('/prefix/*', ...formGuard())`.
 */
export function formGuard(maxKb = 16): MiddlewareHandler[] {
  const limit = bodyLimit({ maxSize: maxKb * 1024, onError: () => { throw new HttpError('payload-too-large', `Das Formular ist zu groß (höchstens ${maxKb} KB).`); } });
  return [limit, csrfProtection()];
}
