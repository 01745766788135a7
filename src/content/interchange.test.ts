// Import and export of the interchange format on every engine: round trip, idempotence, bad files write nothing.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { openTestStore, testEngines, type TestStore } from '../db/test-stores.ts';
import { exportDocument, importDocument, parseInterchange, getArticleBySlug, listArticles, countArticles, searchArticleIds, ContentError } from './index.ts';
import { fixtureDir, fixtureDocument, PREMIUM_SENTENCES } from './content.fixtures.ts';

for (const engine of testEngines()) {
  describe(`interchange on ${engine}`, () => {
    let store: TestStore;
    let dataDir: string;
    let fixture: { dir: string; file: string };
    before(async () => {
      store = await openTestStore(engine);
      dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'klartext-data-'));
      fixture = await fixtureDir();
    });
    after(async () => { await store.close(); });

    const importFile = async (file: string) => importDocument(store.db, parseInterchange(await fs.readFile(file, 'utf8')), { baseDir: path.dirname(file), dataDir });

    test('imports articles with sections, authors and images', async () => {
      const r = await importFile(fixture.file);
      assert.equal(r.created, 3);
      const a = await getArticleBySlug(store.db, 'haushalt-in-not', { now: new Date() });
      assert.ok(a);
      assert.equal(a.section.slug, 'stadt');
      assert.equal(a.section.name, 'Stadt');
      assert.deepEqual(a.authors.map((x) => x.name), ['Ina Beispiel']);
      assert.equal(a.paywallAfter, 1);
      assert.equal(a.blocks.length, 6);
      assert.ok(a.image && a.image.width === 1600 && a.image.height === 900);
      const img = a.blocks[4];
      assert.ok(img && img.type === 'image');
      // the same pipeline as an upload: every width in every format
      for (const f of ['avif', 'webp', 'jpg']) for (const w of [480, 800, 1200, 1600]) await fs.access(path.join(dataDir, 'images', `${img.imageId}-${w}.${f}`));
      const lib = await store.db.selectFrom('images').select(['caption', 'credit', 'original_name']).where('id', '=', img.imageId).executeTakeFirstOrThrow();
      assert.deepEqual(lib, { caption: 'Die gesperrte Brücke', credit: 'Foto: Test', original_name: 'inline.jpg' }, 'the first use gives the library its defaults');
    });

    test('importing the same file again updates instead of duplicating', async () => {
      const r = await importFile(fixture.file);
      assert.deepEqual([r.created, r.updated], [0, 3]);
      assert.equal(await countArticles(store.db, { now: new Date() }), 3);
    });

    test('export then import reproduces every article', async () => {
      const outDir = await fs.mkdtemp(path.join(os.tmpdir(), 'klartext-export-'));
      const doc = await exportDocument(store.db, { dataDir, imageDir: outDir });
      await fs.writeFile(path.join(outDir, 'export.json'), JSON.stringify(doc));
      const other = await openTestStore(engine);
      try {
        const otherData = await fs.mkdtemp(path.join(os.tmpdir(), 'klartext-data-'));
        await importDocument(other.db, parseInterchange(await fs.readFile(path.join(outDir, 'export.json'), 'utf8')), { baseDir: outDir, dataDir: otherData });
        const again = await exportDocument(other.db, { dataDir: otherData });
        const strip = (d: typeof doc) => JSON.stringify(d).replace(/"[A-Za-z0-9_-]{16}\.jpg"/g, '"IMG"');
        assert.equal(strip(again), strip(doc));
      } finally { await other.close(); }
    });

    test('lists newest first, filters by section and hides scheduled articles', async () => {
      const all = await listArticles(store.db, { limit: 10, now: new Date() });
      assert.deepEqual(all.map((a) => a.slug), ['haushalt-in-not', 'stadtfest-am-wochenende', 'vereinsheim-eroeffnet']);
      assert.deepEqual((await listArticles(store.db, { limit: 10, sectionSlug: 'kultur', now: new Date() })).map((a) => a.slug), ['stadtfest-am-wochenende']);
      assert.equal((await listArticles(store.db, { limit: 10, now: new Date(Date.now() - 10 * 3600_000) })).length, 2);
    });

    test('search finds free text for everyone and premium text only when allowed', async () => {
      const free = await searchArticleIds(store.db, store.caps, 'Haushalt', { includePremium: false, limit: 10 });
      assert.equal(free.length, 1);
      assert.deepEqual(await searchArticleIds(store.db, store.caps, 'Fehlbetrag', { includePremium: false, limit: 10 }), []);
      assert.equal((await searchArticleIds(store.db, store.caps, 'Fehlbetrag', { includePremium: true, limit: 10 })).length, 1);
      assert.deepEqual(await searchArticleIds(store.db, store.caps, '"); drop table articles; --', { includePremium: true, limit: 10 }), []);
    });

    test('a bad article anywhere in the file writes nothing and names the field', async () => {
      const doc = fixtureDocument();
      const fresh = { articles: [{ ...doc.articles[1]!, slug: 'ganz-neu' }, { ...doc.articles[0]!, slug: 'kaputt', blocks: [{ type: 'answer', text: 'ohne Sprecher' }] }] };
      const bad = await fixtureDir(fresh);
      await assert.rejects(importFile(bad.file), (e: unknown) => e instanceof ContentError && /articles\[1\]\.blocks\[0\]\.speaker: is required/.test(e.message));
      assert.equal(await getArticleBySlug(store.db, 'ganz-neu', { now: new Date() }), undefined);
    });

    test('a missing image file writes nothing and names the field', async () => {
      const doc = fixtureDocument();
      const bad = await fixtureDir({ articles: [{ ...doc.articles[1]!, slug: 'ohne-bild', image: { src: 'fehlt.jpg', caption: '', credit: '' } }] });
      await assert.rejects(importFile(bad.file), /articles\[0\]\.image\.src: image file not found \(fehlt\.jpg\)/);
      assert.equal(await getArticleBySlug(store.db, 'ohne-bild', { now: new Date() }), undefined);
    });
  });
}

describe('interchange validation', () => {
  const parse = (v: unknown) => () => parseInterchange(typeof v === 'string' ? v : JSON.stringify(v));
  const base = fixtureDocument().articles[1]!;
  test('unknown fields are named with their path', () => {
    assert.throws(parse({ articles: [{ ...base, colour: 'red' }] }), /articles\[0\]\.colour: unknown field/);
  });
  test('an unknown block type names the allowed ones', () => {
    assert.throws(parse({ articles: [{ ...base, blocks: [{ type: 'video', text: 'x' }] }] }), /articles\[0\]\.blocks\[0\]\.type: type must be one of paragraph/);
  });
  test('malformed JSON says so', () => { assert.throws(parse('{"articles": ['), /not valid JSON/); });
  test('duplicate slugs are refused', () => { assert.throws(parse({ articles: [base, base] }), /articles\[1\]\.slug: duplicate slug/); });
  test('a plus article needs blocks after the paywall', () => {
    assert.throws(parse({ articles: [{ ...base, access: 'plus', paywallAfter: 1 }] }), /articles\[0\]\.paywallAfter/);
  });
  test('image paths may not leave the folder', () => {
    assert.throws(parse({ articles: [{ ...base, image: { src: '../../etc/x.jpg' } }] }), /articles\[0\]\.image\.src: a path relative to the JSON file/);
  });
  test('an oversized file is refused before parsing', () => {
    assert.throws(parse('x'.repeat(21 * 1024 * 1024)), /larger than 20 MB/);
  });
  test('premium sentences of the fixture are long enough to be found by the leak tests', () => {
    for (const s of PREMIUM_SENTENCES) assert.ok(s.length > 40);
  });
});
