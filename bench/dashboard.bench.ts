// bench:dashboard — the insights dashboard's queries over 10 million raw events (the last 90 days) and two years of daily
// rollups with their summaries (migration 015): every query the overview and the article page run, timed (p50 and max,
// and the CPU it took), target ≤ 200 ms each. SQLite always; PostgreSQL too when DATABASE_URL points at one (or
// BENCH_PG_URL); BENCH_ENGINES=sqlite or =postgres runs one. Also exported as runDashboardBench for bench:events.
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { sql, type Kysely } from 'kysely';
import { connect, migrate, type Store } from '../src/db/connect.ts';
import type { Database } from '../src/db/index.ts';
import { articleInsights, authorInsights, dailyCounts, institutionUsage, rebuildSummaries, sectionInsights, topArticlesByOrders, type DaySpan } from '../src/analytics/index.ts';
import { berlinDate } from '../src/berlin-time.ts';

export interface DashboardBenchOptions {
  /** raw events spread over the last 90 days (default 10,000,000) */
  rawEvents?: number;
  /** days of rollups in all (default 730: two years) */
  rollupDays?: number;
  /** articles in the archive (default 3,000) */
  articles?: number;
  runs?: number;
  log?: (line: string) => void;
}
/** wall time p50 and max; `cpu`: median CPU of one call — this process (SQLite runs in it) plus, on PostgreSQL, the server backend */
export interface QueryTiming { label: string; p50: number; max: number; cpu: number; rows: number }

const RAW_DAYS = 90;
const SECTIONS = 8;
const AUTHORS = 40;
const TARGET_MS = 200;

const dayOf = (today: string, back: number) => new Date(Date.parse(`${today}T12:00:00Z`) - back * 86_400_000).toISOString().slice(0, 10);

/** The paper: sections, authors (one or two per article), articles — a third of them Plus. */
async function fillPaper(db: Kysely<Database>, engine: string, articles: number): Promise<void> {
  const at = '2024-01-01T08:00:00.000Z';
  await db.insertInto('sections').values(Array.from({ length: SECTIONS }, (_, i) => ({ id: `bs${i}`, slug: `bench-ressort-${i}`, name: `Ressort ${i + 1}`, position: 100 + i, description: '' }))).execute();
  await db.insertInto('authors').values(Array.from({ length: AUTHORS }, (_, i) => ({ id: `ba${i}`, slug: `bench-autor-${i}`, name: `Autorin ${i + 1}`, bio: '', user_id: null }))).execute();
  const series = engine === 'postgres'
    ? sql`select g as i from generate_series(0, ${sql.lit(articles - 1)}) g`
    : sql`with recursive n(i) as (select 0 union all select i + 1 from n where i < ${sql.lit(articles - 1)}) select i from n`;
  await sql`insert into articles (id, slug, section_id, kicker, headline, teaser, access, paywall_after, blocks_json, image_id, image_caption, image_credit, published_at, updated_at, created_at, live)
    select 'bart' || i, 'bench-artikel-' || i, 'bs' || (i % ${sql.lit(SECTIONS)}), '', 'Artikel Nummer ' || i, '', case when i % 3 = 0 then 'plus' else 'free' end, 1, '[]', null, '', '', ${at}, ${at}, ${at}, 1
    from (${series}) s`.execute(db);
  await sql`insert into article_authors (article_id, author_id, position) select 'bart' || i, 'ba' || (i % ${sql.lit(AUTHORS)}), 0 from (${series}) s`.execute(db);
  await sql`insert into article_authors (article_id, author_id, position) select 'bart' || i, 'ba' || ((i * 7 + 3) % ${sql.lit(AUTHORS)}), 1 from (${series}) s where i % 5 = 0 and (i * 7 + 3) % ${sql.lit(AUTHORS)} <> i % ${sql.lit(AUTHORS)}`.execute(db);
}

/**
 * Raw events of the last 90 days, made in SQL (no round trips): kinds in realistic shares, articles skewed to a moving
 * window of recent ones with a long tail (the product of two uniform numbers), views detailed with the article's access.
 */
async function fillRawEvents(db: Kysely<Database>, engine: string, today: string, n: number, articles: number): Promise<void> {
  const batch = 1_000_000;
  for (let start = 0; start < n; start += batch) {
    const end = Math.min(n, start + batch) - 1;
    const series = engine === 'postgres'
      ? sql`select g::bigint as i from generate_series(${sql.lit(start)}::bigint, ${sql.lit(end)}::bigint) g`
      : sql`with recursive n(i) as (select ${sql.lit(start)} union all select i + 1 from n where i < ${sql.lit(end)}) select i from n`;
    const h1 = sql`((i * 2654435761) % 4294967296)`;
    const back = sql`(i % ${sql.lit(RAW_DAYS)})`;
    const dayExpr = engine === 'postgres' ? sql`to_char(${today}::date - ${back}::int, 'YYYY-MM-DD')` : sql`date(${today}, '-' || ${back} || ' days')`;
    // kinds that only happen on a Plus article's paywall go to the Plus article next to the one drawn (every third is Plus)
    const plusOnly = sql`e.kind in ('paywall', 'offer_click', 'checkout', 'order', 'registration')`;
    await sql`insert into analytics_events (at, day, kind, article_id, offer_id, variant_id, institution_id, detail)
      select e.day || 'T10:00:00.000Z', e.day, e.kind, 'bart' || (case when ${plusOnly} then e.a - e.a % 3 else e.a end),
        case when e.kind in ('offer_click', 'checkout', 'order') then 'plus-digital' end, null,
        case when e.kind = 'institution_unlock' then 'binst' || (e.a % 5) end,
        case when e.kind = 'view' then (case when e.a % 3 = 0 then 'plus' else 'free' end)
             when e.kind = 'paywall' then (case e.h % 5 when 0 then 'guest' when 1 then 'meter-left' when 2 then 'meter-used' when 3 then 'no-meter' else 'verify' end) end
      from (select ${dayExpr} as day,
          case when ${h1} % 1000 < 680 then 'view' when ${h1} % 1000 < 930 then 'paywall' when ${h1} % 1000 < 945 then 'offer_click'
               when ${h1} % 1000 < 952 then 'checkout' when ${h1} % 1000 < 955 then 'order' when ${h1} % 1000 < 959 then 'registration'
               when ${h1} % 1000 < 994 then 'meter_unlock' when ${h1} % 1000 < 997 then 'gift_open' else 'institution_unlock' end as kind,
          ((${back} * 17) + ((${h1} / 1000) % ${sql.lit(articles)}) * ((${h1} / 7919) % ${sql.lit(articles)}) / ${sql.lit(articles)}) % ${sql.lit(articles)} as a,
          ${h1} / 13 as h
        from (${series}) s) e`.execute(db);
  }
}

/** What the rollup job makes of a day's raw events: one row per day and combination, with the article's section. */
async function rollUpRaw(db: Kysely<Database>): Promise<void> {
  await sql`insert into analytics_daily (day, kind, article_id, offer_id, variant_id, institution_id, detail, section_id, count)
    select e.day, e.kind, coalesce(e.article_id, ''), coalesce(e.offer_id, ''), coalesce(e.variant_id, ''), coalesce(e.institution_id, ''), coalesce(e.detail, ''),
      coalesce(max(a.section_id), ''), count(*)
    from analytics_events e left join articles a on a.id = e.article_id
    group by e.day, e.kind, coalesce(e.article_id, ''), coalesce(e.offer_id, ''), coalesce(e.variant_id, ''), coalesce(e.institution_id, ''), coalesce(e.detail, '')`.execute(db);
}

/**
 * Rollups of the older days (raw events long deleted): per day about 1,500 articles viewed, paywall rows per meter state
 * for the Plus ones among them, clicks, checkouts, orders, registrations and unlocks — the shape the raw days have.
 */
async function fillOldRollups(db: Kysely<Database>, engine: string, today: string, fromBack: number, toBack: number, articles: number): Promise<void> {
  const days = engine === 'postgres'
    ? sql`select b, to_char(${today}::date - b, 'YYYY-MM-DD') as day from generate_series(${sql.lit(fromBack)}::int, ${sql.lit(toBack)}::int) b`
    : sql`select b, date(${today}, '-' || b || ' days') as day from (with recursive n(b) as (select ${sql.lit(fromBack)} union all select b + 1 from n where b < ${sql.lit(toBack)}) select b from n)`;
  const slots = (k: number) => (engine === 'postgres'
    ? sql`select j from generate_series(0, ${sql.lit(k - 1)}) j`
    : sql`with recursive m(j) as (select 0 union all select j + 1 from m where j < ${sql.lit(k - 1)}) select j from m`);
  const art = sql`((d.b * 17 + s.j * 2) % ${sql.lit(articles)})`;
  const section = sql`'bs' || (${art} % ${sql.lit(SECTIONS)})`;
  const insert = (kind: string, k: number, where: ReturnType<typeof sql>, detail: ReturnType<typeof sql>, offer: string, count: ReturnType<typeof sql>) =>
    sql`insert into analytics_daily (day, kind, article_id, offer_id, variant_id, institution_id, detail, section_id, count)
      select d.day, ${kind}, 'bart' || ${art}, ${offer}, '', '', ${detail}, ${section}, ${count}
      from (${days}) d cross join (${slots(k)}) s where ${where}`.execute(db);
  const plus = sql`${art} % 3 = 0`;
  await insert('view', 1500, sql`1 = 1`, sql`case when ${art} % 3 = 0 then 'plus' else 'free' end`, '', sql`5 + (s.j * 37 + d.b) % 90`);
  for (const detail of ['guest', 'meter-used', 'no-meter']) await insert('paywall', 1500, plus, sql`${detail}`, '', sql`2 + (s.j * 13 + d.b) % 30`);
  await insert('offer_click', 150, plus, sql`''`, 'plus-digital', sql`1 + (s.j + d.b) % 4`);
  await insert('checkout', 80, plus, sql`''`, 'plus-digital', sql`1 + (s.j + d.b) % 2`);
  await insert('order', 40, plus, sql`''`, 'plus-digital', sql`1`);
  await insert('registration', 60, plus, sql`''`, '', sql`1`);
  await insert('meter_unlock', 300, plus, sql`''`, '', sql`1 + (s.j + d.b) % 6`);
}

/** CPU milliseconds so far of this process, plus the PostgreSQL backend's when its pid is known (from /proc, 10 ms ticks). */
async function cpuNow(backendPid: number | null): Promise<number> {
  const own = process.cpuUsage();
  let server = 0;
  if (backendPid) {
    const stat = await fs.readFile(`/proc/${backendPid}/stat`, 'utf8').catch(() => '');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    server = (Number(fields[11] ?? 0) + Number(fields[12] ?? 0)) * 10;
  }
  return (own.user + own.system) / 1000 + server;
}

async function timeIt(fn: () => Promise<number>, runs: number, backendPid: number | null): Promise<{ p50: number; max: number; cpu: number; rows: number }> {
  let rows = await fn();
  const ms: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < runs; i++) {
    const c0 = await cpuNow(backendPid);
    const t0 = process.hrtime.bigint();
    rows = await fn();
    ms.push(Number(process.hrtime.bigint() - t0) / 1e6);
    cpu.push(await cpuNow(backendPid) - c0);
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  return { p50: median(ms), max: Math.max(...ms), cpu: median(cpu), rows };
}

/** Fills a migrated, empty store: the paper, raw events of the last 90 days, their rollups, older rollups. */
export async function fillDashboardData(store: Store, o: DashboardBenchOptions = {}): Promise<void> {
  const log = o.log ?? ((line: string) => process.stdout.write(`${line}\n`));
  const db = store.db;
  const engine = store.caps.name;
  const raw = o.rawEvents ?? 10_000_000;
  const totalDays = o.rollupDays ?? 730;
  const articles = o.articles ?? 3_000;
  const today = berlinDate(new Date());
  let t0 = Date.now();
  await fillPaper(db, engine, articles);
  await fillRawEvents(db, engine, today, raw, articles);
  log(`${engine}: ${raw.toLocaleString('de-DE')} raw events over ${RAW_DAYS} days written in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
  t0 = Date.now();
  await rollUpRaw(db);
  await fillOldRollups(db, engine, today, RAW_DAYS, totalDays - 1, articles);
  const count = await db.selectFrom('analytics_daily').select((eb) => eb.fn.countAll<string | number>().as('n')).executeTakeFirstOrThrow();
  log(`${engine}: ${Number(count.n).toLocaleString('de-DE')} rollup rows over ${totalDays} days written in ${((Date.now() - t0) / 1000).toFixed(0)} s; load ${os.loadavg().map((x) => x.toFixed(1)).join(' ')}`);
  // the rollups were written past the rollup job (which keeps the summaries day by day): built in one go, as migration 015 does
  t0 = Date.now();
  const cpu0 = process.cpuUsage();
  await rebuildSummaries(db, dayOf(today, totalDays - 1), today);
  const cpu = process.cpuUsage(cpu0);
  const [days, months] = await Promise.all(['analytics_day_totals', 'analytics_article_months'].map((table) =>
    db.selectFrom(table as 'analytics_day_totals').select((eb) => eb.fn.countAll<string | number>().as('n')).executeTakeFirstOrThrow()));
  log(`${engine}: summaries rebuilt in ${((Date.now() - t0) / 1000).toFixed(1)} s (CPU of this process ${((cpu.user + cpu.system) / 1e6).toFixed(1)} s): `
    + `${Number(days!.n).toLocaleString('de-DE')} day totals, ${Number(months!.n).toLocaleString('de-DE')} article months`);
  await sql`analyze`.execute(db);
}

/** Times every query the overview and the article page run, for every preset range (7 days to 24 months). */
export async function timeDashboardQueries(store: Store, o: { runs?: number; tag?: string; log?: (line: string) => void } = {}): Promise<QueryTiming[]> {
  const log = o.log ?? ((line: string) => process.stdout.write(`${line}\n`));
  const db = store.db;
  const engine = store.caps.name;
  const runs = o.runs ?? 7;
  const today = berlinDate(new Date());
  // the bench's PostgreSQL store has one connection: its backend's CPU is the queries'
  const backendPid = engine === 'postgres' ? Number((await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(db)).rows[0]!.pid) : null;
  const span = (days: number): DaySpan => ({ from: dayOf(today, days - 1), to: today });
  const withPrevious = (days: number): DaySpan => ({ from: dayOf(today, 2 * days - 1), to: today });
  const q = { limit: 50, offset: 0 } as const;
  const cases: [string, () => Promise<number>][] = [];
  for (const [name, days] of [['7 Tage', 7], ['30 Tage', 30], ['90 Tage', 90], ['12 Monate', 365], ['24 Monate', 730]] as const) {
    cases.push([`overview ${name}: daily counts with previous range`, async () => (await dailyCounts(db, withPrevious(days))).length]);
    cases.push([`overview ${name}: top 5 articles by orders`, async () => (await topArticlesByOrders(db, span(days), 5)).length]);
    cases.push([`articles ${name}: by views, page 1`, async () => (await articleInsights(db, span(days), { ...q, sort: 'aufrufe', direction: 'ab' })).rows.length]);
    cases.push([`articles ${name}: per section`, async () => (await sectionInsights(db, span(days))).length]);
    cases.push([`articles ${name}: per author`, async () => (await authorInsights(db, span(days))).length]);
    cases.push([`institutions ${name}: unlocks`, async () => (await institutionUsage(db, span(days))).length]);
  }
  cases.push(['articles 24 Monate: by conversion, page 3', async () => (await articleInsights(db, span(730), { ...q, offset: 100, sort: 'konversion', direction: 'ab' })).rows.length]);
  cases.push(['articles 24 Monate: by title', async () => (await articleInsights(db, span(730), { ...q, sort: 'titel', direction: 'auf' })).rows.length]);
  cases.push(['articles 24 Monate: one section', async () => (await articleInsights(db, span(730), { ...q, sectionId: 'bs3', sort: 'aufrufe', direction: 'ab' })).rows.length]);
  cases.push(['articles 24 Monate: one author', async () => (await articleInsights(db, span(730), { ...q, authorId: 'ba7', sort: 'aufrufe', direction: 'ab' })).rows.length]);
  cases.push(['articles 24 Monate: CSV (every article)', async () => (await articleInsights(db, span(730), { limit: 50_000, offset: 0, sort: 'aufrufe', direction: 'ab' })).rows.length]);
  // a range whose edges cut two months near their middle: the most edge days a range reads from analytics_daily
  const mid = { from: `${dayOf(today, 400).slice(0, 7)}-16`, to: `${dayOf(today, 40).slice(0, 7)}-15` };
  cases.push([`articles ${mid.from} … ${mid.to}: by views, page 1`, async () => (await articleInsights(db, mid, { ...q, sort: 'aufrufe', direction: 'ab' })).rows.length]);
  cases.push([`articles ${mid.from} … ${mid.to}: per section`, async () => (await sectionInsights(db, mid)).length]);

  const results: QueryTiming[] = [];
  for (const [label, fn] of cases) {
    const r = await timeIt(fn, runs, backendPid);
    const name = o.tag ? `${label} ${o.tag}` : label;
    results.push({ label: name, ...r });
    log(`${engine.padEnd(8)} ${name.padEnd(58)} p50 ${r.p50.toFixed(1).padStart(7)} ms  max ${r.max.toFixed(1).padStart(7)} ms  CPU ${r.cpu.toFixed(0).padStart(5)} ms  ${String(r.rows).padStart(5)} rows  ${r.max > TARGET_MS ? '> 200 ms' : 'ok'}`);
  }
  log(`${engine}: load ${os.loadavg().map((x) => x.toFixed(1)).join(' ')}`);
  return results;
}

/** The whole bench on one store: fill (with the summaries), then time. */
export async function runDashboardBench(store: Store, o: DashboardBenchOptions = {}): Promise<QueryTiming[]> {
  await fillDashboardData(store, o);
  return timeDashboardQueries(store, o);
}

async function sqliteStore(): Promise<{ store: Store; cleanup: () => Promise<void> }> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'klartext-bench-dashboard-'));
  const store = connect({ databaseUrl: `sqlite:${path.join(dir, 'bench.db')}`, dataDir: dir });
  await migrate(store);
  return { store, cleanup: async () => { await store.close(); await fs.rm(dir, { recursive: true, force: true }); } };
}

async function postgresStore(url: string): Promise<{ store: Store; cleanup: () => Promise<void> }> {
  const schema = `bench_dashboard_${process.pid}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`create schema ${schema}`);
  const store = connect({ databaseUrl: url, dataDir: '/nonexistent', pgSchema: schema, poolSize: 1 });
  await migrate(store);
  return { store, cleanup: async () => { await store.close(); await admin.query(`drop schema ${schema} cascade`); await admin.end(); } };
}

/**
 * The whole dashboard half of `bench:events` (and `bench:dashboard` alone): fills each engine (SQLite; PostgreSQL with
 * BENCH_PG_URL or a postgres DATABASE_URL) and times every query; true when every one stayed within the target.
 */
export async function runDashboardBenchAll(): Promise<boolean> {
  const o: DashboardBenchOptions = {
    rawEvents: Number(process.env.BENCH_RAW_EVENTS ?? 10_000_000), rollupDays: Number(process.env.BENCH_ROLLUP_DAYS ?? 730), runs: Number(process.env.BENCH_RUNS ?? 7),
  };
  const engines = (process.env.BENCH_ENGINES ?? 'sqlite,postgres').split(',');
  const pgUrl = process.env.BENCH_PG_URL ?? (process.env.DATABASE_URL?.startsWith('postgres') ? process.env.DATABASE_URL : undefined);
  const all: QueryTiming[] = [];
  for (const engine of engines) {
    if (engine === 'postgres' && !pgUrl) { process.stdout.write('postgres: skipped (set BENCH_PG_URL or a postgres DATABASE_URL)\n'); continue; }
    const { store, cleanup } = engine === 'postgres' ? await postgresStore(pgUrl!) : await sqliteStore();
    try { all.push(...await runDashboardBench(store, o)); } finally { await cleanup(); }
  }
  const over = all.filter((r) => r.max > TARGET_MS);
  const cpuOver = all.filter((r) => r.cpu > TARGET_MS);
  process.stdout.write(over.length === 0 ? `every query ≤ ${TARGET_MS} ms (max)\n` : `${over.length} of ${all.length} queries above ${TARGET_MS} ms (max); by CPU: ${cpuOver.length}\n`);
  return over.length === 0;
}

if (import.meta.url === `file://${process.argv[1]}`) await runDashboardBenchAll();
