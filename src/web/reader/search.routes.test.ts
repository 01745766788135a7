// /suche through app.request(): a private page for everyone (it reads the session); free text for all, premium text only for subscribers and staff, teasers as snippets.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { PREMIUM_SENTENCES } from '../../content/content.fixtures.ts';
import { testEngines } from '../../db/test-stores.ts';
import { createPaywallTestApp, type PaywallTestApp } from '../../testing/paywall-fixtures.ts';

const PREMIUM_ONLY_WORD = 'Mühlgraben';

for (const engine of testEngines()) {
  describe(`search on ${engine}`, () => {
    let t: PaywallTestApp;
    before(async () => { t = await createPaywallTestApp(engine); });
    after(async () => { await t.close(); });

    test('a guest finds articles by headline and free text on a private, uncached page', async () => {
      const r = await t.app.request('/suche?q=Haushalt');
      assert.equal(r.status, 200);
      assert.equal(r.headers.get('cache-control'), 'private, no-store');
      const html = await r.text();
      assert.match(html, /Der Haushalt gerät ins Wanken/);
      assert.match(html, /<meta name="robots" content="noindex"/);
    });

    test('a guest and a reader without subscription do not find words of the premium text', async () => {
      const guest = await (await t.app.request(`/suche?q=${encodeURIComponent(PREMIUM_ONLY_WORD)}`)).text();
      assert.match(guest, /Keine Treffer/);
      const { browser } = await t.reader('reader');
      const reader = await browser.get(`/suche?q=${encodeURIComponent(PREMIUM_ONLY_WORD)}`);
      assert.match(reader.text, /Keine Treffer/);
      assert.equal(reader.headers.get('cache-control'), 'private, no-store');
    });

    test('a subscriber and staff find them on a private page, with the teaser as the only snippet', async () => {
      for (const kind of ['subscriber', 'editor'] as const) {
        const { browser } = await t.reader(kind);
        const r = await browser.get(`/suche?q=${encodeURIComponent(PREMIUM_ONLY_WORD)}`);
        assert.equal(r.status, 200);
        assert.equal(r.headers.get('cache-control'), 'private, no-store', kind);
        assert.match(r.text, /Der Haushalt gerät ins Wanken/, kind);
        assert.match(r.text, /Die Stadt muss sparen/);
        for (const s of PREMIUM_SENTENCES) assert.ok(!r.text.includes(s.slice(0, 40)), `no premium snippet for ${kind}`);
      }
      const guestAgain = await (await t.app.request(`/suche?q=${encodeURIComponent(PREMIUM_ONLY_WORD)}`)).text();
      assert.match(guestAgain, /Keine Treffer/, 'the private result did not reach the shared cache');
    });

    test('free-text queries are answered but never stored: random q values cannot fill or flush the page cache', async () => {
      t.klartext.pageCache.clear();
      await t.app.request('/suche');
      for (let i = 0; i < 50; i++) assert.equal((await t.app.request(`/suche?q=Haushalt${i}&x=${i}`)).status, 200);
      assert.equal(t.klartext.pageCache.size, 0, 'search is private: nothing of it goes into the shared page cache');
      const again = await t.app.request('/suche?q=Haushalt');
      assert.match(await again.text(), /Der Haushalt gerät ins Wanken/, 'not the cached empty search page');
    });

    test('a query over 200 characters is a 400 naming q; an empty one shows the form', async () => {
      const long = await t.app.request(`/suche?q=${'a'.repeat(201)}`);
      assert.equal(long.status, 400);
      assert.match(await long.text(), /„q“/);
      const json = await t.app.request(`/suche?q=${'a'.repeat(201)}`, { headers: { accept: 'application/json' } });
      assert.equal(((await json.json()) as { error: { field: string } }).error.field, 'q');
      const empty = await t.app.request('/suche');
      assert.equal(empty.status, 200);
      assert.match(await empty.text(), /<form class="search-form"/);
    });
  });
}
