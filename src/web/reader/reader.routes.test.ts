// Reader pages through app.request(): status codes, caching headers, SEO meta, feeds — and no premium text anywhere.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { openTestStore, testEngines, type TestStore } from '../../db/test-stores.ts';
import { loadConfig, servingConfig } from '../../config.ts';
import { createApp, type KlartextApp } from '../app.tsx';
import { importDocument } from '../../content/index.ts';
import { fixtureDocument, PREMIUM_SENTENCES, writeFixtureImages } from '../../content/content.fixtures.ts';

for (const engine of testEngines()) {
  describe(`reader site on ${engine}`, () => {
    let store: TestStore;
    let k: KlartextApp;
    before(async () => {
      store = await openTestStore(engine);
      const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'klartext-site-'));
      await writeFixtureImages(dataDir);
      await importDocument(store.db, fixtureDocument(), { baseDir: dataDir, dataDir });
      const config = servingConfig(loadConfig({ KLARTEXT_DATA_DIR: dataDir, KLARTEXT_PUBLIC_URL: 'https://zeitung.example' }));
      k = createApp({ config, store, logger: pino({ level: 'silent' }), clientJs: '' });
      await k.ready;
    });
    after(async () => { await k.close(); await store.close(); });
    // the configured origin's host: any other Host is answered with 421 (src/site/public-origin.test.ts)
    const get = (p: string, headers: Record<string, string> = {}) => k.app.request(`https://zeitung.example${p}`, { headers });

    test('front page lists articles with the Plus badge', async () => {
      const res = await get('/');
      assert.equal(res.status, 200);
      const html = await res.text();
      assert.match(html, /Der Haushalt gerät ins Wanken/);
      assert.match(html, /class="badge-plus"/);
      assert.match(html, /<link rel="canonical" href="https:\/\/zeitung.example\/"/);
    });

    test('article page: kicker, teaser, byline, caption, Berlin time, JSON-LD with hasPart', async () => {
      const res = await get('/artikel/haushalt-in-not');
      assert.equal(res.status, 200);
      const html = await res.text();
      assert.match(html, /<span class="kicker"><span class="badge-plus"[^>]*>Plus<\/span>Finanzen<\/span>/);
      assert.match(html, /Das Rathaus am Markt/);
      assert.match(html, /<a href="\/autor\/ina-beispiel">Ina Beispiel<\/a>/);
      assert.match(html, /<em>heftig<\/em>/);
      const ld = JSON.parse(/<script type="application\/ld\+json">(.*?)<\/script>/s.exec(html)![1]!);
      assert.equal(ld['@type'], 'NewsArticle');
      assert.equal(ld.isAccessibleForFree, false);
      assert.equal(ld.hasPart.cssSelector, '.premium');
      assert.match(html, /property="og:type" content="article"/);
    });

    test('no premium sentence of a plus or registered article reaches a guest', async () => {
      const pages = ['/', '/artikel/haushalt-in-not', '/artikel/vereinsheim-eroeffnet', '/stadt', '/sport', '/autor/ina-beispiel', '/feed.xml', '/stadt/feed.xml', '/sitemap.xml', '/news-sitemap.xml'];
      const secret = [...PREMIUM_SENTENCES, 'Für die Mitglieder gibt es ab sofort einen eigenen Kraftraum', 'Ein Loch in der Kasse'];
      for (const p of pages) {
        const body = await (await get(p)).text();
        for (const s of secret) {
          assert.ok(!body.includes(s) && !body.includes(s.replace(/ä/g, '&auml;')), `${p} leaks “${s}”`);
        }
      }
    });

    test('public pages are cacheable with a strong ETag, 304 and compression', async () => {
      const first = await get('/kultur', { 'accept-encoding': 'br, gzip' });
      assert.equal(first.status, 200);
      assert.match(first.headers.get('cache-control')!, /public.*s-maxage=\d+.*stale-while-revalidate=\d+/);
      assert.equal(first.headers.get('content-encoding'), 'br');
      const etag = first.headers.get('etag')!;
      assert.match(etag, /^"[^"]+"$/);
      const again = await get('/kultur', { 'if-none-match': etag });
      assert.equal(again.status, 304);
      const gz = await get('/kultur', { 'accept-encoding': 'gzip' });
      assert.equal(gz.headers.get('content-encoding'), 'gzip');
      assert.equal(gz.headers.get('etag'), etag);
    });

    test('unknown article, section and author give the 404 page in the layout', async () => {
      for (const p of ['/artikel/gibt-es-nicht', '/gibt-es-nicht', '/autor/niemand', '/x/y/z']) {
        const res = await get(p);
        assert.equal(res.status, 404, p);
        const html = await res.text();
        assert.match(html, /Seite nicht gefunden/);
        assert.match(html, /class="sections-nav"/);
        assert.equal(res.headers.get('cache-control'), 'no-store');
      }
    });

    test('malformed page numbers are a 400 naming the parameter', async () => {
      for (const q of ['abc', '0', '-1', '1.5', '99999999']) {
        const res = await get(`/stadt?seite=${q}`);
        assert.equal(res.status, 400, q);
        assert.match(await res.text(), /Parameter „seite“/);
      }
      assert.equal((await get('/stadt?seite=7')).status, 404);
    });

    test('feeds are RSS 2.0 with teasers, the news sitemap holds the last 48 hours', async () => {
      const feed = await (await get('/feed.xml')).text();
      assert.match(feed, /<rss version="2.0"/);
      assert.match(feed, /<description>Die Stadt muss sparen, doch wo genau, ist umstritten.<\/description>/);
      const section = await (await get('/kultur/feed.xml')).text();
      assert.match(section, /Stadtfest am Wochenende/);
      assert.doesNotMatch(section, /Haushalt/);
      const news = await (await get('/news-sitemap.xml')).text();
      assert.match(news, /haushalt-in-not/);
      assert.match(news, /stadtfest-am-wochenende/);
      assert.doesNotMatch(news, /vereinsheim-eroeffnet/);
      assert.equal((await get('/gibtsnicht/feed.xml')).status, 404);
    });

    test('robots.txt keeps crawlers off every private page, not off public ones, and names both sitemaps', async () => {
      const res = await get('/robots.txt');
      assert.equal(res.status, 200);
      const robots = await res.text();
      const rules = [...robots.matchAll(/^Disallow: (.+)$/gm)].map((m) => m[1]!);
      // how Google and Bing read a rule: a prefix of path and query, `*` any run of characters, `$` the end
      const disallowed = (url: string) => rules.some((r) => new RegExp(`^${r.replace(/[.?+^()[\]{}|\\]/g, '\\$&').replace(/\*/g, '.*')}`).test(url));
      for (const p of ['/konto', '/konto/sitzungen', '/anmelden', '/registrieren', '/passwort-vergessen', '/abmelden', '/api/me', '/api/unlock',
        '/suche', '/suche?q=Haushalt', '/artikel/haushalt-in-not/klartext', '/artikel/haushalt-in-not/verschenken']) {
        assert.ok(disallowed(p), `${p} is not disallowed`);
      }
      for (const p of ['/', '/artikel/haushalt-in-not', '/kultur', '/kultur/feed.xml', '/autor/ina-beispiel', '/abo', '/feed.xml', '/sitemap.xml']) {
        assert.ok(!disallowed(p), `${p} is disallowed`);
      }
      assert.match(robots, /^Sitemap: https:\/\/zeitung\.example\/sitemap\.xml$/m);
      assert.match(robots, /^Sitemap: https:\/\/zeitung\.example\/news-sitemap\.xml$/m);
    });

    test('security headers: CSP without inline script, nosniff, frame denial', async () => {
      const res = await get('/');
      assert.match(res.headers.get('content-security-policy')!, /script-src 'self'(;|$)/);
      assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
      const html = await res.text();
      assert.doesNotMatch(html, /<script(?![^>]*(src=|type="application\/ld\+json"))[^>]*>/);
    });

    test('without a configured public URL pages link to the pinned origin, and a forged Host is refused', async (t) => {
      const config = servingConfig(loadConfig({ KLARTEXT_DATA_DIR: os.tmpdir() }), 4321);
      const open = createApp({ config, store, logger: pino({ level: 'silent' }), clientJs: '' });
      t.after(() => open.close());
      const forged = await open.app.request('http://evil.example/kultur');
      assert.equal(forged.status, 421);
      assert.doesNotMatch(await forged.text(), /evil\.example/);
      const local = await (await open.app.request('http://127.0.0.1:4321/kultur')).text();
      assert.match(local, /<link rel="canonical" href="http:\/\/localhost:4321\/kultur"/);
    });

    test('random query parameters neither grow the page cache nor miss the cached page', async () => {
      k.pageCache.clear();
      await get('/kultur');
      await get('/');
      for (let i = 0; i < 1000; i++) {
        const res = await get(`${i % 2 ? '/kultur' : '/'}?x=${i}`);
        assert.equal(res.status, 200);
        assert.equal(res.headers.get('x-cache'), 'hit', `request ${i}`);
      }
      assert.equal(k.pageCache.size, 2);
      assert.equal((await get('/k%75ltur?x=1')).headers.get('x-cache'), 'hit', 'a percent-encoded spelling is the same page');
      // a parameter the page reads is part of the key: the old ?seite=1 is a redirect to the plain address, never the page
      const old = await get('/kultur?seite=1&x=1');
      assert.equal(old.status, 301);
      assert.equal(old.headers.get('location'), '/kultur');
      assert.equal((await get('/kultur?x=2&seite=1')).status, 301);
      assert.equal(k.pageCache.size, 2);
      // before the path has been rendered, a request with parameters stores the page under the path alone
      k.pageCache.clear();
      const first = await get('/stadt?utm_source=x');
      assert.equal(first.headers.get('x-cache'), 'miss');
      assert.equal((await get('/stadt')).headers.get('x-cache'), 'hit');
      assert.equal(k.pageCache.size, 1);
    });

    test('an edited headline reaches the front page and its teaser once the content changed (nothing rendered is kept stale)', async () => {
      assert.match(await (await get('/')).text(), /Der Haushalt gerät ins Wanken/);
      const doc = fixtureDocument();
      const first = doc.articles.find((a) => a.slug === 'haushalt-in-not')!;
      const dataDir = (await fs.mkdtemp(path.join(os.tmpdir(), 'klartext-site-edit-')));
      await writeFixtureImages(dataDir);
      await importDocument(store.db, { articles: [{ ...first, headline: 'Der Haushalt ist gerettet' }] }, { baseDir: dataDir, dataDir });
      await k.contentChanges.poll(); // what the feed does by itself within a second (at once on PostgreSQL), without waiting for it
      const html = await (await get('/')).text();
      assert.match(html, /Der Haushalt ist gerettet/);
      assert.doesNotMatch(html, /Der Haushalt gerät ins Wanken/);
    });

    test('healthz answers with the database', async () => {
      const res = await get('/healthz');
      assert.equal(res.status, 200);
      assert.deepEqual(await res.json(), { status: 'ok', database: store.caps.name });
    });
  });
}
