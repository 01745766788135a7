// The sealed premium section: made once per article version, a changed text never answered from an older entry, a bounded cache, no plain text.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createContentKeyStore, decryptPremium, generateContentKey, premiumHash, type ContentKeyStore } from '../../access/index.ts';
import { getArticleBySlug, importDocument, premiumBlocks, type Article } from '../../content/index.ts';
import { fixtureDocument, PREMIUM_SENTENCES, writeFixtureImages } from '../../content/content.fixtures.ts';
import { openTestStore, testEngines, type TestStore } from '../../db/test-stores.ts';
import { PLUS_SLUG, REGISTERED_SLUG } from '../../testing/paywall-fixtures.ts';
import { createSealedPremium } from './sealed-premium.tsx';

/** A key store that counts how often a decoy is asked for: the sealed section asks once per section it renders. */
function countingKeys(keys: ContentKeyStore): ContentKeyStore & { renders: number } {
  const counted = { renders: 0, currentKey: keys.currentKey, decoy: (keyId: string, blocks: Parameters<ContentKeyStore['decoy']>[1]) => { counted.renders++; return keys.decoy(keyId, blocks); } };
  return counted;
}

const sealedParts = (html: string) => ({
  keyId: /data-key-id="([^"]+)"/.exec(html)![1]!,
  ciphertext: /<template id="premium-ciphertext">([^<]+)<\/template>/.exec(html)![1]!,
});

for (const engine of testEngines()) {
  describe(`sealed premium section on ${engine}`, () => {
    let store: TestStore;
    let plus: Article;
    let registered: Article;
    const keys = createContentKeyStore(generateContentKey());
    before(async () => {
      store = await openTestStore(engine);
      const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'klartext-sealed-'));
      await writeFixtureImages(dir);
      await importDocument(store.db, fixtureDocument(), { baseDir: dir, dataDir: dir });
      plus = (await getArticleBySlug(store.db, PLUS_SLUG, { now: new Date() }))!;
      registered = (await getArticleBySlug(store.db, REGISTERED_SLUG, { now: new Date() }))!;
    });
    after(async () => { await store.close(); });

    const openWith = async (article: Article, html: string) => {
      const { keyId, ciphertext } = sealedParts(html);
      const { key, keyId: current } = await keys.currentKey(store.db, article.id, premiumHash(premiumBlocks(article)));
      assert.equal(keyId, current, 'the section names the key of the current text');
      return (JSON.parse(decryptPremium(ciphertext, key, keyId)) as { html: string }).html;
    };

    test('one version is rendered once and then answered with the same bytes, which hold ciphertext and decoy but no plain text', async () => {
      const counting = countingKeys(keys);
      const sealed = createSealedPremium(counting);
      const first = String(await sealed(store.db, plus, null));
      const second = String(await sealed(store.db, plus, null));
      assert.equal(second, first);
      assert.equal(counting.renders, 1, 'the second answer came from the cache');
      assert.deepEqual(PREMIUM_SENTENCES.filter((s) => first.includes(s.slice(0, 40))), [], 'no premium text in the guest section');
      assert.ok((await openWith(plus, first)).includes(PREMIUM_SENTENCES[0]!.slice(0, 40)));
    });

    test('a changed premium text gets a new key id and a ciphertext of the new text, never the cached old one', async () => {
      const sealed = createSealedPremium(keys);
      const before = String(await sealed(store.db, plus, null));
      const changed: Article = { ...plus, blocks: plus.blocks.map((b, i) => (i === plus.paywallAfter ? { type: 'paragraph', text: 'Korrigiert: Der Fehlbetrag liegt bei 371.000 Euro.' } : b)) };
      const after = String(await sealed(store.db, changed, null));
      assert.notEqual(sealedParts(after).keyId, sealedParts(before).keyId, 'the key rotates with the text');
      const text = await openWith(changed, after);
      assert.match(text, /371\.000 Euro/);
      assert.doesNotMatch(text, /417\.000 Euro/);
      assert.equal(String(await sealed(store.db, plus, null)), before, 'the old text still has its own section');
    });

    test('the section follows a new slug even when the text stays the same', async () => {
      const sealed = createSealedPremium(keys);
      await sealed(store.db, plus, null);
      const moved = String(await sealed(store.db, { ...plus, slug: 'haushalt-in-not-neu' }, null));
      assert.match(moved, /href="\/anmelden\?weiter=%2Fartikel%2Fhaushalt-in-not-neu"/);
    });

    test('the section follows a new price of the offer even when the text stays the same', async () => {
      const sealed = createSealedPremium(keys);
      const offer = { slug: 'plus-digital', name: 'Plus Digital', price: { amount: '1,00 €', when: 'im ersten Monat', then: 'danach 9,99 € monatlich' }, priceText: '1,00 € im ersten Monat, danach 9,99 € monatlich', termsText: 'monatlich kündbar' };
      assert.match(String(await sealed(store.db, plus, offer)), /danach 9,99 € monatlich/);
      const dearer = String(await sealed(store.db, plus, { ...offer, price: { ...offer.price, then: 'danach 10,99 € monatlich' }, priceText: '1,00 € im ersten Monat, danach 10,99 € monatlich' }));
      assert.match(dearer, /danach 10,99 € monatlich/);
      assert.doesNotMatch(dearer, /danach 9,99 € monatlich/);
    });

    test('the cache holds at most its limit and renders a forgotten version again', async () => {
      const counting = countingKeys(keys);
      const sealed = createSealedPremium(counting, { maxEntries: 1 });
      const first = String(await sealed(store.db, plus, null));
      await sealed(store.db, registered, null);
      assert.equal(counting.renders, 2);
      assert.equal(String(await sealed(store.db, plus, null)), first, 'rendered again, to the same bytes');
      assert.equal(counting.renders, 3, 'the first version had been forgotten');
    });
  });
}
