// Opens the embedded SQLite database or PostgreSQL, and migrates it.
import path from 'node:path';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import { Kysely, Migrator, PostgresDialect, SqliteDialect, type MigrationProvider, type SqliteDatabase } from 'kysely';
import { LruMap } from '../lru-map.ts';
import type { Database } from './schema.ts';
import { postgresCapabilities, sqliteCapabilities, type DialectCapabilities } from './dialect.ts';
import { migrationsFor } from './migrations/index.ts';
import { ensurePrivateDir, prepareSqliteFile } from './private-files.ts';

export interface Store {
  readonly db: Kysely<Database>;
  readonly caps: DialectCapabilities;
  /** PostgreSQL schema the store lives in, when not the default */
  readonly pgSchema?: string;
  close(): Promise<void>;
}

export interface ConnectOptions {
  /** postgres://… or sqlite:FILE; without it, SQLite in dataDir */
  databaseUrl?: string | undefined;
  dataDir: string;
  /** PostgreSQL schema to use (tests give each run its own) */
  pgSchema?: string;
  poolSize?: number;
}

/** Distinct SQL texts kept prepared; the queries of a page are a few dozen, lists with IN (…) add a few more. */
export const SQLITE_STATEMENT_CACHE = 500;

/**
 * Kysely prepares every query anew, and preparing costs more than running the small queries of a page
 * (a quarter of the database time per render). A prepared statement is reusable, SQLite re-prepares it by
 * itself after a schema change, and Kysely runs one query at a time on the connection, so a statement is
 * never in use twice at once.
 */
function withStatementCache(sqlite: SQLite.Database): SqliteDatabase {
  const statements = new LruMap<string, SQLite.Statement>(SQLITE_STATEMENT_CACHE);
  return {
    prepare(sql) {
      let stmt = statements.get(sql);
      if (!stmt) {
        stmt = sqlite.prepare(sql);
        statements.set(sql, stmt);
      }
      return stmt;
    },
    close() {
      statements.clear();
      sqlite.close();
    },
  };
}

export function connect(opts: ConnectOptions): Store {
  const url = opts.databaseUrl;
  if (url && /^postgres(ql)?:/.test(url)) {
    const pool = new pg.Pool({
      connectionString: url,
      max: opts.poolSize ?? 10,
      connectionTimeoutMillis: 3000,
      ...(opts.pgSchema ? { options: `-c search_path=${opts.pgSchema}` } : {}),
    });
    // An idle client that loses its connection must not crash the process; the pool replaces it.
    pool.on('error', () => {});
    // A client in use whose connection drops emits 'error' besides failing its query; without a listener that would be uncaught.
    pool.on('connect', (client) => { client.on('error', () => {}); });
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    return { db, caps: postgresCapabilities, ...(opts.pgSchema ? { pgSchema: opts.pgSchema } : {}), close: () => db.destroy() };
  }
  const file = url?.startsWith('sqlite:') ? url.slice('sqlite:'.length) : path.join(opts.dataDir, 'klartext.sqlite');
  if (file !== ':memory:') {
    ensurePrivateDir(path.dirname(path.resolve(file)));
    prepareSqliteFile(file);
  }
  const sqlite = new SQLite(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('synchronous = NORMAL');
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(sqlite) }) });
  return { db, caps: sqliteCapabilities, close: () => db.destroy() };
}

export async function migrate(store: Store): Promise<string[]> {
  const provider: MigrationProvider = { getMigrations: async () => migrationsFor(store.caps) };
  const migrator = new Migrator({ db: store.db, provider, migrationTableName: 'klartext_migrations', migrationLockTableName: 'klartext_migrations_lock', ...(store.pgSchema ? { migrationTableSchema: store.pgSchema } : {}) });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(String(error));
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
