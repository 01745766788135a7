// Wraps a page body in the layout; the one place that knows what every page needs from the database.
import type { Context } from 'hono';
import type { Clock } from '../../clock.ts';
import type { Child } from 'hono/jsx';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/index.ts';
import type { DialectCapabilities } from '../../db/index.ts';
import { listSections, type Section } from '../../content/index.ts';
import { Layout, type PageMeta } from './layout.view.tsx';
import type { SiteInfo } from './site-info.ts';
import type { AssetUrls } from './assets.ts';

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
  /** the app's clock: what is published, what the feeds and sitemaps hold */
  now: Clock;
}

/** The sections in navigation order: from the memo the app provides, or from the database. */
export const siteSections = (deps: Pick<SiteDeps, 'db' | 'sections'>): Promise<Section[]> => deps.sections?.() ?? listSections(deps.db);

export async function renderPage(c: Context, deps: SiteDeps, meta: PageMeta, body: Child, o: { status?: number; activeSection?: string } = {}) {
  const sections = await siteSections(deps);
  const html = (
    <Layout site={deps.site} sections={sections} assets={deps.assets} meta={meta} activeSection={o.activeSection}>
      {body}
    </Layout>
  );
  return c.html(html, (o.status ?? 200) as 200);
}
