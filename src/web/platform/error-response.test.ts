// One mapping of error codes to HTTP answers: a full hashing queue is a 503 that says when to try again.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HashGate } from '../../accounts/index.ts';
import { DomainError } from '../../domain-error.ts';
import { HttpError } from './app-error.ts';
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

test('every web-layer kind and domain code keeps its status and the code string readers see', () => {
  const http = { 'bad-request': 400, unauthorized: 401, forbidden: 403, 'not-found': 404, conflict: 409, 'payload-too-large': 413, 'too-many-requests': 429, unavailable: 503 } as const;
  const domain = { 'invalid-input': 400, unauthenticated: 401, forbidden: 403, 'not-found': 404, conflict: 409, 'too-large': 413, 'rate-limited': 429, unavailable: 503, busy: 503 } as const;
  for (const [kind, status] of Object.entries(http)) {
    const v = errorView(new HttpError(kind as keyof typeof http, 'x'));
    assert.deepEqual([v.status, v.code], [status, kind]);
  }
  for (const [code, status] of Object.entries(domain)) {
    const v = errorView(new DomainError(code as keyof typeof domain, 'x'));
    assert.deepEqual([v.status, v.code], [status, code]);
  }
});
