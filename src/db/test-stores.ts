// For tests: a fresh, migrated store per engine — SQLite in memory always, PostgreSQL (a schema `t_…` per store) when DATABASE_URL_TEST is set.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { connect, migrate, type Store } from './connect.ts';

export interface TestStore extends Store { readonly label: string }

export function testEngines(): string[] {
  return process.env.DATABASE_URL_TEST ? ['sqlite', 'postgres'] : ['sqlite'];
}

export async function openTestStore(engine: string): Promise<TestStore> {
  if (engine === 'postgres') {
    const url = process.env.DATABASE_URL_TEST!;
    const schema = `t_${randomBytes(6).toString('hex')}`;
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`create schema ${schema}`);
    await admin.end();
    const store = connect({ databaseUrl: url, dataDir: '/nonexistent', pgSchema: schema, poolSize: 4 });
    await migrate(store);
    // The schema is not dropped here: Kysely's migrator introspects every schema, and a drop running beside
    // another test process's migration breaks that process's introspection. scripts/run-tests.mjs drops them all first.
    return { ...store, label: 'postgres' };
  }
  const store = connect({ databaseUrl: 'sqlite::memory:', dataDir: '/nonexistent' });
  await migrate(store);
  return { ...store, label: 'sqlite' };
}
