// Serves public pages from the PageCache and stores fresh renders in it with their surrogate keys; everyone gets the same bytes.
import type { Context, MiddlewareHandler } from 'hono';
import { etagMatches, makeCachedPage, pickEncoding, type CachedPage, type PageCache } from './page-cache.ts';
import { renderedHtmlOf } from './render.tsx';
import { surrogateKeyHeaders, surrogateKeysOf } from './surrogate-keys.ts';
import { countPageCache } from '../../metrics/index.ts';

export const PUBLIC_CACHE_CONTROL = 'public, max-age=60, s-maxage=300, stale-while-revalidate=600';

function respond(page: CachedPage, acceptEncoding: string | undefined, ifNoneMatch: string | undefined, head: boolean): Response {
  const headers = new Headers({ 'content-type': page.contentType, 'cache-control': page.cacheControl, etag: page.etag, vary: 'Accept-Encoding', 'x-cache': 'hit' });
  for (const [k, v] of surrogateKeyHeaders(page.surrogateKeys)) headers.set(k, v);
  if (etagMatches(ifNoneMatch, page.etag)) return new Response(null, { status: 304, headers });
  const enc = pickEncoding(acceptEncoding);
  const body = enc === 'br' ? page.brotli : enc === 'gzip' ? page.gzip : page.body;
  if (enc) headers.set('content-encoding', enc);
  headers.set('content-length', String(body.length));
  return new Response(head ? null : (body as unknown as BodyInit), { status: page.status, headers });
}

const VARIES = 'klartext.cacheVaries';

/**
 * A page says which query parameters it reads (`seite` and `vor` on sections and authors, `q` on /suche). Every other
 * parameter is left out of the cache key: `?x=1`, `?x=2` … get the page without it instead of new entries.
 */
export function variesBy(c: Context, ...params: string[]): void {
  (c as Context<{ Variables: Record<string, readonly string[]> }>).set(VARIES, params);
}

/**
 * Parameters allowed into a stored key: their values are checked by the page and bounded by the content (a listing
 * cursor `vor` must name an article the listing shows, anything else is a 400 or 404, which is never stored; `seite`
 * only redirects). A page reading any other parameter (the free-text
 * `q`) is not stored while the request carries it, so random values can neither grow the cache nor evict pages.
 */
const DEFAULT_KEY_PARAMS = ['seite', 'vor'];

/** The key of a path with the values of the parameters it reads; undefined when one of them may not be stored. */
function keyFor(path: string, query: URLSearchParams, varies: readonly string[], storable: readonly string[]): string | undefined {
  const used = [...varies].sort().filter((p) => query.has(p));
  if (used.some((p) => !storable.includes(p))) return undefined;
  return used.length ? `${path}?${used.map((p) => `${p}=${encodeURIComponent(query.get(p)!)}`).join('&')}` : path;
}

/** Keys are path plus the parameters the page reads — never the Host: every absolute URL in a page comes from the configured origin. */
export function publicCache(cache: PageCache, o: { cacheControl?: string; statuses?: number[]; keyParams?: string[] } = {}): MiddlewareHandler {
  const statuses = o.statuses ?? [200];
  const storable = o.keyParams ?? DEFAULT_KEY_PARAMS;
  // What each stored page said it reads; only paths that rendered a storable page get here, so it is bounded by the content.
  const variesOfPath = new Map<string, readonly string[]>();
  return async (c, next) => {
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD') return next();
    const url = new URL(c.req.url);
    // the decoded path the router matched: `/k%75ltur` is `/kultur`, not one more entry
    const path = c.req.path;
    const known = variesOfPath.get(path);
    // Before a path has been rendered its parameters are unknown: only a request without any is looked up.
    const lookup = known ? keyFor(path, url.searchParams, known, storable) : url.search ? undefined : path;
    const hit = lookup === undefined ? undefined : cache.get(lookup);
    const ae = c.req.header('accept-encoding');
    const inm = c.req.header('if-none-match');
    if (hit) {
      countPageCache('hit');
      c.res = respond(hit, ae, inm, c.req.method === 'HEAD');
      return;
    }
    countPageCache('miss');
    // taken before the route reads anything: a purge that overtakes this render keeps its page out of the cache
    const since = cache.mark();
    await next();
    const res = c.res;
    const cc = res.headers.get('cache-control');
    if (!statuses.includes(res.status) || (cc && /private|no-store/.test(cc)) || res.headers.has('set-cookie')) return;
    const varies = (c as Context<{ Variables: Record<string, readonly string[] | undefined> }>).get(VARIES) ?? [];
    const key = keyFor(path, url.searchParams, varies, storable);
    const keys = surrogateKeysOf(c);
    // the same for every guest asking this, so shared caches may keep it; only this process does not
    if (key === undefined) {
      res.headers.set('cache-control', o.cacheControl ?? PUBLIC_CACHE_CONTROL);
      for (const [k, v] of surrogateKeyHeaders(keys)) res.headers.set(k, v);
      return;
    }
    variesOfPath.set(path, varies);
    // a page renderPage made gives its string; anything else is read back from the response
    const html = renderedHtmlOf(res);
    const body = html !== undefined ? Buffer.from(html) : Buffer.from(await res.arrayBuffer());
    const page = makeCachedPage(res.status, res.headers.get('content-type') ?? 'text/html; charset=utf-8', body, o.cacheControl ?? PUBLIC_CACHE_CONTROL, cache.now(), keys);
    cache.set(key, page, since);
    const out = respond(page, ae, inm, c.req.method === 'HEAD');
    out.headers.set('x-cache', 'miss');
    c.res = undefined as unknown as Response;
    c.res = out;
  };
}
