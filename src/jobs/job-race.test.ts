// Several server processes on one database: two processes run the same 200 due jobs at once, and each job is handled by exactly one of them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { connect, migrate, type Store } from '../db/index.ts';
import { openTestStore, testEngines } from '../db/test-stores.ts';
import { enqueueJob } from './job.queries.ts';

const WORKER = fileURLToPath(new URL('./job-race.worker.ts', import.meta.url));
const JOBS = 200;
const NOW = new Date('2026-11-28T02:00:00.000Z');

interface RaceResult { handled: string[]; error: string | null }

/** Starts a worker process; resolves once it has opened the database and waits for "go". */
function startWorker(input: object): Promise<{ go(): void; result: Promise<RaceResult> }> {
  const child = spawn(process.execPath, ['--import', 'tsx', WORKER, JSON.stringify(input)], { stdio: ['pipe', 'pipe', 'inherit'] });
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
async function openShared(engine: string): Promise<{ store: Store; where: { databaseUrl: string; pgSchema?: string }; cleanup(): Promise<void> }> {
  if (engine === 'postgres') {
    const store = await openTestStore(engine);
    return { store, where: { databaseUrl: process.env.DATABASE_URL_TEST!, pgSchema: store.pgSchema! }, cleanup: async () => {} };
  }
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'klartext-job-race-'));
  const databaseUrl = `sqlite:${path.join(dir, 'race.sqlite')}`;
  const store = connect({ databaseUrl, dataDir: dir });
  await migrate(store);
  return { store, where: { databaseUrl }, cleanup: () => fs.rm(dir, { recursive: true, force: true }) };
}

for (const engine of testEngines()) {
  test(`${engine}, two processes running the same due jobs at once: each of ${JOBS} jobs is handled exactly once, and nothing fails`, async (t) => {
    const { store, where, cleanup } = await openShared(engine);
    t.after(cleanup);
    try {
      for (let i = 0; i < JOBS; i++) await enqueueJob(store.db, { kind: 'race', payload: { i }, runAt: NOW, now: NOW });
      const workers = await Promise.all(['p1', 'p2'].map((workerId) => startWorker({ ...where, workerId, now: NOW.toISOString() })));
      for (const w of workers) w.go();
      const [first, second] = await Promise.all(workers.map((w) => w.result));
      assert.deepEqual([first!.error, second!.error], [null, null]);
      const all = [...first!.handled, ...second!.handled];
      assert.equal(all.length, JOBS, 'as many runs as jobs');
      assert.equal(new Set(all).size, JOBS, 'no job ran twice');
      const states = await store.db.selectFrom('jobs').select((eb) => ['state', eb.fn.countAll<number>().as('n')]).groupBy('state').execute();
      assert.deepEqual(states.map((s) => [s.state, Number(s.n)]), [['done', JOBS]]);
      console.log(`${engine}: process 1 ran ${first!.handled.length}, process 2 ${second!.handled.length}`);
    } finally {
      await store.close();
    }
  });
}
