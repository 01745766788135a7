// A scheduled article stays hidden until the app's clock reaches its publishedAt, then shows on the front page, in the feeds and as a page — time is moved, never waited for.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { testEngines } from '../../db/test-stores.ts';
import { importDocument } from '../../content/index.ts';
import { fixtureDocument, writeFixtureImages } from '../../content/content.fixtures.ts';
import { createTestApp, type TestApp } from '../../testing/test-app.ts';

const HOUR = 3600_000;

for (const engine of testEngines()) {
  describe(`scheduled articles on ${engine}`, () => {
    let t: TestApp;
    const clock = { now: new Date() };
    before(async () => {
      t = await createTestApp(engine, { now: () => clock.now });
      await writeFixtureImages(t.config.dataDir);
      // the fixture as written three hours from now: 'haushalt-in-not' (two hours before that) is one hour in the future
      await importDocument(t.store.db, fixtureDocument(new Date(clock.now.getTime() + 3 * HOUR)), { baseDir: t.config.dataDir, dataDir: t.config.dataDir });
    });
    after(async () => { await t.close(); });
    const text = async (p: string): Promise<{ status: number; body: string }> => {
      const r = await t.app.request(p);
      const body = await r.text();
      if (p !== '/sitemap.xml') return { status: r.status, body };
      // the sitemap index names month files: what they list is in the sitemaps
      const files = [...body.matchAll(/<loc>http:\/\/localhost(\/sitemaps\/[^<]+)<\/loc>/g)].map((m) => m[1]!);
      return { status: r.status, body: [body, ...await Promise.all(files.map(async (f) => (await text(f)).body))].join('\n') };
    };

    test('appears on the front page, in the feeds, the sitemaps and as a page once the injected clock passes its publishedAt', async () => {
      const hidden = ['/', '/feed.xml', '/stadt/feed.xml', '/sitemap.xml', '/news-sitemap.xml'];
      for (const p of hidden) assert.doesNotMatch((await text(p)).body, /haushalt-in-not/, `${p} before publication`);
      assert.equal((await text('/artikel/haushalt-in-not')).status, 404);
      assert.match((await text('/')).body, /stadtfest-am-wochenende/, 'published articles are there all along');

      clock.now = new Date(clock.now.getTime() + 2 * HOUR); // past its publishedAt, and past any page-cache lifetime
      for (const p of hidden) assert.match((await text(p)).body, /haushalt-in-not/, `${p} after publication`);
      assert.equal((await text('/artikel/haushalt-in-not')).status, 200);
    });
  });
}
