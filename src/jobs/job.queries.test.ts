// The job table's SQL on every engine: de-duplication, leases that lapse and are claimed again, stale workers shut out, retry and give-up.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { openTestStore, testEngines, type TestStore } from '../db/test-stores.ts';
import { claimNextJob, completeJob, enqueueJob, extendLease, failJob, failLapsedJobs } from './job.queries.ts';

const T0 = new Date('2026-11-28T02:00:00.000Z');
const at = (ms: number) => new Date(T0.getTime() + ms);
const LEASE = 60_000;

for (const engine of testEngines()) {
  describe(`job queries on ${engine}`, () => {
    let store: TestStore;
    before(async () => { store = await openTestStore(engine); });
    after(async () => { await store.close(); });
    const row = (id: string) => store.db.selectFrom('jobs').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    // Each test takes only its own kind, so jobs left by another test never get in the way.
    const claim = (workerId: string, kind: string, now: Date) => claimNextJob(store.db, store.caps, { workerId, now, leaseMs: LEASE, kinds: [kind] });

    test('a unique key makes one job however often it is enqueued; without a key every enqueue adds one', async () => {
      const first = await enqueueJob(store.db, { kind: 'dedupe', payload: { day: '2026-11-28' }, runAt: T0, uniqueKey: 'dedupe:2026-11-28', now: T0 });
      const again = await enqueueJob(store.db, { kind: 'dedupe', payload: { other: true }, runAt: at(5000), uniqueKey: 'dedupe:2026-11-28', now: at(1) });
      assert.equal(first.created, true);
      assert.deepEqual(again, { id: first.id, created: false });
      assert.equal(JSON.parse((await row(first.id)).payload_json).day, '2026-11-28', 'the first payload stays');
      const a = await enqueueJob(store.db, { kind: 'dedupe', runAt: T0, now: T0 });
      const b = await enqueueJob(store.db, { kind: 'dedupe', runAt: T0, now: T0 });
      assert.notEqual(a.id, b.id);
      assert.equal(a.created && b.created, true);
    });

    test('the key still de-duplicates after the job is done, and inside a transaction that commits', async () => {
      const { id } = await enqueueJob(store.db, { kind: 'done-key', runAt: T0, uniqueKey: 'done-key:1', now: T0 });
      const job = (await claim('w1', 'done-key', T0))!;
      assert.equal(await completeJob(store.db, job, { now: T0 }), true);
      assert.equal((await enqueueJob(store.db, { kind: 'done-key', runAt: T0, uniqueKey: 'done-key:1', now: T0 })).created, false);
      const inTx = await store.db.transaction().execute((trx) => enqueueJob(trx, { kind: 'done-key', runAt: T0, uniqueKey: 'done-key:2', now: T0 }));
      assert.equal(inTx.created, true);
      assert.notEqual(inTx.id, id);
    });

    test('bad input is refused before anything is stored', async () => {
      await assert.rejects(enqueueJob(store.db, { kind: '', runAt: T0, now: T0 }), /kind/);
      for (const maxAttempts of [0, -1, 1.5]) await assert.rejects(enqueueJob(store.db, { kind: 'bad', runAt: T0, maxAttempts, now: T0 }), /maxAttempts/);
      await assert.rejects(enqueueJob(store.db, { kind: 'bad', runAt: T0, uniqueKey: '', now: T0 }), /uniqueKey/);
      assert.equal((await store.db.selectFrom('jobs').select('id').where('kind', '=', 'bad').execute()).length, 0);
    });

    test('a job is not claimed before run_at; the claim leases it and counts the attempt; a claimed job is not claimed twice', async () => {
      const { id } = await enqueueJob(store.db, { kind: 'claim', payload: { n: 1 }, runAt: at(1000), now: T0 });
      assert.equal(await claim('w1', 'claim', T0), null);
      const job = await claim('w1', 'claim', at(1000));
      assert.deepEqual({ ...job }, {
        id, kind: 'claim', payload: { n: 1 }, attempt: 1, maxAttempts: 5, uniqueKey: null, runAt: at(1000).toISOString(),
        lockedBy: 'w1', lockedUntil: at(1000 + LEASE).toISOString(),
      });
      assert.equal(await claim('w2', 'claim', at(2000)), null, 'the lease holds');
      assert.equal((await row(id)).state, 'running');
    });

    test('the job due longest is claimed first, and only of the kinds asked for', async () => {
      const late = await enqueueJob(store.db, { kind: 'order', runAt: at(20), now: T0 });
      const early = await enqueueJob(store.db, { kind: 'order', runAt: at(10), now: T0 });
      await enqueueJob(store.db, { kind: 'order-other', runAt: T0, now: T0 });
      assert.equal((await claim('w', 'order', at(30)))?.id, early.id);
      assert.equal((await claim('w', 'order', at(30)))?.id, late.id);
      assert.equal(await claim('w', 'order', at(30)), null);
      assert.equal(await claimNextJob(store.db, store.caps, { workerId: 'w', now: at(30), leaseMs: LEASE, kinds: [] }), null);
    });

    test('a lapsed lease (the worker died) is claimed again, and the dead worker can then neither complete, fail nor extend it', async () => {
      const { id } = await enqueueJob(store.db, { kind: 'lapse', runAt: T0, now: T0 });
      const dead = (await claim('dead', 'lapse', T0))!;
      assert.equal(await claim('alive', 'lapse', at(LEASE)), null, 'not before the lease ends');
      const alive = (await claim('alive', 'lapse', at(LEASE + 1)))!;
      assert.equal(alive.id, id);
      assert.equal(alive.attempt, 2);
      assert.equal(await completeJob(store.db, dead, { now: at(LEASE + 2) }), false);
      assert.equal(await failJob(store.db, dead, { error: new Error('late'), now: at(LEASE + 2), retryDelayMs: 0 }), 'lost');
      assert.equal(await extendLease(store.db, dead, { now: at(LEASE + 2), leaseMs: LEASE }), false);
      assert.equal((await row(id)).locked_by, 'alive');
      assert.equal(await completeJob(store.db, alive, { now: at(LEASE + 3) }), true);
      const done = await row(id);
      assert.equal(done.state, 'done');
      assert.equal(done.finished_at, at(LEASE + 3).toISOString());
      assert.equal(await completeJob(store.db, alive, { now: at(LEASE + 4) }), false, 'done once only');
    });

    test('the same worker claiming again after its lease lapsed holds a new attempt: the old one cannot complete', async () => {
      await enqueueJob(store.db, { kind: 'self', runAt: T0, now: T0 });
      const first = (await claim('w', 'self', T0))!;
      const second = (await claim('w', 'self', at(LEASE + 1)))!;
      assert.equal(await completeJob(store.db, first, { now: at(LEASE + 2) }), false);
      assert.equal(await completeJob(store.db, second, { now: at(LEASE + 2) }), true);
    });

    test('extending the lease keeps other workers out past the first lease', async () => {
      await enqueueJob(store.db, { kind: 'extend', runAt: T0, now: T0 });
      const job = (await claim('w1', 'extend', T0))!;
      assert.equal(await extendLease(store.db, job, { now: at(LEASE - 1), leaseMs: LEASE }), true);
      assert.equal(await claim('w2', 'extend', at(LEASE + 1)), null);
      assert.equal((await claim('w2', 'extend', at(2 * LEASE)))?.attempt, 2);
    });

    test('a failure re-queues after the delay until the last attempt, which fails with the error kept', async () => {
      const { id } = await enqueueJob(store.db, { kind: 'retry', runAt: T0, maxAttempts: 2, now: T0 });
      const one = (await claim('w', 'retry', T0))!;
      assert.equal(await failJob(store.db, one, { error: new Error('Zahlungsanbieter nicht erreichbar'), now: at(1), retryDelayMs: 60_000 }), 'queued');
      let r = await row(id);
      assert.deepEqual([r.state, r.run_at, r.locked_by, r.locked_until, r.finished_at], ['queued', at(60_001).toISOString(), null, null, null]);
      assert.match(r.last_error ?? '', /Zahlungsanbieter nicht erreichbar/);
      assert.equal(await claim('w', 'retry', at(60_000)), null, 'not before the delay');
      const two = (await claim('w', 'retry', at(60_001)))!;
      assert.equal(two.attempt, 2);
      assert.equal(await failJob(store.db, two, { error: 'immer noch nicht', now: at(60_002), retryDelayMs: 60_000 }), 'failed');
      r = await row(id);
      assert.deepEqual([r.state, r.last_error, r.finished_at], ['failed', 'immer noch nicht', at(60_002).toISOString()]);
      assert.equal(await claim('w', 'retry', at(10 * 60_000)), null, 'a failed job is never claimed again');
    });

    test('a permanent failure ends the job on its first attempt', async () => {
      const { id } = await enqueueJob(store.db, { kind: 'permanent', runAt: T0, maxAttempts: 5, now: T0 });
      const job = (await claim('w', 'permanent', T0))!;
      assert.equal(await failJob(store.db, job, { error: new Error('kaputt'), now: T0, retryDelayMs: 0, permanent: true }), 'failed');
      assert.equal((await row(id)).state, 'failed');
    });

    test('a lease lapsed on the last attempt is not claimed again but failed, with a reason', async () => {
      const { id } = await enqueueJob(store.db, { kind: 'lapsed-last', runAt: T0, maxAttempts: 1, now: T0 });
      await claim('dead', 'lapsed-last', T0);
      assert.equal(await claim('w', 'lapsed-last', at(LEASE + 1)), null);
      assert.equal(await failLapsedJobs(store.db, { now: at(LEASE) }), 0, 'not while the lease runs');
      assert.ok(await failLapsedJobs(store.db, { now: at(LEASE + 1) }) >= 1);
      const r = await row(id);
      assert.equal(r.state, 'failed');
      assert.match(r.last_error ?? '', /Lease abgelaufen/);
    });
  });
}
