// Sitemaps: /sitemap.xml is an index of small files — the pages, and the articles by month of publication, split into parts of at most `urlsPerFile`.
import { Hono } from 'hono';
import { listAuthors, listPublishedMonths, listSections, sitemapArticles } from '../../content/index.ts';
import { escapeHtml as x } from '../../html-escape.ts';
import { HttpError } from '../platform/app-error.ts';
import type { SiteDeps } from '../platform/render.tsx';
import { surrogateKeys } from '../platform/surrogate-keys.ts';

/** The sitemap protocol's limit per file (sitemaps.org): 50,000 URLs. */
export const SITEMAP_URL_LIMIT = 50_000;

export interface SitemapOptions { urlsPerFile?: number }

const xml = (body: string) => new Response(body, { headers: { 'content-type': 'application/xml; charset=utf-8' } });
const urlset = (urls: string[]) => `<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n${urls.join('\n')}\n</urlset>\n`;
const url = (loc: string, lastmod?: string) => `<url><loc>${x(loc)}</loc>${lastmod ? `<lastmod>${lastmod}</lastmod>` : ''}</url>`;

/** `artikel-2024-03.xml` is the first part of March 2024, `artikel-2024-03-2.xml` the second. */
const ARTICLE_FILE = /^artikel-(\d{4})-(0[1-9]|1[0-2])(?:-([2-9]|[1-9]\d{1,3}))?\.xml$/;
const fileName = (month: string, part: number) => `artikel-${month}${part > 1 ? `-${part}` : ''}.xml`;

/**
 * Articles go by the month they were published in (UTC): a file's contents stay put as new articles arrive, so crawlers
 * can skip files whose lastmod did not move. A month with more than `urlsPerFile` articles is split into parts. Each
 * file is one index range; the index itself one pass over the listing index (decision 021).
 */
export function sitemapRoutes(deps: Pick<SiteDeps, 'db' | 'publicUrl' | 'now'>, o: SitemapOptions = {}): Hono {
  const perFile = o.urlsPerFile ?? SITEMAP_URL_LIMIT;
  const app = new Hono();

  app.get('/sitemap.xml', async (c) => {
    surrogateKeys(c, 'sitemaps');
    const base = deps.publicUrl;
    const months = await listPublishedMonths(deps.db, deps.now());
    const newest = months.reduce<string | undefined>((m, x) => (m === undefined || x.lastModified > m ? x.lastModified : m), undefined);
    const entry = (file: string, lastmod?: string) => `<sitemap><loc>${x(`${base}/sitemaps/${file}`)}</loc>${lastmod ? `<lastmod>${lastmod}</lastmod>` : ''}</sitemap>`;
    const entries = [entry('seiten.xml', newest)];
    for (const m of months) {
      for (let part = 1; (part - 1) * perFile < m.articles; part++) entries.push(entry(fileName(m.month, part), m.lastModified));
    }
    return xml(`<?xml version="1.0" encoding="UTF-8"?>\n<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n${entries.join('\n')}\n</sitemapindex>\n`);
  });

  app.get('/sitemaps/seiten.xml', async (c) => {
    surrogateKeys(c, 'sitemaps');
    const base = deps.publicUrl;
    const [sections, authors] = await Promise.all([listSections(deps.db), listAuthors(deps.db)]);
    return xml(urlset([url(`${base}/`), ...sections.map((s) => url(`${base}/${s.slug}`)), ...authors.map((a) => url(`${base}/autor/${a.slug}`))]));
  });

  app.get('/sitemaps/:file{[a-z0-9-]+\\.xml}', async (c) => {
    const m = ARTICLE_FILE.exec(c.req.param('file'));
    if (!m) throw new HttpError('not-found', 'Diese Sitemap gibt es nicht.');
    surrogateKeys(c, 'sitemaps');
    const part = Number(m[3] ?? 1);
    const articles = await sitemapArticles(deps.db, { month: `${m[1]}-${m[2]}`, limit: perFile, offset: (part - 1) * perFile, now: deps.now() });
    // an empty month or a part past the last is no file: only files the index names exist (and may be cached)
    if (articles.length === 0) throw new HttpError('not-found', 'Diese Sitemap gibt es nicht.');
    const base = deps.publicUrl;
    return xml(urlset(articles.map((a) => url(`${base}/artikel/${a.slug}`, a.updatedAt))));
  });

  return app;
}
