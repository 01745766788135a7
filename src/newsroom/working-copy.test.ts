// Working copies: creating drafts, saving under the optimistic lock, structural validation, revisions, the lists.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { openTestStore, testEngines, type TestStore } from '../db/test-stores.ts';
import { DomainError } from '../domain-error.ts';
import { exportDocument } from '../content/index.ts';
import { ConflictError, createDraft, getWorkingCopy, listNewsroomArticles, newsroomOverview, saveDraft, type Staff } from './index.ts';
import { completeDoc, importFixture, makeStaff } from './newsroom.fixtures.ts';

for (const engine of testEngines()) {
  describe(`working copies on ${engine}`, () => {
    let store: TestStore;
    let author: Staff, editor: Staff;
    let imageId: string;
    const t0 = new Date('2026-03-02T09:00:00Z');
    const at = (min: number) => new Date(t0.getTime() + min * 60_000);
    before(async () => {
      store = await openTestStore(engine);
      imageId = (await importFixture(store.db, t0)).imageIds[0]!;
      author = await makeStaff(store.db, 'author', 'Anna Autorin');
      editor = await makeStaff(store.db, 'editor', 'Eddi Redakteur');
    });
    after(() => store.close());

    test('a new draft is an article row readers cannot see, with a placeholder slug and the first section', async () => {
      const wc = await createDraft(store.db, author, {}, { now: t0 });
      assert.equal(wc.version, 1);
      assert.equal(wc.state, 'draft');
      assert.equal(wc.live, false);
      assert.equal(wc.doc.section, 'stadt');
      assert.equal(wc.updatedByName, 'Anna Autorin');
      const row = await store.db.selectFrom('articles').select(['slug', 'live']).where('id', '=', wc.articleId).executeTakeFirstOrThrow();
      assert.match(row.slug, /^entwurf-[0-9a-f]{8}$/);
      assert.equal(Number(row.live), 0);
    });

    test('the interchange export leaves drafts out (importing them would publish them)', async () => {
      const wc = await createDraft(store.db, author, { headline: 'Nur ein Entwurf' }, { now: t0 });
      const exported = await exportDocument(store.db, { dataDir: '/nonexistent' });
      assert.ok(exported.articles.length >= 3);
      assert.ok(!exported.articles.some((a) => a.slug === wc.doc.slug || a.headline === 'Nur ein Entwurf'));
    });

    test('a reader cannot create a draft', async () => {
      const reader = await makeStaff(store.db, 'reader');
      await assert.rejects(createDraft(store.db, reader), (e: unknown) => e instanceof DomainError && e.code === 'forbidden');
    });

    test('saving from a stale version is a conflict carrying who saved the current one', async () => {
      const wc = await createDraft(store.db, author, { section: 'kultur' }, { now: t0 });
      const saved = await saveDraft(store.db, editor, wc.articleId, { baseVersion: 1, doc: { ...wc.doc, headline: 'Erste Fassung' } }, { now: at(1) });
      assert.equal(saved.version, 2);
      assert.deepEqual(saved, await getWorkingCopy(store.db, wc.articleId), 'what save answers is what is stored');
      await assert.rejects(saveDraft(store.db, author, wc.articleId, { baseVersion: 1, doc: { ...wc.doc, headline: 'Andere Fassung' } }, { now: at(2) }), (e: unknown) => {
        assert.ok(e instanceof ConflictError);
        assert.equal(e.code, 'conflict');
        assert.equal(e.current.version, 2);
        assert.equal(e.current.doc.headline, 'Erste Fassung');
        assert.equal(e.current.updatedByName, 'Eddi Redakteur');
        assert.equal(e.current.updatedAt, at(1).toISOString());
        return true;
      });
      assert.equal((await getWorkingCopy(store.db, wc.articleId))!.doc.headline, 'Erste Fassung');
    });

    test('an invalid block is refused naming blocks[i].field, and nothing is written', async () => {
      const wc = await createDraft(store.db, author, {}, { now: t0 });
      const doc = { ...wc.doc, blocks: [{ type: 'paragraph', text: 'a' }, { type: 'answer', text: 'ohne Sprecher' }] };
      await assert.rejects(saveDraft(store.db, author, wc.articleId, { baseVersion: 1, doc }), (e: unknown) => e instanceof DomainError && e.code === 'invalid-input' && e.field === 'blocks[1].speaker');
      await assert.rejects(saveDraft(store.db, author, wc.articleId, { baseVersion: 1, doc: { ...wc.doc, blocks: [{ type: 'video', src: 'x' }] } }), (e: unknown) => e instanceof DomainError && e.field === 'blocks[0].type' && /Blocktyp/.test(e.message));
      await assert.rejects(saveDraft(store.db, author, wc.articleId, { baseVersion: 1, doc: { ...wc.doc, headline: 'x'.repeat(301) } }), (e: unknown) => e instanceof DomainError && e.field === 'headline' && /300/.test(e.message));
      await assert.rejects(saveDraft(store.db, author, wc.articleId, { baseVersion: 1, doc: { ...wc.doc, blocks: [{ type: 'paragraph', text: 'x', html: '<b>' }] } }), (e: unknown) => e instanceof DomainError && e.field === 'blocks[0].html');
      assert.equal((await getWorkingCopy(store.db, wc.articleId))!.version, 1);
    });

    test('empty texts are fine in a draft', async () => {
      const wc = await createDraft(store.db, author, {}, { now: t0 });
      const saved = await saveDraft(store.db, author, wc.articleId, { baseVersion: 1, doc: { ...wc.doc, blocks: [{ type: 'answer', speaker: '', text: '' }] } });
      assert.equal(saved.version, 2);
    });

    test('a slug taken by another article is refused naming the field', async () => {
      const wc = await createDraft(store.db, author, {}, { now: t0 });
      await assert.rejects(saveDraft(store.db, author, wc.articleId, { baseVersion: 1, doc: { ...wc.doc, slug: 'haushalt-in-not' } }), (e: unknown) => e instanceof DomainError && e.field === 'slug');
      const saved = await saveDraft(store.db, author, wc.articleId, { baseVersion: 1, doc: { ...wc.doc, slug: 'eigene-adresse' } });
      assert.equal(saved.doc.slug, 'eigene-adresse');
      assert.equal((await store.db.selectFrom('articles').select('slug').where('id', '=', wc.articleId).executeTakeFirstOrThrow()).slug, 'eigene-adresse');
    });

    test('an imported article is its own working copy (version 0) until first saved', async () => {
      const row = await store.db.selectFrom('articles').select('id').where('slug', '=', 'stadtfest-am-wochenende').executeTakeFirstOrThrow();
      const wc = (await getWorkingCopy(store.db, row.id))!;
      assert.equal(wc.version, 0);
      assert.equal(wc.state, 'published');
      assert.deepEqual(wc.doc.authors, ['ina-beispiel', 'ole-muster']);
      const saved = await saveDraft(store.db, editor, row.id, { baseVersion: 0, doc: { ...wc.doc, headline: 'Stadtfest: neue Fassung' } });
      assert.equal(saved.version, 1);
      assert.equal(saved.state, 'published');
      assert.equal(saved.publishedVersion, 0);
      assert.deepEqual(saved, await getWorkingCopy(store.db, row.id));
      await assert.rejects(saveDraft(store.db, editor, row.id, { baseVersion: 0, doc: wc.doc }), ConflictError);
    });

    test('the list filters by state, section, author, access, text and pages by keyset', async () => {
      const a = await createDraft(store.db, author, completeDoc(imageId, { slug: '', headline: 'Zebrastreifen am Markt' }), { now: new Date('2100-01-01T00:00:00Z') });
      const list = await listNewsroomArticles(store.db, { q: 'zebrastreifen', state: 'draft', section: 'stadt', author: 'ina-beispiel', access: 'plus' });
      assert.deepEqual(list.items.map((i) => i.articleId), [a.articleId]);
      assert.equal(list.items[0]!.authors[0]!.name, 'Ina Beispiel');
      assert.equal((await listNewsroomArticles(store.db, { q: 'zebrastreifen', author: 'ole-muster' })).items.length, 0);
      assert.equal((await listNewsroomArticles(store.db, { q: 'zebrastreifen', access: 'free' })).items.length, 0);
      // imported articles are found by their bylines too
      assert.ok((await listNewsroomArticles(store.db, { author: 'ole-muster' })).items.some((i) => i.slug === 'stadtfest-am-wochenende'));
      const all = await listNewsroomArticles(store.db, { limit: 1000 });
      let after: string | undefined;
      const seen: string[] = [];
      for (;;) {
        const page = await listNewsroomArticles(store.db, { limit: 3, after });
        seen.push(...page.items.map((i) => i.articleId));
        if (!page.next) break;
        after = page.next;
      }
      assert.deepEqual(seen, all.items.map((i) => i.articleId));
      assert.equal(all.items[0]!.articleId, a.articleId, 'newest change first');
      const overview = await newsroomOverview(store.db, author);
      assert.ok(overview.myDrafts.some((i) => i.articleId === a.articleId));
      assert.ok(overview.recentlyPublished.some((i) => i.slug === 'haushalt-in-not'));
    });
  });
}
