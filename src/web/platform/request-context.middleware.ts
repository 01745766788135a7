// Request id, structured access log and security headers for every response.
import { Hono, type Context, type MiddlewareHandler } from 'hono';
import { secureHeaders } from 'hono/secure-headers';
import { matchedRoutes } from 'hono/route';
import type { Logger } from 'pino';
import { randomBytes } from 'node:crypto';
import type { Reader } from '../../accounts/index.ts';
import type { TrustProxy } from '../../config.ts';
import { observeRequest } from '../../metrics/index.ts';

type SecureHeadersOptions = NonNullable<Parameters<typeof secureHeaders>[0]>;

/** No inline script or style anywhere: the page's own origin only, and nobody may frame it. */
const CONTENT_SECURITY_POLICY: SecureHeadersOptions['contentSecurityPolicy'] = {
  defaultSrc: ["'self'"], scriptSrc: ["'self'"], styleSrc: ["'self'"], imgSrc: ["'self'", 'data:'], fontSrc: ["'self'"], connectSrc: ["'self'"],
  formAction: ["'self'"], frameAncestors: ["'none'"], baseUri: ["'none'"], objectSrc: ["'none'"],
};

/**
 * Exactly the headers Klartext sent by hand before, nothing of secureHeaders' other defaults (their effect on
 * assets and gift links was never checked). HSTS is off here because secureHeaders cannot make it depend on the
 * request; requestContext adds it for HTTPS answers. `interest-cohort` is not in Hono's list of features, hence the cast.
 */
const SECURITY_HEADERS: SecureHeadersOptions = {
  contentSecurityPolicy: CONTENT_SECURITY_POLICY,
  xContentTypeOptions: true,
  referrerPolicy: 'strict-origin-when-cross-origin',
  xFrameOptions: 'DENY',
  permissionsPolicy: { camera: [], microphone: [], geolocation: [], interestCohort: [] } as SecureHeadersOptions['permissionsPolicy'],
  strictTransportSecurity: false,
  crossOriginResourcePolicy: false, crossOriginOpenerPolicy: false, originAgentCluster: false, xDnsPrefetchControl: false,
  xDownloadOptions: false, xPermittedCrossDomainPolicies: false, xXssProtection: false,
};

export type AppEnv = {
  Variables: {
    requestId: string;
    /** the logged-in person; set by sessionMiddleware (src/web/platform/session.middleware.ts) on private paths only, undefined elsewhere */
    reader: Reader | null;
    /** the session's CSRF key and how to judge the request's origin; set with reader, read only by src/web/platform/csrf.ts */
    csrf: { secret: string | null; trustProxy: TrustProxy; publicUrl: string; acceptedHosts: readonly string[] };
    /** set by markPreviewFrame: this answer may be framed by this site and runs no script (the newsroom's preview) */
    previewFrame?: boolean;
  };
};

// Unique per process start and cheap per request: a random prefix and a counter.
const ID_PREFIX = randomBytes(4).toString('hex');
let requestCounter = 0;
export const nextRequestId = (): string => `${ID_PREFIX}${(++requestCounter).toString(36)}`;

const applySecurityHeaders = secureHeaders(SECURITY_HEADERS);
/** markPreviewFrame's answers: pages of this site may frame them, and no script runs in them. */
const applyPreviewFrameHeaders = secureHeaders({
  ...SECURITY_HEADERS,
  contentSecurityPolicy: { ...CONTENT_SECURITY_POLICY, scriptSrc: ["'none'"], frameAncestors: ["'self'"] },
  xFrameOptions: 'SAMEORIGIN',
});
const nothingMore = async () => {};
export const HSTS: [string, string] = ['strict-transport-security', 'max-age=31536000'];

/**
 * The security headers as a list, for the cache-hit fast path (platform/cached-page-listener.ts), which answers before
 * any middleware: taken once from what the secureHeaders middleware itself sets, so there is one definition.
 */
export async function securityHeaderList(https: boolean): Promise<[string, string][]> {
  const probe = new Hono();
  probe.use(applySecurityHeaders);
  probe.get('/', (c) => c.body(null));
  const headers = [...(await probe.request('/')).headers].filter(([k]) => k !== 'content-type') as [string, string][];
  return https ? [...headers, HSTS] : headers;
}

export interface RequestContextOptions {
  /**
   * Whether the request came over HTTPS (platform/request-info.ts isHttps: directly, through a trusted proxy, or the
   * public URL is https). Answers it says came over HTTPS carry HSTS; browsers ignore HSTS on plain HTTP anyway.
   */
  isHttps: (c: Context) => boolean;
}

/**
 * The route pattern that answered, for the metrics: bounded by the routes registered, never the raw path. The last
 * handler that ran is the one that answered; when that was a middleware (a page cache hit, a redirect to the login),
 * the route it stood in front of, so a hit and a render of `/artikel/:slug` count under the same pattern.
 */
function answeringRoute(c: Context): string {
  const routes = matchedRoutes(c);
  for (let i = Math.max(0, c.req.routeIndex); i < routes.length; i++) if (routes[i]!.method !== 'ALL') return routes[i]!.path;
  return '(no route)';
}

export function requestContext(logger: Logger, o: RequestContextOptions): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const requestId = nextRequestId();
    c.set('requestId', requestId);
    const started = performance.now();
    await applySecurityHeaders(c, next);
    // known only once the route ran: the preview's headers replace the ones just set
    if (c.get('previewFrame')) await applyPreviewFrameHeaders(c, nothingMore);
    const h = c.res.headers;
    h.set('x-request-id', requestId);
    if (o.isHttps(c)) h.set(...HSTS);
    const elapsed = performance.now() - started;
    observeRequest(c.req.method, answeringRoute(c), c.res.status, elapsed / 1000);
    const ms = Math.round(elapsed * 10) / 10;
    const level = c.res.status >= 500 ? 'error' : 'info';
    logger[level]({ reqId: requestId, method: c.req.method, path: c.req.path, status: c.res.status, ms }, 'request');
  };
}

/**
 * This answer previews a page inside the site's own tools: pages of this site may frame it (CSP frame-ancestors 'self',
 * X-Frame-Options SAMEORIGIN) and no script runs in it (script-src 'none'), so it shows exactly what the server
 * rendered for the audience it stands for. Every other answer keeps frame-ancestors 'none'.
 */
export function markPreviewFrame(c: Context<AppEnv>): void {
  c.set('previewFrame', true);
}
