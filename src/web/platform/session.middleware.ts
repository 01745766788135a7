// Reads the session cookie into c.var.reader; only the private app runs it, so public pages stay the same bytes for everyone.
import type { Context, MiddlewareHandler } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/index.ts';
import type { Reader } from '../../accounts/index.ts';
import type { AccessUser } from '../../access/index.ts';
import { resolveSession, pruneExpiredSessions, pruneThrottleEvents, type NewSession } from '../../accounts/index.ts';
import type { Clock } from '../../clock.ts';
import type { AppEnv } from './request-context.middleware.ts';
import { isHttps, type ProxyTrust } from './request-info.ts';

export const SESSION_COOKIE = 'klartext_session';

export interface SessionDeps extends ProxyTrust { db: Kysely<Database> }

const PRUNE_EVERY_MS = 10 * 60_000;

export function setSessionCookie(c: Context, trust: ProxyTrust, s: Pick<NewSession, 'token' | 'maxAgeSeconds'>): void {
  setCookie(c, SESSION_COOKIE, s.token, { httpOnly: true, sameSite: 'Lax', secure: isHttps(c, trust), path: '/', ...(s.maxAgeSeconds ? { maxAge: s.maxAgeSeconds } : {}) });
}

export function clearSessionCookie(c: Context, trust: ProxyTrust): void {
  deleteCookie(c, SESSION_COOKIE, { path: '/', secure: isHttps(c, trust), httpOnly: true, sameSite: 'Lax' });
}

/** Sets `c.var.reader` (null when nobody is logged in) and marks the response `no-store`. */
export function sessionMiddleware(deps: SessionDeps): MiddlewareHandler<AppEnv> {
  let prunedAt = 0;
  return async (c, next) => {
    if (c.get('reader') !== undefined) return next();
    c.set('reader', null);
    c.set('csrf', { secret: null, trustProxy: deps.trustProxy, publicUrl: deps.publicUrl, acceptedHosts: deps.acceptedHosts });
    if (Date.now() - prunedAt > PRUNE_EVERY_MS) {
      prunedAt = Date.now();
      await Promise.all([pruneExpiredSessions(deps.db), pruneThrottleEvents(deps.db)]);
    }
    const token = getCookie(c, SESSION_COOKIE);
    if (token) {
      const s = await resolveSession(deps.db, token);
      if (s) {
        c.set('reader', s.reader);
        c.set('csrf', { secret: s.csrfSecret, trustProxy: deps.trustProxy, publicUrl: deps.publicUrl, acceptedHosts: deps.acceptedHosts });
        if (s.renewedMaxAgeSeconds) setSessionCookie(c, deps, { token, maxAgeSeconds: s.renewedMaxAgeSeconds });
      } else {
        clearSessionCookie(c, deps);
      }
    }
    await next();
    if (!c.res.headers.has('cache-control')) c.res.headers.set('cache-control', 'no-store');
  };
}

/**
 * For one hot private path (the unlock endpoint every article view of a logged-in reader calls): sessions
 * remembered for `ttlMs` instead of asked of the database each time. Mounted before `sessionMiddleware`,
 * which skips when `reader` is set; a miss goes through it unchanged and its answer is kept. A logout or
 * role change reaches that path within `ttlMs` of `now` (the app's clock, so tests move it instead of sleeping).
 */
export function rememberSessions(o: { ttlMs: number; maxEntries?: number; now: Clock }): MiddlewareHandler<AppEnv> {
  const maxEntries = o.maxEntries ?? 50_000;
  const now = () => o.now().getTime();
  const known = new Map<string, { reader: Reader; until: number }>();
  return async (c, next) => {
    const token = getCookie(c, SESSION_COOKIE);
    if (!token || c.get('reader') !== undefined) return next();
    const hit = known.get(token);
    if (hit && hit.until > now()) {
      // The route sets `no-store` itself; c.header() after the answer exists would rebuild the Response.
      c.set('reader', hit.reader);
      return next();
    }
    known.delete(token);
    await next();
    const reader = c.get('reader');
    if (!reader) return;
    if (known.size >= maxEntries) known.delete(known.keys().next().value!);
    known.set(token, { reader, until: now() + o.ttlMs });
  };
}

/**
 * The logged-in user as the access domain needs it; null for guests and wherever the session was not read.
 * On the unlock path the session may be a few seconds old (rememberSessions), so a fresh confirmation counts after that.
 */
export function readerUser(c: Context<AppEnv>): AccessUser | null {
  const reader = c.get('reader');
  return reader ? { id: reader.user.id, role: reader.user.role, email: reader.user.email, emailVerified: reader.user.emailVerified } : null;
}

/** Private answers: never stored by us, a CDN or the browser, and kept out of search indexes. */
export function markPrivate(c: Context, o: { noindex?: boolean } = {}): void {
  c.header('cache-control', 'private, no-store');
  if (o.noindex) c.header('x-robots-tag', 'noindex');
}
