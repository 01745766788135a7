// Races of several server processes on one database (job-race, publish-race): a shared database, worker processes that
// wait for "go" together, and the worker side that runs every due job and reports which ones it handled.
import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { connect, migrate, type Store } from '../db/index.ts';
import { openTestStore } from '../db/test-stores.ts';
import type { JobRunner } from '../jobs/index.ts';

export interface RaceResult { handled: string[]; error: string | null }
/** What a worker process gets as its one argument (JSON). */
export interface RaceWorkerInput { databaseUrl: string; pgSchema?: string; workerId: string; now: string }

/** Starts a worker process; resolves once it has opened the database and waits for "go". */
export function startRaceWorker(workerFile: string, input: RaceWorkerInput): Promise<{ go(): void; result: Promise<RaceResult> }> {
  const child = spawn(process.execPath, ['--import', 'tsx', workerFile, JSON.stringify(input)], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout });
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    let deliver: (value: RaceResult) => void;
    const result = new Promise<RaceResult>((r) => { deliver = r; });
    lines.on('line', (line) => {
      if (line === 'ready') resolve({ go: () => child.stdin.end('go\n'), result });
      else if (line.startsWith('{')) deliver(JSON.parse(line) as RaceResult);
    });
    child.on('exit', (code) => { if (code !== 0) reject(new Error(`worker exited with ${code}`)); });
  });
}

/** A database two processes can open: a file for SQLite, the test store's schema on PostgreSQL. */
export async function openSharedStore(engine: string): Promise<{ store: Store; where: { databaseUrl: string; pgSchema?: string }; cleanup(): Promise<void> }> {
  if (engine === 'postgres') {
    const store = await openTestStore(engine);
    return { store, where: { databaseUrl: process.env.DATABASE_URL_TEST!, pgSchema: store.pgSchema! }, cleanup: async () => {} };
  }
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'klartext-race-'));
  const databaseUrl = `sqlite:${path.join(dir, 'race.sqlite')}`;
  const store = connect({ databaseUrl, dataDir: dir });
  await migrate(store);
  return { store, where: { databaseUrl }, cleanup: () => fs.rm(dir, { recursive: true, force: true }) };
}

/**
 * The worker side: opens the database named on the command line, builds its runner (which records the jobs it handles
 * in `handled`), says "ready", waits for "go", runs every due job and prints what it handled.
 */
export async function runRaceWorker(build: (store: Store, input: RaceWorkerInput, handled: string[]) => JobRunner): Promise<void> {
  const input = JSON.parse(process.argv[2]!) as RaceWorkerInput;
  const store = connect({ databaseUrl: input.databaseUrl, dataDir: '/nonexistent', ...(input.pgSchema ? { pgSchema: input.pgSchema, poolSize: 2 } : {}) });
  const handled: string[] = [];
  const runner = build(store, input, handled);
  const lines = createInterface({ input: process.stdin });
  process.stdout.write('ready\n');
  for await (const line of lines) if (line === 'go') break;
  lines.close();
  let error: string | null = null;
  try {
    await runner.runDue();
  } catch (e) {
    error = String(e);
  }
  await store.close();
  process.stdout.write(`${JSON.stringify({ handled, error })}\n`);
}
