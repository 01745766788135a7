// The hashing gate: slots, a bounded queue, a rate, refusals as 503 with Retry-After, and the imitated verify for unknown addresses.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HashGate, HashingBusyError, HASHING_BUSY } from './hash-gate.ts';

/** Work that finishes when the test says so. */
function held<T = void>(): { promise: Promise<T>; finish: (v: T) => void; fail: (e: unknown) => void } {
  let finish!: (v: T) => void; let fail!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => { finish = res; fail = rej; });
  return { promise, finish, fail };
}

const isBusy = (e: unknown) => e instanceof HashingBusyError && e.code === 'busy' && e.retryAfterSeconds >= 1 && e.message === HASHING_BUSY;

test('with one slot and a queue of one, a third concurrent hash is refused as busy: 503 with Retry-After and a German message', async () => {
  const gate = new HashGate({ concurrency: 1, queue: 1, perSecond: 1000 });
  const first = held<string>();
  const a = gate.run('hash', () => first.promise);
  let secondRan = false;
  const b = gate.run('hash', async () => { secondRan = true; return 'b'; });
  assert.deepEqual(gate.state(), { active: 1, waiting: 1 });
  assert.throws(() => gate.refuseIfFull(), isBusy, 'a caller can ask before doing any other work');
  const refused = await gate.run('hash', async () => 'c').catch((e: unknown) => e);
  assert.ok(isBusy(refused), 'the third is refused');
  assert.match((refused as Error).message, /Gerade melden sich sehr viele Menschen an/);
  assert.equal(secondRan, false, 'the queued one waits for the slot');
  first.finish('a');
  assert.deepEqual(await Promise.all([a, b]), ['a', 'b']);
  assert.equal(secondRan, true);
  assert.deepEqual(gate.state(), { active: 0, waiting: 0 });
  gate.refuseIfFull();
  assert.deepEqual({ ...gate.counts }, { hash: 2, verify: 0, imitated: 0, refused: 2 });
});

test('a slot is released when the hashing fails, for the running and the queued one', async () => {
  const gate = new HashGate({ concurrency: 1, queue: 1, perSecond: 1000 });
  const first = held();
  const a = gate.run('verify', () => first.promise);
  const b = gate.run('hash', async () => { throw new Error('argon2 broke'); });
  first.fail(new Error('out of memory'));
  await assert.rejects(a, /out of memory/);
  await assert.rejects(b, /argon2 broke/);
  assert.deepEqual(gate.state(), { active: 0, waiting: 0 });
  assert.equal(await gate.run('hash', async () => 'again'), 'again', 'the slot is free again');
  const c = held();
  const running = gate.run('hash', () => c.promise);
  const queued = gate.run('hash', async () => 'queued');
  assert.ok(isBusy(await gate.run('hash', async () => 'x').catch((e: unknown) => e)), 'not more than one slot was freed');
  c.finish();
  await running;
  assert.equal(await queued, 'queued');
});

test('the rate bounds hashes even while slots are free, and the bucket refills with time', async () => {
  let now = 0;
  const gate = new HashGate({ concurrency: 4, queue: 0, perSecond: 2, burst: 2, now: () => now });
  await gate.run('hash', async () => {});
  await gate.run('hash', async () => {});
  assert.ok(isBusy(await gate.run('hash', async () => {}).catch((e: unknown) => e)), 'the bucket is empty');
  now += 500;
  await gate.run('hash', async () => {});
  assert.equal(gate.counts.hash, 3);
});

test('an imitated verify takes a slot like a verify and waits as long as a recent real one took, without hashing', async () => {
  let now = 0;
  const slept: number[] = [];
  const gate = new HashGate({ concurrency: 1, queue: 1, perSecond: 1000, now: () => now, sleep: async (ms) => { slept.push(ms); } });
  let realVerifies = 0; let _prepared = 0;
  const realVerify = async () => { realVerifies++; now += 240; return false; };
  const prepare = async () => { _prepared++; now += 1000; };
  await gate.imitateVerify(realVerify, prepare);
  assert.equal(realVerifies, 1, 'without a recent real verify, a real one runs in the slot');
  assert.deepEqual(gate.recentVerifyMs(), [240], 'only the verify is measured, not making the throwaway hash');
  await gate.imitateVerify(realVerify, prepare);
  assert.equal(realVerifies, 1, 'then no more hashing');
  assert.deepEqual(slept, [240], 'it waits as long as the real verify took');
  assert.deepEqual({ ...gate.counts }, { hash: 0, verify: 2, imitated: 1, refused: 0 }, 'one verify slot each time');
  await gate.run('verify', async () => { now += 260; });
  await gate.imitateVerify(realVerify, prepare);
  assert.ok([240, 260].includes(slept[1]!), 'real verifies of known addresses feed the estimate too');
  now += 61_000;
  await gate.imitateVerify(realVerify, prepare);
  assert.equal(realVerifies, 2, 'an old estimate is refreshed by a real verify');
});

test('while one slot refreshes an old estimate, the others imitate', async () => {
  let now = 0;
  const gate = new HashGate({ concurrency: 2, queue: 0, perSecond: 1000, now: () => now, sleep: async () => {} });
  await gate.run('verify', async () => { now += 240; });
  now += 61_000;
  const refresh = held();
  let realVerifies = 0;
  const realVerify = () => { realVerifies++; return refresh.promise; };
  const first = gate.imitateVerify(realVerify);
  await gate.imitateVerify(realVerify);
  assert.equal(realVerifies, 1);
  refresh.finish();
  await first;
});

test('under load an imitated verify queues and is refused like a real one', async () => {
  const gate = new HashGate({ concurrency: 1, queue: 1, perSecond: 1000, sleep: async () => {} });
  await gate.run('verify', async () => false);
  const first = held();
  const running = gate.run('verify', () => first.promise);
  let imitationDone = false;
  const queued = gate.imitateVerify(() => assert.fail('no real verify needed')).then(() => { imitationDone = true; });
  assert.deepEqual(gate.state(), { active: 1, waiting: 1 });
  assert.ok(isBusy(await gate.imitateVerify(() => assert.fail('no real verify needed')).catch((e: unknown) => e)));
  assert.equal(imitationDone, false);
  first.finish();
  await running;
  await queued;
  assert.deepEqual(gate.state(), { active: 0, waiting: 0 });
});
