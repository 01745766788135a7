// bench:revenue — the revenue page's queries over a generated big paper (default 200,000 contracts, SQLite): each query's time, median of a few runs.
// BENCH_REVENUE_DB=sqlite:FILE reuses a database made by `klartext demo generate`; otherwise one is generated in a temporary folder.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { connect, migrate, newId, type ChargeRow } from '../src/db/index.ts';
import { addDays, addMonths, berlinDate, berlinMidnight, activeByOfferAt, introConversions, revenueSummary, weeklyRevenue } from '../src/billing/index.ts';
import { generatePaper, generatedPasswordHash } from '../src/demo/index.ts';

const SUBSCRIPTIONS = Number(process.env.BENCH_SUBSCRIPTIONS ?? 200_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const dir = process.env.BENCH_REVENUE_DB ? null : mkdtempSync(path.join(tmpdir(), 'klartext-revenue-'));
const store = connect({ databaseUrl: process.env.BENCH_REVENUE_DB ?? `sqlite:${path.join(dir!, 'bench.db')}`, dataDir: dir ?? tmpdir() });
const now = new Date();

if (dir) {
  await migrate(store);
  const t = performance.now();
  await generatePaper(store, {
    seed: 1, now: new Date(Math.floor(now.getTime() / 3_600_000) * 3_600_000), articles: 100, readers: SUBSCRIPTIONS, subscriptions: SUBSCRIPTIONS,
    passwordHash: await generatedPasswordHash(1, { memoryCost: 1024, timeCost: 1, parallelism: 1 }), paymentKey: Buffer.alloc(32, 7), graceMs: 14 * 86_400_000,
  });
  // the generator writes no charges; give every contract renewed past its intro its first regular charge, due on the
  // first regular day (one in 20 returned), as the billing run would
  const rows = await store.db.selectFrom('subscriptions').select(['id', 'number', 'starts_at', 'price_cents', 'intro_months'])
    .where('kind', '=', 'paid').where('intro_months', '>', 0).where('periods_paid', '>', 1).execute();
  const charges: ChargeRow[] = rows.map((r, i) => {
    const start = berlinMidnight(addMonths(berlinDate(new Date(r.starts_at)), r.intro_months)).toISOString();
    return {
      id: newId(), subscription_id: r.id, kind: 'regular', amount_cents: r.price_cents, period_start: start, period_end: start, due_on: berlinDate(new Date(start)),
      state: i % 20 === 0 ? 'returned' : 'paid', provider: 'sepa', sequence_type: 'RCUR', end_to_end_id: `${r.number}-2`, batch_id: null, external_id: null,
      return_reason: null, created_at: start, updated_at: start,
    };
  });
  for (let i = 0; i < charges.length; i += 500) await store.db.insertInto('charges').values(charges.slice(i, i + 500)).execute();
  console.log(`generated ${SUBSCRIPTIONS} contracts and ${charges.length} charges in ${((performance.now() - t) / 1000).toFixed(1)} s`);
}

const today = berlinDate(now);
const ranges = {
  '30 Tage': { from: addDays(today, -29), to: today },
  '12 Monate': { from: addDays(today, -364), to: today },
  '24 Monate': { from: addDays(today, -729), to: today },
};
const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
/** The slowest single SQL statement of the last call, by this process's CPU time (the target is per query). */
let slowestStatement = 0;
const executor = store.db.getExecutor();
const execute = executor.executeQuery.bind(executor);
executor.executeQuery = (async (query: Parameters<typeof execute>[0]) => {
  const c = process.cpuUsage();
  const result = await execute(query);
  const used = process.cpuUsage(c);
  slowestStatement = Math.max(slowestStatement, (used.user + used.system) / 1000);
  return result;
}) as typeof executor.executeQuery;

/** Wall time, and this process's CPU time: SQLite runs in-process, so on a busy shared machine the CPU time is what a quiet one would take. */
async function time(label: string, fn: () => Promise<unknown>): Promise<void> {
  const ms: number[] = [];
  const cpu: number[] = [];
  const slowest: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    slowestStatement = 0;
    const t = performance.now();
    const c = process.cpuUsage();
    await fn();
    const used = process.cpuUsage(c);
    ms.push(performance.now() - t);
    cpu.push((used.user + used.system) / 1000);
    slowest.push(slowestStatement);
  }
  console.log(`${label.padEnd(52)} ${median(ms).toFixed(0).padStart(5)} ms wall, ${median(cpu).toFixed(0).padStart(4)} ms CPU, slowest statement ${median(slowest).toFixed(0).padStart(4)} ms CPU`);
}
for (const [name, range] of Object.entries(ranges)) {
  const previous = { from: addDays(range.from, -(addDaysBetween(range) + 1)), to: addDays(range.from, -1) };
  await time(`${name}: revenueSummary (+ vorheriger Zeitraum)`, () => revenueSummary(store.db, range, previous, now));
  await time(`${name}: weeklyRevenue (MRR + Zugänge je Woche)`, () => weeklyRevenue(store.db, range, now));
  await time(`${name}: activeByOfferAt`, () => activeByOfferAt(store.db, range, now));
  await time(`${name}: introConversions (2 Zeiträume)`, () => introConversions(store.db, [range, previous], now));
}
await store.close();
if (dir) rmSync(dir, { recursive: true, force: true });

function addDaysBetween(r: { from: string; to: string }): number {
  return Math.round((Date.parse(`${r.to}T12:00:00Z`) - Date.parse(`${r.from}T12:00:00Z`)) / 86_400_000);
}
