// Opens the embedded SQLite database or PostgreSQL, and migrates it.
import path from 'node:path';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import { Kysely, Migrator, sql, PostgresDialect, SqliteDialect, type MigrationProvider, type SqliteDatabase } from 'kysely';
import { LruMap } from '../lru-map.ts';
import type { Database } from './schema.ts';
import { postgresCapabilities, sqliteCapabilities, type DialectCapabilities } from './dialect.ts';
import { migrationsFor } from './migrations/index.ts';
import { ensurePrivateDir, prepareSqliteFile } from './private-files.ts';

const MIGRATION_TABLE = 'klartext_migrations';

export interface Store {
  readonly db: Kysely<Database>;
  readonly caps: DialectCapabilities;
  /** PostgreSQL schema the store lives in, when not the default */
  readonly pgSchema?: string;
  /**
   * PostgreSQL only: LISTEN on `channel` over a connection of its own (the pool's connections come and go), opened
   * again after it drops, until the store is closed or the returned handle is.
   */
  readonly listen?: (channel: string, handlers: ListenHandlers) => Listening;
  /** PostgreSQL only: the pool's connections right now (for /metrics); SQLite has no pool */
  readonly poolStats?: () => { total: number; idle: number; waiting: number };
  close(): Promise<void>;
}

export interface ListenHandlers {
  /** a NOTIFY on the channel (delivered after the notifying transaction committed) */
  notify(payload: string): void;
  /** the connection is listening (true) or was lost (false; it is opened again by itself) */
  state?(listening: boolean): void;
}
export interface Listening { close(): Promise<void> }

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

/** Waits after a lost or failed listening connection: 0.5 s, doubling up to 30 s, back to 0.5 s once listening. */
const LISTEN_RETRY_MS = [500, 30_000] as const;

/** One dedicated client LISTENing on a channel; a dropped or refused connection is tried again with a growing pause. */
function pgListener(config: pg.ClientConfig, channel: string, on: ListenHandlers, forget: () => void): Listening {
  if (!/^[a-z_][a-z0-9_]*$/.test(channel)) throw new Error(`channel name ${channel} is not a plain identifier`);
  let closed = false;
  let client: pg.Client | undefined;
  let timer: NodeJS.Timeout | undefined;
  let pause: number = LISTEN_RETRY_MS[0];
  const retry = () => {
    if (closed || timer) return;
    timer = setTimeout(() => { timer = undefined; void open(); }, pause);
    timer.unref();
    pause = Math.min(pause * 2, LISTEN_RETRY_MS[1]);
  };
  const open = async () => {
    const c = new pg.Client({ ...config, keepAlive: true, connectionTimeoutMillis: 3000 });
    let lost = false;
    const drop = () => {
      if (lost) return;
      lost = true;
      if (client === c) { client = undefined; on.state?.(false); }
      c.end().catch(() => {});
      retry();
    };
    // an error on an idle client (the server went away) must not crash the process: it is a lost connection
    c.on('error', drop);
    c.on('end', drop);
    c.on('notification', (m) => { if (m.channel === channel) on.notify(m.payload ?? ''); });
    try {
      await c.connect();
      await c.query(`listen ${channel}`);
    } catch {
      drop();
      return;
    }
    if (closed || lost) { await c.end().catch(() => {}); return; }
    client = c;
    pause = LISTEN_RETRY_MS[0];
    on.state?.(true);
  };
  void open();
  return {
    async close() {
      if (closed) return;
      closed = true;
      forget();
      if (timer) clearTimeout(timer);
      const c = client;
      client = undefined;
      if (c) await c.end().catch(() => {});
    },
  };
}

/** PostgreSQL when DATABASE_URL says so; the SQLite file otherwise (backup and restore need to know which). */
export const isPostgresUrl = (databaseUrl: string | undefined): databaseUrl is string => Boolean(databaseUrl && /^postgres(ql)?:/.test(databaseUrl));

/** The SQLite file a store uses: `sqlite:FILE`, or klartext.sqlite in the data directory. */
export function sqliteFile(databaseUrl: string | undefined, dataDir: string): string {
  return databaseUrl?.startsWith('sqlite:') ? databaseUrl.slice('sqlite:'.length) : path.join(dataDir, 'klartext.sqlite');
}

export function connect(opts: ConnectOptions): Store {
  const url = opts.databaseUrl;
  if (isPostgresUrl(url)) {
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
    const listeners = new Set<Listening>();
    const listen = (channel: string, handlers: ListenHandlers): Listening => {
      const l = pgListener({ connectionString: url, ...(opts.pgSchema ? { options: `-c search_path=${opts.pgSchema}` } : {}) }, channel, handlers, () => listeners.delete(l));
      listeners.add(l);
      return l;
    };
    const close = async () => {
      await Promise.all([...listeners].map((l) => l.close()));
      await db.destroy();
    };
    const poolStats = () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount });
    return { db, caps: postgresCapabilities, ...(opts.pgSchema ? { pgSchema: opts.pgSchema } : {}), listen, poolStats, close };
  }
  const file = sqliteFile(url, opts.dataDir);
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

/**
 * Migrations this code knows that the database has not applied (empty: current). Reads the migration table only, no
 * lock: /readyz asks it. A database that has no migration table yet has every migration pending.
 */
export async function pendingMigrations(store: Store): Promise<string[]> {
  const known = Object.keys(migrationsFor(store.caps));
  let applied: Set<string>;
  try {
    const rows = await sql<{ name: string }>`select name from ${sql.table(MIGRATION_TABLE)}`.execute(store.db);
    applied = new Set(rows.rows.map((r) => r.name));
  } catch {
    // the table missing is "nothing applied"; a database that does not answer throws here, for the caller to report
    await sql`select 1`.execute(store.db);
    applied = new Set();
  }
  return known.filter((name) => !applied.has(name));
}

export async function migrate(store: Store): Promise<string[]> {
  const provider: MigrationProvider = { getMigrations: async () => migrationsFor(store.caps) };
  const migrator = new Migrator({ db: store.db, provider, migrationTableName: MIGRATION_TABLE, migrationLockTableName: 'klartext_migrations_lock', ...(store.pgSchema ? { migrationTableSchema: store.pgSchema } : {}) });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(String(error));
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
