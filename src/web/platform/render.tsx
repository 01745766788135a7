// Wraps a page body in the layout; the one place that knows what every page needs from the database.
import type { Context } from 'hono';
import type { Clock } from '../../clock.ts';
import type { Child } from 'hono/jsx';
import { HtmlEscapedCallbackPhase, resolveCallback } from 'hono/utils/html';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/index.ts';
import type { DialectCapabilities } from '../../db/index.ts';
import { listSections, type Article, type ArticleSummary, type Section } from '../../content/index.ts';
import { Layout, type PageMeta } from './layout.view.tsx';
import type { SiteInfo } from './site-info.ts';
import type { AssetUrls } from './assets.ts';
import { surrogateKeys } from './surrogate-keys.ts';

export interface SiteDeps {
  db: Kysely<Database>;
  caps: DialectCapabilities;
  site: SiteInfo;
  assets: AssetUrls;
  /** the site's public origin (configured, or pinned at start); every absolute URL is built from it, never from the request */
  publicUrl: string;
  dataDir: string;
  /** the section list of the navigation, kept while the content stays the same; without it, asked per render */
  sections?: () => Promise<Section[]>;
  /**
   * The newest published articles (the front page's list), kept while the content stays the same and until the next
   * scheduled article becomes visible; without it, asked per render
   */
  latestArticles?: (limit: number) => Promise<ArticleSummary[]>;
  /**
   * A published article by slug for the public article page, kept while the content stays the same (an article once
   * published stays so as time passes); without it, asked per render. Not for the paywall's own routes.
   */
  publishedArticle?: (slug: string) => Promise<Article | undefined>;
  /** the app's clock: what is published, what the feeds and sitemaps hold */
  now: Clock;
}

/** The sections in navigation order: from the memo the app provides, or from the database. */
export const siteSections = (deps: Pick<SiteDeps, 'db' | 'sections'>): Promise<Section[]> => deps.sections?.() ?? listSections(deps.db);

/**
 * The HTML of each response renderPage made, so the page cache takes the string instead of reading the Response
 * back through a web stream (a tenth of a render's CPU). Keyed by the Response object: a middleware that replaces
 * the response (another body) is not found here and the cache reads that one.
 */
const renderedHtml = new WeakMap<Response, string>();
export const renderedHtmlOf = (res: Response): string | undefined => renderedHtml.get(res);

export async function renderPage(c: Context, deps: SiteDeps, meta: PageMeta, body: Child, o: { status?: number; activeSection?: string } = {}) {
  // every page in the layout shows the section list: a change to it (a new or renamed section) drops them all
  surrogateKeys(c, 'nav');
  const sections = await siteSections(deps);
  const node = (
    <Layout site={deps.site} sections={sections} assets={deps.assets} meta={meta} activeSection={o.activeSection}>
      {body}
    </Layout>
  );
  // what c.html does with a JSX node, done here so the string is at hand
  const html = await resolveCallback(node, HtmlEscapedCallbackPhase.Stringify, false, {});
  const res = c.html(html, (o.status ?? 200) as 200);
  renderedHtml.set(res, html);
  return res;
}
