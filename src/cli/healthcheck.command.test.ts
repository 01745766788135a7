// `klartext healthcheck` as Docker's HEALTHCHECK and the entrypoint run it: 0 only for a 200 from /readyz (or /livez, or the database), 1 otherwise, 2 for bad options.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { cli } from '../testing/site-pages.ts';
import { freePort } from '../testing/free-port.ts';

describe('klartext healthcheck', () => {
  let server: http.Server;
  let base: string;
  const asked: string[] = [];
  let ready = 200;
  let dataDir: string;
  before(async () => {
    server = http.createServer((req, res) => {
      asked.push(req.url ?? '');
      if (req.url === '/readyz') { res.writeHead(ready, { 'content-type': 'application/json' }); res.end(ready === 200 ? '{"status":"ready"}' : '{"status":"draining"}'); return; }
      if (req.url === '/livez') { res.writeHead(200); res.end('ok'); return; }
      if (req.url === '/haengt') return; // never answers
      res.writeHead(404); res.end();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'klartext-health-'));
  });
  after(async () => {
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
    await fs.rm(dataDir, { recursive: true, force: true });
  });

  test('ready: exit 0 for 200 from /readyz, 1 for a 503 with its reason; --live asks /livez', async () => {
    const env = { KLARTEXT_DATA_DIR: dataDir };
    ready = 200;
    let r = await cli(['healthcheck', '--url', base], env);
    assert.equal(r.code, 0);
    assert.equal(r.out, '/readyz: 200 {"status":"ready"}');
    ready = 503;
    r = await cli(['healthcheck', '--url', base], env);
    assert.equal(r.code, 1);
    assert.deepEqual(r.err, [`klartext healthcheck: ${base}/readyz antwortet 503 {"status":"draining"}`]);
    r = await cli(['healthcheck', '--url', base, '--live'], env);
    assert.equal(r.code, 0);
    assert.deepEqual(asked.slice(-1), ['/livez']);
  });

  test('the default address is 127.0.0.1 on PORT; nothing listening is exit 1 with one line', async () => {
    const port = await freePort();
    const r = await cli(['healthcheck'], { KLARTEXT_DATA_DIR: dataDir, PORT: String(port) });
    assert.equal(r.code, 1);
    assert.equal(r.err.length, 1);
    assert.match(r.err[0]!, new RegExp(`^klartext healthcheck: http://127\\.0\\.0\\.1:${port}/readyz nicht erreichbar \\(.*ECONNREFUSED`));
    const own = await cli(['healthcheck'], { KLARTEXT_DATA_DIR: dataDir, PORT: new URL(base).port });
    assert.equal(own.code, ready === 200 ? 0 : 1);
  });

  test('bad options are exit 2 naming the option', async () => {
    const env = { KLARTEXT_DATA_DIR: dataDir };
    for (const [args, message] of [
      [['healthcheck', '--url', 'ftp://x'], /--url muss eine http\(s\)-Adresse sein, nicht „ftp:\/\/x“/],
      [['healthcheck', '--url'], /--url braucht einen Wert/],
      [['healthcheck', '--bereit'], /unbekannte Option --bereit/],
      [['healthcheck', '--wait'], /--wait nur mit --database/],
      [['healthcheck', '--database', '--live'], /--database nicht zusammen mit --live oder --url/],
    ] as const) {
      const r = await cli([...args], env);
      assert.equal(r.code, 2, args.join(' '));
      assert.equal(r.err.length, 1);
      assert.match(r.err[0]!, message);
    }
  });

  test('--database: 0 when the database answers, 1 with the reason when it does not, after waiting KLARTEXT_DB_WAIT_SECONDS', async () => {
    let r = await cli(['healthcheck', '--database'], { KLARTEXT_DATA_DIR: dataDir });
    assert.equal(r.code, 0);
    assert.equal(r.out, 'Datenbank antwortet (sqlite).');
    const closed = await freePort();
    r = await cli(['healthcheck', '--database', '--wait'], { KLARTEXT_DATA_DIR: dataDir, DATABASE_URL: `postgres://postgres@127.0.0.1:${closed}/x`, KLARTEXT_DB_WAIT_SECONDS: '1' });
    assert.equal(r.code, 1);
    assert.equal(r.err.length, 1);
    assert.match(r.err[0]!, /^klartext healthcheck: Datenbank antwortet nicht \(1 s gewartet, KLARTEXT_DB_WAIT_SECONDS\): .*ECONNREFUSED/);
    if (process.env.DATABASE_URL_TEST) {
      r = await cli(['healthcheck', '--database'], { KLARTEXT_DATA_DIR: dataDir, DATABASE_URL: process.env.DATABASE_URL_TEST });
      assert.equal(r.code, 0);
      assert.equal(r.out, 'Datenbank antwortet (postgres).');
    }
  });
});
