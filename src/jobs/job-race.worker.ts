// A server process stand-in for job-race.test.ts: opens the database, waits for "go" on stdin, runs every due job, prints the ids it handled.
import { runRaceWorker } from '../testing/race-harness.ts';
import { createJobRunner } from './job-runner.ts';

await runRaceWorker((store, input, handled) => createJobRunner({
  db: store.db, caps: store.caps, clock: () => new Date(input.now), workerId: input.workerId, kinds: ['race'],
  // yield between jobs so the other process's claims interleave with ours
  handlers: { race: async (job) => { handled.push(job.id); await new Promise(setImmediate); } },
}));
