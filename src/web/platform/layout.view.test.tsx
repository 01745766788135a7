// The page head is built as a string: it must be byte for byte what hono/jsx makes of the <head> element it replaced.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { raw } from 'hono/html';
import { headHtml, jsonForScript, type PageMeta } from './layout.view.tsx';
import { DEFAULT_SITE, type SiteInfo } from './site-info.ts';
import type { AssetUrls } from './assets.ts';

/** The <head> element as layout.view.tsx rendered it with hono/jsx before it became a string (the reference). */
function JsxHead({ site, assets, meta }: { site: SiteInfo; assets: AssetUrls; meta: PageMeta }) {
  const title = meta.title === site.name ? site.name : `${meta.title} | ${site.name}`;
  return (
    <head>
      <meta charset="utf-8" />
      <meta name="viewport" content="width=device-width, initial-scale=1" />
      <title>{title}</title>
      {meta.description && <meta name="description" content={meta.description} />}
      {meta.canonical && <link rel="canonical" href={meta.canonical} />}
      {meta.noindex && <meta name="robots" content="noindex" />}
      <meta property="og:site_name" content={site.name} />
      <meta property="og:locale" content={site.locale} />
      <meta property="og:type" content={meta.ogType ?? 'website'} />
      <meta property="og:title" content={meta.title} />
      {meta.description && <meta property="og:description" content={meta.description} />}
      {meta.canonical && <meta property="og:url" content={meta.canonical} />}
      {meta.image && <meta property="og:image" content={meta.image} />}
      <meta name="twitter:card" content={meta.image ? 'summary_large_image' : 'summary'} />
      <meta name="twitter:title" content={meta.title} />
      {meta.description && <meta name="twitter:description" content={meta.description} />}
      {meta.image && <meta name="twitter:image" content={meta.image} />}
      {meta.articleMeta && <meta property="article:published_time" content={meta.articleMeta.publishedAt} />}
      {meta.articleMeta && <meta property="article:modified_time" content={meta.articleMeta.modifiedAt} />}
      {meta.articleMeta && <meta property="article:section" content={meta.articleMeta.section} />}
      {(meta.feeds ?? [{ title: site.name, href: '/feed.xml' }]).map((f) => <link rel="alternate" type="application/rss+xml" title={f.title} href={f.href} />)}
      <link rel="preload" href={assets.fontSerifBold} as="font" type="font/woff2" crossorigin="anonymous" />
      <link rel="stylesheet" href={assets.css} />
      <link rel="icon" href={assets.icon} type="image/svg+xml" />
      <script src={assets.js} defer></script>
      {meta.jsonLd && <script type="application/ld+json">{raw(jsonForScript(meta.jsonLd))}</script>}
    </head>
  );
}

const ASSETS: AssetUrls = { css: '/assets/site.1.css', js: '/assets/klartext.2.js', editor: '/assets/editor.3.js', icon: '/assets/icon.4.svg', fontSerifBold: '/assets/font.5.woff2' };
const NASTY = `Tom & Jerry's „Zitat“ <b>"fett"</b> — Grüße ß`;

const metas: PageMeta[] = [
  { title: DEFAULT_SITE.name },
  { title: 'Impressum', canonical: 'https://zeitung.example/impressum' },
  { title: 'Fehler', noindex: true },
  { title: NASTY, description: NASTY, canonical: `https://zeitung.example/artikel/x?a=1&b="2"`, ogType: 'article', image: `https://zeitung.example/bilder/a-1200.jpg?x=<y>`,
    jsonLd: { '@type': 'NewsArticle', headline: '</script><script>alert(1)</script>', text: 'Zeile\u2028Trenner' }, noindex: true,
    feeds: [{ title: NASTY, href: '/feed.xml' }, { title: `Kreisbote: "Stadt"`, href: '/stadt/feed.xml?a&b' }],
    articleMeta: { publishedAt: '2026-11-28T05:00:00.000Z', modifiedAt: '2026-11-28T06:00:00.000Z', section: `Kultur & "Freizeit"` } },
  { title: 'Leer', description: '', canonical: '', image: '', feeds: [] },
  { title: 'Ohne Bild', description: 'Eine Beschreibung', ogType: 'website', articleMeta: { publishedAt: 'a', modifiedAt: 'b', section: 'c' } },
];
const sites: SiteInfo[] = [DEFAULT_SITE, { name: `Bote & "Blatt"`, claim: 'x', locale: 'de_AT', publisher: `O'Verlag` }];

test('the head string is byte for byte the <head> hono/jsx renders, for every kind of meta and text that needs escaping', () => {
  for (const site of sites) {
    for (const meta of metas) {
      assert.equal(headHtml(site, ASSETS, { ...meta }), String(<JsxHead site={site} assets={ASSETS} meta={meta} />), `${site.name} / ${meta.title}`);
    }
  }
});

test('a kept head is given again for the same meta object, and made anew for another site or other assets', () => {
  const meta: PageMeta = { title: 'Artikel', canonical: 'https://zeitung.example/artikel/a' };
  const first = headHtml(DEFAULT_SITE, ASSETS, meta);
  assert.equal(headHtml(DEFAULT_SITE, ASSETS, meta), first);
  assert.match(headHtml(sites[1]!, ASSETS, meta), /<title>Artikel \| Bote &amp; &quot;Blatt&quot;<\/title>/);
  assert.match(headHtml(DEFAULT_SITE, { ...ASSETS, css: '/assets/site.9.css' }, meta), /href="\/assets\/site\.9\.css"/);
});
