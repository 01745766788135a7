// bench:republish — the guest page rate (article pages, front, sections) of one Klartext server, first without publishing,
// then while another process republishes one article every second (importDocument): exact invalidation keeps the rest cached.
import autocannon from 'autocannon';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import pg from 'pg';
import { fmt, startKlartext } from './bench-servers.ts';
import { connect } from '../src/db/index.ts';
import { getArticleBySlug, importDocument, listArticles, listSections, recordContentChange } from '../src/content/index.ts';
import type { InterchangeArticle } from '../src/content/interchange.schema.ts';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 8);
/** rounds alternate the order (quiet first, then republishing first) so a drifting machine weighs on both alike */
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
/** BENCH_SITE_WIDE=1: each republish also names `nav`, which every HTML page carries — what the old site-wide stamp did */
const SITE_WIDE = process.env.BENCH_SITE_WIDE === '1';
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
/** the article republished: a free one without pictures in its text (the import then costs what a newsroom publish costs) */
const SLUG = process.env.BENCH_SLUG ?? 'muehlentorbruecke-gesperrt';
/** articles added to the demo's 22, so there is a site's worth of cached pages one publish must not empty */
const EXTRA = Number(process.env.BENCH_ARTICLES ?? 1000);

/**
 * BENCH_DATABASE_URL=postgres://…: the server and the publisher share a fresh database on that server (dropped at the
 * end), and the server hears of each change by NOTIFY; without it they share the server's SQLite file and the server polls.
 */
const PG_URL = process.env.BENCH_DATABASE_URL;
const benchDb = `klartext_bench_${randomBytes(4).toString('hex')}`;
const onAdmin = async (statement: string) => {
  const admin = new pg.Client({ connectionString: PG_URL });
  await admin.connect();
  try { await admin.query(statement); } finally { await admin.end(); }
};
let databaseUrl: string | undefined;
if (PG_URL) {
  await onAdmin(`create database ${benchDb}`);
  const u = new URL(PG_URL);
  u.pathname = `/${benchDb}`;
  databaseUrl = u.toString();
}

// Pages live an hour here, so what the two phases differ in is invalidation, not pages expiring in one of them.
const klartext = await startKlartext({ LOG_LEVEL: 'fatal', KLARTEXT_PAGE_CACHE_SECONDS: '3600', ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}) });
// The publishing side is another process with its own connection to the server's database, as `klartext import` would be.
const store = connect({ dataDir: klartext.dataDir, databaseUrl: databaseUrl ?? `sqlite:${path.join(klartext.dataDir, 'klartext.sqlite')}` });

try {
  const demo = await listArticles(store.db, { limit: 100, now: new Date() });
  const texts = await Promise.all(demo.map((a) => getArticleBySlug(store.db, a.slug, { includeScheduled: true })));
  const extra: InterchangeArticle[] = Array.from({ length: EXTRA }, (_, i) => {
    const from = texts[i % texts.length]!;
    return {
      slug: `archiv-${i + 1}`, section: from.section.slug, kicker: from.kicker, headline: `${from.headline} (Archiv ${i + 1})`, teaser: from.teaser,
      access: 'free', publishedAt: new Date(Date.parse(from.publishedAt) - (i + 1) * 3600_000).toISOString(), authors: from.authors.map((a) => a.name),
      blocks: from.blocks.filter((b) => b.type !== 'image') as InterchangeArticle['blocks'],
    };
  });
  if (extra.length) await importDocument(store.db, { articles: extra }, { baseDir: klartext.dataDir, dataDir: klartext.dataDir });
  const now = new Date();
  const articles = await listArticles(store.db, { limit: 100_000, now });
  const sections = await listSections(store.db);
  const paths = ['/', ...sections.map((s) => `/${s.slug}`), ...articles.map((a) => `/artikel/${a.slug}`)];
  const original = (await getArticleBySlug(store.db, SLUG, { now }))!;
  if (!original) throw new Error(`no article ${SLUG} in the demo`);
  if (original.blocks.some((b) => b.type === 'image')) throw new Error(`${SLUG} has pictures in its text: pick one without (BENCH_SLUG)`);
  // the lead picture is left out: importing it would scale it anew each time, which a newsroom publish does not do
  const version = (n: number): InterchangeArticle => ({
    slug: original.slug, section: original.section.slug, kicker: original.kicker, headline: `${original.headline} (Stand ${n})`,
    teaser: original.teaser, access: original.access, paywallAfter: original.paywallAfter, publishedAt: original.publishedAt,
    authors: original.authors.map((a) => a.name), blocks: original.blocks.map((b) => (b.type === 'paragraph' ? { ...b, text: `${b.text} (${n})` } : b)) as InterchangeArticle['blocks'],
  });

  const measure = async (): Promise<{ rps: number; p99: number; non2xx: number; errors: number }> => {
    const r = await autocannon({
      url: klartext.url, connections: CONNECTIONS, duration: SECONDS, headers: { 'accept-encoding': 'br, gzip' },
      requests: paths.map((p) => ({ method: 'GET' as const, path: p })),
    });
    return { rps: r.requests.average, p99: r.latency.p99, non2xx: r.non2xx, errors: r.errors + r.timeouts };
  };

  let published = 0;
  const importMs: number[] = [];
  const republishing = async () => {
    let stop = false;
    const loop = (async () => {
      while (!stop) {
        const started = performance.now();
        await importDocument(store.db, { articles: [version(++published)] }, { baseDir: klartext.dataDir, dataDir: klartext.dataDir });
        if (SITE_WIDE) await recordContentChange(store.db, ['nav']);
        importMs.push(performance.now() - started);
        await new Promise((r) => setTimeout(r, Math.max(0, 1000 - (performance.now() - started))));
      }
    })();
    const result = await measure();
    stop = true;
    await loop;
    return result;
  };

  console.log(`bench:republish on ${PG_URL ? 'PostgreSQL (NOTIFY)' : 'SQLite (polling)'} — ${paths.length} guest pages (front, ${sections.length} sections, ${articles.length} articles, ${EXTRA} of them added to the demo) in turn, ${CONNECTIONS} connections, autocannon, ${SECONDS} s × ${ROUNDS} round(s) each; republished: /artikel/${SLUG}${SITE_WIDE ? ' — SITE-WIDE: every republish drops every page (as the old content stamp did)' : ''}`);
  // every page rendered once, then a warm-up: the measurements start with a full cache
  for (let i = 0; i < paths.length; i += 8) await Promise.all(paths.slice(i, i + 8).map(async (p) => { const r = await fetch(klartext.url + p, { headers: { 'accept-encoding': 'br' } }); await r.arrayBuffer(); }));
  await autocannon({ url: klartext.url, connections: CONNECTIONS, duration: 2, headers: { 'accept-encoding': 'br, gzip' }, requests: paths.map((p) => ({ method: 'GET' as const, path: p })) });
  const quiet: number[] = [];
  const busy: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    let a: Awaited<ReturnType<typeof measure>>;
    let b: typeof a;
    if (i % 2 === 0) { a = await measure(); b = await republishing(); } else { b = await republishing(); a = await measure(); }
    for (const r of [a, b]) if (r.non2xx || r.errors) throw new Error(`${r.non2xx} non-2xx answers, ${r.errors} errors`);
    quiet.push(a.rps); busy.push(b.rps);
    console.log(`round ${i + 1}: without publishing ${fmt(a.rps)} req/s (p99 ${a.p99} ms) | republishing every second ${fmt(b.rps)} req/s (p99 ${b.p99} ms)`);
  }
  const avg = (xs: number[]) => xs.reduce((x, y) => x + y, 0) / xs.length;
  const ratio = avg(busy) / avg(quiet);
  importMs.sort((x, y) => x - y);
  console.log(`without publishing         ${fmt(avg(quiet)).padStart(7)} req/s`);
  console.log(`republishing every second  ${fmt(avg(busy)).padStart(7)} req/s  (${published} republishes, import median ${importMs[importMs.length >> 1]?.toFixed(1)} ms)`);
  console.log(`ratio ${(ratio * 100).toFixed(1)} % (target ≥ 80 %) ${ratio >= 0.8 ? 'OK' : 'BELOW TARGET'}`);
  // the last version reached the server's cached page: the change was seen across processes
  await new Promise((r) => setTimeout(r, 1500));
  const page = await (await fetch(`${klartext.url}/artikel/${SLUG}`)).text();
  const shown = /\(Stand (\d+)\)/.exec(page)?.[1];
  console.log(`the article page shows version ${shown} of ${published}${Number(shown) === published ? '' : ' — STALE'}`);
} finally {
  await store.close();
  await klartext.stop();
  if (PG_URL) await onAdmin(`drop database ${benchDb} with (force)`);
}
