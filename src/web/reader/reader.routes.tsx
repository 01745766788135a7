// Reader pages: front page, sections, authors, articles and the static pages.
import { Hono } from 'hono';
import { getAuthorBySlug, getSectionBySlug, listArticles } from '../../content/index.ts';
import { HttpError } from '../platform/app-error.ts';
import { renderPage, siteSections, type SiteDeps } from '../platform/render.tsx';
import { surrogateKeys } from '../platform/surrogate-keys.ts';
import { FrontPage, SectionPage, AuthorPage } from './listing-pages.view.tsx';
import { publishedArticleOr404, renderArticlePage, type PremiumSlot } from '../ui/article-page.view.tsx';
import { ImprintPage, PrivacyPage, TermsPage } from '../ui/simple-pages.view.tsx';
import { readListing } from './listing-paging.ts';

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
    surrogateKeys(c, `author:${author.slug}`);
    const basePath = `/autor/${author.slug}`;
    const listing = await readListing(c, deps, { authorSlug: author.slug, now: deps.now() }, basePath, 'Diese Seite gibt es nicht (mehr).');
    if ('redirect' in listing) return c.redirect(listing.redirect, listing.status);
    return renderPage(c, deps, { title: author.name, description: `Artikel von ${author.name}`, canonical: `${deps.publicUrl}${listing.paging.self}` },
      <AuthorPage author={author} articles={listing.articles} paging={listing.paging} />);
  });

  app.get('/artikel/:slug', async (c) => {
    const article = await publishedArticleOr404(deps, c.req.param('slug'));
    surrogateKeys(c, `article:${article.id}`);
    return renderArticlePage(c, deps, article, article.access === 'free' ? undefined : await premiumSlot(article, c));
  });

  app.get('/:section{[a-z0-9-]+}', async (c) => {
    const section = await getSectionBySlug(deps.db, c.req.param('section'));
    if (!section) throw new HttpError('not-found', 'Diese Seite gibt es nicht.');
    surrogateKeys(c, `section:${section.slug}`);
    const basePath = `/${section.slug}`;
    const listing = await readListing(c, deps, { sectionId: section.id, now: deps.now() }, basePath,
      `Diese Seite des Ressorts ${section.name} gibt es nicht (mehr).`);
    if ('redirect' in listing) return c.redirect(listing.redirect, listing.status);
    return renderPage(c, deps, {
      title: section.name, description: section.description || `Nachrichten aus dem Ressort ${section.name}`,
      canonical: `${deps.publicUrl}${listing.paging.self}`,
      feeds: [{ title: `${deps.site.name}: ${section.name}`, href: `/${section.slug}/feed.xml` }],
    }, <SectionPage section={section} articles={listing.articles} paging={listing.paging} />, { activeSection: section.slug });
  });

  return app;
}
