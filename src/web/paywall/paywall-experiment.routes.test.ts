// The offer box while an experiment runs: every variant in the same cached bytes for every reader, the control without script, start/stop re-render, no premium text in a variant.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createExperiment, startExperiment, stopExperiment } from '../../analytics/index.ts';
import { findOffer } from '../../billing/index.ts';
import { PREMIUM_SENTENCES } from '../../content/content.fixtures.ts';
import { testEngines } from '../../db/test-stores.ts';
import { fromAddress } from '../../testing/remote-address.ts';
import { createPaywallTestApp, FREE_SLUG, PLUS_SLUG, REGISTERED_SLUG, type PaywallTestApp } from '../../testing/paywall-fixtures.ts';

const HEADLINES = ['Alle Artikel im Klartext – die Kontrolle', 'Lokaljournalismus, der sich lohnt', 'Ein Jahr Plus: zwei Monate geschenkt'];

const templatesIn = (html: string) => [...html.matchAll(/<template data-variant="([^"]+)" data-share="(\d+)">([\s\S]*?)<\/template>/g)].map((m) => ({ id: m[1]!, share: Number(m[2]), html: m[3]! }));
/** The box as it shows without script: its HTML with the templates taken out. */
const visibleBox = (html: string) => /<div class="paywall-box"[^>]*>([\s\S]*?)<\/div>\s*<p class="gift-action"/.exec(html)![1]!.replace(/<template data-variant[\s\S]*?<\/template>/g, '');

for (const engine of testEngines()) {
  describe(`offer experiments on the article page (${engine})`, () => {
    let t: PaywallTestApp;
    let experimentId = '';
    let variantIds: string[] = [];
    before(async () => {
      t = await createPaywallTestApp(engine);
      const year = (await findOffer(t.store.db, 'plus-digital-jahr'))!;
      const e = await createExperiment(t.store.db, {
        name: 'Drei Boxen',
        variants: [
          { headline: HEADLINES[0]!, share: 40 },
          { headline: HEADLINES[1]!, body: 'Wir berichten aus Ihrer Stadt – jeden Tag, ohne Werbung im Text.', share: 30 },
          { headline: HEADLINES[2]!, body: 'Jetzt <script>alert(1)</script> & sparen', offerId: year.id, share: 30 },
        ],
      }, { by: null, now: new Date() });
      experimentId = e.id;
      variantIds = e.variants.map((v) => v.id);
    });
    after(async () => { await t.close(); });

    /** The page as the cache serves it (no cache clearing: start and stop must reach it through the content change). */
    const guestPage = async (headers: Record<string, string> = {}) => (await t.app.request(`/artikel/${PLUS_SLUG}`, { headers })).text();

    test('start and stop re-render the cached page: the content change `offers` drops it, no cache clearing needed', async () => {
      const before = await guestPage();
      assert.doesNotMatch(before, /data-experiment=/);
      assert.equal(await guestPage(), before, 'served from the cache');
      await startExperiment(t.store.db, experimentId, { now: new Date() });
      await t.klartext.contentChanges.poll();
      const running = await guestPage();
      assert.match(running, new RegExp(`<div class="paywall-box" data-experiment="${experimentId}">`));
      assert.deepEqual(templatesIn(running).map((x) => [x.id, x.share]), [[variantIds[0], 40], [variantIds[1], 30], [variantIds[2], 30]]);
      const res = await t.app.request(`/artikel/${PLUS_SLUG}`);
      assert.match(res.headers.get('surrogate-key') ?? '', /\boffers\b/, 'the page names the key its box depends on');
    });

    test('while it runs, the guest page is the same bytes for every reader: cookies, a subscriber, DNT, GPC, language, address', async () => {
      const reference = await guestPage();
      assert.match(reference, /data-experiment=/);
      const { browser } = await t.reader('subscriber');
      const variants = [
        await guestPage({ cookie: 'klartext_ab=0.99; other=1' }),
        await guestPage({ dnt: '1', 'sec-gpc': '1' }),
        await guestPage({ 'accept-language': 'en-US', 'user-agent': 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X)' }),
        await (await t.app.request(`/artikel/${PLUS_SLUG}`, {}, fromAddress('198.51.100.23'))).text(),
        (await browser.get(`/artikel/${PLUS_SLUG}`)).text,
      ];
      for (const body of variants) assert.equal(body, reference);
      // and a fresh render gives the same bytes as the cached one
      t.klartext.pageCache.clear();
      assert.equal(await guestPage(), reference);
    });

    test('without script the control shows; each variant brings its headline, copy (escaped) and offer in a template — and no premium text', async () => {
      const html = await guestPage();
      const box = visibleBox(html);
      assert.match(box, new RegExp(`<h2>${HEADLINES[0]}</h2>`));
      assert.doesNotMatch(box, new RegExp(`${HEADLINES[1]}|${HEADLINES[2]}`));
      const [a, b, c] = templatesIn(html);
      assert.match(a!.html, new RegExp(`<h2>${HEADLINES[0]}</h2>`));
      assert.match(b!.html, new RegExp(`<h2>${HEADLINES[1]}</h2><p class="paywall-box__lead">Wir berichten aus Ihrer Stadt – jeden Tag, ohne Werbung im Text\\.</p>`));
      assert.match(b!.html, /href="\/abo\/bestellen\/plus-digital\?next=\/artikel\/haushalt-in-not" data-order-link="true" data-offer="plus-digital"/, 'no own offer: the featured one');
      assert.match(c!.html, /href="\/abo\/bestellen\/plus-digital-jahr\?next=\/artikel\/haushalt-in-not" data-order-link="true" data-offer="plus-digital-jahr"/);
      assert.match(c!.html, /99,00\u00a0€/);
      assert.match(c!.html, /<p class="paywall-box__lead">Jetzt &lt;script&gt;alert\(1\)&lt;\/script&gt; &amp; sparen<\/p>/, 'copy is text, never markup');
      assert.doesNotMatch(html, /<script>alert/);
      for (const x of [a, b, c]) {
        assert.deepEqual(PREMIUM_SENTENCES.filter((s) => x!.html.includes(s.slice(0, 30))), [], 'no premium text in a variant');
        assert.doesNotMatch(x!.html, /premium-ciphertext|premium-decoy|data-key-id/, 'a template holds the box only');
      }
      assert.deepEqual(PREMIUM_SENTENCES.filter((s) => html.includes(s.slice(0, 30))), [], 'nor anywhere on the page');
    });

    test('registered and free articles carry no experiment; the no-JS page shows the control', async () => {
      for (const slug of [REGISTERED_SLUG, FREE_SLUG]) {
        const html = await (await t.app.request(`/artikel/${slug}`)).text();
        assert.doesNotMatch(html, /data-experiment=|data-variant=/, slug);
      }
      const noJs = await t.app.request(`/artikel/${PLUS_SLUG}/klartext`);
      assert.equal(noJs.status, 403);
      const text = await noJs.text();
      assert.match(text, new RegExp(`<h2>${HEADLINES[0]}</h2>`));
      assert.doesNotMatch(text, /<template data-variant/);
    });

    test('stopped, the box is the standard one again', async () => {
      await stopExperiment(t.store.db, experimentId, { now: new Date() });
      await t.klartext.contentChanges.poll();
      const html = await guestPage();
      assert.doesNotMatch(html, /data-experiment=|data-variant=/);
      assert.match(html, /<h2>Alle Artikel im Klartext mit Plus Digital<\/h2>/);
    });
  });
}
