// With the page cache off, the article page keeps its markup, meta and head per remembered article (decision 027):
// an edited article must show its new text everywhere at once, and the no-JS page's noindex must not leak into the public page.
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
import { fixtureDocument, writeFixtureImages } from '../../content/content.fixtures.ts';

for (const engine of testEngines()) {
  describe(`article page rendered with the page cache off on ${engine}`, () => {
    let store: TestStore;
    let k: KlartextApp;
    let dataDir: string;
    before(async () => {
      store = await openTestStore(engine);
      dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'klartext-article-render-'));
      await writeFixtureImages(dataDir);
      await importDocument(store.db, fixtureDocument(), { baseDir: dataDir, dataDir });
      const config = servingConfig(loadConfig({ KLARTEXT_DATA_DIR: dataDir, KLARTEXT_PUBLIC_URL: 'https://zeitung.example', KLARTEXT_PAGE_CACHE_SECONDS: '0' }));
      k = createApp({ config, store, logger: pino({ level: 'silent' }), clientJs: '' });
      await k.ready;
    });
    after(async () => { await k.close(); await store.close(); });
    const get = async (p: string) => {
      const res = await k.app.request(`https://zeitung.example${p}`);
      assert.notEqual(res.headers.get('x-cache'), 'hit', 'the page cache is off');
      return { status: res.status, html: await res.text() };
    };

    test('the same article renders to the same bytes again, and its no-JS page (noindex) leaves the public page as it was', async () => {
      for (const slug of ['haushalt-in-not', 'stadtfest-am-wochenende']) {
        const first = await get(`/artikel/${slug}`);
        assert.equal(first.status, 200);
        assert.doesNotMatch(first.html, /name="robots"/);
        const noJs = await get(`/artikel/${slug}/klartext`);
        if (slug === 'haushalt-in-not') {
          assert.equal(noJs.status, 403, 'a guest gets the offer on the no-JS page');
          assert.match(noJs.html, /<meta name="robots" content="noindex"\/>/);
        }
        assert.ok((await get(`/artikel/${slug}`)).html === first.html, `${slug}: same bytes again, no noindex`);
      }
    });

    test('an edited article shows its new headline, teaser and text in head and body on the next render', async () => {
      const before = await get('/artikel/haushalt-in-not');
      assert.match(before.html, /<title>Der Haushalt gerät ins Wanken \|/);
      const doc = fixtureDocument();
      const first = doc.articles.find((a) => a.slug === 'haushalt-in-not')!;
      const edited = {
        ...first, headline: 'Der Haushalt ist gerettet', teaser: 'Die Stadt hat sich geeinigt.',
        blocks: [{ type: 'paragraph' as const, text: 'Der Rat stimmte am Abend einstimmig zu.' }, ...first.blocks.slice(1)],
      };
      await importDocument(store.db, { articles: [edited] }, { baseDir: dataDir, dataDir });
      await k.contentChanges.poll(); // what the feed does by itself within a second (at once on PostgreSQL)
      const after = (await get('/artikel/haushalt-in-not')).html;
      const want = ['<title>Der Haushalt ist gerettet |', '<meta property="og:title" content="Der Haushalt ist gerettet"/>', '<meta name="description" content="Die Stadt hat sich geeinigt."/>',
        '<h1 class="article__headline">Der Haushalt ist gerettet</h1>', '<p class="article__teaser">Die Stadt hat sich geeinigt.</p>', '"headline":"Der Haushalt ist gerettet"',
        '<p>Der Rat stimmte am Abend einstimmig zu.</p>'];
      for (const w of want) assert.ok(after.includes(w), `the new version shows ${w}`);
      for (const old of ['Der Haushalt gerät ins Wanken', 'Die Stadt muss sparen', 'seit Wochen über den Haushalt']) assert.ok(!after.includes(old), `the old version's ${old} is gone`);
    });
  });
}
