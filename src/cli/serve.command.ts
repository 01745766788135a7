// `klartext serve [--workers N]`: one process (the default), or a cluster primary with N workers sharing the port.
import cluster from 'node:cluster';
import type { CommandContext } from './main.ts';
import { parseOptions } from './cli-options.ts';
import { MAX_WORKERS, runPrimary } from './serve-cluster.ts';

export const SERVE_USAGE = 'Aufruf: klartext serve [--workers N]';

/** `--workers` as given, or the problem with it in one line. */
export function parseWorkers(args: string[], fromEnv: number): { ok: true; workers: number } | { ok: false; problem: string } {
  const parsed = parseOptions(args, { workers: { type: 'string' } });
  if (!parsed.ok) return { ok: false, problem: parsed.problem };
  const raw = parsed.values.workers as string | undefined;
  if (raw === undefined) return { ok: true, workers: fromEnv };
  const n = /^\d+$/.test(raw) ? Number(raw) : NaN;
  if (!(n >= 1 && n <= MAX_WORKERS)) return { ok: false, problem: `--workers braucht eine ganze Zahl von 1 bis ${MAX_WORKERS}, nicht „${raw}“` };
  return { ok: true, workers: n };
}

export async function runServeCommand({ args, config, io }: Omit<CommandContext, 'store'>): Promise<number> {
  const workers = parseWorkers(args, config.workers);
  if (!workers.ok) { io.err(`klartext serve: ${workers.problem}. ${SERVE_USAGE}`); return 2; }
  const { main, prepareDatabase } = await import('../main.ts');
  // A worker forked by the primary runs this same command; the primary migrated and seeded already.
  if (cluster.isWorker) { await main({ prepared: true }); return 0; }
  if (workers.workers === 1) { await main(); return 0; }
  const [{ createLogger }, { installPrimaryMetrics }] = await Promise.all([import('../logger.ts'), import('../metrics/index.ts')]);
  const logger = createLogger(config.logLevel);
  return runPrimary(config, workers.workers, { prepare: () => prepareDatabase(config, logger), installMetrics: installPrimaryMetrics, logger, err: io.err });
}
