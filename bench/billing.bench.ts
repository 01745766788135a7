// bench:billing — one billing run over 100,000 SEPA subscriptions due for renewal, on SQLite and PostgreSQL: seconds, peak RSS, charges, invoices, pain.008 size.
import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import { statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { randomBytes } from 'node:crypto';
import { loadConfig } from '../src/config.ts';
import { connect, migrate, newId, type SepaMandateRow, type Store } from '../src/db/index.ts';
import { outboxMailer } from '../src/mail/index.ts';
import { berlinMidnight, createBillingContext, runBilling, sealPaymentData, type BillingContext } from '../src/billing/index.ts';
import { newSubscriptionRow, type Subscription } from '../src/billing/subscription.store.ts';

const COUNT = Number(process.env.BENCH_SUBSCRIPTIONS ?? 100_000);
const PG_URL = process.env.DATABASE_URL_TEST ?? 'postgres://postgres@127.0.0.1:5432/test';
/** The run happens on the morning of 1 December (Berlin); every contract's period ended at midnight. */
const PERIOD_END = berlinMidnight('2026-12-01').toISOString();
const RUN_AT = new Date(berlinMidnight('2026-12-01').getTime() + 6 * 3_600_000);
const IBANS = ['DE89370400440532013000', 'DE02120300000000202051'];

function billingContext(dataDir: string, store: Store): BillingContext {
  const config = loadConfig({ KLARTEXT_DATA_DIR: dataDir });
  return createBillingContext({ config, store, mailer: outboxMailer(store.db, { keepSecrets: false }), clock: () => RUN_AT, siteName: 'Klartext', baseUrl: 'http://localhost:3000' });
}

/** Bulk rows straight into the tables (the checkout is not what is measured): subscriptions, one used mandate each. */
async function seed(ctx: BillingContext): Promise<void> {
  const created = berlinMidnight('2026-09-01').toISOString();
  const CHUNK = 500;
  for (let i = 0; i < COUNT; i += CHUNK) {
    const subs: Subscription[] = [];
    const mandates: SepaMandateRow[] = [];
    for (let j = i; j < Math.min(COUNT, i + CHUNK); j++) {
      const id = newId();
      const number = `KT-B${String(j).padStart(7, '0')}`;
      subs.push(newSubscriptionRow({
        id, number, user_id: null, kind: 'paid', provider: 'sepa', state: 'active', starts_at: created, offer_name: 'Klartext Plus', price_cents: 999,
        period: 'month', intro_price_cents: 99, intro_months: 1, periods_paid: 3, current_period_start: berlinMidnight('2026-11-01').toISOString(),
        current_period_end: PERIOD_END, access_until: PERIOD_END, holder_name: `Leserin ${j}`, buyer_email: `leserin${j}@example.de`, created_at: created, updated_at: created,
      }));
      mandates.push({
        id: newId(), subscription_id: id, reference: `${number}-M1`, holder_sealed: sealPaymentData(`Leserin ${j}`, ctx.paymentKey, 'holder'),
        iban_sealed: sealPaymentData(IBANS[j % 2]!, ctx.paymentKey, 'iban'), iban_masked: 'DE89 **** 3000', bic: null, signed_on: '2026-09-01',
        first_collected_at: created, revoked_at: null, created_at: created,
      });
    }
    await ctx.db.transaction().execute(async (trx) => {
      await trx.insertInto('subscriptions').values(subs).execute();
      await trx.insertInto('sepa_mandates').values(mandates).execute();
    });
  }
}

interface RunResult { stepMs: Record<string, number>; seconds: number; cpuSeconds: number; maxRssMb: number; renewed: number; charges: number; invoices: number; events: number; fileBytes: number; file: string }

/** The measured part, in a process of its own so its peak RSS (getrusage) is the billing run's alone. */
async function child(dataDir: string, databaseUrl: string, schema: string): Promise<void> {
  const store = connect({ databaseUrl, dataDir, ...(schema ? { pgSchema: schema } : {}) });
  const ctx = billingContext(dataDir, store);
  const t0 = performance.now();
  const report = await runBilling(ctx, { at: RUN_AT });
  const seconds = (performance.now() - t0) / 1000;
  const count = async (table: 'charges' | 'invoices' | 'subscription_events') => Number((await store.db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
  const result: RunResult = {
    stepMs: report.stepMs, seconds, cpuSeconds: (process.resourceUsage().userCPUTime + process.resourceUsage().systemCPUTime) / 1e6, maxRssMb: process.resourceUsage().maxRSS / 1024, renewed: report.renewed, charges: await count('charges'), invoices: await count('invoices'),
    events: await count('subscription_events'), fileBytes: report.batch ? statSync(report.batch.file).size : 0, file: report.batch?.file ?? '',
  };
  await store.close();
  process.stdout.write(`RESULT ${JSON.stringify(result)}\n`);
}

function runChild(dataDir: string, databaseUrl: string, schema: string): Promise<RunResult> {
  const nodeArgs = (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);
  return new Promise((resolve, reject) => {
    const c = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', 'bench/billing.bench.ts', '--child', dataDir, databaseUrl, schema], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    c.stdout.on('data', (d: Buffer) => { out += d.toString(); });
    c.once('exit', (code) => {
      const m = /RESULT (.*)/.exec(out);
      if (code === 0 && m) resolve(JSON.parse(m[1]!) as RunResult); else reject(new Error(`billing run exited ${code}: ${out.slice(-2000)}`));
    });
  });
}

async function benchEngine(engine: 'sqlite' | 'postgres'): Promise<void> {
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'klartext-bench-billing-'));
  let databaseUrl = `sqlite:${path.join(dataDir, 'klartext.sqlite')}`;
  let schema = '';
  try {
    if (engine === 'postgres') {
      schema = `bench_${randomBytes(5).toString('hex')}`;
      const admin = new pg.Client({ connectionString: PG_URL });
      await admin.connect();
      await admin.query(`create schema ${schema}`);
      await admin.end();
      databaseUrl = PG_URL;
    }
    const store = connect({ databaseUrl, dataDir, ...(schema ? { pgSchema: schema } : {}) });
    await migrate(store);
    const t0 = performance.now();
    await seed(billingContext(dataDir, store));
    console.log(`${engine}: ${COUNT} subscriptions seeded in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    await store.close();
    const r = await runChild(dataDir, databaseUrl, schema);
    console.log(`${engine}: billing run ${r.seconds.toFixed(1)} s (CPU ${r.cpuSeconds.toFixed(1)} s), peak RSS ${r.maxRssMb.toFixed(0)} MB, renewed ${r.renewed}, charges ${r.charges}, invoices ${r.invoices}, `
      + `history lines ${r.events}, pain.008 ${(r.fileBytes / 1e6).toFixed(1)} MB  (targets: ≤ 60 s, ≤ 300 MB)`);
    console.log(`${engine}: steps ${Object.entries(r.stepMs).map(([k, v]) => `${k} ${(v / 1000).toFixed(1)} s`).join(', ')}`);
  } finally {
    if (schema) {
      const admin = new pg.Client({ connectionString: PG_URL });
      await admin.connect();
      await admin.query(`drop schema ${schema} cascade`);
      await admin.end();
    }
    await fs.rm(dataDir, { recursive: true, force: true });
  }
}

async function postgresReachable(): Promise<boolean> {
  const c = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 2000 });
  try { await c.connect(); await c.end(); return true; } catch { return false; }
}

if (process.argv[2] === '--child') {
  await child(process.argv[3]!, process.argv[4]!, process.argv[5] ?? '');
} else {
  const engines = (process.env.BENCH_ENGINES ?? 'sqlite,postgres').split(',');
  if (engines.includes('sqlite')) await benchEngine('sqlite');
  if (engines.includes('postgres')) {
    if (await postgresReachable()) await benchEngine('postgres');
    else console.log(`postgres: not reachable at ${PG_URL.replace(/\/\/[^@]*@/, '//…@')}, skipped`);
  }
}
