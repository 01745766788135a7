// The `klartext` command: serve, migrate, import, export, seed (and the account, subscription, offer and billing commands).
import fs from 'node:fs/promises';
import path from 'node:path';
import { loadConfig, ConfigError, type Config } from '../config.ts';
import { connect, migrate, type Store } from '../db/index.ts';
import { exportDocument, importDocument, parseInterchange } from '../content/index.ts';
import { DomainError } from '../domain-error.ts';
import { seedDemo } from './seed.ts';
import { runUserCommand } from './user.command.ts';
import { runSubscriptionCommand } from './subscription.command.ts';
import { runOfferCommand } from './offer.command.ts';
import { runBillingCommand } from './billing.command.ts';
import { runDemoCommand } from './generate.command.ts';
import { parseOptions } from './cli-options.ts';
import { BACKUP_USAGE, runBackupCommand, runRestoreCommand } from './backup.command.ts';
import { KEYS_USAGE, runKeysCommand } from './keys.command.ts';
import { HEALTHCHECK_USAGE, runHealthcheckCommand } from './healthcheck.command.ts';
import { runServeCommand } from './serve.command.ts';

export interface CliIo { out: (s: string) => void; err: (s: string) => void; stdin: () => Promise<string> }

const defaultIo: CliIo = {
  out: (s) => process.stdout.write(s + '\n'),
  err: (s) => process.stderr.write(s + '\n'),
  stdin: async () => { const chunks: Buffer[] = []; for await (const c of process.stdin) chunks.push(c as Buffer); return Buffer.concat(chunks).toString('utf8'); },
};

const USAGE = `Aufruf: klartext <Befehl>

  serve [--workers N]            Website starten (migriert; füllt eine leere Datenbank mit der Demo-Zeitung);
                                 mit --workers N (oder KLARTEXT_WORKERS) N Serverprozesse auf einem Port, ein
                                 abgestürzter wird ersetzt
  migrate                        Datenbank-Migrationen anwenden
  import DATEI.json              Artikel im Austauschformat importieren (idempotent nach slug)
  export [--out DATEI.json]      alle Artikel im Austauschformat ausgeben (Bilder neben die Datei)
  seed                           die Demo-Zeitung (erneut) einspielen
  user create --email ADRESSE --role reader|author|editor|admin [--name NAME] [--password-stdin]
                                 Konto anlegen (ohne --password-stdin wird ein Passwort erzeugt und ausgegeben)
  user list                      alle Konten auflisten
  subscription grant --email ADRESSE --days TAGE
                                 Plus-Abo von Hand vergeben (bis die Abrechnung es tut)
  subscription revoke --email ADRESSE
                                 manuell vergebenes Plus-Abo sofort beenden
  offer list                     Angebote mit Preis und Bedingungen auflisten
  offer create --slug KURZNAME --name NAME --price-cents CENT --period month|year
         [--intro-price-cents CENT --intro-months MONATE] [--min-term-months MONATE] [--notice-months MONATE]
         [--methods sepa,stripe] [--gift-months 3,6,12] [--active true|false]
                                 Angebot anlegen (Preise brutto in Cent)
  offer update --slug KURZNAME [Optionen wie bei create]
                                 Angebot ändern (laufende Abos behalten ihre Bedingungen)
  billing run [--date JJJJ-MM-TT]
                                 Abrechnungslauf (zum Ende dieses Tages, sonst jetzt); schreibt die pain.008-Datei
  billing returns DATEI.xml      Rücklastschriften (camt.054/pain.002) buchen; fehlerhafte Datei: nichts wird gebucht
${BACKUP_USAGE}
${KEYS_USAGE}
  demo generate [--articles N] [--readers N] [--subscriptions N] [--seed S] [--force]
                                 eine große erzeugte Zeitung einspielen (Archiv, Leser, Abos; siehe klartext demo help)
${BACKUP_USAGE}
${KEYS_USAGE}
${HEALTHCHECK_USAGE}`;

/** What a command module (user, subscription) gets: its arguments, the config, a migrated store opened on first use. */
export interface CommandContext { args: string[]; config: Readonly<Config>; store: () => Promise<Store>; io: CliIo }

export async function runCli(argv: string[], io: CliIo = defaultIo, env: Record<string, string | undefined> = process.env): Promise<number> {
  const [command, ...args] = argv;
  let config: Readonly<Config>;
  try {
    config = loadConfig(env);
  } catch (e) {
    if (e instanceof ConfigError) { io.err(`klartext: ${e.message}`); return 2; }
    throw e;
  }
  let opened: Store | undefined;
  const store = async () => {
    if (!opened) { opened = connect({ databaseUrl: config.databaseUrl, dataDir: config.dataDir }); await migrate(opened); }
    return opened;
  };
  try {
    switch (command) {
      case 'serve':
        return await runServeCommand({ args, config, io });
      case 'migrate': {
        const s = connect({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
        opened = s;
        const applied = await migrate(s);
        io.out(applied.length ? `Migrationen angewendet: ${applied.join(', ')}` : 'Datenbank ist aktuell.');
        return 0;
      }
      case 'import': {
        const parsed = parseOptions(args, {}, 1);
        if (!parsed.ok) { io.err(`klartext import: ${parsed.problem}. Aufruf: klartext import DATEI.json`); return 2; }
        const file = parsed.positionals[0];
        if (!file) { io.err('klartext import: Datei fehlt. Aufruf: klartext import DATEI.json'); return 2; }
        let text: string;
        try { text = await fs.readFile(file, 'utf8'); } catch { io.err(`klartext import: Datei nicht gefunden: ${file}`); return 2; }
        const doc = parseInterchange(text);
        const r = await importDocument((await store()).db, doc, { baseDir: path.dirname(path.resolve(file)), dataDir: config.dataDir });
        io.out(`${r.created} Artikel angelegt, ${r.updated} aktualisiert.`);
        return 0;
      }
      case 'export': {
        const parsed = parseOptions(args, { out: { type: 'string' } });
        if (!parsed.ok) { io.err(`klartext export: ${parsed.problem}. Aufruf: klartext export [--out DATEI.json]`); return 2; }
        const out = parsed.values.out as string | undefined;
        if (out === '') { io.err('klartext export: --out braucht einen Dateinamen'); return 2; }
        const doc = await exportDocument((await store()).db, { dataDir: config.dataDir, ...(out ? { imageDir: path.dirname(path.resolve(out)) } : {}) });
        const json = JSON.stringify(doc, null, 2) + '\n';
        if (out) { await fs.writeFile(out, json); io.out(`${doc.articles.length} Artikel nach ${out} exportiert.`); } else io.out(json.trimEnd());
        return 0;
      }
      case 'seed': {
        const r = await seedDemo(await store(), config);
        io.out(`Demo-Zeitung eingespielt: ${r.articles} Artikel.`);
        const h = r.history;
        const n = (x: number) => x.toLocaleString('de-DE');
        io.out(h.added
          ? `Demo-Verlauf über zwei Jahre: ${n(h.archiveArticles)} Archivartikel, ${n(h.readers)} Leserkonten, ${n(h.subscriptions)} Abos, ${n(h.rawEvents)} Ereignisse der letzten 90 Tage (${h.seconds.toFixed(1).replace('.', ',')} s).`
          : `Demo-Verlauf: nichts hinzugefügt. ${h.reason}`);
        return 0;
      }
      case 'user':
        return await runUserCommand({ args, config, store, io });
      case 'subscription':
        return await runSubscriptionCommand({ args, config, store, io });
      case 'offer':
        return await runOfferCommand({ args, config, store, io });
      case 'billing':
        return await runBillingCommand({ args, config, store, io });
      case 'backup':
        return await runBackupCommand({ args, config, store, io }, env);
      case 'restore':
        return await runRestoreCommand({ args, config, store, io }, env);
      case 'keys':
        return await runKeysCommand({ args, config, store, io });
      case 'healthcheck':
        return await runHealthcheckCommand({ args, config, store, io });
      case 'demo':
        return await runDemoCommand({ args, config, store, io });
      case undefined: case 'help': case '--help': case '-h':
        io.out(USAGE);
        return command ? 0 : 2;
      default: {
        io.err(`klartext: unbekannter Befehl „${command}“.\n\n${USAGE}`);
        return 2;
      }
    }
  } catch (e) {
    if (e instanceof DomainError) {
      io.err(`klartext ${command}: ${e.message}`);
      return 1;
    }
    throw e;
  } finally {
    if (opened && command !== 'serve') await opened.close();
  }
}
