// A server process stand-in for job-crash.test.ts: runs due `crash` jobs with a short lease; with "hang" its handler
// says it started and never finishes (the test kills the process then), otherwise it completes and says so.
import { createInterface } from 'node:readline';
import { connect } from '../db/index.ts';
import { createJobRunner } from './job-runner.ts';

const input = JSON.parse(process.argv[2]!) as { databaseUrl: string; pgSchema?: string; workerId: string; hang: boolean; leaseMs: number };
const store = connect({ databaseUrl: input.databaseUrl, dataDir: '/nonexistent', ...(input.pgSchema ? { pgSchema: input.pgSchema, poolSize: 2 } : {}) });
const runner = createJobRunner({
  db: store.db, caps: store.caps, clock: () => new Date(), workerId: input.workerId, kinds: ['crash'], leaseMs: input.leaseMs,
  handlers: {
    crash: async (job) => {
      process.stdout.write(`${JSON.stringify({ started: job.id, attempt: job.attempt })}\n`);
      if (input.hang) await new Promise(() => {});
      process.stdout.write(`${JSON.stringify({ completed: job.id, attempt: job.attempt })}\n`);
    },
  },
});
const lines = createInterface({ input: process.stdin });
process.stdout.write('ready\n');
// "run" → one runDue; the test repeats it until the job was handled (the first worker's lease has to run out first)
for await (const line of lines) {
  if (line !== 'run') break;
  const n = await runner.runDue();
  process.stdout.write(`${JSON.stringify({ ran: n })}\n`);
}
await store.close();
