// Loads config, opens and migrates the database, seeds the demo when empty, builds the app, serves, shuts down cleanly.
import http, { type RequestListener } from 'node:http';
import { loadConfig, servingConfig, ConfigError, type Config } from './config.ts';
import { connect, ensurePrivateDir, migrate, type Store } from './db/index.ts';
import { createApp } from './web/app.tsx';
import { CLEANUP_HOUR_BERLIN, CLEANUP_JOB_KIND, createJobRunner, runDailyCleanup } from './jobs/index.ts';
import { newsroomJobHandlers } from './newsroom/index.ts';
import { runBilling } from './billing/index.ts';
import { PARTIAL_ROLLUP_EVERY_MS, queuePartialRollup, ROLLUP_HOUR_BERLIN, ROLLUP_JOB_KIND, runAnalyticsRollup } from './analytics/index.ts';
import type { Logger } from 'pino';
import { sql } from 'kysely';
import { createLogger } from './logger.ts';
import { buildClient } from './client/build.ts';
import { seedDemoIfEmpty, seedDemoAdminIfNoUsers, seedOffersIfNone } from './cli/seed.ts';
import { loadMasterKeyRing } from './access/index.ts';
import { assertMasterKeysOpen } from './ops/index.ts';
import { DomainError } from './domain-error.ts';

/**
 * Migrations and the first start's demo data, offers and admin: once per start, before any process serves.
 * With `serve --workers N` the cluster primary runs it alone, so N workers never seed an empty database N times.
 */
export async function prepareDatabase(config: Readonly<Config>, logger: Logger): Promise<void> {
  // Created 0700 when missing; a directory the operator made is theirs to set, but a loose one is worth a warning.
  const looseDataDir = ensurePrivateDir(config.dataDir);
  if (looseDataDir) logger.warn({ dataDir: config.dataDir }, looseDataDir);
  const store: Store = connect({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, poolSize: 3 });
  try {
    await oneAtATime(store, async () => {
      const applied = await migrate(store);
      if (applied.length) logger.info({ applied }, 'migrations applied');
      // A wrong KLARTEXT_MASTER_KEY (or a rotated-away one) stops the start with one line, instead of failing every Plus page.
      await assertMasterKeysOpen(store.db, loadMasterKeyRing(config.dataDir, config.masterKey, config.masterKeyPrevious));
      // the admin first: the demo history brings its own (login-less) readers, and a site without accounts needs a way in
      const admin = await seedDemoAdminIfNoUsers(store);
      const seeded = await seedDemoIfEmpty(store, config);
      if (seeded) logger.info({ articles: seeded.articles, history: seeded.history }, 'demo newspaper seeded');
      if (await seedOffersIfNone(store)) logger.info('demo offers created (Plus Digital, Plus Digital Jahr, Geschenk-Abo)');
      if (admin) {
        logger.info({ email: admin.email }, 'demo admin created');
        if (config.logLevel !== 'silent') process.stdout.write(`\nKlartext: Administrator-Konto angelegt (erster Start, noch keine Konten)\n  E-Mail:   ${admin.email}\n  Passwort: ${admin.password}\n  Anmelden unter /anmelden; das Passwort wird nicht noch einmal angezeigt.\n\n`);
      }
    });
  } finally {
    await store.close();
  }
}

/** Any number for pg_advisory_lock, the same in every Klartext process: "Klartext start" */
const STARTUP_LOCK = 0x4b6c7274;

/**
 * On PostgreSQL several servers (hosts, containers) may start at once against an empty database: the first migrates
 * and seeds while the others wait on a session advisory lock, then find everything done. SQLite serves one host.
 */
async function oneAtATime(store: Store, work: () => Promise<void>): Promise<void> {
  if (!store.caps.multiProcess) return work();
  await store.db.connection().execute(async (conn) => {
    await sql`select pg_advisory_lock(${STARTUP_LOCK})`.execute(conn);
    try {
      await work();
    } finally {
      await sql`select pg_advisory_unlock(${STARTUP_LOCK})`.execute(conn);
    }
  });
}

/** Serves until `close`. `prepared`: the database was migrated and seeded already (a cluster worker). */
export async function startServer(config: Readonly<Config>, opts: { prepared?: boolean } = {}): Promise<{ close: () => Promise<void>; port: number }> {
  const logger = createLogger(config.logLevel);
  if (!opts.prepared) await prepareDatabase(config, logger);
  const store: Store = connect({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  const { js, editorJs } = await buildClient({ editor: true });
  // Listen first: without KLARTEXT_PUBLIC_URL the public origin is pinned to the port actually listened on (PORT=0: any free one).
  // Until the app exists (the next microtask, before any connection is read) a request would get 503.
  let handle: RequestListener = (_req, res) => { res.writeHead(503, { 'content-type': 'text/plain; charset=utf-8', 'retry-after': '1' }); res.end('Klartext startet gerade.'); };
  const server = http.createServer((req, res) => handle(req, res));
  server.listen(config.port, config.host);
  const port = await new Promise<number>((resolve, reject) => {
    server.once('error', reject);
    server.once('listening', () => {
      const address = server.address();
      resolve(typeof address === 'object' && address ? address.port : config.port);
    });
  });
  const serving = servingConfig(config, port);
  const built = createApp({ config: serving, store, logger, clientJs: js, editorJs });
  handle = built.nodeListener();
  // The one job mechanism: every process runs a runner; the job table hands each job (e.g. one billing run per day) to one of them.
  const jobs = createJobRunner({
    db: store.db, caps: store.caps, clock: built.billing.clock, log: logger,
    handlers: {
      'billing-run': async () => {
        const report = await runBilling(built.billing);
        logger.info({ report: { ...report, batch: report.batch && { messageId: report.batch.messageId, count: report.batch.count, file: report.batch.file } } }, 'billing run done');
      },
      // scheduled articles go live; a compare-and-set makes it happen once whichever process runs the job
      ...newsroomJobHandlers(store.db, built.billing.clock),
      // expired sessions, spent account tokens, old throttle events, old finished jobs (src/jobs/cleanup.job.ts)
      [CLEANUP_JOB_KIND]: async () => {
        const report = await runDailyCleanup(store.db, built.billing.clock());
        logger.info({ report }, 'daily cleanup done');
      },
      // insights: yesterday (and any missed day) rolled up for good, today partially, raw events past the retention deleted
      [ROLLUP_JOB_KIND]: async () => {
        const report = await runAnalyticsRollup(store.db, built.billing.clock(), { retentionDays: config.analyticsRetentionDays });
        if (report.finalized.length || report.deletedEvents) logger.info({ report }, 'insight rollup done');
      },
    },
  });
  jobs.scheduleDaily('billing-run', { hourBerlin: 5 });
  jobs.scheduleDaily(CLEANUP_JOB_KIND, { hourBerlin: CLEANUP_HOUR_BERLIN });
  jobs.scheduleDaily(ROLLUP_JOB_KIND, { hourBerlin: ROLLUP_HOUR_BERLIN });
  jobs.start();
  // today's numbers for the dashboard: a partial rollup queued every 10 minutes (once across processes while one is open)
  const partialRollup = setInterval(() => {
    queuePartialRollup(store.db, built.billing.clock()).catch((err: unknown) => logger.warn({ err }, 'partial insight rollup not queued'));
  }, PARTIAL_ROLLUP_EVERY_MS);
  partialRollup.unref();
  const hint = config.publicUrl ? '' : ' (Links in Mails zeigen hierhin; im Betrieb KLARTEXT_PUBLIC_URL setzen)';
  logger.info({ port, publicUrl: serving.publicUrl, database: store.caps.name }, `Klartext läuft auf ${serving.publicUrl}${hint}`);
  let closing: Promise<void> | undefined;
  const close = () => (closing ??= new Promise<void>((resolve) => {
    // /readyz says 503 from now on, for whatever still asks over an open connection while requests finish
    built.startDraining();
    server.close(() => resolve());
    // keep-alive connections would hold close() open; idle ones are ended now, busy ones finish their request
    (server as unknown as { closeIdleConnections?: () => void }).closeIdleConnections?.();
  }).then(() => clearInterval(partialRollup)).then(() => jobs.stop()).then(() => built.close()).then(() => store.close()));
  return { close, port };
}

/** `klartext serve` in one process, or as one worker of `serve --workers N` (`prepared`: the primary migrated and seeded). */
export async function main(opts: { prepared?: boolean } = {}): Promise<void> {
  let config: Readonly<Config>;
  try {
    config = loadConfig();
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`klartext: ${e.message}\n`);
      process.exit(2);
    }
    throw e;
  }
  // Signals are handled from the start: a SIGTERM while the server is still starting (a worker the primary is already
  // routing connections to) stops it once it is up, instead of killing it with open connections.
  const started = startServer(config, opts).catch((e: unknown) => {
    // e.g. no master key held opens the database: one line, not a stack trace
    if (e instanceof DomainError) {
      process.stderr.write(`klartext: ${e.message}\n`);
      process.exit(2);
    }
    throw e;
  });
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    process.stderr.write(`klartext${opts.prepared ? ` (Prozess ${process.pid})` : ''}: ${signal} received, finishing open requests\n`);
    const timer = setTimeout(() => process.exit(1), 10_000);
    timer.unref();
    started.then((s) => s.close()).then(() => process.exit(0), () => process.exit(1));
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
  await started;
  // a cluster worker whose primary is gone (killed) finishes its requests and ends instead of serving on unsupervised
  if (process.connected) process.once('disconnect', () => stop('disconnect from the primary'));
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
