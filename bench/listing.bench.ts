// bench:listing — on a big generated paper (DATABASE_URL, or the SQLite in KLARTEXT_DATA_DIR): section pages by keyset vs by
// OFFSET at the same depth, the sitemap index and a month file vs the old single sitemap, and search; all in one run.
import pino from 'pino';
import { loadConfig, servingConfig } from '../src/config.ts';
import { connect, migrate } from '../src/db/connect.ts';
import { createApp } from '../src/web/app.tsx';
import { listArticles, listSections, searchArticleIds } from '../src/content/index.ts';

const config = servingConfig(loadConfig({ ...process.env, KLARTEXT_PAGE_CACHE_SECONDS: '0' } as Record<string, string>));
const store = connect({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
await migrate(store);
const k = createApp({ config, store, logger: pino({ level: 'silent' }), clientJs: '' });
await k.ready;
const runs = Number(process.env.BENCH_RUNS ?? 40);
const now = new Date();

async function time(fn: () => Promise<unknown>): Promise<{ p50: number; p99: number }> {
  for (let i = 0; i < 3; i++) await fn();
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = process.hrtime.bigint();
    await fn();
    ms.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  ms.sort((a, b) => a - b);
  return { p50: ms[Math.floor(ms.length / 2)]!, p99: ms[Math.min(ms.length - 1, Math.ceil(ms.length * 0.99) - 1)]! };
}
const show = (label: string, r: { p50: number; p99: number }) => console.log(`${label.padEnd(58)} p50 ${r.p50.toFixed(2).padStart(8)} ms  p99 ${r.p99.toFixed(2).padStart(8)} ms`);
const page = async (p: string) => {
  k.pageCache.clear();
  const res = await k.app.request(`${config.publicUrl}${p}`);
  if (res.status !== 200) throw new Error(`${p} answered ${res.status}`);
  await res.arrayBuffer();
};

const total = await store.db.selectFrom('articles').select((eb) => eb.fn.countAll<string | number>().as('n')).where('live', '=', 1).executeTakeFirstOrThrow();
const counts = await store.db.selectFrom('articles').select((eb) => ['section_id', eb.fn.countAll<string | number>().as('n')]).where('live', '=', 1).groupBy('section_id').execute();
const biggest = counts.sort((a, b) => Number(b.n) - Number(a.n))[0]!;
const section = (await listSections(store.db)).find((s) => s.id === biggest.section_id)!;
const pages = Math.floor(Number(biggest.n) / 12);
const depth = Math.min(2000, pages);
console.log(`${store.caps.name}: ${Number(total.n)} live articles; section /${section.slug} has ${Number(biggest.n)} (${pages} pages of 12); ${runs} runs each, page cache off; load ${(await import('node:os')).loadavg().map((x) => x.toFixed(2)).join(' ')}`);

const deepUrl = (await k.app.request(`${config.publicUrl}/${section.slug}?seite=${depth}`)).headers.get('location')!;
show(`section page 1, rendered (keyset)`, await time(() => page(`/${section.slug}`)));
show(`section page ${depth}, rendered (keyset, ?vor=)`, await time(() => page(deepUrl)));
show(`section page ${depth}: the old OFFSET query alone (baseline)`, await time(() => listArticles(store.db, { sectionId: section.id, limit: 12, offset: (depth - 1) * 12, now })));
show(`old ?seite=${depth} link: redirect to its cursor`, await time(async () => {
  const r = await k.app.request(`${config.publicUrl}/${section.slug}?seite=${depth}`);
  if (r.status !== 302) throw new Error(`?seite answered ${r.status}`);
}));
show('front page, rendered', await time(() => page('/')));
show('sitemap index, rendered', await time(() => page('/sitemap.xml')));
const index = await (await k.app.request(`${config.publicUrl}/sitemap.xml`)).text();
const file = [...index.matchAll(/<loc>[^<]*?(\/sitemaps\/artikel-[^<]+)<\/loc>/g)].map((m) => m[1]!).at(-2)!;
show(`one month file ${file}, rendered`, await time(() => page(file)));
show('the old single sitemap query (50,000 newest, baseline)', await time(() => listArticles(store.db, { limit: 50_000, now })));
for (const q of ['Bibliothek', 'Haushalt Stadtrat', 'Brackenau']) {
  show(`search „${q}“ (ids, free text)`, await time(() => searchArticleIds(store.db, store.caps, q, { includePremium: false, limit: 20, now })));
}
await k.close();
await store.close();
