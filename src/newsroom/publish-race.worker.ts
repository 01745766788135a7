// A server process stand-in for publish-race.test.ts: opens the database, waits for "go", runs every due job with the
// newsroom's job handlers (as main.ts registers them), prints the ids of the jobs it ran.
import { createJobRunner } from '../jobs/index.ts';
import { runRaceWorker } from '../testing/race-harness.ts';
import { newsroomJobHandlers } from './index.ts';

await runRaceWorker((store, input, handled) => {
  const clock = () => new Date(input.now);
  const handlers = newsroomJobHandlers(store.db, clock);
  return createJobRunner({
    db: store.db, caps: store.caps, clock, workerId: input.workerId, kinds: Object.keys(handlers),
    handlers: Object.fromEntries(Object.entries(handlers).map(([kind, h]) => [kind, async (job: Parameters<typeof h>[0]) => { handled.push(job.id); await h(job); }])),
  });
});
