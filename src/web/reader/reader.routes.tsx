// Reader pages: front page, sections, authors, articles and the static pages.
import { Hono } from 'hono';
import { countArticles, getAuthorBySlug, getSectionBySlug, listArticles } from '../../content/index.ts';
import { HttpError } from '../platform/app-error.ts';
import { pageNumber } from '../platform/query-params.ts';
import { renderPage, siteSections, type SiteDeps } from '../platform/render.tsx';
import { variesBy } from '../platform/public-cache.middleware.ts';
import { surrogateKeys } from '../platform/surrogate-keys.ts';
import { FrontPage, SectionPage, AuthorPage } from './listing-pages.view.tsx';
import { publishedArticleOr404, renderArticlePage, type PremiumSlot } from '../ui/article-page.view.tsx';
import { ImprintPage, PrivacyPage, TermsPage } from '../ui/simple-pages.view.tsx';

const PAGE_SIZE = 12;

export function siteRoutes(deps: SiteDeps, premiumSlot: PremiumSlot): Hono {
  const app = new Hono();

  app.get('/', async (c) => {
    surrogateKeys(c, 'front');
    const latest$ = deps.latestArticles?.(40) ?? listArticles(deps.db, { limit: 40, now: deps.now() });
    const [latest, sections] = await Promise.all([latest$, siteSections(deps)]);
    const lead = latest[0];
    const used = new Set(lead ? [lead.id] : []);
    const blocks = sections.map((section) => {
      const articles = latest.filter((a) => a.section.slug === section.slug && !used.has(a.id)).slice(0, 3);
      articles.forEach((a) => used.add(a.id));
      return { section, articles };
    });
    const base = deps.publicUrl;
    return renderPage(c, deps, {
      title: deps.site.name, description: deps.site.claim, canonical: `${base}/`,
      jsonLd: { '@context': 'https://schema.org', '@type': 'WebSite', name: deps.site.name, url: `${base}/`, potentialAction: { '@type': 'SearchAction', target: `${base}/suche?q={q}`, 'query-input': 'required name=q' } },
    }, <FrontPage data={{ lead, blocks, latest: latest.slice(0, 8) }} siteName={deps.site.name} />, { activeSection: '' });
  });

  app.get('/impressum', (c) => renderPage(c, deps, { title: 'Impressum', canonical: `${deps.publicUrl}/impressum` }, <ImprintPage siteName={deps.site.name} publisher={deps.site.publisher} />));
  app.get('/datenschutz', (c) => renderPage(c, deps, { title: 'Datenschutz', canonical: `${deps.publicUrl}/datenschutz` }, <PrivacyPage siteName={deps.site.name} />));
  app.get('/agb', (c) => renderPage(c, deps, { title: 'Nutzungsbedingungen', canonical: `${deps.publicUrl}/agb` }, <TermsPage siteName={deps.site.name} publisher={deps.site.publisher} />));

  app.get('/autor/:slug', async (c) => {
    const author = await getAuthorBySlug(deps.db, c.req.param('slug'));
    if (!author) throw new HttpError('not-found', 'Diese Autorin oder diesen Autor gibt es bei uns nicht.');
    variesBy(c, 'seite');
    surrogateKeys(c, `author:${author.slug}`);
    const page = pageNumber(c.req.query('seite'));
    const articles = await listArticles(deps.db, { limit: PAGE_SIZE + 1, offset: (page - 1) * PAGE_SIZE, authorSlug: author.slug, now: deps.now() });
    if (page > 1 && articles.length === 0) throw new HttpError('not-found', 'Diese Seite gibt es nicht.');
    const pages = page + (articles.length > PAGE_SIZE ? 1 : 0);
    return renderPage(c, deps, { title: author.name, description: `Artikel von ${author.name}`, canonical: `${deps.publicUrl}/autor/${author.slug}${page > 1 ? `?seite=${page}` : ''}` },
      <AuthorPage author={author} articles={articles.slice(0, PAGE_SIZE)} paging={{ page, pages, basePath: `/autor/${author.slug}` }} />);
  });

  app.get('/artikel/:slug', async (c) => {
    const article = await publishedArticleOr404(deps, c.req.param('slug'));
    surrogateKeys(c, `article:${article.id}`);
    return renderArticlePage(c, deps, article, article.access === 'free' ? undefined : await premiumSlot(article, c));
  });

  app.get('/:section{[a-z0-9-]+}', async (c) => {
    const section = await getSectionBySlug(deps.db, c.req.param('section'));
    if (!section) throw new HttpError('not-found', 'Diese Seite gibt es nicht.');
    variesBy(c, 'seite');
    surrogateKeys(c, `section:${section.slug}`);
    const page = pageNumber(c.req.query('seite'));
    const total = await countArticles(deps.db, { sectionSlug: section.slug, now: deps.now() });
    const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
    if (page > pages) throw new HttpError('not-found', `Das Ressort ${section.name} hat nur ${pages} Seite${pages === 1 ? '' : 'n'}.`);
    const articles = await listArticles(deps.db, { limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE, sectionSlug: section.slug, now: deps.now() });
    return renderPage(c, deps, {
      title: section.name, description: section.description || `Nachrichten aus dem Ressort ${section.name}`,
      canonical: `${deps.publicUrl}/${section.slug}${page > 1 ? `?seite=${page}` : ''}`,
      feeds: [{ title: `${deps.site.name}: ${section.name}`, href: `/${section.slug}/feed.xml` }],
    }, <SectionPage section={section} articles={articles} paging={{ page, pages, basePath: `/${section.slug}` }} />, { activeSection: section.slug });
  });

  return app;
}
