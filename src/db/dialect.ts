import { sql, type RawBuilder, type SqlBool } from 'kysely';
// What differs between SQLite and PostgreSQL, as capability flags: code asks the flag, never the engine's name.
export interface DialectCapabilities {
  readonly name: 'sqlite' | 'postgres';
  /** SQLite FTS5 virtual table or PostgreSQL tsvector + GIN index for search_documents */
  readonly fullText: 'fts5' | 'tsvector';
  /** whether several processes can share this database (sessions, throttles, caches must then live in it) */
  readonly multiProcess: boolean;
  /** `SELECT … FOR UPDATE SKIP LOCKED`: concurrent claimers pass over rows another transaction holds (PostgreSQL); SQLite has one writer and no such clause */
  readonly skipLocked: boolean;
  /** one array parameter for an id list (`= any($1)`): PostgreSQL plans it once instead of a statement with hundreds of parameters */
  readonly arrayParams: boolean;
  /** how a table gets an ever-growing integer key that is never reused: SQLite `integer primary key autoincrement`, PostgreSQL an identity column */
  readonly serialKey: 'autoincrement' | 'identity';
}

export const sqliteCapabilities: DialectCapabilities = Object.freeze({ name: 'sqlite', fullText: 'fts5', multiProcess: false, skipLocked: false, arrayParams: false, serialKey: 'autoincrement' });
export const postgresCapabilities: DialectCapabilities = Object.freeze({ name: 'postgres', fullText: 'tsvector', multiProcess: true, skipLocked: true, arrayParams: true, serialKey: 'identity' });

/**
 * `column` is one of `ids`, written the way the engine handles a long list best: `= any($1::text[])` with a single
 * array parameter where arrays are parameters, `in (…)` otherwise. For chunks of a few hundred ids in big batch runs.
 */
export function idsIn(caps: DialectCapabilities, column: string, ids: readonly string[]): RawBuilder<SqlBool> {
  return caps.arrayParams ? sql<SqlBool>`${sql.ref(column)} = any(${[...ids]}::text[])` : sql<SqlBool>`${sql.ref(column)} in (${sql.join([...ids])})`;
}
