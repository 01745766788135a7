// `klartext serve --workers N`: bad values are one line naming --workers; N workers share the port, a crashed one is replaced
// while the others go on answering, SIGTERM drains open requests, and workers that keep dying at start stop the primary.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { runCli } from './main.ts';
import { MAX_EARLY_EXITS, runPrimary } from './serve-cluster.ts';
import { loadConfig } from '../config.ts';
import { captureIo } from '../testing/cli-io.ts';

for (const value of ['0', '-1', 'abc', '2.5', '65', '']) {
  test(`serve --workers ${JSON.stringify(value)} is refused with one line naming --workers, exit 2`, async () => {
    const io = captureIo();
    const code = await runCli(['serve', `--workers=${value}`], io, { KLARTEXT_DATA_DIR: '/nonexistent/klartext' });
    assert.equal(code, 2);
    assert.equal(io.stderr.length, 1);
    assert.equal(io.stderr[0]!.split('\n').length, 1, 'one line');
    assert.match(io.stderr[0]!, /^klartext serve: --workers braucht (eine ganze Zahl von 1 bis 64, nicht „.*“|einen Wert)\. Aufruf: klartext serve \[--workers N\]$/);
  });
}

test('serve --workers without a value, and KLARTEXT_WORKERS=0, are refused the same way', async () => {
  const io = captureIo();
  assert.equal(await runCli(['serve', '--workers'], io, {}), 2);
  assert.deepEqual(io.stderr, ['klartext serve: --workers braucht einen Wert. Aufruf: klartext serve [--workers N]']);
  const env = captureIo();
  assert.equal(await runCli(['serve'], env, { KLARTEXT_WORKERS: '0' }), 2);
  assert.deepEqual(env.stderr, ['klartext: Invalid KLARTEXT_WORKERS="0": expected a whole number from 1 to 64']);
});

test(`workers that die at start ${MAX_EARLY_EXITS} times in a row stop the primary with one line, exit 1`, async () => {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'klartext-crashloop-'));
  const script = path.join(dir, 'crash.mjs');
  // stands in for a worker that fails before it listens (a port taken, a broken configuration)
  await fs.writeFile(script, "process.stderr.write('worker: start failed\\n'); process.exit(3);\n");
  const lines: string[] = [];
  let prepared = 0; let metrics = 0;
  const code = await runPrimary(loadConfig({ KLARTEXT_DATA_DIR: dir }), 2, {
    prepare: async () => { prepared++; }, installMetrics: () => { metrics++; },
    logger: pino({ level: 'silent' }), err: (l) => lines.push(l), exec: { file: script, args: [] },
  });
  await fs.rm(dir, { recursive: true, force: true });
  assert.equal(code, 1);
  assert.deepEqual([prepared, metrics], [1, 1], 'the database is prepared once, metrics installed once');
  assert.equal(lines.length, 1);
  assert.match(lines[0]!, new RegExp(`^klartext serve: ${MAX_EARLY_EXITS} Prozesse hintereinander beim Start beendet \\(zuletzt Code 3\\) — Klartext hält an`));
});

test('a worker that ends with 0 (it drained on a signal of its own) is not replaced; when all have, the primary ends with 0', async () => {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'klartext-stopped-'));
  const script = path.join(dir, 'stopped.mjs');
  await fs.writeFile(script, 'process.exit(0);\n');
  let forks = 0;
  const count = () => { forks++; };
  const cluster = (await import('node:cluster')).default;
  cluster.on('fork', count);
  const code = await runPrimary(loadConfig({ KLARTEXT_DATA_DIR: dir }), 3, {
    prepare: async () => {}, installMetrics: () => {}, logger: pino({ level: 'silent' }), err: () => {}, exec: { file: script, args: [] },
  });
  cluster.off('fork', count);
  await fs.rm(dir, { recursive: true, force: true });
  assert.equal(code, 0);
  assert.equal(forks, 3, 'no replacements');
});

interface Cluster { child: ChildProcess; port: number; pids: number[]; stdout: () => string; stderr: () => string; exited: Promise<number | null> }

async function startCluster(dataDir: string): Promise<Cluster> {
  const child = spawn(process.execPath, ['bin/klartext.mjs', 'serve', '--workers', '2'], {
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', KLARTEXT_DATA_DIR: dataDir, LOG_LEVEL: 'info', NODE_ENV: 'development' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = ''; let stderr = '';
  child.stdout!.on('data', (d) => { stdout += d; });
  child.stderr!.on('data', (d) => { stderr += d; });
  const exited = new Promise<number | null>((r) => child.once('exit', (c) => r(c)));
  for (let i = 0; i < 1200 && child.exitCode === null; i++) {
    const m = /"port":(\d+),"workers":2,"pids":\[(\d+),(\d+)\]/.exec(stdout);
    if (m) return { child, port: Number(m[1]), pids: [Number(m[2]), Number(m[3])], stdout: () => stdout, stderr: () => stderr, exited };
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGKILL');
  throw new Error(`cluster did not start: ${stderr}`);
}

const alive = (pid: number) => { try { process.kill(pid, 0); return true; } catch { return false; } };
/** 0 when the request failed or hung for 15 s (a connection handed to a dead worker hangs for minutes) */
const healthz = (port: number) => fetch(`http://127.0.0.1:${port}/healthz`, { headers: { connection: 'close' }, signal: AbortSignal.timeout(15_000) }).then((r) => r.status, () => 0);

test('serve --workers 2: two workers share the port; a killed worker is replaced while the other answers; SIGTERM drains an open request and ends all with 0', async (t) => {
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'klartext-workers-'));
  t.after(() => fs.rm(dataDir, { recursive: true, force: true }));
  const c = await startCluster(dataDir);
  t.after(() => { for (const pid of [c.child.pid!, ...c.pids]) if (alive(pid)) process.kill(pid, 'SIGKILL'); });
  const [victim, survivor] = c.pids as [number, number];
  assert.notEqual(victim, survivor);
  assert.ok(!c.pids.includes(c.child.pid!), 'the workers are processes of their own');
  assert.equal((c.stdout().match(/demo newspaper seeded/g) ?? []).length, 1, 'the demo is seeded once, by the primary');
  for (let i = 0; i < 4; i++) assert.equal(await healthz(c.port), 200);

  // a crash between requests: every later request is answered by the other worker (none was in flight to lose)
  process.kill(victim, 'SIGKILL');
  const statuses: number[] = [];
  const until = Date.now() + 1500;
  while (Date.now() < until) statuses.push(await healthz(c.port));
  assert.deepEqual(statuses.filter((s) => s !== 200), [], `no request is lost: ${statuses.join(' ')}`);
  let replacement: number | undefined;
  for (let i = 0; i < 600 && !replacement; i++) {
    const pids = [...c.stdout().matchAll(/"workerPid":(\d+),"msg":"worker listening"/g)].map((m) => Number(m[1]));
    replacement = pids.find((p) => !c.pids.includes(p));
    if (!replacement) await new Promise((r) => setTimeout(r, 100));
  }
  assert.ok(replacement, 'the primary forked a replacement that listens');
  assert.match(c.stdout(), new RegExp(`"workerPid":${victim},"code":null,"signal":"SIGKILL".*"msg":"worker exited unexpectedly"`));
  assert.ok(alive(survivor), 'the other worker was left alone');
  assert.ok(!alive(victim));
  for (let i = 0; i < 4; i++) assert.equal(await healthz(c.port), 200);

  // a drain: a request whose body is half sent when SIGTERM arrives still gets its answer; then everything ends with 0
  const [head, tail] = ['email=leser%40example.de&', 'password=falsch12345'];
  const answer = new Promise<number>((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port: c.port, method: 'POST', path: '/anmelden', agent: false,
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'content-length': String(head.length + tail.length), origin: `http://127.0.0.1:${c.port}` } },
    (res) => { res.resume(); res.on('end', () => resolve(res.statusCode!)); });
    req.on('error', reject);
    req.write(head);
    setTimeout(() => {
      c.child.kill('SIGTERM');
      // both workers have stopped taking connections before the rest of the body comes
      const waitForDrain = async () => {
        for (let i = 0; i < 200 && (c.stderr().match(/SIGTERM received, finishing open requests/g) ?? []).length < 2; i++) await new Promise((r) => setTimeout(r, 50));
        req.end(tail);
      };
      void waitForDrain();
    }, 300);
  });
  const status = await answer.catch((e: Error) => { console.log(c.stdout().slice(-3000), c.stderr()); throw e; });
  assert.ok(status >= 200 && status < 500, `the open request was answered, not cut off (${status})`);
  assert.equal(await c.exited, 0);
  assert.match(c.stderr(), /klartext serve: SIGTERM received, 2 processes finish their open requests/);
  assert.equal((c.stderr().match(/SIGTERM received, finishing open requests/g) ?? []).length, 2);
  assert.equal(await healthz(c.port), 0, 'nothing listens any more');
  for (const pid of [survivor, replacement!]) assert.ok(!alive(pid), `worker ${pid} ended`);
});
