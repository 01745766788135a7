// The primary of `klartext serve --workers N`: prepares the database once, forks N workers that share the port, replaces a crashed one, drains all on SIGTERM.
import cluster, { type Worker } from 'node:cluster';
import type { Logger } from 'pino';
import type { Config } from '../config.ts';

/** The most workers `--workers` and KLARTEXT_WORKERS (src/config.ts) allow. */
export const MAX_WORKERS = 64;
/** A worker that exits before it has served this long counts as a failed start. */
export const EARLY_EXIT_MS = 10_000;
/** After this many failed starts in a row the primary stops: something every worker meets at start is broken. */
export const MAX_EARLY_EXITS = 5;
/** How long the primary waits for draining workers before it kills them (a worker gives itself 10 s). */
export const DRAIN_TIMEOUT_MS = 15_000;

export interface PrimaryDeps {
  /** migrations and first-start seeding, run once before the first fork */
  prepare: () => Promise<void>;
  /** prom-client's aggregation over cluster IPC, so any worker's /metrics answers for all */
  installMetrics: () => void;
  logger: Logger;
  err: (line: string) => void;
  /** the script workers run, and its arguments; default this command line again (tests give a stand-in) */
  exec?: { file: string; args: string[] };
}

interface Slot { worker: Worker; listeningSince?: number; stable?: NodeJS.Timeout }

/**
 * Runs the primary until it has stopped; resolves with the exit code: 0 after a drain on SIGTERM/SIGINT, 1 when workers
 * kept failing at start (or did not drain in time). The primary opens no database connection while it serves.
 */
export async function runPrimary(config: Readonly<Config>, workers: number, deps: PrimaryDeps): Promise<number> {
  const { logger, err } = deps;
  await deps.prepare();
  deps.installMetrics();
  // The workers accept on the shared socket themselves (not round-robin through the primary): with round-robin, a
  // connection the primary hands to a worker that has just died hangs until the client gives up (decision 022).
  cluster.schedulingPolicy = cluster.SCHED_NONE;
  // the workers run this same command line (bin/klartext.mjs serve …); cluster.isWorker sends them to the worker side
  cluster.setupPrimary(deps.exec ? { exec: deps.exec.file, args: deps.exec.args } : { exec: process.argv[1]!, args: process.argv.slice(2) });

  const slots = new Map<number, Slot>();
  let earlyExits = 0;
  let stopping = false;
  let exitCode = 0;
  let announced = false;
  let finish: (code: number) => void;
  const finished = new Promise<number>((resolve) => { finish = resolve; });

  const fork = () => {
    const worker = cluster.fork();
    slots.set(worker.id, { worker });
  };

  const onListening = (worker: Worker, address: { port: number }) => {
    const slot = slots.get(worker.id);
    if (!slot) return;
    slot.listeningSince = Date.now();
    // a worker that has served a while proves the start works: failed starts are counted from zero again
    slot.stable = setTimeout(() => { earlyExits = 0; }, EARLY_EXIT_MS);
    slot.stable.unref();
    logger.info({ workerPid: worker.process.pid }, 'worker listening');
    if (!announced && [...slots.values()].filter((s) => s.listeningSince !== undefined).length >= workers) {
      announced = true;
      logger.info({ port: address.port, workers, pids: [...slots.values()].map((s) => s.worker.process.pid) }, `Klartext läuft mit ${workers} Prozessen auf Port ${address.port}`);
    }
  };

  const onExit = (worker: Worker, code: number | null, signal: string | null) => {
    const slot = slots.get(worker.id);
    slots.delete(worker.id);
    if (slot?.stable) clearTimeout(slot.stable);
    if (stopping) {
      logger.info({ workerPid: worker.process.pid, code, signal }, 'worker ended');
      if (code !== 0) exitCode = 1;
      if (slots.size === 0) { if (kill) clearTimeout(kill); finish(exitCode); }
      return;
    }
    if (code === 0) {
      // a worker ends with 0 only after draining on a signal sent to it (Ctrl-C reaches every process of the terminal,
      // systemd signals the whole control group): that is a stop, not a crash — no replacement
      logger.info({ workerPid: worker.process.pid }, 'worker stopped');
      if (slots.size === 0) { stopping = true; finish(0); }
      return;
    }
    const early = !slot || slot.listeningSince === undefined || Date.now() - slot.listeningSince < EARLY_EXIT_MS;
    if (early) earlyExits++;
    logger.error({ workerPid: worker.process.pid, code, signal, early }, 'worker exited unexpectedly');
    if (earlyExits >= MAX_EARLY_EXITS) {
      err(`klartext serve: ${earlyExits} Prozesse hintereinander beim Start beendet (zuletzt Code ${code ?? signal}) — Klartext hält an; siehe die Meldungen davor`);
      stop(1);
      return;
    }
    fork();
  };

  let kill: NodeJS.Timeout | undefined;
  const stop = (code: number) => {
    if (stopping) return;
    stopping = true;
    exitCode = code;
    if (slots.size === 0) { finish(exitCode); return; }
    // each worker drains on its own: the server stops accepting, open requests finish, the job runner ends its job
    for (const { worker } of slots.values()) worker.process.kill('SIGTERM');
    kill = setTimeout(() => {
      err(`klartext serve: Prozesse nach ${DRAIN_TIMEOUT_MS / 1000} s noch nicht beendet, werden abgebrochen`);
      exitCode = 1;
      for (const { worker } of slots.values()) worker.process.kill('SIGKILL');
    }, DRAIN_TIMEOUT_MS);
    kill.unref();
  };
  const onSignal = (signal: string) => {
    if (stopping) return;
    err(`klartext serve: ${signal} received, ${slots.size} processes finish their open requests`);
    stop(0);
  };
  const onTerm = () => onSignal('SIGTERM');
  const onInt = () => onSignal('SIGINT');
  process.on('SIGTERM', onTerm);
  process.on('SIGINT', onInt);
  cluster.on('listening', onListening);
  cluster.on('exit', onExit);

  logger.info({ workers, port: config.port }, 'starting workers');
  for (let i = 0; i < workers; i++) fork();
  try {
    return await finished;
  } finally {
    process.off('SIGTERM', onTerm);
    process.off('SIGINT', onInt);
    cluster.off('listening', onListening);
    cluster.off('exit', onExit);
  }
}
