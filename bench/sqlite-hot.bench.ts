// bench:sqlite-hot — on a big generated SQLite paper (KLARTEXT_DATA_DIR): the deep section page's listing query and
// search, each against the query main ran before (bounded by `now` only; FTS5 ranking every match), alternately in one run.
import os from 'node:os';
import { sql } from 'kysely';
import { loadConfig, servingConfig } from '../src/config.ts';
import { connect, migrate } from '../src/db/connect.ts';
import { listArticles, listingCursorAt, listSections, searchArticleIds } from '../src/content/index.ts';

const config = servingConfig(loadConfig(process.env as Record<string, string>));
const store = connect({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
if (store.caps.name !== 'sqlite') throw new Error('bench:sqlite-hot is for SQLite: set KLARTEXT_DATA_DIR, not DATABASE_URL');
await migrate(store);
const runs = Number(process.env.BENCH_RUNS ?? 40);
const now = new Date();

/** new and old alternately, so both see the same machine */
async function pair(label: string, fresh: () => Promise<unknown>, old: () => Promise<unknown>): Promise<void> {
  const ms: [number[], number[]] = [[], []];
  for (let i = 0; i < runs + 3; i++) {
    for (const [k, fn] of [[0, fresh], [1, old]] as const) {
      const t0 = process.hrtime.bigint();
      await fn();
      if (i >= 3) ms[k].push(Number(process.hrtime.bigint() - t0) / 1e6);
    }
  }
  const pct = (a: number[], p: number) => a.sort((x, y) => x - y)[Math.min(a.length - 1, Math.ceil(a.length * p) - 1)]!.toFixed(2).padStart(8);
  console.log(`${label.padEnd(44)} now p50 ${pct(ms[0], 0.5)} p99 ${pct(ms[0], 0.99)} ms | before p50 ${pct(ms[1], 0.5)} p99 ${pct(ms[1], 0.99)} ms`);
}

const counts = await store.db.selectFrom('articles').select((eb) => ['section_id', eb.fn.countAll<number>().as('n')]).where('live', '=', 1).groupBy('section_id').execute();
const biggest = counts.sort((a, b) => Number(b.n) - Number(a.n))[0]!;
const section = (await listSections(store.db)).find((s) => s.id === biggest.section_id)!;
console.log(`sqlite: section /${section.slug} has ${biggest.n} articles; ${runs} runs each; load ${os.loadavg().map((x) => x.toFixed(2)).join(' ')}`);
const depth = Math.min(2000, Math.floor(Number(biggest.n) / 12));
const cursor = (await listingCursorAt(store.db, { sectionId: section.id, now }, (depth - 1) * 12 - 1))!;
const iso = now.toISOString();
await pair(`section page ${depth} by keyset (13 rows)`,
  () => listArticles(store.db, { sectionId: section.id, now, limit: 13, olderThan: cursor }),
  () => sql`select id from articles where live = 1 and published_at <= ${iso} and section_id = ${section.id} and (published_at, id) < (${cursor.publishedAt}, ${cursor.id}) order by published_at desc, id desc limit 13`.execute(store.db));
for (const q of ['Haushalt', 'Haushalt Stadtrat', 'Bibliothek', 'Brackenau', 'Kirschblütenallee']) {
  const match = `free_text : (${q.toLowerCase().split(' ').map((t) => `"${t}"*`).join(' AND ')})`;
  await pair(`search „${q}“ (ids, free text)`,
    () => searchArticleIds(store.db, store.caps, q, { includePremium: false, limit: 20, now }),
    () => sql`select search_documents.article_id from search_documents inner join articles on articles.id = search_documents.article_id where search_documents match ${match} and articles.live = 1 and articles.published_at <= ${iso} order by rank limit 20`.execute(store.db));
}
console.log(`load ${os.loadavg().map((x) => x.toFixed(2)).join(' ')}`);
await store.close();
