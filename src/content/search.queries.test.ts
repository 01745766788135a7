// The search index on every engine: one document per article however often it is re-indexed, the new text found and
// the old not, and on SQLite each document found by its FTS5 rowid (search_rowids) instead of a scan.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { openTestStore, testEngines, type TestStore } from '../db/test-stores.ts';
import { importDocument, parseInterchange, searchArticleIds, unindexArticle } from './index.ts';

const doc = (word: string, n: number) => parseInterchange(JSON.stringify({
  articles: Array.from({ length: n }, (_, i) => ({
    slug: `artikel-${i}`, section: 'stadt', headline: `Artikel ${i}`, publishedAt: '2026-11-01T08:00:00Z', access: 'free',
    blocks: [{ type: 'paragraph', text: `Heute im Blatt: ${word} Nummer ${i}.` }],
  })),
}));

for (const engine of testEngines()) {
  describe(`search index on ${engine}`, () => {
    let store: TestStore;
    before(async () => { store = await openTestStore(engine); });
    after(async () => { await store.close(); });
    const find = (q: string) => searchArticleIds(store.db, store.caps, q, { includePremium: false, limit: 50 });

    test('re-importing replaces each article\'s document: one per article, the new text found, the old not', async () => {
      for (const word of ['Quittenbaum', 'Mirabellenhain', 'Zwetschgenallee']) await importDocument(store.db, doc(word, 12), { baseDir: '.', dataDir: '.' });
      const n = await sql<{ n: number | string }>`select count(*) as n from search_documents`.execute(store.db);
      assert.equal(Number(n.rows[0]!.n), 12);
      assert.equal((await find('Zwetschgenallee')).length, 12);
      assert.deepEqual(await find('Quittenbaum'), []);
      if (store.caps.fullText === 'fts5') {
        const rows = await sql<{ bad: number }>`select count(*) as bad from search_rowids r left join search_documents d on d.rowid = r.doc_rowid where d.article_id is null or d.article_id <> r.article_id`.execute(store.db);
        assert.equal(Number(rows.rows[0]!.bad), 0, 'every mapped rowid holds its article');
        const mapped = await sql<{ n: number }>`select count(*) as n from search_rowids`.execute(store.db);
        assert.equal(Number(mapped.rows[0]!.n), 12);
      }
    });

    test('an unindexed article is no longer found, and indexing it again brings it back once', async () => {
      const [id] = await find('Nummer 3 Zwetschgenallee');
      assert.ok(id);
      await unindexArticle(store.db, id);
      assert.equal((await find('Zwetschgenallee')).length, 11);
      await importDocument(store.db, doc('Zwetschgenallee', 12), { baseDir: '.', dataDir: '.' });
      assert.equal((await find('Zwetschgenallee')).length, 12);
      const n = await sql<{ n: number | string }>`select count(*) as n from search_documents`.execute(store.db);
      assert.equal(Number(n.rows[0]!.n), 12);
    });

    test('with `now`, a scheduled article takes no result\'s place; German word forms find each other', async () => {
      const at = (d: string, slug: string, text: string) => ({ slug, section: 'stadt', headline: `Meldung ${slug}`, publishedAt: d, access: 'free', blocks: [{ type: 'paragraph', text }] });
      await importDocument(store.db, parseInterchange(JSON.stringify({ articles: [
        at('2026-11-10T08:00:00Z', 'kuenftig', 'Die Kirschblütenallee wird gesperrt.'),
        at('2026-11-01T08:00:00Z', 'heute', 'Die Kirschblütenallee ist offen.'),
        at('2026-11-01T08:00:00Z', 'haeuser', 'Neue Häuser am Stadtrand.'),
      ] })), { baseDir: '.', dataDir: '.' });
      const ids = async (q: string, now?: Date) => searchArticleIds(store.db, store.caps, q, { includePremium: false, limit: 1, ...(now ? { now } : {}) });
      const slugOf = async (id: string | undefined) => (await store.db.selectFrom('articles').select('slug').where('id', '=', id ?? '').executeTakeFirst())?.slug;
      assert.equal(await slugOf((await ids('Kirschblütenallee', new Date('2026-11-05T00:00:00Z')))[0]), 'heute');
      assert.equal((await ids('Kirschblütenallee')).length, 1, 'without now every live article may match');
      assert.equal(await slugOf((await ids('Haus', new Date('2026-11-05T00:00:00Z')))[0]), 'haeuser');
    });

    test('ranking: of two articles of the same day, the one about the word comes first, on every engine', async () => {
      const a = (slug: string, text: string) => ({ slug, section: 'stadt', headline: `Meldung ${slug}`, publishedAt: '2026-10-01T08:00:00Z', access: 'free', blocks: [{ type: 'paragraph', text }] });
      await importDocument(store.db, parseInterchange(JSON.stringify({ articles: [
        a('nebenbei', `Der Gemeinderat tagte lange. ${'Es ging um Straßen, Schulen und Gebühren. '.repeat(20)}Am Rande: Seerosenteich.`),
        a('hauptsache', 'Seerosenteich gereinigt: Der Seerosenteich im Park ist sauber, der Seerosenteich bleibt offen.'),
      ] })), { baseDir: '.', dataDir: '.' });
      const ids = await searchArticleIds(store.db, store.caps, 'Seerosenteich', { includePremium: false, limit: 5, now: new Date('2026-11-01T00:00:00Z') });
      const slugs = await Promise.all(ids.map(async (id) => (await store.db.selectFrom('articles').select('slug').where('id', '=', id).executeTakeFirstOrThrow()).slug));
      assert.deepEqual(slugs, ['hauptsache', 'nebenbei']);
    });

    test('many matches: only the newest candidates are ranked, so an older best match gives way (small bounds)', async () => {
      const a = (slug: string, day: string, text: string) => ({ slug, section: 'stadt', headline: `Meldung ${slug}`, publishedAt: `2026-09-${day}T08:00:00Z`, access: 'free', blocks: [{ type: 'paragraph', text }] });
      const filler = 'Es ging um Straßen, Schulen und Gebühren. '.repeat(20);
      await importDocument(store.db, parseInterchange(JSON.stringify({ articles: [
        a('ahorn-alt', '01', 'Ahornallee: Die Ahornallee wird gefällt, die Ahornallee war krank.'),
        a('ahorn-mitte', '02', `Der Rat tagte. ${filler}Am Rande: Ahornallee.`),
        a('ahorn-neu', '03', `Der Rat tagte wieder. ${filler}Am Rande: Ahornallee.`),
      ] })), { baseDir: '.', dataDir: '.' });
      const slugs = async (o: { candidates?: number; rankAllUpTo?: number }) => Promise.all((await searchArticleIds(store.db, store.caps, 'Ahornallee', { includePremium: false, limit: 5, now: new Date('2026-10-01T00:00:00Z'), ...o }))
        .map(async (id) => (await store.db.selectFrom('articles').select('slug').where('id', '=', id).executeTakeFirstOrThrow()).slug));
      assert.equal((await slugs({}))[0], 'ahorn-alt', 'few matches: all ranked, the article about the word first');
      assert.deepEqual((await slugs({ candidates: 2, rankAllUpTo: 1 })).sort(), ['ahorn-mitte', 'ahorn-neu'], 'only the two newest matches are ranked');
      assert.equal((await slugs({ candidates: 3, rankAllUpTo: 1 }))[0], 'ahorn-alt', 'the bounded path ranks too');
    });
  });
}
