// The hot path of the whole product: a guest asking for a page the cache holds is answered at the Node `http` level,
// before routing and middleware; everything else (and anything this path is not sure about) falls through to the apps.
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { hostnameOf } from './host-guard.middleware.ts';
import { etagMatches, pickEncoding, type CachedPage, type PageCache } from './page-cache.ts';
import { isPrivatePath } from './private-paths.ts';
import { nextRequestId, securityHeaderList } from './request-context.middleware.ts';
import { surrogateKeyHeaders } from './surrogate-keys.ts';

export interface CachedPageListenerOptions {
  pageCache: PageCache;
  /** host names the site answers to; any other Host falls through (and gets the 421 of the host guard) */
  acceptedHosts: readonly string[];
  /** the public origin: HSTS on every answer when it is https */
  publicUrl: string;
  /** a user agent that claims to be a search crawler goes through the crawler check, never this path */
  claimsCrawler: (userAgent: string) => boolean;
  logger: Logger;
  /** tests count the answers of this path */
  onHit?: (path: string) => void;
}

/**
 * Answers exactly what the public app would answer for a cache hit — same body, status, ETag/304, `Vary`, security
 * headers, request id — and only where that is certain: GET/HEAD, a plain path (no query, no percent-encoding), a
 * public path, an accepted host, no claimed crawler, no forwarded scheme to judge (unless the origin is https anyway),
 * and an entry in the cache (content changes drop entries as they are seen, see docs/decisions/018). A test compares
 * its answers with the app's.
 */
export function cachedPageListener(o: CachedPageListenerOptions, fallback: RequestListener): RequestListener {
  const accepted = new Set(o.acceptedHosts.map((h) => h.toLowerCase()));
  // Host values seen and accepted by the host guard's own parser, so a hit does not parse the header again (bounded:
  // a handful of names and ports; anything beyond the bound is simply parsed each time).
  const acceptedHostValues = new Set<string>();
  const hostAccepted = (host: string | undefined): boolean => {
    if (!host) return false;
    if (acceptedHostValues.has(host)) return true;
    const name = hostnameOf(host);
    if (name === null || !accepted.has(name)) return false;
    if (acceptedHostValues.size < 64) acceptedHostValues.add(host);
    return true;
  };
  const httpsOrigin = o.publicUrl.startsWith('https:');
  // Taken from the security-header middleware once at start; until then every request takes the ordinary path.
  let frame: string[] | undefined;
  void securityHeaderList(httpsOrigin).then((h) => { frame = h.flat(); });
  const logInfo = o.logger.isLevelEnabled('info');
  // The headers of a page per encoding (and for 304), built once per cached page; only the request id is per answer.
  const prepared = new WeakMap<CachedPage, Map<string, string[]>>();
  function headersOf(page: CachedPage, variant: 'br' | 'gzip' | 'identity' | '304', length: number): string[] {
    let byVariant = prepared.get(page);
    if (!byVariant) prepared.set(page, (byVariant = new Map()));
    let h = byVariant.get(variant);
    if (!h) {
      h = ['content-type', page.contentType, 'cache-control', page.cacheControl, 'etag', page.etag, 'vary', 'Accept-Encoding', 'x-cache', 'hit', ...frame!];
      for (const [k, v] of surrogateKeyHeaders(page.surrogateKeys)) h.push(k, v);
      if (variant === 'br' || variant === 'gzip') h.push('content-encoding', variant);
      if (variant !== '304') h.push('content-length', String(length));
      byVariant.set(variant, h);
    }
    return h;
  }

  function tryServe(req: IncomingMessage, res: ServerResponse): boolean {
    const method = req.method;
    if ((method !== 'GET' && method !== 'HEAD') || !frame) return false;
    const path = req.url;
    if (!path || path.charCodeAt(0) !== 47 /* / */ || path.includes('?') || path.includes('%') || isPrivatePath(path)) return false;
    if (!hostAccepted(req.headers.host)) return false;
    if (!httpsOrigin && req.headers['x-forwarded-proto'] !== undefined) return false;
    if (o.claimsCrawler(req.headers['user-agent'] ?? '')) return false;
    const page = o.pageCache.peek(path);
    if (!page) return false;

    const requestId = nextRequestId();
    let status = page.status;
    let body: Buffer | undefined;
    let headers: string[];
    if (etagMatches(req.headers['if-none-match'], page.etag)) {
      status = 304;
      headers = headersOf(page, '304', 0);
    } else {
      const enc = pickEncoding(req.headers['accept-encoding']);
      body = enc === 'br' ? page.brotli : enc === 'gzip' ? page.gzip : page.body;
      headers = headersOf(page, enc ?? 'identity', body.length);
    }
    const out = headers.slice();
    out.push('x-request-id', requestId);
    res.writeHead(status, out);
    res.end(method === 'HEAD' ? undefined : body);
    if (logInfo) o.logger.info({ reqId: requestId, method, path, status, ms: 0, fast: true }, 'request');
    o.onHit?.(path);
    return true;
  }

  return (req, res) => {
    if (!tryServe(req, res)) fallback(req, res);
  };
}
