// A client that hangs up while sending its body is told apart from a database outage: answered 400 at most, logged at info, never as an error.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { once } from 'node:events';
import { Writable } from 'node:stream';
import pino from 'pino';
import { createTestApp } from '../../testing/test-app.ts';
import { listen } from '../../testing/test-server.ts';
import { testEngines } from '../../db/test-stores.ts';

interface LogLine { level: number; msg: string; path?: string; status?: number }

/** A pino logger writing into memory; `until` resolves when a line matching the test was written. */
function capturedLog() {
  const lines: LogLine[] = [];
  const waiting: { match: (l: LogLine) => boolean; resolve: () => void }[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const text of chunk.toString('utf8').split('\n').filter(Boolean)) {
        const line = JSON.parse(text) as LogLine;
        lines.push(line);
        for (const w of waiting.filter((x) => x.match(line))) w.resolve();
      }
      done();
    },
  });
  const until = (match: (l: LogLine) => boolean) => new Promise<void>((resolve) => {
    if (lines.some(match)) resolve(); else waiting.push({ match, resolve });
  });
  return { logger: pino({ level: 'debug' }, stream), lines, until };
}

const UNLOCK_HEADERS = { 'content-type': 'application/json', 'x-klartext-csrf': '1' };
const ERROR_LEVEL = 50;

for (const engine of testEngines()) {
  test(`[${engine}] a client hanging up mid-body at the unlock endpoint is logged at info as aborted, not as an error or "database unavailable"`, async () => {
    const log = capturedLog();
    const t = await createTestApp(engine, { logger: log.logger });
    const server = await listen(t.app);
    try {
      const socket = net.connect(server.port, '127.0.0.1');
      await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
      const requestLogged = log.until((l) => l.msg === 'request' && l.path === '/api/unlock/abgebrochen');
      const headersRead = once(server.server, 'request');
      // 100 bytes announced, 10 sent, then the client hangs up (whether before or while the handler reads the body)
      socket.write('POST /api/unlock/abgebrochen HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nX-Klartext-Csrf: 1\r\nContent-Length: 100\r\n\r\n{"keyId":"');
      await headersRead;
      socket.destroy();
      await requestLogged;
      const entry = log.lines.find((l) => l.msg === 'request' && l.path === '/api/unlock/abgebrochen')!;
      assert.equal(entry.status, 400);
      assert.deepEqual(log.lines.filter((l) => l.level >= ERROR_LEVEL), [], 'no error-level entry');
      assert.ok(!log.lines.some((l) => /unavailable|nicht erreichbar/i.test(JSON.stringify(l))), 'not taken for a database outage');
      assert.ok(log.lines.some((l) => l.msg === 'request aborted by the client' && l.level < ERROR_LEVEL));
    } finally {
      await server.close();
      await t.close();
    }
  });

  test(`[${engine}] a request body stream that fails in-process is a 400 "abgebrochen", not a 503`, async () => {
    const log = capturedLog();
    const t = await createTestApp(engine, { logger: log.logger });
    try {
      const failing = () => new ReadableStream<Uint8Array>({
        start(controller) {
          controller.enqueue(new TextEncoder().encode('{"keyId":"'));
          controller.error(Object.assign(new Error('aborted'), { code: 'ECONNRESET' }));
        },
      });
      const unlock = await t.app.request('/api/unlock/abgebrochen', { method: 'POST', headers: UNLOCK_HEADERS, body: failing(), duplex: 'half' } as RequestInit);
      assert.equal(unlock.status, 400);
      assert.match(((await unlock.json()) as { error: { message: string } }).error.message, /abgebrochen/);
      const form = await t.app.request('/anmelden', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: failing(), duplex: 'half' } as RequestInit);
      assert.equal(form.status, 400);
      assert.match(await form.text(), /abgebrochen/);
      assert.deepEqual(log.lines.filter((l) => l.level >= ERROR_LEVEL), []);
    } finally {
      await t.close();
    }
  });
}
