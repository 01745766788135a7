// What differs between SQLite and PostgreSQL, as capability flags: code asks the flag, never the engine's name.
export interface DialectCapabilities {
  readonly name: 'sqlite' | 'postgres';
  /** SQLite FTS5 virtual table or PostgreSQL tsvector + GIN index for search_documents */
  readonly fullText: 'fts5' | 'tsvector';
  /** whether several processes can share this database (sessions, throttles, caches must then live in it) */
  readonly multiProcess: boolean;
  /** `SELECT … FOR UPDATE SKIP LOCKED`: concurrent claimers pass over rows another transaction holds (PostgreSQL); SQLite has one writer and no such clause */
  readonly skipLocked: boolean;
}

export const sqliteCapabilities: DialectCapabilities = Object.freeze({ name: 'sqlite', fullText: 'fts5', multiProcess: false, skipLocked: false });
export const postgresCapabilities: DialectCapabilities = Object.freeze({ name: 'postgres', fullText: 'tsvector', multiProcess: true, skipLocked: true });
