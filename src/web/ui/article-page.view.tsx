// The article page: header, lead image, free blocks, then the premium part supplied by the caller.
import type { Context } from 'hono';
import type { Child } from 'hono/jsx';
import { raw } from 'hono/html';
import { freeBlocks, getArticleBySlug, renderInline, type Article, type Block } from '../../content/index.ts';
import { HttpError } from '../platform/app-error.ts';
import { renderPage, type SiteDeps } from '../platform/render.tsx';
import type { PageMeta } from '../platform/layout.view.tsx';
import { AccessBadge, Picture, jpegUrl } from './teaser.view.tsx';
import { berlinDateTime } from '../platform/site-info.ts';

function BlockView({ b }: { b: Block }) {
  switch (b.type) {
    case 'paragraph': return <p>{raw(renderInline(b.text))}</p>;
    case 'subheading': return <h2>{b.text}</h2>;
    case 'question': return <p class="question">{raw(renderInline(b.text))}</p>;
    case 'answer': return <p class="answer"><span class="speaker">{b.speaker}:</span> {raw(renderInline(b.text))}</p>;
    case 'quote': return <blockquote><p>{raw(renderInline(b.text))}</p>{b.by && <footer>— {b.by}</footer>}</blockquote>;
    case 'image': return (
      <figure class="figure">
        <Picture image={b} sizes="(max-width: 800px) 100vw, 760px" />
        {(b.caption || b.credit) && <figcaption>{b.caption} {b.credit && <span class="credit">{b.credit}</span>}</figcaption>}
      </figure>
    );
  }
}

export function Blocks({ blocks }: { blocks: Block[] }) {
  return <>{blocks.map((b) => <BlockView b={b} />)}</>;
}

/** The escaped HTML of blocks, for the encrypted premium payload and the no-JS plain-text page. */
export function blocksHtml(blocks: Block[]): string {
  return String(<Blocks blocks={blocks} />);
}

/** The article's markup before and after the premium part: header, lead image and free blocks, then the footer. */
function ArticleTop({ article: a }: { article: Article }) {
  return (
    <>
      <header class="article__header">
        <span class="kicker"><AccessBadge access={a.access} />{a.kicker || a.section.name}</span>
        <h1 class="article__headline">{a.headline}</h1>
        {a.teaser && <p class="article__teaser">{a.teaser}</p>}
        <div class="article__byline">
          {a.authors.length > 0 && (
            <span>Von {a.authors.map((x, i) => <>{i > 0 && (i === a.authors.length - 1 ? ' und ' : ', ')}<a href={`/autor/${x.slug}`}>{x.name}</a></>)}</span>
          )}
          <time datetime={a.publishedAt}>{berlinDateTime(a.publishedAt)}</time>
          {a.updatedAt > a.publishedAt && Date.parse(a.updatedAt) - Date.parse(a.publishedAt) > 3600_000 && <span>Aktualisiert: {berlinDateTime(a.updatedAt)}</span>}
          <a href={`/${a.section.slug}`}>{a.section.name}</a>
        </div>
      </header>
      {a.image && (
        <figure class="figure">
          <Picture image={a.image} eager sizes="(max-width: 800px) 100vw, 760px" />
          <figcaption>{a.image.caption} {a.image.credit && <span class="credit">{a.image.credit}</span>}</figcaption>
        </figure>
      )}
    </>
  );
}

/**
 * The article's own markup around the premium part depends on the article alone, so it is rendered once per article
 * object: the app's memo of published articles hands the same object to every render until the article changes, and a
 * changed article is a new object (docs/decisions/027). Other callers pass fresh objects, which simply render once.
 */
const articleMarkup = new WeakMap<Article, { top: string; free: string; bottom: string }>();

function markupOf(a: Article) {
  let m = articleMarkup.get(a);
  if (!m) {
    m = {
      top: String(<ArticleTop article={a} />),
      free: blocksHtml(freeBlocks(a)),
      bottom: String(<footer class="article__footer">Mehr aus dem Ressort <a href={`/${a.section.slug}`}>{a.section.name}</a></footer>),
    };
    articleMarkup.set(a, m);
  }
  return m;
}

export function ArticlePage({ article, premium }: { article: Article; premium?: Child }) {
  const m = markupOf(article);
  return (
    // id and access level for the page script's view beacon: the same for every reader, like the rest of the page
    <article class="article" data-article-id={article.id} data-access={article.access}>
      {raw(m.top)}
      <div class="article__body">
        {raw(m.free)}
        {premium}
      </div>
      {raw(m.bottom)}
    </article>
  );
}

export function articleJsonLd(a: Article, baseUrl: string, publisher: string): object {
  return {
    '@context': 'https://schema.org',
    '@type': 'NewsArticle',
    headline: a.headline,
    description: a.teaser,
    datePublished: a.publishedAt,
    dateModified: a.updatedAt,
    articleSection: a.section.name,
    mainEntityOfPage: `${baseUrl}/artikel/${a.slug}`,
    ...(a.image ? { image: [`${baseUrl}${jpegUrl(a.image)}`] } : {}),
    author: a.authors.map((x) => ({ '@type': 'Person', name: x.name, url: `${baseUrl}/autor/${x.slug}` })),
    publisher: { '@type': 'Organization', name: publisher },
    isAccessibleForFree: a.access === 'free',
    ...(a.access === 'free' ? {} : { hasPart: { '@type': 'WebPageElement', isAccessibleForFree: false, cssSelector: '.premium' } }),
  };
}

/** Renders what stands where the premium blocks would be; the paywall supplies it (and names the surrogate keys it shows on `c`). */
export type PremiumSlot = (article: Article, c?: Context) => Promise<Child> | Child;

export async function articleOr404(deps: Pick<SiteDeps, 'db' | 'now'>, slug: string): Promise<Article> {
  return found(await getArticleBySlug(deps.db, slug, { now: deps.now() }));
}

/** articleOr404 through the app's memo of published articles, for the public article page only. */
export async function publishedArticleOr404(deps: Pick<SiteDeps, 'db' | 'now' | 'publishedArticle'>, slug: string): Promise<Article> {
  return deps.publishedArticle ? found(await deps.publishedArticle(slug)) : articleOr404(deps, slug);
}

function found(article: Article | undefined): Article {
  if (!article) throw new HttpError('not-found', 'Diesen Artikel gibt es nicht (mehr). Vielleicht finden Sie ihn über die Suche.');
  return article;
}

/**
 * The article page with `premium` where the premium blocks stand: the paywall for the cached page, the plain
 * text for verified crawlers and the no-JS reading page. `noindex` pages point their canonical at the article.
 */
/** The page meta of an article: built once per article object (see articleMarkup), so the layout can keep its head too. */
const articleMetas = new WeakMap<Article, { base: string; site: SiteDeps['site']; meta: PageMeta }>();

function articleMeta(deps: SiteDeps, article: Article): PageMeta {
  const base = deps.publicUrl;
  const kept = articleMetas.get(article);
  if (kept && kept.base === base && kept.site === deps.site) return kept.meta;
  const meta: PageMeta = {
    // The SEO fields, when the newsroom set them, speak to search engines and link previews; the page shows the headline.
    title: article.seoTitle || article.headline, description: article.seoDescription || article.teaser, canonical: `${base}/artikel/${article.slug}`, ogType: 'article',
    ...(article.image ? { image: `${base}${jpegUrl(article.image)}` } : {}),
    jsonLd: articleJsonLd(article, base, deps.site.publisher),
    articleMeta: { publishedAt: article.publishedAt, modifiedAt: article.updatedAt, section: article.section.name },
    feeds: [{ title: deps.site.name, href: '/feed.xml' }, { title: `${deps.site.name}: ${article.section.name}`, href: `/${article.section.slug}/feed.xml` }],
  };
  articleMetas.set(article, { base, site: deps.site, meta });
  return meta;
}

/**
 * The article page with `premium` where the premium blocks stand: the paywall for the cached page, the plain
 * text for verified crawlers and the no-JS reading page. `noindex` pages point their canonical at the article.
 */
export function renderArticlePage(c: Context, deps: SiteDeps, article: Article, premium: Child | undefined, o: { noindex?: boolean; status?: number } = {}) {
  const meta = articleMeta(deps, article);
  return renderPage(c, deps, o.noindex ? { ...meta, noindex: true } : meta,
    <ArticlePage article={article} premium={premium} />, { activeSection: article.section.slug, ...(o.status ? { status: o.status } : {}) });
}
