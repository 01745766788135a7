// The data directory and the SQLite files are readable by the service's user only; an operator's own directory is kept, with a warning.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { connect, migrate } from './connect.ts';
import { ensurePrivateDir } from './private-files.ts';

function tempDir(t: TestContext): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'klartext-private-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}
const modeOf = (file: string): number => fs.statSync(file).mode & 0o777;

test('a new data directory is 0700 and the SQLite database with its -wal and -shm files 0600', async (t) => {
  const dataDir = path.join(tempDir(t), 'nested', 'data');
  const store = connect({ dataDir });
  try {
    await migrate(store);
    const db = path.join(dataDir, 'klartext.sqlite');
    assert.equal(modeOf(dataDir), 0o700);
    assert.equal(modeOf(path.dirname(dataDir)), 0o700, 'missing parents are created private as well');
    for (const f of [db, `${db}-wal`, `${db}-shm`]) assert.equal(modeOf(f), 0o600, f);
  } finally {
    await store.close();
  }
});

test('a database file left world-readable by an older version is tightened to 0600 when opened', async (t) => {
  const dataDir = tempDir(t);
  const db = path.join(dataDir, 'klartext.sqlite');
  fs.writeFileSync(db, '');
  fs.chmodSync(db, 0o644);
  fs.writeFileSync(`${db}-wal`, '');
  fs.chmodSync(`${db}-wal`, 0o644);
  const store = connect({ databaseUrl: `sqlite:${db}`, dataDir });
  try {
    await migrate(store);
    assert.equal(modeOf(db), 0o600);
    assert.equal(modeOf(`${db}-wal`), 0o600);
  } finally {
    await store.close();
  }
});

test('an existing data directory the operator opened to a group is kept as it is, with a warning naming it', (t) => {
  const dir = tempDir(t);
  fs.chmodSync(dir, 0o750);
  const warning = ensurePrivateDir(dir);
  assert.match(warning ?? '', new RegExp(`${dir}.*0750.*chmod 700`));
  assert.equal(modeOf(dir), 0o750, 'not changed behind the operator’s back');
  fs.chmodSync(dir, 0o700);
  assert.equal(ensurePrivateDir(dir), null);
});
