// Readers never see a newsroom article that is not live: a draft and an unpublished article (with distinctive free and
// premium text) are 404 on their pages and absent from front, section, author pages, feeds, sitemaps and search, and
// /api/unlock refuses them — for guests, subscribers and staff. A published control article shows the checks can fail.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { testEngines } from '../src/db/test-stores.ts';
import { createPaywallTestApp, type PaywallTestApp } from '../src/testing/paywall-fixtures.ts';
import type { TestBrowser } from '../src/testing/test-browser.ts';
import { createDraft, publishNow, saveDraft, unpublish, type DraftDocument, type Staff } from '../src/newsroom/index.ts';

/** Distinctive words per article: its headline, its free text and its premium text. */
function doc(word: string, imageId: string): Partial<DraftDocument> {
  return {
    slug: `${word.toLowerCase()}-artikel`, kicker: 'Natur', headline: `${word} im Stadtweiher gesichtet`, teaser: `Der ${word} taucht auf.`,
    section: 'stadt', authors: ['ina-beispiel'], access: 'plus', paywallAfter: 1,
    image: { imageId, caption: `${word} Bild`, credit: 'Foto: Test' },
    blocks: [
      { type: 'paragraph', text: `${word}freitext steht vor der Paywall.` },
      { type: 'paragraph', text: `${word}premium steht hinter der Paywall und ist nur für Abonnenten.` },
    ],
  };
}

for (const engine of testEngines()) {
  describe(`articles that are not live stay hidden from readers on ${engine}`, () => {
    let t: PaywallTestApp;
    let editor: Staff;
    let subscriber: TestBrowser;
    let staffBrowser: TestBrowser;
    const ids: Record<string, string> = {};

    before(async () => {
      t = await createPaywallTestApp(engine);
      const ed = await t.reader('editor');
      editor = { id: ed.userId, role: 'editor', displayName: 'Redaktion' };
      staffBrowser = ed.browser;
      subscriber = (await t.reader('subscriber')).browser;
      const imageId = (await t.store.db.selectFrom('images').select('id').executeTakeFirstOrThrow()).id;
      const earlier = new Date(t.clock.now.getTime() - 60_000);
      const write = async (word: string, extra: Partial<DraftDocument> = {}) => {
        const wc = await createDraft(t.store.db, editor, {}, { now: earlier });
        ids[word] = wc.articleId;
        return saveDraft(t.store.db, editor, wc.articleId, { baseVersion: wc.version, doc: { ...wc.doc, ...doc(word, imageId), ...extra } }, { now: earlier });
      };
      await write('Quastenflosser');
      const gone = await write('Pfeilschwanzkrebs');
      await publishNow(t.store.db, editor, gone.articleId, gone.version, { now: earlier });
      // seen while live (and cached), then unpublished
      assert.equal((await t.app.request('/artikel/pfeilschwanzkrebs-artikel')).status, 200);
      assert.match(await (await t.app.request('/')).text(), /Pfeilschwanzkrebs/);
      await unpublish(t.store.db, editor, gone.articleId, { now: t.clock.now });
      const control = await write('Seeanemone', { seoTitle: 'Suchmaschinentitel der Seeanemone', seoDescription: 'Suchmaschinenbeschreibung <b>fett</b>' });
      await publishNow(t.store.db, editor, control.articleId, control.version, { now: earlier });
      t.clock.now = new Date(t.clock.now.getTime() + 5000);
      // what the content-change feed does by itself (at once by NOTIFY, or within a second): the cached pages showing them are dropped
      await t.klartext.contentChanges.poll();
    });
    after(async () => { await t?.close(); });

    const pages = (word: string) => [
      '/', '/stadt', '/autor/ina-beispiel', '/feed.xml', '/stadt/feed.xml', '/sitemap.xml', '/news-sitemap.xml',
      `/suche?q=${word}`, `/suche?q=${word}freitext`, `/suche?q=${word}premium`,
    ];

    /** Where the word shows up, for a guest, a subscriber and an editor. */
    async function sightings(word: string): Promise<string[]> {
      const found: string[] = [];
      // the article's content, address or id; not the bare word, which a search page echoes as the query
      const needle = new RegExp([`${word} im Stadtweiher`, `Der ${word} taucht`, `${word}freitext steht`, `${word}premium steht`, `${word.toLowerCase()}-artikel`, ids[word]!].join('|'));
      for (const [who, get] of [['guest', async (p: string) => { const r = await t.app.request(p); return { status: r.status, text: await r.text() }; }],
        ['subscriber', (p: string) => subscriber.get(p)], ['editor', (p: string) => staffBrowser.get(p)]] as const) {
        for (const path of pages(word)) {
          const r = await get(path);
          // the sitemap index names its files: what they list counts as seen through /sitemap.xml
          const files = path === '/sitemap.xml' ? [...r.text.matchAll(/<loc>[a-z]+:\/\/[^/]+(\/[^<]+)<\/loc>/g)].map((m) => m[1]!) : [];
          const texts = [r.text, ...await Promise.all(files.map(async (f) => (await get(f)).text))];
          if (texts.some((text) => needle.test(text))) found.push(`${who} ${path}`);
        }
        for (const path of [`/artikel/${word.toLowerCase()}-artikel`, `/artikel/${word.toLowerCase()}-artikel/klartext`]) {
          const r = await get(path);
          if (r.status !== 404 || needle.test(r.text)) found.push(`${who} ${path} ${r.status}`);
        }
      }
      return found;
    }

    test('the control article is seen everywhere (the check can fail)', async () => {
      const seen = await sightings('Seeanemone');
      for (const path of ['/', '/stadt', '/autor/ina-beispiel', '/feed.xml', '/sitemap.xml', '/suche?q=Seeanemone', '/suche?q=Seeanemonepremium']) {
        assert.ok(seen.some((s) => s.endsWith(` ${path}`)), `control not seen on ${path}: ${seen.join(', ')}`);
      }
      const page = await t.page('seeanemone-artikel');
      const r = await t.unlock(subscriber, page.articleId, { keyId: page.keyId });
      assert.equal(r.status, 200);
    });

    test('the article page head uses the SEO title and description when set, the page itself the headline', async () => {
      const html = await (await t.app.request('/artikel/seeanemone-artikel')).text();
      assert.match(html, /<title>Suchmaschinentitel der Seeanemone \| [^<]+<\/title>/);
      assert.match(html, /<meta name="description" content="Suchmaschinenbeschreibung &lt;b&gt;fett&lt;\/b&gt;"/);
      assert.match(html, /<meta property="og:title" content="Suchmaschinentitel der Seeanemone"/);
      assert.match(html, /<h1 class="article__headline">Seeanemone im Stadtweiher gesichtet<\/h1>/);
      const plain = await (await t.app.request('/artikel/stadtfest-am-wochenende')).text();
      assert.match(plain, /<title>Stadtfest am Wochenende \| /);
      assert.match(plain, /<meta name="description" content="Drei Bühnen, viele Stände."/);
    });

    for (const [word, what] of [['Quastenflosser', 'a draft'], ['Pfeilschwanzkrebs', 'an unpublished article']] as const) {
      test(`${what} is on no reader page, feed, sitemap or search, and its page is 404`, async () => {
        assert.deepEqual(await sightings(word), []);
      });

      test(`/api/unlock refuses ${what}, for a subscriber and for staff`, async () => {
        // a well-formed key id (the control article's), so the answer is about the article, not the input
        const { keyId } = await t.page('seeanemone-artikel');
        for (const who of [subscriber, staffBrowser]) {
          const r = await t.unlock(who, ids[word]!, { keyId });
          assert.equal(r.status, 404, r.text);
          assert.doesNotMatch(r.text, new RegExp(`${word}premium`));
        }
      });
    }
  });
}
