// /suche: a private page (it reads the session): headline, teaser and free text for everyone, premium text too for subscribers and staff.
import { Hono, type Context } from 'hono';
import { readsAllPlus, type InstitutionDirectory } from '../../access/index.ts';
import { articleSummariesByIds, searchArticleIds } from '../../content/index.ts';
import { HttpError } from '../platform/app-error.ts';
import type { AppEnv } from '../platform/request-context.middleware.ts';
import { markPrivate, readerUser } from '../platform/session.middleware.ts';
import { renderPage, type SiteDeps } from '../platform/render.tsx';
import { clientIp } from '../platform/request-info.ts';
import type { TrustProxy } from '../../config.ts';
import { SearchPage } from './search.view.tsx';

export const MAX_QUERY_LENGTH = 200;
const RESULTS = 20;

export interface SearchDeps {
  site: SiteDeps;
  now: () => Date;
  /** a reader on an institution's network, or holding a seat, searches the premium text too */
  institutions?: InstitutionDirectory;
  trustProxy?: TrustProxy;
}

function queryOf(c: Context): string {
  const q = (c.req.query('q') ?? '').trim();
  if (q.length > MAX_QUERY_LENGTH) throw new HttpError('bad-request', `Der Suchbegriff „q“ darf höchstens ${MAX_QUERY_LENGTH} Zeichen lang sein.`, 'q');
  return q;
}

/**
 * Results are per query and, for subscribers, per reader: not worth a shared cache entry, so the whole page is
 * private (decision 004): it reads the session and answers `private, no-store`, for guests too.
 */
export function searchRoutes(deps: SearchDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.get('/suche', async (c) => {
    markPrivate(c, { noindex: true });
    const q = queryOf(c);
    const via = deps.institutions && deps.trustProxy ? { clientIp: clientIp(c, { trustProxy: deps.trustProxy }), institutions: deps.institutions } : undefined;
    const includePremium = await readsAllPlus(deps.site.db, readerUser(c), deps.now(), via);
    const now = deps.now();
    // scheduled articles are indexed at import; they stay out of results until they are published
    const ids = q ? await searchArticleIds(deps.site.db, deps.site.caps, q, { includePremium, limit: RESULTS, now }) : [];
    const results = await articleSummariesByIds(deps.site.db, ids, now);
    return renderPage(c, deps.site, { title: q ? `Suche: ${q}` : 'Suche', noindex: true, canonical: `${deps.site.publicUrl}/suche` },
      <SearchPage q={q} results={results} premiumSearched={includePremium} />);
  });
  return app;
}
