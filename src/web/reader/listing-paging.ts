// Paging of section and author pages by keyset: `?vor=` continues after an article, old `?seite=N` links are redirected.
import type { Context } from 'hono';
import { listArticles, listingCursorAt, listingHas, previousPageCursor, type ArticleSummary, type ListFilter } from '../../content/index.ts';
import { HttpError } from '../platform/app-error.ts';
import { pageNumber } from '../platform/query-params.ts';
import { variesBy } from '../platform/public-cache.middleware.ts';
import type { SiteDeps } from '../platform/render.tsx';
import { CURSOR_PARAM, cursorParam, cursorText } from './listing-cursor.ts';

export const PAGE_SIZE = 12;

/** Links of a listing page: undefined where there is nothing in that direction. */
export interface Paging { newer?: string; older?: string; newest?: string; self: string }

export type ListingPage = { articles: ArticleSummary[]; paging: Paging } | { redirect: string; status: 301 | 302 };

const href = (basePath: string, a: { publishedAt: string; id: string }) => `${basePath}?${CURSOR_PARAM}=${cursorText(a)}`;

/**
 * Each page reads at most PAGE_SIZE + 1 rows in index order, and the page before it PAGE_SIZE + 1 index entries, however
 * deep it is. A cursor must name an article the listing shows now: any other well-formed value is a 404, so the pages
 * the cache may keep are bounded by the articles, not by what a client invents.
 */
export async function readListing(c: Context, deps: SiteDeps, filter: ListFilter, basePath: string, notFound: string): Promise<ListingPage> {
  variesBy(c, 'seite', CURSOR_PARAM);
  const seite = c.req.query('seite');
  if (seite !== undefined) {
    const page = pageNumber(seite);
    if (page === 1) return { redirect: basePath, status: 301 };
    // page N continued after the last article of page N - 1; which one that is changes with every new article
    const cursor = await listingCursorAt(deps.db, filter, (page - 1) * PAGE_SIZE - 1);
    if (!cursor) throw new HttpError('not-found', notFound);
    return { redirect: href(basePath, cursor), status: 302 };
  }
  const after = cursorParam(c.req.query(CURSOR_PARAM));
  if (after && !(await listingHas(deps.db, after, filter))) throw new HttpError('not-found', notFound);
  const rows = await listArticles(deps.db, { ...filter, limit: PAGE_SIZE + 1, olderThan: after });
  if (after && rows.length === 0) throw new HttpError('not-found', notFound);
  const articles = rows.slice(0, PAGE_SIZE);
  const paging: Paging = { self: after ? href(basePath, after) : basePath };
  if (rows.length > PAGE_SIZE) paging.older = href(basePath, articles[articles.length - 1]!);
  if (after) {
    const before = await previousPageCursor(deps.db, filter, articles[0]!, PAGE_SIZE);
    paging.newer = before ? href(basePath, before) : basePath;
    if (before) paging.newest = basePath;
  }
  return { articles, paging };
}
