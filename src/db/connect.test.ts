// SQLite statements kept prepared: reused with other parameters, still right after a schema change, bounded in number.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { connect, SQLITE_STATEMENT_CACHE } from './connect.ts';

test('a kept statement answers each call with its own parameters, and follows a schema change', async () => {
  const store = connect({ dataDir: await fs.mkdtemp(path.join(os.tmpdir(), 'klartext-stmt-')) });
  try {
    await sql`create table t (id integer primary key, name text)`.execute(store.db);
    await sql`insert into t (id, name) values (1, 'eins'), (2, 'zwei')`.execute(store.db);
    const byId = (id: number) => sql<{ id: number; name: string }>`select * from t where id = ${id}`.execute(store.db);
    assert.deepEqual((await byId(1)).rows, [{ id: 1, name: 'eins' }]);
    assert.deepEqual((await byId(2)).rows, [{ id: 2, name: 'zwei' }]);
    await sql`alter table t add column note text default 'neu'`.execute(store.db);
    assert.deepEqual((await byId(2)).rows, [{ id: 2, name: 'zwei', note: 'neu' }], 'the kept statement sees the new column');
    for (let i = 0; i < SQLITE_STATEMENT_CACHE + 10; i++) await sql`select ${sql.lit(i)} as n`.execute(store.db);
    assert.deepEqual((await byId(1)).rows, [{ id: 1, name: 'eins', note: 'neu' }]);
  } finally {
    await store.close();
  }
});
