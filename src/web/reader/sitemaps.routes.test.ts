// The sitemap index and its files: every published article in exactly one file, no file over the limit, nothing scheduled.
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
import { sitemapRoutes } from './sitemaps.routes.ts';

const NOW = new Date('2026-05-10T12:00:00.000Z');
// five in January (three parts of two), one in February, none in March, two in April, one scheduled for June
const DATES = ['2026-01-03', '2026-01-09', '2026-01-15', '2026-01-20', '2026-01-31T23:59:59', '2026-02-01', '2026-04-02', '2026-04-30', '2026-06-01'];

const article = (d: string, i: number) => ({
  slug: `meldung-${i}`, section: i % 2 ? 'stadt' : 'sport', kicker: '', headline: `Meldung ${i}`, teaser: 'Kurz.', access: 'free' as const,
  publishedAt: new Date(d.includes('T') ? `${d}Z` : `${d}T09:00:00Z`).toISOString(), authors: i === 0 ? ['Ina Beispiel'] : [],
  blocks: [{ type: 'paragraph' as const, text: 'Text.' }],
});

const locs = (xml: string) => [...xml.matchAll(/<loc>([^<]+)<\/loc>/g)].map((m) => m[1]!.replace('https://zeitung.example', ''));

for (const engine of testEngines()) {
  describe(`sitemaps on ${engine}`, () => {
    let store: TestStore;
    let k: KlartextApp;
    before(async () => {
      store = await openTestStore(engine);
      const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'klartext-sitemaps-'));
      await importDocument(store.db, { articles: DATES.map(article) }, { baseDir: dataDir, dataDir });
      const config = servingConfig(loadConfig({ KLARTEXT_DATA_DIR: dataDir, KLARTEXT_PUBLIC_URL: 'https://zeitung.example' }));
      k = createApp({ config, store, logger: pino({ level: 'silent' }), clientJs: '', now: () => NOW });
      await k.ready;
    });
    after(async () => { await k.close(); await store.close(); });
    const get = (p: string) => k.app.request(`https://zeitung.example${p}`);

    test('with a limit of two URLs per file: an index of month files split into parts, each article in exactly one, none scheduled', async () => {
      const small = sitemapRoutes({ db: store.db, publicUrl: 'https://zeitung.example', now: () => NOW }, { urlsPerFile: 2 });
      const index = await (await small.request('/sitemap.xml')).text();
      assert.match(index, /^<\?xml version="1.0" encoding="UTF-8"\?>\n<sitemapindex xmlns="http:\/\/www.sitemaps.org\/schemas\/sitemap\/0.9">/);
      const files = locs(index);
      assert.deepEqual(files, ['/sitemaps/seiten.xml', '/sitemaps/artikel-2026-01.xml', '/sitemaps/artikel-2026-01-2.xml', '/sitemaps/artikel-2026-01-3.xml',
        '/sitemaps/artikel-2026-02.xml', '/sitemaps/artikel-2026-04.xml']);
      const articles: string[] = [];
      for (const f of files.slice(1)) {
        const res = await small.request(f);
        assert.equal(res.status, 200, f);
        const urls = locs(await res.text());
        assert.ok(urls.length >= 1 && urls.length <= 2, `${f}: ${urls.length} URLs`);
        articles.push(...urls);
      }
      assert.deepEqual(articles, DATES.slice(0, 8).map((_, i) => `/artikel/meldung-${i}`));
      assert.match(index, /<sitemap><loc>https:\/\/zeitung.example\/sitemaps\/artikel-2026-04.xml<\/loc><lastmod>2026-04-30T09:00:00.000Z<\/lastmod><\/sitemap>/);
    });

    test('every file the index names answers, the pages file lists front, sections and authors; other names are 404', async () => {
      const index = await get('/sitemap.xml');
      assert.equal(index.status, 200);
      assert.equal(index.headers.get('surrogate-key'), 'sitemaps');
      const files = locs(await index.text());
      assert.deepEqual(files, ['/sitemaps/seiten.xml', '/sitemaps/artikel-2026-01.xml', '/sitemaps/artikel-2026-02.xml', '/sitemaps/artikel-2026-04.xml']);
      for (const f of files) {
        const res = await get(f);
        assert.equal(res.status, 200, f);
        assert.equal(res.headers.get('content-type'), 'application/xml; charset=utf-8');
      }
      assert.deepEqual(locs(await (await get('/sitemaps/seiten.xml')).text()), ['/', '/sport', '/stadt', '/autor/ina-beispiel']);
      assert.equal(locs(await (await get('/sitemaps/artikel-2026-01.xml')).text()).length, 5);
      for (const p of ['/sitemaps/artikel-2026-03.xml', '/sitemaps/artikel-2026-06.xml', '/sitemaps/artikel-2026-01-2.xml', '/sitemaps/artikel-2026-13.xml',
        '/sitemaps/artikel-2026-01-1.xml', '/sitemaps/artikel-2026-01-0.xml', '/sitemaps/alles.xml']) {
        assert.equal((await get(p)).status, 404, p);
      }
    });
  });
}
