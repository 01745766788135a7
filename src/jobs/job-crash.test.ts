// A job whose process dies halfway (SIGKILL while the handler runs) is run again by another process once its lease
// has run out, and completes exactly once; on both engines, with real processes on one database.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { testEngines } from '../db/test-stores.ts';
import { openSharedStore } from '../testing/race-harness.ts';
import { enqueueJob } from './job.queries.ts';

const WORKER = fileURLToPath(new URL('./job-crash.worker.ts', import.meta.url));
const LEASE_MS = 1500;

interface Message { started?: string; completed?: string; attempt?: number; ran?: number }

function startWorker(input: object) {
  const child = spawn(process.execPath, ['--import', 'tsx', WORKER, JSON.stringify(input)], { stdio: ['pipe', 'pipe', 'inherit'] });
  const messages: Message[] = [];
  const waiters: Array<() => void> = [];
  let ready!: () => void;
  const isReady = new Promise<void>((r) => { ready = r; });
  createInterface({ input: child.stdout }).on('line', (line) => {
    if (line === 'ready') ready();
    else if (line.startsWith('{')) { messages.push(JSON.parse(line) as Message); for (const w of waiters.splice(0)) w(); }
  });
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  /** resolves with the first message (old or new) that matches */
  const next = async (match: (m: Message) => boolean): Promise<Message> => {
    for (;;) {
      const found = messages.find(match);
      if (found) return found;
      await new Promise<void>((r) => waiters.push(r));
    }
  };
  return { child, messages, isReady, exited, next, run: () => child.stdin.write('run\n') };
}

for (const engine of testEngines()) {
  test(`${engine}: a job whose process is killed halfway is run again by the other process after the lease and completes once`, async (t) => {
    const { store, where, cleanup } = await openSharedStore(engine);
    t.after(cleanup);
    const first = startWorker({ ...where, workerId: 'p1', hang: true, leaseMs: LEASE_MS });
    const second = startWorker({ ...where, workerId: 'p2', hang: false, leaseMs: LEASE_MS });
    t.after(() => { first.child.kill('SIGKILL'); second.child.stdin.end(); second.child.kill('SIGKILL'); });
    try {
      await Promise.all([first.isReady, second.isReady]);
      const now = new Date();
      const { id } = await enqueueJob(store.db, { kind: 'crash', payload: {}, runAt: now, now });
      first.run();
      const started = await first.next((m) => m.started !== undefined);
      assert.deepEqual(started, { started: id, attempt: 1 });
      // the second process looks while the first one holds the job: nothing for it
      second.run();
      assert.equal((await second.next((m) => m.ran !== undefined)).ran, 0, 'a running job is not taken twice');
      first.child.kill('SIGKILL');
      await first.exited;
      const held = await store.db.selectFrom('jobs').select(['state', 'locked_by', 'attempts']).where('id', '=', id).executeTakeFirstOrThrow();
      assert.deepEqual([held.state, held.locked_by, Number(held.attempts)], ['running', 'p1', 1], 'the dead process still holds the lease');
      // the other process asks again now and then; once the lease has run out it takes the job
      let done: Message | undefined;
      for (let i = 0; i < 100 && !done; i++) {
        second.run();
        await new Promise((r) => setTimeout(r, 100));
        done = second.messages.find((m) => m.completed !== undefined);
      }
      assert.deepEqual(done, { completed: id, attempt: 2 });
      const row = await store.db.selectFrom('jobs').select(['state', 'attempts', 'last_error']).where('id', '=', id).executeTakeFirstOrThrow();
      assert.deepEqual([row.state, Number(row.attempts)], ['done', 2]);
      assert.equal(second.messages.filter((m) => m.completed !== undefined).length, 1, 'completed once');
      assert.equal(first.messages.filter((m) => m.completed !== undefined).length, 0, 'the killed process never completed it');
    } finally {
      await store.close();
    }
  });
}
