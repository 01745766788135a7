// The runner on every engine: two runners share 200 jobs exactly once, failures retry then fail, daily jobs appear once per Berlin day, stop waits.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { connect, migrate, type Store } from '../db/index.ts';
import { openTestStore, testEngines, type TestStore } from '../db/test-stores.ts';
import { createJobRunner, type JobHandler, type JobLog } from './job-runner.ts';
import { completeJob, enqueueJob } from './job.queries.ts';

const T0 = new Date('2026-11-28T02:00:00.000Z');

/** A clock the test moves by hand. */
function handClock(start: Date) {
  let now = start;
  return { clock: () => now, set: (d: Date | string) => { now = new Date(d); }, advance: (ms: number) => { now = new Date(now.getTime() + ms); } };
}

function recordingLog(): JobLog & { lines: { level: string; obj: unknown; msg: string }[] } {
  const lines: { level: string; obj: unknown; msg: string }[] = [];
  const at = (level: string) => (obj: unknown, msg?: string) => { lines.push({ level, obj, msg: msg ?? '' }); };
  return { lines, info: at('info'), warn: at('warn'), error: at('error') };
}

/**
 * Two connections to one database, as two server processes would have: on PostgreSQL a second pool on the test
 * store's schema, on SQLite two handles on one file (an in-memory database cannot be shared).
 */
async function openTwoConnections(engine: string): Promise<{ a: Store; b: Store; close(): Promise<void> }> {
  if (engine === 'postgres') {
    const a = await openTestStore(engine);
    const b = connect({ databaseUrl: process.env.DATABASE_URL_TEST, dataDir: '/nonexistent', pgSchema: a.pgSchema!, poolSize: 4 });
    return { a, b, close: async () => { await b.close(); await a.close(); } };
  }
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'klartext-jobs-'));
  const file = path.join(dir, 'jobs.sqlite');
  const a = connect({ databaseUrl: `sqlite:${file}`, dataDir: dir });
  await migrate(a);
  const b = connect({ databaseUrl: `sqlite:${file}`, dataDir: dir });
  return { a, b, close: async () => { await b.close(); await a.close(); await fs.rm(dir, { recursive: true, force: true }); } };
}

for (const engine of testEngines()) {
  describe(`job runner on ${engine}`, () => {
    let store: TestStore;
    before(async () => { store = await openTestStore(engine); });
    after(async () => { await store.close(); });
    // Runners here claim only their test's kinds: jobs another test left due must not change the counts.
    const jobsOf = (kind: string) => store.db.selectFrom('jobs').selectAll().where('kind', '=', kind).orderBy('created_at').orderBy('id').execute();

    test('200 jobs, two runners on their own connections at once: every job is handled exactly once', async () => {
      const { a, b, close } = await openTwoConnections(engine);
      try {
        for (let i = 0; i < 200; i++) await enqueueJob(a.db, { kind: 'mail', payload: { i }, runAt: T0, now: T0 });
        const calls = new Map<string, number>();
        // Yielding inside the handler lets the other runner claim while this one works.
        const mail: JobHandler = async (job) => { calls.set(job.id, (calls.get(job.id) ?? 0) + 1); await new Promise(setImmediate); };
        const { clock } = handClock(T0);
        const ra = createJobRunner({ db: a.db, caps: a.caps, handlers: { mail }, clock, workerId: 'runner-a' });
        const rb = createJobRunner({ db: b.db, caps: b.caps, handlers: { mail }, clock, workerId: 'runner-b' });
        const [na, nb] = await Promise.all([ra.runDue(), rb.runDue()]);
        assert.equal(na + nb, 200);
        assert.equal(calls.size, 200);
        assert.deepEqual([...calls.values()].filter((n) => n !== 1), [], 'no job ran twice');
        const rows = await a.db.selectFrom('jobs').select(['state', 'locked_by', 'attempts']).execute();
        assert.ok(rows.every((r) => r.state === 'done' && Number(r.attempts) === 1));
        assert.equal(rows.filter((r) => r.locked_by === 'runner-a').length, na);
        assert.equal(rows.filter((r) => r.locked_by === 'runner-b').length, nb);
        console.log(`${engine}: runner a ran ${na}, runner b ${nb}`);
      } finally {
        await close();
      }
    });

    test('a daily job is made once per Berlin day from its hour on, however many runners tick', async () => {
      const { a, b, close } = await openTwoConnections(engine);
      try {
        const runs: unknown[] = [];
        const handlers: Record<string, JobHandler> = { 'billing-run': async (job) => { runs.push(job.payload); } };
        const time = handClock(new Date('2026-11-28T01:59:59.999Z')); // 02:59:59 in Berlin (CET)
        const runners = [a, b].map((s, i) => createJobRunner({ db: s.db, caps: s.caps, handlers, clock: time.clock, workerId: `r${i}` }));
        for (const r of runners) r.scheduleDaily('billing-run', { hourBerlin: 3, payload: { dryRun: false } });
        const tickAll = async () => (await Promise.all(runners.map((r) => r.runDue()))).reduce((x, y) => x + y, 0);

        assert.equal(await tickAll(), 0, 'not before 03:00 Berlin');
        time.set('2026-11-28T02:00:00.000Z');
        assert.equal(await tickAll(), 1);
        assert.equal(await tickAll(), 0);
        time.set('2026-11-28T22:59:00.000Z');
        assert.equal(await tickAll(), 0, 'later the same Berlin day: nothing new');
        time.set('2026-11-28T23:30:00.000Z'); // 00:30 on the 29th in Berlin, before the hour
        assert.equal(await tickAll(), 0);
        time.set('2026-11-29T02:30:00.000Z');
        assert.equal(await tickAll(), 1);
        // a runner started later (another process, or this one restarted) finds the day's job made
        const late = createJobRunner({ db: a.db, caps: a.caps, handlers, clock: time.clock });
        late.scheduleDaily('billing-run', { hourBerlin: 3 });
        assert.equal(await late.runDue(), 0);
        time.set('2026-07-01T00:59:00.000Z'); // 02:59 in Berlin summer time
        assert.equal(await tickAll(), 0);
        time.set('2026-07-01T01:00:00.000Z');
        assert.equal(await tickAll(), 1);

        assert.deepEqual(runs, [{ dryRun: false, day: '2026-11-28' }, { dryRun: false, day: '2026-11-29' }, { dryRun: false, day: '2026-07-01' }]);
        const keys = (await a.db.selectFrom('jobs').select('unique_key').where('kind', '=', 'billing-run').orderBy('unique_key').execute()).map((r) => r.unique_key);
        assert.deepEqual(keys, ['billing-run:2026-07-01', 'billing-run:2026-11-28', 'billing-run:2026-11-29']);
      } finally {
        await close();
      }
    });

    test('a bad daily schedule is refused when it is set', () => {
      const runner = createJobRunner({ db: store.db, caps: store.caps, handlers: {}, clock: () => T0 });
      for (const hourBerlin of [-1, 24, 2.5]) assert.throws(() => runner.scheduleDaily('x', { hourBerlin }), /hourBerlin/);
      runner.scheduleDaily('x', { hourBerlin: 0 });
      assert.throws(() => runner.scheduleDaily('x', { hourBerlin: 5 }), /scheduled already/);
    });

    test('a throwing handler is logged and retried while the runner goes on with the other jobs', async () => {
      const log = recordingLog();
      const time = handClock(T0);
      const ran: number[] = [];
      // Not async: a handler that throws before it returns a promise is caught too.
      const flaky: JobHandler = (job) => {
        const n = (job.payload as { n: number }).n;
        if (n === 1) throw new Error('SMTP-Server antwortet nicht');
        ran.push(n);
        return Promise.resolve();
      };
      for (const n of [0, 1, 2]) await enqueueJob(store.db, { kind: 'flaky', payload: { n }, runAt: new Date(T0.getTime() + n), now: T0 });
      const runner = createJobRunner({ db: store.db, caps: store.caps, handlers: { flaky }, kinds: ['flaky'], clock: time.clock, log, retryDelayMs: () => 30_000 });
      time.advance(10);
      assert.equal(await runner.runDue(), 3);
      assert.deepEqual(ran, [0, 2]);
      assert.deepEqual((await jobsOf('flaky')).map((j) => j.state).sort(), ['done', 'done', 'queued']);
      const logged = log.lines.find((l) => l.level === 'error')!;
      assert.equal(logged.msg, 'job failed, will retry');
      assert.match(String((logged.obj as { err: Error }).err), /SMTP-Server antwortet nicht/);
    });

    test('a job failing every time is retried after the delay, then failed after max attempts with its last error', async () => {
      const time = handClock(T0);
      const attempts: number[] = [];
      const { id } = await enqueueJob(store.db, { kind: 'doomed', runAt: T0, maxAttempts: 3, now: T0 });
      const runner = createJobRunner({
        db: store.db, caps: store.caps, kinds: ['doomed'], clock: time.clock, retryDelayMs: (n) => n * 1000,
        handlers: { doomed: async (job) => { attempts.push(job.attempt); throw new Error(`Versuch ${job.attempt} gescheitert`); } },
      });
      assert.equal(await runner.runDue(), 1);
      assert.equal(await runner.runDue(), 0, 'not again before the delay');
      time.advance(1000);
      assert.equal(await runner.runDue(), 1);
      time.advance(1999);
      assert.equal(await runner.runDue(), 0, 'the delay grows with the attempt');
      time.advance(1);
      assert.equal(await runner.runDue(), 1);
      time.advance(3_600_000);
      assert.equal(await runner.runDue(), 0, 'no fourth attempt');
      assert.deepEqual(attempts, [1, 2, 3]);
      const row = await store.db.selectFrom('jobs').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
      assert.deepEqual([row.state, row.attempts, row.last_error], ['failed', 3, 'Error: Versuch 3 gescheitert']);
    });

    test('a job of a kind nobody handles fails at once with a clear error, also for names Object.prototype has', async () => {
      const log = recordingLog();
      for (const kind of ['newsletter-typo', 'constructor']) await enqueueJob(store.db, { kind, runAt: T0, now: T0 });
      const runner = createJobRunner({ db: store.db, caps: store.caps, handlers: { mail: async () => {} }, kinds: ['newsletter-typo', 'constructor'], clock: () => T0, log });
      assert.equal(await runner.runDue(), 2);
      for (const kind of ['newsletter-typo', 'constructor']) {
        const [row] = await jobsOf(kind);
        assert.deepEqual([row!.state, row!.attempts], ['failed', 1]);
        assert.match(row!.last_error ?? '', new RegExp(`Unbekannte Job-Art „${kind}“`));
      }
      assert.ok(log.lines.some((l) => l.level === 'error' && l.msg === 'job failed: unknown kind'));
    });

    test('a worker that died holding a job: once its lease ends another runner takes it, and the dead claim cannot complete it', async () => {
      const time = handClock(T0);
      const calls: number[] = [];
      const { id } = await enqueueJob(store.db, { kind: 'reminder', runAt: T0, now: T0 });
      let diedWith: { id: string; attempt: number } | undefined;
      // the first runner's handler never finishes: its process "dies" mid-job
      const dying = createJobRunner({
        db: store.db, caps: store.caps, kinds: ['reminder'], clock: time.clock, leaseMs: 60_000, workerId: 'dying',
        handlers: { reminder: (job) => { diedWith = job; return new Promise<void>(() => {}); } },
      });
      void dying.runDue();
      while (!diedWith) await new Promise(setImmediate);
      const log = recordingLog();
      const survivor = createJobRunner({ db: store.db, caps: store.caps, kinds: ['reminder'], clock: time.clock, leaseMs: 60_000, workerId: 'survivor', log, handlers: { reminder: async (job) => { calls.push(job.attempt); } } });
      assert.equal(await survivor.runDue(), 0, 'the lease still holds');
      time.advance(60_001);
      assert.equal(await survivor.runDue(), 1);
      assert.deepEqual(calls, [2]);
      const row = await store.db.selectFrom('jobs').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
      assert.deepEqual([row.state, row.locked_by], ['done', 'survivor']);
      assert.equal(await completeJob(store.db, { id, lockedBy: 'dying', attempt: diedWith.attempt }, { now: time.clock() }), false);
    });

    test('the poll loop goes on after a failing job; stop waits for the running job and starts no further one', async (t) => {
      let release!: () => void;
      const gate = new Promise<void>((r) => { release = r; });
      let signalFailed!: () => void;
      const failed = new Promise<void>((r) => { signalFailed = r; });
      let signalStarted!: () => void;
      const started = new Promise<void>((r) => { signalStarted = r; });
      const ran: string[] = [];
      const at = (ms: number) => new Date(T0.getTime() + ms);
      await enqueueJob(store.db, { kind: 'slow', payload: 'fails', runAt: T0, now: T0 });
      const runner = createJobRunner({
        db: store.db, caps: store.caps, kinds: ['slow'], clock: () => at(10), pollMs: 5,
        handlers: {
          slow: async (job) => {
            ran.push(job.payload as string);
            if (job.payload === 'fails') {
              signalFailed();
              throw new Error('nein');
            }
            signalStarted();
            await gate;
          },
        },
      });
      // The runner's timers are unref'd; with SQLite nothing else would keep this test's process waiting for them.
      const keepAlive = setInterval(() => {}, 1000);
      t.after(() => clearInterval(keepAlive));
      runner.start();
      runner.start(); // twice is once
      await failed;
      await enqueueJob(store.db, { kind: 'slow', payload: 'first', runAt: at(1), now: T0 });
      await enqueueJob(store.db, { kind: 'slow', payload: 'second', runAt: at(2), now: T0 });
      await started;
      let stopped = false;
      const stopping = runner.stop().then(() => { stopped = true; });
      await new Promise(setImmediate);
      assert.equal(stopped, false, 'still running the job');
      release();
      await stopping;
      assert.deepEqual(ran, ['fails', 'first']);
      const states = Object.fromEntries((await jobsOf('slow')).map((j) => [JSON.parse(j.payload_json) as string, j.state]));
      assert.deepEqual(states, { fails: 'queued', first: 'done', second: 'queued' });
    });
  });
}
