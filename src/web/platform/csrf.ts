// CSRF protection: a per-session secret (or, before login, a random cookie) keys an HMAC token; each rendering masks it anew.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Context, MiddlewareHandler } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import { newToken } from '../../db/index.ts';
import { HttpError } from './app-error.ts';
import { parseFormBody } from './request-body.ts';
import type { AppEnv } from './request-context.middleware.ts';
import { NO_PROXY } from '../../config.ts';
import { isHttps, isOwnOrigin, type ProxyTrust } from './request-info.ts';

export const CSRF_FIELD = '_csrf';
export const CSRF_HEADER = 'x-klartext-csrf';
export const ANON_CSRF_COOKIE = 'klartext_csrf';
const CSRF_MESSAGE = 'Die Sicherheitsprüfung (CSRF-Schutz) ist fehlgeschlagen: Das Formular ist abgelaufen oder stammt nicht von dieser Seite. Bitte laden Sie die Seite neu und versuchen Sie es noch einmal.';

const mac = (key: string): Buffer => createHmac('sha256', key).update('klartext-csrf-v1').digest();

/** A fresh random mask per rendering, so the token in a page never repeats (no BREACH-style guessing). */
function mask(raw: Buffer): string {
  const pad = randomBytes(raw.length);
  const masked = Buffer.alloc(raw.length);
  for (let i = 0; i < raw.length; i++) masked[i] = raw[i]! ^ pad[i]!;
  return Buffer.concat([pad, masked]).toString('base64url');
}

function unmask(token: string): Buffer | null {
  if (!/^[A-Za-z0-9_-]{86}$/.test(token)) return null;
  const buf = Buffer.from(token, 'base64url');
  if (buf.length !== 64) return null;
  const out = Buffer.alloc(32);
  for (let i = 0; i < 32; i++) out[i] = buf[i]! ^ buf[i + 32]!;
  return out;
}

/**
 * What the session middleware recorded; where it did not run, the caller's config and only the anonymous cookie count
 * (without a known origin no Origin header passes).
 */
const csrfContext = (c: Context<AppEnv>, trust?: Partial<ProxyTrust>) =>
  c.get('csrf') ?? { secret: null, trustProxy: trust?.trustProxy ?? NO_PROXY, publicUrl: trust?.publicUrl, acceptedHosts: trust?.acceptedHosts ?? [] };

/** The token for forms and for /api/me. Before login it sets the anonymous CSRF cookie if there is none yet. */
export function csrfToken(c: Context<AppEnv>, fallback?: Partial<ProxyTrust>): string {
  const { secret, ...trust } = csrfContext(c, fallback);
  if (secret) return mask(mac(secret));
  let anon = getCookie(c, ANON_CSRF_COOKIE);
  if (!anon || !/^[A-Za-z0-9_-]{43}$/.test(anon)) {
    anon = newToken();
    setCookie(c, ANON_CSRF_COOKIE, anon, { httpOnly: true, sameSite: 'Lax', secure: isHttps(c, { ...trust, publicUrl: trust.publicUrl ?? '' }), path: '/' });
  }
  return mask(mac(anon));
}

/**
 * True unless the browser names an Origin that is not this site (requests without Origin are judged by the token).
 * "This site" is the configured public origin and accepted hosts only, never the request's own Host.
 */
export function sameOrigin(c: Context, own: { publicUrl: string | undefined; acceptedHosts: readonly string[] }): boolean {
  const origin = c.req.header('origin');
  if (origin === undefined) return true;
  return own.publicUrl !== undefined && isOwnOrigin(origin, { publicUrl: own.publicUrl, acceptedHosts: own.acceptedHosts });
}

/**
 * Throws a 403 naming the problem unless the request carries a valid token (form field `_csrf` or header
 * `x-klartext-csrf`) and, when the browser says where it comes from, comes from this site.
 */
export async function verifyCsrf(c: Context<AppEnv>, fallback?: Partial<ProxyTrust>): Promise<void> {
  const fail = () => { throw new HttpError('forbidden', CSRF_MESSAGE, CSRF_FIELD); };
  const { secret, ...own } = csrfContext(c, fallback);
  if (c.req.header('sec-fetch-site') === 'cross-site' || !sameOrigin(c, own)) fail();
  let token = c.req.header(CSRF_HEADER);
  if (!token) {
    const type = c.req.header('content-type') ?? '';
    if (/^(application\/x-www-form-urlencoded|multipart\/form-data)/i.test(type)) {
      const field = (await parseFormBody(c))[CSRF_FIELD];
      if (typeof field === 'string') token = field;
    }
  }
  const raw = token ? unmask(token) : null;
  if (!raw) return fail();
  // Logged in, only the session's key counts: the anonymous cookie could have been planted (a sibling subdomain can set
  // cookies for this one), and a token made from a known cookie must not act for the person behind the session.
  const keys = (secret ? [secret] : [getCookie(c, ANON_CSRF_COOKIE)]).filter((k): k is string => !!k);
  if (!keys.some((k) => timingSafeEqual(mac(k), raw))) fail();
}

/** Middleware form of verifyCsrf for every state-changing method. */
export function csrfProtection(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (!['GET', 'HEAD', 'OPTIONS'].includes(c.req.method)) await verifyCsrf(c);
    await next();
  };
}
