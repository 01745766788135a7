// A server process stand-in for job-race.test.ts: opens the database, waits for "go" on stdin, runs every due job, prints the ids it handled.
import { createInterface } from 'node:readline';
import { connect } from '../db/index.ts';
import { createJobRunner } from './job-runner.ts';

interface RaceWorkerInput { databaseUrl: string; pgSchema?: string; workerId: string; now: string }

const input = JSON.parse(process.argv[2]!) as RaceWorkerInput;
const store = connect({ databaseUrl: input.databaseUrl, dataDir: '/nonexistent', ...(input.pgSchema ? { pgSchema: input.pgSchema, poolSize: 2 } : {}) });
const handled: string[] = [];
const runner = createJobRunner({
  db: store.db, caps: store.caps, clock: () => new Date(input.now), workerId: input.workerId, kinds: ['race'],
  // yield between jobs so the other process's claims interleave with ours
  handlers: { race: async (job) => { handled.push(job.id); await new Promise(setImmediate); } },
});
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
