// A server process stand-in for publish-race.test.ts: opens the database, waits for "go", runs every due job with the
// newsroom's job handlers (as main.ts registers them), prints the ids of the jobs it ran.
import { createInterface } from 'node:readline';
import { connect } from '../db/index.ts';
import { createJobRunner } from '../jobs/index.ts';
import { newsroomJobHandlers } from './index.ts';

interface RaceWorkerInput { databaseUrl: string; pgSchema?: string; workerId: string; now: string }

const input = JSON.parse(process.argv[2]!) as RaceWorkerInput;
const store = connect({ databaseUrl: input.databaseUrl, dataDir: '/nonexistent', ...(input.pgSchema ? { pgSchema: input.pgSchema, poolSize: 2 } : {}) });
const clock = () => new Date(input.now);
const handlers = newsroomJobHandlers(store.db, clock);
const handled: string[] = [];
const runner = createJobRunner({
  db: store.db, caps: store.caps, clock, workerId: input.workerId, kinds: Object.keys(handlers),
  handlers: Object.fromEntries(Object.entries(handlers).map(([kind, h]) => [kind, async (job: Parameters<typeof h>[0]) => { handled.push(job.id); await h(job); }])),
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
