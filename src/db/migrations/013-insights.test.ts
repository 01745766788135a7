// Migration 013 on a database with people in it: the users table is rebuilt on SQLite for the publisher role, and nothing that points at it is lost.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { Migrator, sql, type Kysely } from 'kysely';
import pg from 'pg';
import { connect, type Store } from '../connect.ts';
import { migrationsFor } from './index.ts';
import type { Database } from '../schema.ts';

const engines = process.env.DATABASE_URL_TEST ? ['sqlite', 'postgres'] : ['sqlite'];

async function openUnmigrated(engine: string): Promise<Store> {
  if (engine === 'sqlite') return connect({ databaseUrl: 'sqlite::memory:', dataDir: '/nonexistent' });
  const schema = `t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: process.env.DATABASE_URL_TEST });
  await admin.connect();
  await admin.query(`create schema ${schema}`);
  await admin.end();
  return connect({ databaseUrl: process.env.DATABASE_URL_TEST!, dataDir: '/nonexistent', pgSchema: schema, poolSize: 2 });
}

const migratorOf = (store: Store) => new Migrator({
  db: store.db, provider: { getMigrations: async () => migrationsFor(store.caps) },
  migrationTableName: 'klartext_migrations', migrationLockTableName: 'klartext_migrations_lock', ...(store.pgSchema ? { migrationTableSchema: store.pgSchema } : {}),
});

async function addPeople(db: Kysely<Database>): Promise<void> {
  const at = '2026-01-01T00:00:00.000Z';
  await db.insertInto('users').values([
    { id: 'u1', email: 'a@example.org', password_hash: 'x', role: 'admin', display_name: 'A', email_verified_at: at, newsletter_opt_in: 0, terms_accepted_at: null, privacy_accepted_at: null, created_at: at, updated_at: at },
    { id: 'u2', email: 'b@example.org', password_hash: 'x', role: 'reader', display_name: 'B', email_verified_at: null, newsletter_opt_in: 1, terms_accepted_at: at, privacy_accepted_at: at, created_at: at, updated_at: at },
  ]).execute();
  await db.insertInto('sessions').values({ id: 's1', user_id: 'u2', csrf_secret: 'c', persistent: 1, user_agent: 'ua', ip: '', created_at: at, last_seen_at: at, expires_at: '2027-01-01T00:00:00.000Z' }).execute();
}

for (const engine of engines) {
  test(`013 (${engine}): users keep their rows and sessions, the publisher role is allowed, other roles still are not`, async () => {
    const store = await openUnmigrated(engine);
    try {
      const migrator = migratorOf(store);
      const first = await migrator.migrateTo('012-listing-indexes');
      assert.equal(first.error, undefined);
      await addPeople(store.db);
      const rest = await migrator.migrateTo('013-insights');
      assert.equal(rest.error, undefined);
      assert.deepEqual(rest.results?.map((r) => r.migrationName), ['013-insights']);

      const users = await store.db.selectFrom('users').select(['id', 'email', 'role', 'newsletter_opt_in']).orderBy('id').execute();
      assert.deepEqual(users, [
        { id: 'u1', email: 'a@example.org', role: 'admin', newsletter_opt_in: 0 },
        { id: 'u2', email: 'b@example.org', role: 'reader', newsletter_opt_in: 1 },
      ]);
      await store.db.updateTable('users').set({ role: 'publisher' }).where('id', '=', 'u1').execute();
      await assert.rejects(sql`update users set role = 'owner' where id = 'u2'`.execute(store.db));
      // the unique address and the foreign keys still hold after the rebuild
      await assert.rejects(store.db.insertInto('users').values({ id: 'u3', email: 'a@example.org', password_hash: 'x', role: 'reader', display_name: '', email_verified_at: null, newsletter_opt_in: 0, terms_accepted_at: null, privacy_accepted_at: null, created_at: 'x', updated_at: 'x' }).execute());
      await assert.rejects(store.db.insertInto('sessions').values({ id: 's2', user_id: 'nobody', csrf_secret: 'c', persistent: 0, user_agent: '', ip: '', created_at: 'x', last_seen_at: 'x', expires_at: 'x' }).execute());
      // deleting a user still takes the sessions along (on delete cascade survived the rename)
      await store.db.deleteFrom('users').where('id', '=', 'u2').execute();
      assert.equal((await store.db.selectFrom('sessions').select('id').execute()).length, 0);
    } finally {
      await store.close();
    }
  });
}
