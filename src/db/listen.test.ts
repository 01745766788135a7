// PostgreSQL LISTEN on a connection of its own: notifications arrive on commit, a killed connection is opened again, close() ends it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventEmitter, once } from 'node:events';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { sql } from 'kysely';
import { openTestStore } from './test-stores.ts';

const url = process.env.DATABASE_URL_TEST;

test('a LISTEN connection hears committed notifications only, is opened again after it was killed, and ends with the store', { skip: url ? false : 'DATABASE_URL_TEST not set', timeout: 60_000 }, async (t) => {
  const store = await openTestStore('postgres');
  t.after(() => store.close().catch(() => {}));
  const channel = `klartext_test_${randomBytes(4).toString('hex')}`;
  const events = new EventEmitter();
  const heard: string[] = [];
  // every state change in order, so none is missed between two awaits
  const states: boolean[] = [];
  const nextState = async (): Promise<boolean> => {
    while (!states.length) await once(events, 'state');
    return states.shift()!;
  };
  store.listen!(channel, {
    notify: (p) => { heard.push(p); events.emit('notify', p); },
    state: (up) => { states.push(up); events.emit('state'); },
  });
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  t.after(() => admin.end().catch(() => {}));
  assert.equal(await nextState(), true);
  await assert.rejects(store.db.transaction().execute(async (trx) => {
    await sql`select pg_notify(${channel}, 'zurueckgerollt')`.execute(trx);
    throw new Error('abgebrochen');
  }));
  const first = once(events, 'notify');
  await store.db.transaction().execute((trx) => sql`select pg_notify(${channel}, 'eins')`.execute(trx));
  assert.deepEqual(await first, ['eins']);

  const killed = await admin.query('select pg_terminate_backend(pid) as ok from pg_stat_activity where query = $1', [`listen ${channel}`]);
  assert.equal(killed.rowCount, 1, 'the listening backend was found');
  assert.equal(await nextState(), false);
  assert.equal(await nextState(), true, 'listening again');
  const second = once(events, 'notify');
  await sql`select pg_notify(${channel}, 'zwei')`.execute(store.db);
  assert.deepEqual(await second, ['zwei']);
  assert.deepEqual(heard, ['eins', 'zwei'], 'the rolled-back notification never arrived');

  await store.close();
  // the server lets a backend go a moment after the client said goodbye
  let left = 1;
  for (let i = 0; i < 100 && left > 0; i++) {
    left = (await admin.query('select count(*)::int as n from pg_stat_activity where query = $1', [`listen ${channel}`])).rows[0].n;
    if (left) await new Promise((r) => setTimeout(r, 50));
  }
  assert.equal(left, 0, 'the listening connection ended with the store');
});
