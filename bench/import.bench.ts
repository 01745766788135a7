// bench:import — generated archive articles imported in chunks (as `klartext import` does) into one SQLite database:
// the time of every chunk, so growth with the database's size shows; then, at the full size, re-indexing articles by
// FTS5 rowid (now) beside the delete by article_id it replaced (a scan of the whole search table), in one run.
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { connect, migrate } from '../src/db/index.ts';
import { blocksPlainText, getArticleBySlug, importDocument, indexArticle, parseInterchange, type Article } from '../src/content/index.ts';

const CHUNKS = Number(process.env.BENCH_CHUNKS ?? 10);
const SIZE = Number(process.env.BENCH_CHUNK_SIZE ?? 2000);
const REINDEX = 200;
const SECTIONS = ['stadt', 'region', 'wirtschaft', 'sport', 'kultur'];
const WORDS = 'Rathaus Brücke Haushalt Schule Verein Kreistag Baustelle Bürgermeisterin Feuerwehr Markt Bahnhof Sommer Winter Gemeinderat Planung Straße Kirche Museum Theater Verkehr'.split(' ');

let seed = 42;
const rnd = () => { seed = (seed * 1103515245 + 12345) % 2 ** 31; return seed / 2 ** 31; };
const sentence = () => Array.from({ length: 12 }, () => WORDS[Math.floor(rnd() * WORDS.length)]).join(' ') + '.';

function chunk(c: number): string {
  return JSON.stringify({
    articles: Array.from({ length: SIZE }, (_, i) => {
      const n = c * SIZE + i;
      const access = n % 5 === 0 ? 'plus' : n % 7 === 0 ? 'registered' : 'free';
      return {
        slug: `archiv-${n}`, section: SECTIONS[n % SECTIONS.length], headline: `Archiv ${n}: ${sentence().slice(0, 60)}`, teaser: sentence(),
        publishedAt: new Date(Date.UTC(2020, 0, 1) + n * 3_600_000).toISOString(), access, ...(access === 'free' ? {} : { paywallAfter: 2 }),
        authors: [`Autorin ${n % 12}`], blocks: Array.from({ length: 6 }, () => ({ type: 'paragraph', text: `${sentence()} ${sentence()} ${sentence()}` })),
      };
    }),
  });
}

const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'klartext-bench-import-'));
const store = connect({ dataDir });
await migrate(store);
console.log(`bench:import — ${CHUNKS} chunks of ${SIZE} generated articles (6 paragraphs each) into one SQLite database, as \`klartext import\` writes them`);
const times: number[] = [];
for (let c = 0; c < CHUNKS; c++) {
  const doc = parseInterchange(chunk(c));
  const t0 = performance.now();
  await importDocument(store.db, doc, { baseDir: dataDir, dataDir });
  times.push(performance.now() - t0);
  console.log(`chunk ${String(c + 1).padStart(2)}: ${String(c * SIZE).padStart(6)} articles already in → ${(times[c]! / 1000).toFixed(2)} s`);
}
console.log(`last chunk / first chunk: ${(times[times.length - 1]! / times[0]!).toFixed(2)}× (issue 11 measured 113 s / 7 s = 16× at 20,000 before the fix)`);

// At the full size: re-indexing REINDEX articles, by rowid (indexArticle) and the old way (delete by article_id).
const slugs = Array.from({ length: REINDEX }, (_, i) => `archiv-${Math.floor((i * CHUNKS * SIZE) / REINDEX)}`);
const articles = (await Promise.all(slugs.map((s) => getArticleBySlug(store.db, s, { includeScheduled: true })))).filter((a): a is Article => !!a);
type Trx = Parameters<Parameters<ReturnType<typeof store.db.transaction>['execute']>[0]>[0];
const timed = async (fn: (trx: Trx, a: Article) => Promise<void>) => {
  const t0 = performance.now();
  await store.db.transaction().execute(async (trx) => { for (const a of articles) await fn(trx, a); });
  return (performance.now() - t0) / articles.length;
};
const byRowid = await timed((trx, a) => indexArticle(trx, a));
const byScan = await timed(async (trx, a) => {
  await sql`delete from search_documents where article_id = ${a.id}`.execute(trx);
  const rowid = await trx.selectFrom('search_rowids').select('doc_rowid').where('article_id', '=', a.id).executeTakeFirst();
  await sql`insert into search_documents (rowid, article_id, free_text, premium_text) values (${rowid?.doc_rowid ?? null}, ${a.id}, ${a.headline}, ${blocksPlainText(a.blocks)})`.execute(trx);
});
await indexArticle(store.db, articles[0]!); // leave the index as the product writes it
console.log(`re-index one article among ${CHUNKS * SIZE}: by rowid ${byRowid.toFixed(2)} ms | by article_id (before) ${byScan.toFixed(2)} ms`);
await store.close();
await fs.rm(dataDir, { recursive: true, force: true });
