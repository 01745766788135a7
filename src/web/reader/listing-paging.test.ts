// Section and author pages by keyset: every article exactly once walking older and newer, old ?seite=N links redirected, bad cursors refused.
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
import type { InterchangeDocument } from '../../content/interchange.schema.ts';

const ARTICLES = 31; // two full pages of 12 and a third of 7
const base = Date.parse('2026-03-01T08:00:00.000Z');

function archive(): InterchangeDocument {
  return {
    articles: Array.from({ length: ARTICLES }, (_, i) => ({
      slug: `archiv-${String(i).padStart(2, '0')}`, section: 'stadt', kicker: '', headline: `Archivmeldung ${i}`, teaser: `Meldung Nummer ${i}.`,
      access: 'free' as const,
      // three articles share one second, each: the id decides their order, and no page may drop or repeat one
      publishedAt: new Date(base + Math.floor(i / 3) * 86_400_000).toISOString(), authors: ['Ina Beispiel'],
      blocks: [{ type: 'paragraph' as const, text: `Text ${i}.` }],
    })).concat([{
      slug: 'kultur-eins', section: 'kultur', kicker: '', headline: 'Kulturmeldung', teaser: 'Eine Meldung aus der Kultur.', access: 'free' as const,
      publishedAt: new Date(base).toISOString(), authors: [], blocks: [{ type: 'paragraph' as const, text: 'Kultur.' }],
    }]),
  };
}

const slugsOf = (html: string) => [...html.matchAll(/href="\/artikel\/(archiv-\d+)"/g)].map((m) => m[1]!).filter((s, i, all) => all.indexOf(s) === i);
const linkOf = (html: string, rel: 'prev' | 'next') => new RegExp(`<a href="([^"]+)" rel="${rel}"`).exec(html)?.[1]?.replace(/&amp;/g, '&');

for (const engine of testEngines()) {
  describe(`listing pages by keyset on ${engine}`, () => {
    let store: TestStore;
    let k: KlartextApp;
    before(async () => {
      store = await openTestStore(engine);
      const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'klartext-paging-'));
      await importDocument(store.db, archive(), { baseDir: dataDir, dataDir });
      const config = servingConfig(loadConfig({ KLARTEXT_DATA_DIR: dataDir, KLARTEXT_PUBLIC_URL: 'https://zeitung.example' }));
      k = createApp({ config, store, logger: pino({ level: 'silent' }), clientJs: '', now: () => new Date('2026-06-01T00:00:00Z') });
      await k.ready;
    });
    after(async () => { await k.close(); await store.close(); });
    const get = (p: string) => k.app.request(`https://zeitung.example${p}`);

    for (const basePath of ['/stadt', '/autor/ina-beispiel']) {
      test(`${basePath}: older links walk every article once, newest first, and newer links walk back the same pages`, async () => {
        const pages: { url: string; slugs: string[] }[] = [];
        for (let url: string | undefined = basePath; url; ) {
          const res = await get(url);
          assert.equal(res.status, 200, url);
          const html = await res.text();
          pages.push({ url, slugs: slugsOf(html) });
          assert.match(html, new RegExp(`<link rel="canonical" href="https://zeitung.example${url.replace(/[?]/g, '\\?')}"`));
          url = linkOf(html, 'next');
        }
        const expected = Array.from({ length: ARTICLES }, (_, i) => `archiv-${String(i).padStart(2, '0')}`).reverse();
        const seen = pages.flatMap((p) => p.slugs);
        // within one second the order is by id, not by slug: compare as sets per day, and as a whole list without repeats
        assert.equal(seen.length, ARTICLES);
        assert.deepEqual([...seen].sort(), [...expected].sort());
        assert.deepEqual(pages.map((p) => p.slugs.length), [12, 12, 7]);
        for (let i = 1; i < seen.length; i++) assert.ok(Number(seen[i - 1]!.slice(7)) / 3 >= Math.floor(Number(seen[i]!.slice(7)) / 3), 'newest first');
        assert.match(pages[1]!.url, /\?vor=2026-\d\d-\d\dT08:00:00\.000Z_[A-Za-z0-9_-]+$/);
        // back from the last page: the same pages, the first one at the plain address
        const last = await (await get(pages[2]!.url)).text();
        assert.equal(linkOf(last, 'prev'), pages[1]!.url);
        const middle = await (await get(pages[1]!.url)).text();
        assert.equal(linkOf(middle, 'prev'), basePath);
        assert.match(middle, /Artikel vom \d+\. \p{L}+ 2026( – \d+\. \p{L}+ 2026)?/u);
        assert.equal(linkOf(await (await get(basePath)).text(), 'prev'), undefined);
      });
    }

    test('old ?seite=N links are redirected to the page that now shows those articles; page 1 to the plain address', async () => {
      const first = await (await get('/stadt')).text();
      const second = linkOf(first, 'next')!;
      const res = await get('/stadt?seite=2');
      assert.equal(res.status, 302);
      assert.equal(res.headers.get('location'), second);
      const one = await get('/stadt?seite=1');
      assert.equal(one.status, 301);
      assert.equal(one.headers.get('location'), '/stadt');
      assert.equal((await get('/stadt?seite=3')).status, 302);
      assert.equal((await get('/stadt?seite=4')).status, 404);
      assert.equal((await get('/autor/ina-beispiel?seite=3')).status, 302);
    });

    test('a malformed cursor is a 400 naming „vor“; a well-formed one naming no article of the listing is a 404, never stored', async () => {
      const valid = linkOf(await (await get('/stadt')).text(), 'next')!.split('=')[1]!;
      for (const bad of ['abc', '2026-03-01', '2026-03-01T08:00:00Z_abc', '2026-13-01T08:00:00.000Z_abc', `${valid}%00`, `${valid.split('_')[0]}_`, '2026-03-01T08:00:00.000Z_a%20b']) {
        const res = await get(`/stadt?vor=${bad}`);
        assert.equal(res.status, 400, bad);
        assert.match(await res.text(), /Parameter „vor“/);
      }
      k.pageCache.clear();
      const [at, id] = [valid.slice(0, 24), valid.slice(25)];
      for (const other of [`${at}_gibtesnicht`, `2026-03-02T08:00:00.000Z_${id}`, `${at}_${id}x`]) {
        assert.equal((await get(`/stadt?vor=${other}`)).status, 404, other);
      }
      // the article exists but not in this section: no page of it
      assert.equal((await get(`/kultur?vor=${valid}`)).status, 404);
      assert.equal(k.pageCache.size, 0);
      // the real cursor's page is stored, under one key however the colons are spelled
      assert.equal((await get(`/stadt?vor=${valid}`)).headers.get('x-cache'), 'miss');
      assert.equal((await get(`/stadt?vor=${valid.replace(/:/g, '%3A')}&utm=1`)).headers.get('x-cache'), 'hit');
    });
  });
}
