// /suche: headline, teaser and free text for everyone from a cached page; premium text too for subscribers and staff, on a private answer.
import { Hono, type Context } from 'hono';
import { readsAllPlus } from '../access/index.ts';
import { getArticleById, searchArticleIds, type ArticleSummary } from '../content/index.ts';
import { HttpError } from '../http/app-error.ts';
import { variesBy } from '../http/public-cache.middleware.ts';
import type { AppEnv } from '../http/request-context.middleware.ts';
import { markPrivate, readerUser, type Paywall } from './paywall-context.ts';
import { renderPage } from './render.tsx';
import { SearchPage } from './search.view.tsx';

export const MAX_QUERY_LENGTH = 200;
const RESULTS = 20;

function queryOf(c: Context): string {
  const q = (c.req.query('q') ?? '').trim();
  if (q.length > MAX_QUERY_LENGTH) throw new HttpError('bad-request', `Der Suchbegriff „q“ darf höchstens ${MAX_QUERY_LENGTH} Zeichen lang sein.`, 'q');
  return q;
}

export function searchRoutes(p: Paywall): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const guestCache = p.cached;

  async function render(c: Context<AppEnv>, includePremium: boolean) {
    variesBy(c, 'q');
    const q = queryOf(c);
    const now = p.now().toISOString();
    const ids = q ? await searchArticleIds(p.site.db, p.site.caps, q, { includePremium, limit: RESULTS }) : [];
    // Scheduled articles are indexed at import; they stay out of results until they are published.
    const found = await Promise.all(ids.map((id) => getArticleById(p.site.db, id)));
    const results: ArticleSummary[] = found.filter((a): a is NonNullable<typeof a> => a !== undefined && a.publishedAt <= now);
    return renderPage(c, p.site, { title: q ? `Suche: ${q}` : 'Suche', noindex: true, canonical: `${p.site.publicUrl}/suche` },
      <SearchPage q={q} results={results} premiumSearched={includePremium} />);
  }

  // The page is personal only for readers who may search premium text. Guests share the cached empty search page; results
  // are rendered per query and not stored, since free text as a cache key would let anyone fill the cache.
  app.get('/suche', p.session, async (c, next) => {
    queryOf(c);
    if (await readsAllPlus(p.site.db, readerUser(c), p.now())) {
      markPrivate(c, { noindex: true });
      return render(c, true);
    }
    return guestCache(c, next);
  }, (c) => render(c, false));

  return app;
}
