// `klartext backup [--out DATEI]` and `klartext restore DATEI [--force]`: the whole site (database, images, SEPA files) in one file and back.
import { findMasterKeyRing, masterKeyFingerprint } from '../access/index.ts';
import { DomainError } from '../domain-error.ts';
import { connect, migrate } from '../db/index.ts';
import { createBackup, defaultBackupName, restoreBackup, type SiteLocation } from '../ops/index.ts';
import { parseOptions } from './cli-options.ts';
import type { CommandContext } from './main.ts';

export const BACKUP_USAGE = `  backup [--out DATEI.tar]       Datenbank, Bilder und SEPA-Dateien in eine Datei sichern (0600; ohne den Master-Schlüssel);
                                 läuft neben laufenden Servern
  restore DATEI.tar [--force]    eine Sicherung einspielen (Server vorher stoppen); eine Datenbank mit Artikeln oder Konten
                                 wird nur mit --force ersetzt; braucht den Master-Schlüssel der Sicherung`;

function siteOf(ctx: CommandContext, env: Record<string, string | undefined>): SiteLocation {
  return {
    dataDir: ctx.config.dataDir, databaseUrl: ctx.config.databaseUrl,
    ring: findMasterKeyRing(ctx.config.dataDir, ctx.config.masterKey, ctx.config.masterKeyPrevious),
    ...(env.PATH !== undefined ? { toolPath: env.PATH } : {}),
  };
}

/** Bad input (a file, an option) exits 2 with one line; a tool or database that fails exits 1. */
function failure(ctx: CommandContext, command: string, error: unknown): number {
  if (!(error instanceof DomainError)) throw error;
  ctx.io.err(`klartext ${command}: ${error.message}`);
  return error.code === 'invalid-input' || error.code === 'not-found' || error.code === 'conflict' ? 2 : 1;
}

export async function runBackupCommand(ctx: CommandContext, env: Record<string, string | undefined>): Promise<number> {
  const parsed = parseOptions(ctx.args, { out: { type: 'string' } });
  if (!parsed.ok) { ctx.io.err(`klartext backup: ${parsed.problem}. Aufruf: klartext backup [--out DATEI.tar]`); return 2; }
  const out = parsed.values.out as string | undefined;
  if (out === '') { ctx.io.err('klartext backup: --out braucht einen Dateinamen'); return 2; }
  const site = siteOf(ctx, env);
  try {
    const r = await createBackup(site, out ?? defaultBackupName(new Date()));
    ctx.io.out(`Sicherung geschrieben: ${r.file} (${r.engine === 'sqlite' ? 'SQLite' : 'PostgreSQL'}, ${r.files} Dateien, ${(r.bytes / 1e6).toFixed(1)} MB).`);
    ctx.io.out(site.ring
      ? `Der Master-Schlüssel ist nicht darin (Fingerabdruck ${masterKeyFingerprint(site.ring.current)}): getrennt aufbewahren, ohne ihn sind Plus-Artikel und Zahlungsdaten nicht lesbar.`
      : 'Es gibt noch keinen Master-Schlüssel (keine Plus-Artikel verschlüsselt).');
    return 0;
  } catch (error) {
    return failure(ctx, 'backup', error);
  }
}

export async function runRestoreCommand(ctx: CommandContext, env: Record<string, string | undefined>): Promise<number> {
  const parsed = parseOptions(ctx.args, { force: { type: 'boolean' } }, 1);
  const usage = 'Aufruf: klartext restore DATEI.tar [--force]';
  if (!parsed.ok) { ctx.io.err(`klartext restore: ${parsed.problem}. ${usage}`); return 2; }
  const file = parsed.positionals[0];
  if (!file) { ctx.io.err(`klartext restore: Datei fehlt. ${usage}`); return 2; }
  try {
    const site = siteOf(ctx, env);
    const r = await restoreBackup(site, file, { force: parsed.values.force === true });
    // a backup of an older version gets this version's migrations now, not at the next start
    const store = connect({ databaseUrl: ctx.config.databaseUrl, dataDir: ctx.config.dataDir });
    let applied: string[];
    try { applied = await migrate(store); } finally { await store.close(); }
    ctx.io.out(`Sicherung eingespielt: ${r.engine === 'sqlite' ? 'SQLite' : 'PostgreSQL'}, ${r.files} Dateien${applied.length ? `, danach migriert: ${applied.join(', ')}` : ''}.`);
    return 0;
  } catch (error) {
    return failure(ctx, 'restore', error);
  }
}
