// RSS feeds, the news sitemap and robots.txt (the sitemap index is in sitemaps.routes.ts). Headlines and teasers only — never a premium block.
import { Hono } from 'hono';
import { getSectionBySlug, listArticles, type ArticleSummary } from '../../content/index.ts';
import { escapeHtml as x } from '../../html-escape.ts';
import { HttpError } from '../platform/app-error.ts';
import { ROBOTS_DISALLOW } from '../platform/private-paths.ts';
import type { SiteDeps } from '../platform/render.tsx';
import { jpegUrl } from '../ui/teaser.view.tsx';
import { surrogateKeys } from '../platform/surrogate-keys.ts';
import { sitemapRoutes } from './sitemaps.routes.ts';

const FEED_SIZE = 30;

function rss(o: { title: string; link: string; self: string; description: string; items: ArticleSummary[]; base: string }): string {
  const items = o.items.map((a) => `<item>
<title>${x(a.access === 'plus' ? `${a.headline} (Plus)` : a.headline)}</title>
<link>${x(`${o.base}/artikel/${a.slug}`)}</link>
<guid isPermaLink="true">${x(`${o.base}/artikel/${a.slug}`)}</guid>
<pubDate>${new Date(a.publishedAt).toUTCString()}</pubDate>
<category>${x(a.section.name)}</category>
<description>${x(a.teaser)}</description>${a.image ? `
<enclosure url="${x(`${o.base}${jpegUrl(a.image, 800)}`)}" type="image/jpeg" length="0"/>` : ''}
</item>`).join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom">
<channel>
<title>${x(o.title)}</title>
<link>${x(o.link)}</link>
<atom:link href="${x(o.self)}" rel="self" type="application/rss+xml"/>
<description>${x(o.description)}</description>
<language>de-DE</language>
${o.items[0] ? `<lastBuildDate>${new Date(o.items[0].updatedAt).toUTCString()}</lastBuildDate>\n` : ''}${items}
</channel>
</rss>
`;
}

const xml = (body: string, type = 'application/xml; charset=utf-8') => new Response(body, { headers: { 'content-type': type } });

export function feedRoutes(deps: SiteDeps): Hono {
  const app = new Hono();
  app.route('/', sitemapRoutes(deps));

  app.get('/feed.xml', async (c) => {
    surrogateKeys(c, 'feeds');
    const base = deps.publicUrl;
    const items = await listArticles(deps.db, { limit: FEED_SIZE, now: deps.now() });
    return xml(rss({ title: deps.site.name, link: `${base}/`, self: `${base}/feed.xml`, description: deps.site.claim, items, base }), 'application/rss+xml; charset=utf-8');
  });

  app.get('/:section{[a-z0-9-]+}/feed.xml', async (c) => {
    const section = await getSectionBySlug(deps.db, c.req.param('section'));
    if (!section) throw new HttpError('not-found', 'Dieses Ressort gibt es nicht.');
    surrogateKeys(c, 'feeds');
    const base = deps.publicUrl;
    const items = await listArticles(deps.db, { limit: FEED_SIZE, sectionId: section.id, now: deps.now() });
    return xml(rss({ title: `${deps.site.name}: ${section.name}`, link: `${base}/${section.slug}`, self: `${base}/${section.slug}/feed.xml`, description: `Nachrichten aus dem Ressort ${section.name}`, items, base }), 'application/rss+xml; charset=utf-8');
  });

  app.get('/news-sitemap.xml', async (c) => {
    surrogateKeys(c, 'sitemaps');
    const base = deps.publicUrl;
    const now = deps.now();
    const since = new Date(now.getTime() - 48 * 3600_000).toISOString();
    const articles = await listArticles(deps.db, { limit: 1000, since, now });
    const body = articles.map((a) => `<url><loc>${x(`${base}/artikel/${a.slug}`)}</loc><news:news><news:publication><news:name>${x(deps.site.name)}</news:name><news:language>de</news:language></news:publication><news:publication_date>${a.publishedAt}</news:publication_date><news:title>${x(a.headline)}</news:title></news:news></url>`).join('\n');
    return xml(`<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">\n${body}\n</urlset>\n`);
  });

  app.get('/robots.txt', (c) => {
    const base = deps.publicUrl;
    const lines = ['User-agent: *', ...ROBOTS_DISALLOW.map((p) => `Disallow: ${p}`), '', `Sitemap: ${base}/sitemap.xml`, `Sitemap: ${base}/news-sitemap.xml`];
    return c.text(`${lines.join('\n')}\n`);
  });

  return app;
}
