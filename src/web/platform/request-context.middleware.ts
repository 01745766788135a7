// Request id, structured access log and security headers for every response.
import type { Context, MiddlewareHandler } from 'hono';
import type { Logger } from 'pino';
import { randomBytes } from 'node:crypto';
import type { Reader } from '../../accounts/index.ts';
import type { TrustProxy } from '../../config.ts';

export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'", "script-src 'self'", "style-src 'self'", "img-src 'self' data:", "font-src 'self'", "connect-src 'self'",
  "form-action 'self'", "frame-ancestors 'none'", "base-uri 'none'", "object-src 'none'",
].join('; ');

export type AppEnv = {
  Variables: {
    requestId: string;
    /** the logged-in person; set by sessionMiddleware (src/site/session.middleware.ts) on private paths only, undefined elsewhere */
    reader: Reader | null;
    /** the session's CSRF key and how to judge the request's origin; set with reader, read only by src/site/csrf.ts */
    csrf: { secret: string | null; trustProxy: TrustProxy; publicUrl: string; acceptedHosts: readonly string[] };
  };
};

// Unique per process start and cheap per request: a random prefix and a counter.
const ID_PREFIX = randomBytes(4).toString('hex');
let requestCounter = 0;
export const nextRequestId = (): string => `${ID_PREFIX}${(++requestCounter).toString(36)}`;

/** The security headers of every answer (also written by the cache-hit fast path, platform/cached-page-listener.ts). */
export function securityHeaders(https: boolean): [string, string][] {
  const h: [string, string][] = [
    ['content-security-policy', CONTENT_SECURITY_POLICY],
    ['x-content-type-options', 'nosniff'],
    ['referrer-policy', 'strict-origin-when-cross-origin'],
    ['x-frame-options', 'DENY'],
    ['permissions-policy', 'camera=(), microphone=(), geolocation=(), interest-cohort=()'],
  ];
  if (https) h.push(['strict-transport-security', 'max-age=31536000']);
  return h;
}

export interface RequestContextOptions {
  /**
   * Whether the request came over HTTPS (src/site/request-info.ts isHttps: directly, through a trusted proxy, or the
   * public URL is https). Answers it says came over HTTPS carry HSTS; browsers ignore HSTS on plain HTTP anyway.
   */
  isHttps: (c: Context) => boolean;
}

export function requestContext(logger: Logger, o: RequestContextOptions): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const requestId = nextRequestId();
    c.set('requestId', requestId);
    const started = performance.now();
    await next();
    const h = c.res.headers;
    h.set('x-request-id', requestId);
    for (const [k, v] of securityHeaders(o.isHttps(c))) h.set(k, v);
    const ms = Math.round((performance.now() - started) * 10) / 10;
    const level = c.res.status >= 500 ? 'error' : 'info';
    logger[level]({ reqId: requestId, method: c.req.method, path: c.req.path, status: c.res.status, ms }, 'request');
  };
}
