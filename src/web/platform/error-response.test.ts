// One mapping of error codes to HTTP answers: a full hashing queue is a 503 that says when to try again.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HashGate } from '../../accounts/index.ts';
import { errorView } from './error-response.ts';

test('a refusal of the hashing gate becomes 503 with a Retry-After and the German message', async () => {
  const gate = new HashGate({ concurrency: 1, queue: 0, perSecond: 1000 });
  let release!: () => void;
  const running = gate.run('hash', () => new Promise<void>((r) => { release = r; }));
  const refused = await gate.run('hash', async () => undefined).catch((e: unknown) => e);
  const v = errorView(refused);
  assert.equal(v.status, 503);
  assert.equal(v.code, 'busy');
  assert.ok(v.retryAfterSeconds! >= 1);
  assert.match(v.message, /Gerade melden sich sehr viele Menschen an/);
  release();
  await running;
});
