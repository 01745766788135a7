// `klartext backup` / `klartext restore`: the database and the data directory's images and SEPA files in one tar file, restored only after every byte was checked.
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { masterKeyFingerprint, ringKeys, type MasterKeyRing } from '../access/index.ts';
import { ensurePrivateDir, isPostgresUrl, PRIVATE_FILE_MODE, sqliteFile } from '../db/index.ts';
import { DomainError } from '../domain-error.ts';
import { ArchiveWriter, BadArchiveError, entryStream, listArchive, readEntry, type ArchiveEntry } from './backup-archive.ts';
import {
  backupSqlite, checkSqliteCopy, dumpName, dumpPostgres, holdsSite, removeSqliteSideFiles, restorePostgres, type DatabaseTarget,
} from './database-dump.ts';

/** The data directory's folders a backup carries; the master key never goes in (decision 025). */
export const BACKED_UP_DIRS = ['images', 'sepa'] as const;
const MANIFEST = 'manifest.json';
const FORMAT = 'klartext-backup';
const VERSION = 1;

interface Manifest {
  format: typeof FORMAT;
  version: number;
  engine: 'sqlite' | 'postgres';
  createdAt: string;
  migrations: string[];
  /** fingerprint of the master key the content keys and payment data were wrapped under (null: none was found) */
  masterKey: string | null;
  entries: { name: string; size: number; sha256: string }[];
}

export interface SiteLocation {
  dataDir: string;
  databaseUrl: string | undefined;
  /** the master keys held (null: none configured and no master.key) */
  ring: MasterKeyRing | null;
  /** PATH to find pg_dump/pg_restore in (tests); default the process's */
  toolPath?: string;
}

export const targetOf = (site: Pick<SiteLocation, 'dataDir' | 'databaseUrl'>): DatabaseTarget =>
  isPostgresUrl(site.databaseUrl) ? { engine: 'postgres', url: site.databaseUrl } : { engine: 'sqlite', file: sqliteFile(site.databaseUrl, site.dataDir) };

async function sha256Of(stream: NodeJS.ReadableStream): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of stream) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** Regular files below `dir`, relative, sorted; temporary files (dot names) are left out. */
async function filesBelow(dir: string, prefix = ''): Promise<string[]> {
  let entries: import('node:fs').Dirent[];
  try { entries = await fs.readdir(dir, { withFileTypes: true }); } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const out: string[] = [];
  for (const e of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    if (e.name.startsWith('.')) continue;
    if (e.isDirectory()) out.push(...await filesBelow(path.join(dir, e.name), `${prefix}${e.name}/`));
    else if (e.isFile()) out.push(`${prefix}${e.name}`);
  }
  return out;
}

async function privateTempDir(): Promise<string> {
  return fs.mkdtemp(path.join(os.tmpdir(), 'klartext-backup-'));
}

export const defaultBackupName = (now: Date) => `klartext-backup-${now.toISOString().replace(/[-:]/g, '').replace(/\..*$/, '').replace('T', '-')}.tar`;

/**
 * Writes the backup to `out` (0600: it holds password hashes, sessions, sealed payment data and the plain IBANs of the
 * pain.008 files). Written under a temporary name and renamed when complete, so `out` is never a partial backup.
 */
export async function createBackup(site: SiteLocation, out: string, now = new Date()): Promise<{ file: string; bytes: number; files: number; engine: string }> {
  const target = targetOf(site);
  try { await fs.access(out); throw new DomainError('conflict', `${out} gibt es schon; eine Sicherung überschreibt keine Datei`, 'out'); } catch (error) {
    if (error instanceof DomainError) throw error;
  }
  const temp = await privateTempDir();
  const partial = path.join(path.dirname(path.resolve(out)), `.${path.basename(out)}.${randomBytes(4).toString('hex')}.partial`);
  let handle: fs.FileHandle | undefined;
  try {
    const dump = path.join(temp, dumpName(target));
    const migrations = target.engine === 'sqlite' ? await backupSqlite(target.file, dump) : await dumpPostgres(target.url, dump, site.toolPath);
    handle = await fs.open(partial, 'wx', PRIVATE_FILE_MODE);
    const archive = new ArchiveWriter(handle);
    const entries: Manifest['entries'] = [];
    const add = async (name: string, source: string) => {
      await archive.addFile(name, source);
      entries.push({ name, size: (await fs.stat(source)).size, sha256: await sha256Of(createReadStream(source)) });
    };
    await add(dumpName(target), dump);
    for (const dir of BACKED_UP_DIRS) {
      for (const rel of await filesBelow(path.join(site.dataDir, dir))) await add(`${dir}/${rel}`, path.join(site.dataDir, dir, rel));
    }
    const manifest: Manifest = {
      format: FORMAT, version: VERSION, engine: target.engine, createdAt: now.toISOString(), migrations,
      masterKey: site.ring ? masterKeyFingerprint(site.ring.current) : null, entries,
    };
    await archive.addBuffer(MANIFEST, Buffer.from(JSON.stringify(manifest, null, 2) + '\n'));
    await archive.finish();
    await handle.sync();
    await handle.close();
    handle = undefined;
    await fs.rename(partial, out);
    return { file: out, bytes: (await fs.stat(out)).size, files: entries.length - 1, engine: target.engine };
  } finally {
    await handle?.close();
    await fs.rm(partial, { force: true });
    await fs.rm(temp, { recursive: true, force: true });
  }
}

/** Reads and checks a backup completely — format, every entry's size and sha256 — before anything is touched. */
export async function inspectBackup(file: string): Promise<{ manifest: Manifest; entries: Map<string, ArchiveEntry> }> {
  let listed: ArchiveEntry[];
  try { listed = await listArchive(file); } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new DomainError('not-found', `Datei nicht gefunden: ${file}`, 'file');
    if (error instanceof BadArchiveError) throw new DomainError('invalid-input', `${file} ${error.message}`, 'file');
    throw error;
  }
  const last = listed[listed.length - 1];
  if (!last || last.name !== MANIFEST) throw new DomainError('invalid-input', `${file} ist keine vollständige Klartext-Sicherung (das Inhaltsverzeichnis am Ende fehlt)`, 'file');
  let manifest: Manifest;
  try { manifest = JSON.parse((await readEntry(file, last)).toString('utf8')) as Manifest; } catch {
    throw new DomainError('invalid-input', `${file}: das Inhaltsverzeichnis der Sicherung ist beschädigt`, 'file');
  }
  if (manifest.format !== FORMAT || !Array.isArray(manifest.entries)) throw new DomainError('invalid-input', `${file} ist keine Klartext-Sicherung`, 'file');
  if (manifest.version !== VERSION) throw new DomainError('invalid-input', `${file} hat das Sicherungsformat ${manifest.version}; diese Version liest Format ${VERSION}`, 'file');
  const entries = new Map(listed.slice(0, -1).map((e) => [e.name, e]));
  const dump = manifest.engine === 'sqlite' ? 'database.sqlite' : 'database.pgdump';
  for (const name of entries.keys()) {
    if (name !== dump && !BACKED_UP_DIRS.some((d) => name.startsWith(`${d}/`))) throw new DomainError('invalid-input', `${file} enthält etwas, das keine Klartext-Sicherung enthält (${name})`, 'file');
  }
  if (entries.size !== manifest.entries.length) throw new DomainError('invalid-input', `${file}: Inhalt und Inhaltsverzeichnis passen nicht zusammen`, 'file');
  for (const m of manifest.entries) {
    const e = entries.get(m.name);
    if (!e || e.size !== m.size || await sha256Of(entryStream(file, e)) !== m.sha256) {
      throw new DomainError('invalid-input', `${file}: ${m.name} ist beschädigt (Größe oder Prüfsumme stimmt nicht)`, 'file');
    }
  }
  if (!entries.has(manifest.engine === 'sqlite' ? 'database.sqlite' : 'database.pgdump')) throw new DomainError('invalid-input', `${file}: die Datenbank fehlt in der Sicherung`, 'file');
  return { manifest, entries };
}

async function extract(file: string, entry: ArchiveEntry, to: string): Promise<void> {
  await fs.mkdir(path.dirname(to), { recursive: true, mode: 0o700 });
  await pipeline(entryStream(file, entry), createWriteStream(to, { flags: 'wx', mode: PRIVATE_FILE_MODE }));
}

/**
 * Restores a backup into the configured site. Refuses a target that holds a site unless `force`, a backup of the other
 * engine, and a backup whose master key is not held (its Plus articles and payment data could not be opened). The
 * files are unpacked beside their final place first; the database is replaced in one step (SQLite: a rename;
 * PostgreSQL: pg_restore in one transaction), then the folders are swapped in.
 */
export async function restoreBackup(site: SiteLocation, file: string, o: { force?: boolean } = {}): Promise<{ engine: string; files: number; migrations: string[] }> {
  const { manifest, entries } = await inspectBackup(file);
  const target = targetOf(site);
  if (manifest.engine !== target.engine) {
    throw new DomainError('invalid-input', `die Sicherung stammt von ${manifest.engine === 'sqlite' ? 'SQLite' : 'PostgreSQL'}, die Konfiguration (DATABASE_URL) zeigt auf ${target.engine === 'sqlite' ? 'SQLite' : 'PostgreSQL'}`, 'file');
  }
  if (manifest.masterKey && !(site.ring && ringKeys(site.ring).some((k) => masterKeyFingerprint(k) === manifest.masterKey))) {
    throw new DomainError('invalid-input', `die Sicherung braucht den Master-Schlüssel mit Fingerabdruck ${manifest.masterKey}, ${site.ring ? `gehalten wird ${ringKeys(site.ring).map(masterKeyFingerprint).join(', ')}` : 'es ist keiner gesetzt'}: KLARTEXT_MASTER_KEY setzen (oder master.key des alten Datenverzeichnisses nach ${site.dataDir} kopieren)`, 'KLARTEXT_MASTER_KEY');
  }
  if (!o.force && await holdsSite(target)) {
    throw new DomainError('conflict', 'die Zieldatenbank enthält schon eine Website (Artikel oder Konten); mit --force wird sie ersetzt', 'force');
  }
  ensurePrivateDir(site.dataDir);
  const staging = path.join(site.dataDir, `.restore-${randomBytes(4).toString('hex')}`);
  await fs.mkdir(staging, { mode: 0o700 });
  try {
    for (const [name, entry] of entries) if (name.includes('/')) await extract(file, entry, path.join(staging, name));
    const dump = path.join(staging, dumpName(target));
    await extract(file, entries.get(dumpName(target))!, dump);
    if (target.engine === 'sqlite') {
      checkSqliteCopy(dump);
      ensurePrivateDir(path.dirname(path.resolve(target.file)));
      await removeSqliteSideFiles(target.file);
      await fs.rename(dump, target.file);
    } else {
      await restorePostgres(target.url, dump, site.toolPath);
    }
    for (const dir of BACKED_UP_DIRS) {
      const fresh = path.join(staging, dir);
      const live = path.join(site.dataDir, dir);
      const old = path.join(staging, `old-${dir}`);
      await fs.rename(live, old).catch((error: NodeJS.ErrnoException) => { if (error.code !== 'ENOENT') throw error; });
      await fs.rename(fresh, live).catch((error: NodeJS.ErrnoException) => { if (error.code !== 'ENOENT') throw error; });
    }
    return { engine: target.engine, files: entries.size - 1, migrations: manifest.migrations };
  } finally {
    await fs.rm(staging, { recursive: true, force: true });
  }
}
