// The data directory and the files in it hold password hashes, sessions and the master key: only the service's own user may read them.
import fs from 'node:fs';

export const PRIVATE_DIR_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;

/**
 * Creates `dir` (and missing parents) readable by the owner only. A directory that already exists was chosen
 * by the operator and is left as it is (a group may be meant to reach it, e.g. for backups); what it says
 * is returned so the server can warn when group or others can read it. Never throws for loose modes.
 */
export function ensurePrivateDir(dir: string): string | null {
  fs.mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  const mode = fs.statSync(dir).mode & 0o777;
  if ((mode & 0o077) === 0) return null;
  return `the data directory ${dir} can be read by other users (mode ${mode.toString(8).padStart(4, '0')}); run: chmod 700 ${dir}`;
}

/** Makes a file we own readable by the owner only; a missing file is fine (SQLite's -wal/-shm come and go). */
export function restrictFile(file: string): void {
  try {
    if ((fs.statSync(file).mode & 0o077) !== 0) fs.chmodSync(file, PRIVATE_FILE_MODE);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}

/**
 * Creates the SQLite file 0600 before SQLite opens it: SQLite gives its -wal and -shm files the mode of the
 * database file, so all three stay private. Files of an older version (created 0644) are tightened.
 */
export function prepareSqliteFile(file: string): void {
  fs.closeSync(fs.openSync(file, 'a', PRIVATE_FILE_MODE));
  for (const f of [file, `${file}-wal`, `${file}-shm`, `${file}-journal`]) restrictFile(f);
}
