// Serves public pages from the PageCache and stores fresh renders in it; everyone gets the same bytes.
import type { MiddlewareHandler } from 'hono';
import { etagMatches, makeCachedPage, pickEncoding, type CachedPage, type PageCache } from './page-cache.ts';

export const PUBLIC_CACHE_CONTROL = 'public, max-age=60, s-maxage=300, stale-while-revalidate=600';

function respond(page: CachedPage, acceptEncoding: string | undefined, ifNoneMatch: string | undefined, head: boolean): Response {
  const headers = new Headers({ 'content-type': page.contentType, 'cache-control': page.cacheControl, etag: page.etag, vary: 'Accept-Encoding', 'x-cache': 'hit' });
  if (etagMatches(ifNoneMatch, page.etag)) return new Response(null, { status: 304, headers });
  const enc = pickEncoding(acceptEncoding);
  const body = enc === 'br' ? page.brotli : enc === 'gzip' ? page.gzip : page.body;
  if (enc) headers.set('content-encoding', enc);
  headers.set('content-length', String(body.length));
  return new Response(head ? null : (body as unknown as BodyInit), { status: page.status, headers });
}

/**
 * `keyByHost`: when the site has no configured public URL, pages carry the request's origin (canonical links,
 * feeds), so the Host header must be part of the key — otherwise one forged Host would poison the page for all.
 */
export function publicCache(cache: PageCache, o: { cacheControl?: string; statuses?: number[]; keyByHost?: boolean } = {}): MiddlewareHandler {
  const statuses = o.statuses ?? [200];
  return async (c, next) => {
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD') return next();
    const url = c.req.url;
    // the request URL's origin is built from the Host header, the same origin the page's links are built from
    const key = o.keyByHost ? url : url.slice(url.indexOf('/', url.indexOf('//') + 2));
    const hit = await cache.get(key);
    const ae = c.req.header('accept-encoding');
    const inm = c.req.header('if-none-match');
    if (hit) {
      c.res = respond(hit, ae, inm, c.req.method === 'HEAD');
      return;
    }
    await next();
    const res = c.res;
    const cc = res.headers.get('cache-control');
    if (!statuses.includes(res.status) || (cc && /private|no-store/.test(cc)) || res.headers.has('set-cookie')) return;
    const page = makeCachedPage(res.status, res.headers.get('content-type') ?? 'text/html; charset=utf-8', Buffer.from(await res.arrayBuffer()), o.cacheControl ?? PUBLIC_CACHE_CONTROL, Date.now());
    cache.set(key, page);
    const out = respond(page, ae, inm, c.req.method === 'HEAD');
    out.headers.set('x-cache', 'miss');
    c.res = undefined as unknown as Response;
    c.res = out;
  };
}
