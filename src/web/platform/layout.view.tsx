// The page frame every reader page shares: head with SEO meta, masthead, section navigation, footer.
import type { Child } from 'hono/jsx';
import { raw } from 'hono/html';
import type { Section } from '../../content/index.ts';
import type { SiteInfo } from './site-info.ts';
import type { AssetUrls } from './assets.ts';
import { escapeHtml } from '../../html-escape.ts';

export interface PageMeta {
  title: string;
  description?: string;
  canonical?: string;
  ogType?: 'website' | 'article';
  image?: string;
  jsonLd?: object;
  noindex?: boolean;
  feeds?: { title: string; href: string }[];
  articleMeta?: { publishedAt: string; modifiedAt: string; section: string };
}

export interface LayoutProps {
  site: SiteInfo;
  sections: Section[];
  assets: AssetUrls;
  meta: PageMeta;
  activeSection?: string;
  children: Child;
}

/** JSON for a <script type="application/ld+json">: "<" is escaped so no text can close the element. */
export const jsonForScript = (v: object): string => JSON.stringify(v).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');

const e = escapeHtml;

/**
 * The head as a string: the same bytes hono/jsx made from the former <head> element (layout.view.test.tsx renders that
 * element beside it for every kind of meta), without its per-tag metadata machinery — a tenth of the render of an article
 * the process has not seen yet (docs/decisions/027).
 */
function headMarkup(site: SiteInfo, assets: AssetUrls, meta: PageMeta): string {
  const title = meta.title === site.name ? site.name : `${meta.title} | ${site.name}`;
  let h = `<head><meta charset="utf-8"/><meta name="viewport" content="width=device-width, initial-scale=1"/><title>${e(title)}</title>`;
  if (meta.description) h += `<meta name="description" content="${e(meta.description)}"/>`;
  if (meta.canonical) h += `<link rel="canonical" href="${e(meta.canonical)}"/>`;
  if (meta.noindex) h += '<meta name="robots" content="noindex"/>';
  h += `<meta property="og:site_name" content="${e(site.name)}"/><meta property="og:locale" content="${e(site.locale)}"/>`;
  h += `<meta property="og:type" content="${e(meta.ogType ?? 'website')}"/><meta property="og:title" content="${e(meta.title)}"/>`;
  if (meta.description) h += `<meta property="og:description" content="${e(meta.description)}"/>`;
  if (meta.canonical) h += `<meta property="og:url" content="${e(meta.canonical)}"/>`;
  if (meta.image) h += `<meta property="og:image" content="${e(meta.image)}"/>`;
  h += `<meta name="twitter:card" content="${meta.image ? 'summary_large_image' : 'summary'}"/><meta name="twitter:title" content="${e(meta.title)}"/>`;
  if (meta.description) h += `<meta name="twitter:description" content="${e(meta.description)}"/>`;
  if (meta.image) h += `<meta name="twitter:image" content="${e(meta.image)}"/>`;
  if (meta.articleMeta) {
    h += `<meta property="article:published_time" content="${e(meta.articleMeta.publishedAt)}"/><meta property="article:modified_time" content="${e(meta.articleMeta.modifiedAt)}"/>`;
    h += `<meta property="article:section" content="${e(meta.articleMeta.section)}"/>`;
  }
  for (const f of meta.feeds ?? [{ title: site.name, href: '/feed.xml' }]) h += `<link rel="alternate" type="application/rss+xml" title="${e(f.title)}" href="${e(f.href)}"/>`;
  h += `<link rel="preload" href="${e(assets.fontSerifBold)}" as="font" type="font/woff2" crossorigin="anonymous"/><link rel="stylesheet" href="${e(assets.css)}"/>`;
  h += `<link rel="icon" href="${e(assets.icon)}" type="image/svg+xml"/><script src="${e(assets.js)}" defer=""></script>`;
  if (meta.jsonLd) h += `<script type="application/ld+json">${jsonForScript(meta.jsonLd)}</script>`;
  return h + '</head>';
}

/**
 * The head depends on the meta, the site and the assets alone. Most pages build their meta per request, but the
 * article page keeps one meta object per remembered article (article-page.view.tsx), so its head is rendered once
 * per article version rather than on every request (docs/decisions/027). Keyed by the meta object: one must not be
 * changed after it was rendered.
 */
const heads = new WeakMap<PageMeta, { site: SiteInfo; assets: AssetUrls; html: string }>();

export function headHtml(site: SiteInfo, assets: AssetUrls, meta: PageMeta): string {
  const kept = heads.get(meta);
  if (kept && kept.site === site && kept.assets === assets) return kept.html;
  const html = headMarkup(site, assets, meta);
  heads.set(meta, { site, assets, html });
  return html;
}

export function Layout({ site, sections, assets, meta, activeSection, children }: LayoutProps) {
  return (
    <>
      {raw('<!doctype html>')}
      <html lang="de">
        {raw(headHtml(site, assets, meta))}
        <body>
          <a class="skip-link" href="#inhalt">Zum Inhalt springen</a>
          {raw(chrome(site, sections).masthead(activeSection))}
          <main id="inhalt" class="wrap">{children}</main>
          {raw(chrome(site, sections).footer)}
        </body>
      </html>
    </>
  );
}

/**
 * Masthead and footer depend only on the site and the section list (and the masthead on the active section):
 * rendered once per section list instead of on every page. The list the app passes is kept while the content
 * stays the same, so it is the same array for many renders; a new list is a new entry and the old one is
 * collected with it.
 */
interface Chrome { masthead: (activeSection: string | undefined) => string; footer: string }
const chromes = new WeakMap<Section[], WeakMap<SiteInfo, Chrome>>();

function chrome(site: SiteInfo, sections: Section[]): Chrome {
  let bySite = chromes.get(sections);
  if (!bySite) chromes.set(sections, (bySite = new WeakMap()));
  let c = bySite.get(site);
  if (!c) {
    const mastheads = new Map<string | undefined, string>();
    c = {
      footer: String(<Footer site={site} sections={sections} />),
      masthead: (activeSection) => {
        let html = mastheads.get(activeSection);
        if (html === undefined) {
          html = String(<Masthead site={site} sections={sections} activeSection={activeSection} />);
          // Active sections come from the section list (or '' for the front page), so this stays small.
          if (mastheads.size <= sections.length + 2) mastheads.set(activeSection, html);
        }
        return html;
      },
    };
    bySite.set(site, c);
  }
  return c;
}

function Masthead({ site, sections, activeSection }: { site: SiteInfo; sections: Section[]; activeSection: string | undefined }) {
  return (
    <header class="masthead">
      <div class="masthead__bar wrap">
        <a class="masthead__search" href="/suche" aria-label="Suche">
          <svg aria-hidden="true" width="18" height="18" viewBox="0 0 24 24"><circle cx="10.5" cy="10.5" r="6.5" fill="none" stroke="currentColor" stroke-width="2.2" /><path d="M15.5 15.5 21 21" stroke="currentColor" stroke-width="2.2" stroke-linecap="round" /></svg>
          <span>Suche</span>
        </a>
        <a class="masthead__brand" href="/">
          <span class="masthead__name">{site.name}</span>
          <span class="masthead__claim">{site.claim}</span>
        </a>
        <div class="masthead__account">
          <a class="masthead__login" href="/konto" data-account-link>Anmelden</a>
          <a class="button button--plus" href="/abo">Plus-Abo</a>
        </div>
      </div>
      <nav class="sections-nav" aria-label="Ressorts">
        <ul class="wrap">
          <li><a href="/" aria-current={activeSection === '' ? 'page' : undefined}>Startseite</a></li>
          {sections.map((s) => (
            <li><a href={`/${s.slug}`} aria-current={activeSection === s.slug ? 'page' : undefined}>{s.name}</a></li>
          ))}
        </ul>
      </nav>
    </header>
  );
}

function Footer({ site, sections }: { site: SiteInfo; sections: Section[] }) {
  return (
    <footer class="site-footer">
      <div class="wrap site-footer__inner">
        <div>
          <p class="site-footer__name">{site.name}</p>
          <p>{site.claim}</p>
        </div>
        <ul class="site-footer__links">
          {sections.map((s) => <li><a href={`/${s.slug}`}>{s.name}</a></li>)}
        </ul>
        <ul class="site-footer__links">
          <li><a href="/impressum">Impressum</a></li>
          <li><a href="/datenschutz">Datenschutz</a></li>
          <li><a href="/feed.xml">RSS-Feed</a></li>
          <li><a href="/konto">Mein Konto</a></li>
          {/* § 312k BGB: the cancellation button, on every page, without login */}
          <li><a class="site-footer__cancel" href="/kuendigen">Verträge hier kündigen</a></li>
        </ul>
      </div>
      <p class="wrap site-footer__legal">© {site.publisher}. Alle Rechte vorbehalten. Diese Seite lädt keine Inhalte von Dritten.</p>
    </footer>
  );
}
