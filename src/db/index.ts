// Public face of the database module.
export { connect, isPostgresUrl, migrate, pendingMigrations, sqliteFile, type Store, type ConnectOptions, type ListenHandlers, type Listening } from './connect.ts';
export { idsIn, type DialectCapabilities } from './dialect.ts';
export type * from './schema.ts';
export { newId, newToken, sha256, nowIso } from './ids.ts';
export { ensurePrivateDir, restrictFile, PRIVATE_DIR_MODE, PRIVATE_FILE_MODE } from './private-files.ts';
