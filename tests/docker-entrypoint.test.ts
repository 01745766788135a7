// deploy/docker-entrypoint.sh outside a container: waits for the database, migrates once (also with two replicas at once), then execs the server; a missing database stops it with one line.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import SQLite from 'better-sqlite3';
import { freePort } from '../src/testing/free-port.ts';
import { cli, scratchDatabase } from '../src/testing/site-pages.ts';
import { testEngines } from '../src/db/test-stores.ts';
import { migrationsFor } from '../src/db/migrations/index.ts';
import { sqliteCapabilities } from '../src/db/dialect.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const script = path.join(root, 'deploy', 'docker-entrypoint.sh');
const MIGRATIONS = Object.keys(migrationsFor(sqliteCapabilities)).length;

/** A PATH whose `klartext` is this checkout's bin/klartext.mjs, as the image's /usr/local/bin/klartext link is. */
async function pathWithKlartext(dir: string): Promise<string> {
  const bin = path.join(dir, 'bin');
  await fs.mkdir(bin);
  await fs.writeFile(path.join(bin, 'klartext'), `#!/bin/sh\nexec "${process.execPath}" "${path.join(root, 'bin', 'klartext.mjs')}" "$@"\n`, { mode: 0o755 });
  return `${bin}:${process.env.PATH}`;
}

function run(env: Record<string, string>, args: string[] = []) {
  const child = spawn('/bin/sh', [script, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const out = { stdout: '', stderr: '' };
  child.stdout.on('data', (d) => { out.stdout += d; });
  child.stderr.on('data', (d) => { out.stderr += d; });
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  return { child, out, exited };
}

async function until(check: () => Promise<boolean>, alive: () => boolean, tries = 600): Promise<boolean> {
  for (let i = 0; i < tries && alive(); i++) {
    if (await check()) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
}

// One engine: PostgreSQL when there is one (the containers' case; the migration lock matters there), else SQLite.
// `klartext serve` on SQLite is src/cli/serve.test.ts's; each start here costs several node processes.
for (const engine of testEngines().slice(-1)) {
  describe(`docker-entrypoint.sh (${engine})`, () => {
    test('migrates before the server starts, execs the server (SIGTERM reaches it), and `klartext healthcheck` tracks it', async () => {
      const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'klartext-entry-'));
      const db = engine === 'postgres' ? await scratchDatabase('entry') : null;
      let server: ReturnType<typeof run> | undefined;
      try {
        const port = await freePort();
        const env: Record<string, string> = { PATH: await pathWithKlartext(dir), KLARTEXT_DATA_DIR: path.join(dir, 'data'), PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'info', ...(db ? { DATABASE_URL: db.url } : {}) };
        server = run(env);
        const { child, out, exited } = server;
        const up = await until(() => fetch(`http://127.0.0.1:${port}/healthz`).then((r) => r.ok, () => false), () => child.exitCode === null);
        assert.ok(up, `the server did not come up: ${out.stderr}`);
        assert.match(out.stdout, /^Datenbank antwortet \((sqlite|postgres)\)\.\nMigrationen angewendet: 001-content, /m, 'waited, then migrated, in that order');
        const migrateLine = out.stdout.indexOf('Migrationen angewendet');
        const serveLine = out.stdout.indexOf('Klartext läuft auf');
        assert.ok(migrateLine >= 0 && serveLine > migrateLine, 'the migrations ran before the server');
        assert.doesNotMatch(out.stdout.slice(serveLine - 2000 > 0 ? serveLine - 2000 : 0), /"msg":"migrations applied"/, 'the server found nothing left to migrate');
        if (db) {
          const c = new pg.Client({ connectionString: db.url });
          await c.connect();
          assert.equal((await c.query('select count(*)::int as n from klartext_migrations')).rows[0].n, MIGRATIONS);
          await c.end();
        } else {
          const s = new SQLite(path.join(env.KLARTEXT_DATA_DIR!, 'klartext.sqlite'), { readonly: true });
          assert.equal((s.prepare('select count(*) as n from klartext_migrations').get() as { n: number }).n, MIGRATIONS);
          s.close();
        }
        // the healthcheck command's answer (run in-process here, the command is the same) follows /readyz of the real server
        const readyz = await fetch(`http://127.0.0.1:${port}/readyz`).then((r) => r.status);
        assert.equal((await cli(['healthcheck'], env)).code, readyz === 200 ? 0 : 1);
        // exec: the shell is gone, the server itself is the child and drains on SIGTERM
        child.kill('SIGTERM');
        assert.equal(await exited, 0);
        assert.match(out.stderr, /SIGTERM received, finishing open requests/);
        assert.equal((await cli(['healthcheck', '--live'], env)).code, 1, 'stopped server: unhealthy');
      } finally {
        // a failed assertion must not leave the server running
        if (server && server.child.exitCode === null && server.child.signalCode === null) { server.child.kill('SIGKILL'); await server.exited; }
        await db?.drop();
        await fs.rm(dir, { recursive: true, force: true });
      }
    });
  });
}

describe('docker-entrypoint.sh without a database', () => {
  test('gives up after KLARTEXT_DB_WAIT_SECONDS with one line, before migrating or serving', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'klartext-entry-'));
    try {
      const closed = await freePort();
      const { out, exited } = run({ PATH: await pathWithKlartext(dir), KLARTEXT_DATA_DIR: path.join(dir, 'data'), DATABASE_URL: `postgres://klartext@127.0.0.1:${closed}/klartext`, KLARTEXT_DB_WAIT_SECONDS: '1' });
      assert.equal(await exited, 1);
      assert.match(out.stderr.trim(), /^klartext healthcheck: Datenbank antwortet nicht \(1 s gewartet, KLARTEXT_DB_WAIT_SECONDS\): .*ECONNREFUSED[^\n]*$/);
      assert.equal(out.stdout, '', 'neither migrate nor serve ran');
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });
});

if (process.env.DATABASE_URL_TEST) {
  test('two replicas migrating the same PostgreSQL at once: both succeed, each migration is applied once', async () => {
    const db = await scratchDatabase('twice');
    try {
      const migrate = () => new Promise<{ code: number | null; stdout: string }>((resolve) => {
        const c = spawn(process.execPath, [path.join(root, 'bin', 'klartext.mjs'), 'migrate'], { env: { ...process.env, DATABASE_URL: db.url }, stdio: ['ignore', 'pipe', 'inherit'] });
        let stdout = '';
        c.stdout.on('data', (d) => { stdout += d; });
        c.once('exit', (code) => resolve({ code, stdout }));
      });
      const [a, b] = await Promise.all([migrate(), migrate()]);
      assert.deepEqual([a.code, b.code], [0, 0]);
      // (the lock is Kysely's migrator's: pg_advisory_xact_lock; without it both would create the same tables)
      const lines = [a.stdout.trim(), b.stdout.trim()].sort();
      assert.equal(lines[0], 'Datenbank ist aktuell.', 'one found nothing to do');
      assert.match(lines[1]!, /^Migrationen angewendet: 001-content/);
      const c = new pg.Client({ connectionString: db.url });
      await c.connect();
      assert.equal((await c.query('select count(*)::int as n, count(distinct name)::int as d from klartext_migrations')).rows[0].d, MIGRATIONS);
      await c.end();
    } finally {
      await db.drop();
    }
  });
}
