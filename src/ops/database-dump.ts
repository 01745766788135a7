// The database part of a backup: SQLite through its online backup API, PostgreSQL through pg_dump -Fc / pg_restore; and whether a target already holds a site.
import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import { DomainError } from '../domain-error.ts';

/** What a site's database is: the SQLite file or a PostgreSQL URL. */
export type DatabaseTarget = { engine: 'sqlite'; file: string } | { engine: 'postgres'; url: string };

/**
 * A consistent copy while servers keep writing: better-sqlite3's backup() runs SQLite's online backup API. Copied in
 * small steps it would start over whenever another connection writes in between (forever, on a busy site), so it
 * copies every page in one step, inside one read transaction: one point in time, and in WAL mode writers go on.
 */
const ALL_PAGES = 0x7fffffff;

export async function backupSqlite(source: string, into: string): Promise<string[]> {
  try { await fs.access(source); } catch { throw new DomainError('not-found', `SQLite-Datenbank ${source} nicht gefunden (KLARTEXT_DATA_DIR bzw. DATABASE_URL prüfen)`); }
  const db = new SQLite(source, { readonly: true, fileMustExist: true });
  try {
    db.pragma('busy_timeout = 5000');
    await db.backup(into, { progress: () => ALL_PAGES });
  } finally {
    db.close();
  }
  const copy = new SQLite(into, { readonly: true });
  try {
    const check = copy.pragma('quick_check', { simple: true });
    if (check !== 'ok') throw new Error(`the SQLite copy failed its check: ${String(check)}`);
    return sqliteMigrations(copy);
  } finally {
    copy.close();
  }
}

function sqliteMigrations(db: SQLite.Database): string[] {
  const table = db.prepare("select name from sqlite_master where type = 'table' and name = 'klartext_migrations'").get();
  if (!table) return [];
  return (db.prepare('select name from klartext_migrations order by name').all() as { name: string }[]).map((r) => r.name);
}

/** Checks a restored SQLite file before it replaces the site's; returns its migrations. */
export function checkSqliteCopy(file: string): string[] {
  let db: SQLite.Database;
  try { db = new SQLite(file, { readonly: true, fileMustExist: true }); } catch { throw new DomainError('invalid-input', 'die Datenbank in der Sicherung lässt sich nicht öffnen'); }
  try {
    if (db.pragma('quick_check', { simple: true }) !== 'ok') throw new DomainError('invalid-input', 'die Datenbank in der Sicherung ist beschädigt (quick_check)');
    return sqliteMigrations(db);
  } catch (error) {
    if (error instanceof DomainError) throw error;
    throw new DomainError('invalid-input', 'die Datenbank in der Sicherung ist keine SQLite-Datenbank');
  } finally {
    db.close();
  }
}

/** libpq reads the password from PGPASSWORD, so it never shows in the process list as part of an argument. */
function pgConnection(url: string): { dbname: string; env: Record<string, string> } {
  const u = new URL(url);
  const env: Record<string, string> = {};
  if (u.password) env.PGPASSWORD = decodeURIComponent(u.password);
  u.password = '';
  return { dbname: u.toString(), env };
}

/** Runs a PostgreSQL client tool; a missing tool or a failure is one clear line with the tool's own first error line. */
function runTool(tool: string, args: string[], url: string, toolPath: string | undefined): Promise<void> {
  const { dbname, env } = pgConnection(url);
  return new Promise((resolve, reject) => {
    const child = spawn(tool, [...args, '--dbname', dbname], {
      env: { ...process.env, ...(toolPath !== undefined ? { PATH: toolPath } : {}), ...env },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString('utf8'); });
    child.on('error', (error: NodeJS.ErrnoException) => {
      reject(error.code === 'ENOENT'
        ? new DomainError('unavailable', `${tool} nicht gefunden: für PostgreSQL braucht klartext die Client-Programme in der Version des Servers (Debian: apt install postgresql-client)`)
        : error);
    });
    child.on('close', (code) => {
      if (code === 0) { resolve(); return; }
      const line = stderr.split('\n').find((l) => /error|fatal|fehler/i.test(l)) ?? stderr.split('\n')[0] ?? '';
      reject(new DomainError('unavailable', `${tool} ist gescheitert (Exit-Code ${code}): ${line.trim().replace(/password=[^\s]*/g, 'password=…')}`));
    });
  });
}

export async function dumpPostgres(url: string, into: string, toolPath?: string): Promise<string[]> {
  await runTool('pg_dump', ['--format=custom', '--no-owner', '--no-privileges', '--file', into], url, toolPath);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const exists = await client.query<{ t: string | null }>("select to_regclass('klartext_migrations')::text as t");
    if (!exists.rows[0]?.t) return [];
    return (await client.query<{ name: string }>('select name from klartext_migrations order by name')).rows.map((r) => r.name);
  } finally {
    await client.end();
  }
}

/**
 * Replaces what the dump holds in one transaction: --clean --if-exists drops each object first, --single-transaction
 * with --exit-on-error means a failure leaves the database exactly as it was.
 */
export async function restorePostgres(url: string, dump: string, toolPath?: string): Promise<void> {
  await runTool('pg_restore', ['--clean', '--if-exists', '--no-owner', '--no-privileges', '--single-transaction', '--exit-on-error', dump], url, toolPath);
}

/** A site is there when the database has an article or an account (a freshly migrated, empty database is not one). */
export async function holdsSite(target: DatabaseTarget): Promise<boolean> {
  if (target.engine === 'sqlite') {
    try { await fs.access(target.file); } catch { return false; }
    const db = new SQLite(target.file, { readonly: true });
    try {
      const tables = db.prepare("select name from sqlite_master where type = 'table' and name in ('articles', 'users')").all() as { name: string }[];
      return tables.some((t) => db.prepare(`select 1 from ${t.name} limit 1`).get() !== undefined);
    } finally {
      db.close();
    }
  }
  const client = new pg.Client({ connectionString: target.url });
  try {
    await client.connect();
  } catch (error) {
    throw new DomainError('unavailable', `PostgreSQL nicht erreichbar (DATABASE_URL): ${(error as Error).message}`);
  }
  try {
    for (const table of ['articles', 'users']) {
      const exists = await client.query<{ t: string | null }>('select to_regclass($1)::text as t', [table]);
      if (exists.rows[0]?.t && (await client.query(`select 1 from ${table} limit 1`)).rowCount) return true;
    }
    return false;
  } finally {
    await client.end();
  }
}

/** Removes SQLite's side files of a database about to be replaced (they belong to the old file). */
export async function removeSqliteSideFiles(file: string): Promise<void> {
  for (const side of ['-wal', '-shm', '-journal']) await fs.rm(`${file}${side}`, { force: true });
}

export const dumpName = (target: DatabaseTarget) => target.engine === 'sqlite' ? 'database.sqlite' : 'database.pgdump';
export const sqliteDir = (file: string) => path.dirname(path.resolve(file));
