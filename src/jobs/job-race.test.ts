// Several server processes on one database: two processes run the same 200 due jobs at once, and each job is handled by exactly one of them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { testEngines } from '../db/test-stores.ts';
import { openSharedStore, startRaceWorker } from '../testing/race-harness.ts';
import { enqueueJob } from './job.queries.ts';

const WORKER = fileURLToPath(new URL('./job-race.worker.ts', import.meta.url));
const JOBS = 200;
const NOW = new Date('2026-11-28T02:00:00.000Z');

for (const engine of testEngines()) {
  test(`${engine}, two processes running the same due jobs at once: each of ${JOBS} jobs is handled exactly once, and nothing fails`, async (t) => {
    const { store, where, cleanup } = await openSharedStore(engine);
    t.after(cleanup);
    try {
      for (let i = 0; i < JOBS; i++) await enqueueJob(store.db, { kind: 'race', payload: { i }, runAt: NOW, now: NOW });
      const workers = await Promise.all(['p1', 'p2'].map((workerId) => startRaceWorker(WORKER, { ...where, workerId, now: NOW.toISOString() })));
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
