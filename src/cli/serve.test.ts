// `klartext serve` as an operator runs it: migrates, seeds the demo on an empty database, serves, stops cleanly on SIGTERM.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../testing/free-port.ts';

test('serve seeds the demo, answers, and exits 0 on SIGTERM', async () => {
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'klartext-serve-'));
  const port = await freePort();
  const child = spawn(process.execPath, ['bin/klartext.mjs', 'serve'], {
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', KLARTEXT_DATA_DIR: dataDir },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = ''; let stderr = '';
  child.stdout.on('data', (d) => { stdout += d; });
  child.stderr.on('data', (d) => { stderr += d; });
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  let up = false;
  for (let i = 0; i < 300 && !up && child.exitCode === null; i++) {
    up = await fetch(`http://127.0.0.1:${port}/healthz`).then((r) => r.ok, () => false);
    if (!up) await new Promise((r) => setTimeout(r, 100));
  }
  assert.ok(up, `server did not come up: ${stderr}`);
  const front = await fetch(`http://127.0.0.1:${port}/`);
  assert.equal(front.status, 200);
  assert.match(await front.text(), /Brackenauer Kreisbote/);
  await fs.access(path.join(dataDir, 'klartext.sqlite'));
  assert.match(stdout, /demo newspaper seeded/);
  // the demo history brings readers of its own: the first start's admin account must still be made (and shown once)
  assert.match(stdout, /Administrator-Konto angelegt[^\n]*\n\s+E-Mail:\s+admin@klartext\.example\n\s+Passwort: \S{12,}/);
  assert.match(stdout, new RegExp(`Klartext läuft auf http://localhost:${port} \\(.*KLARTEXT_PUBLIC_URL`), 'the pinned origin is the listened port, with a hint');
  child.kill('SIGTERM');
  assert.equal(await exited, 0);
  assert.match(stderr, /SIGTERM received/);
});

test('a wrong environment stops serve with one line naming the variable', async () => {
  const child = spawn(process.execPath, ['bin/klartext.mjs', 'serve'], { env: { ...process.env, KLARTEXT_METER_PER_MONTH: 'viele' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => { stderr += d; });
  const code = await new Promise<number | null>((r) => child.once('exit', (c) => r(c)));
  assert.equal(code, 2);
  assert.equal(stderr.trim(), 'klartext: Invalid KLARTEXT_METER_PER_MONTH="viele": expected a whole number from 0 to 100');
});

test('production without KLARTEXT_PUBLIC_URL stops serve with one line naming the variable', async () => {
  const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: 'production', KLARTEXT_PUBLIC_URL: '' };
  const child = spawn(process.execPath, ['bin/klartext.mjs', 'serve'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => { stderr += d; });
  const code = await new Promise<number | null>((r) => child.once('exit', (c) => r(c)));
  assert.equal(code, 2);
  assert.match(stderr.trim(), /^klartext: Missing KLARTEXT_PUBLIC_URL: required when NODE_ENV=production[^\n]*$/);
});
