// `klartext demo generate`: fills a database with a generated big paper (archive, readers, subscriptions) for trying and measuring Klartext at scale.
import { STANDARD_HASHING } from '../accounts/index.ts';
import { loadOrCreateMasterKey } from '../access/index.ts';
import { paymentDataKey } from '../billing/index.ts';
import { GENERATED_PASSWORD, generatedPasswordHash, generatedReaderEmail, generatePaper } from '../demo/index.ts';
import type { CommandContext } from './main.ts';
import { parseOptions } from './cli-options.ts';

export const DEMO_USAGE = `Aufruf: klartext demo generate [--articles N] [--readers N] [--subscriptions N] [--seed S] [--force]

  generate   füllt die Datenbank mit einer erzeugten Zeitung: Archivartikel über die Jahre in allen Ressorts (etwa ein Drittel Plus),
             Autorinnen und Autoren, Leserkonten und Abos in allen Zuständen. Gleicher --seed, gleiche Zeilen.
             Voreinstellung: 1000 Artikel, 1000 Leser, 200 Abos; eine große Zeitung:
             klartext demo generate --articles 100000 --readers 1000000 --subscriptions 200000
  --force    auch in eine Datenbank schreiben, die schon Artikel, Konten oder Abos hat (es wird nichts gelöscht)

  Jeder erzeugte Leser n meldet sich als leser<n>@klartext.example mit dem Passwort „${GENERATED_PASSWORD}“ an;
  leser1@klartext.example hat ein laufendes Plus-Abo.`;

const LIMITS = { articles: 10_000_000, readers: 100_000_000, subscriptions: 100_000_000 } as const;
const DEFAULTS = { articles: 1000, readers: 1000, subscriptions: 200 } as const;

export async function runDemoCommand({ args, config, store, io }: CommandContext, now: () => Date = () => new Date()): Promise<number> {
  const [sub, ...rest] = args;
  const usage = (problem: string) => { io.err(`klartext demo${sub ? ` ${sub}` : ''}: ${problem}\n\n${DEMO_USAGE}`); return 2; };
  if (sub !== 'generate') return usage(sub ? `unbekannter Unterbefehl „${sub}“` : 'Unterbefehl fehlt');
  const parsed = parseOptions(rest, {
    articles: { type: 'string' }, readers: { type: 'string' }, subscriptions: { type: 'string' }, seed: { type: 'string' }, force: { type: 'boolean' },
  });
  if (!parsed.ok) return usage(parsed.problem);
  const counts: Record<keyof typeof DEFAULTS, number> = { ...DEFAULTS };
  for (const name of ['articles', 'readers', 'subscriptions'] as const) {
    const raw = parsed.values[name] as string | undefined;
    if (raw === undefined) continue;
    if (!/^\d+$/.test(raw) || Number(raw) > LIMITS[name]) return usage(`--${name} muss eine ganze Zahl von 0 bis ${LIMITS[name].toLocaleString('de-DE')} sein, nicht „${raw}“`);
    counts[name] = Number(raw);
  }
  if (counts.subscriptions > counts.readers) return usage(`--subscriptions (${counts.subscriptions}) darf nicht größer sein als --readers (${counts.readers}): jedes Abo gehört einem erzeugten Leser`);
  const rawSeed = (parsed.values.seed as string | undefined) ?? '1';
  if (!/^\d+$/.test(rawSeed) || Number(rawSeed) > 0xffffffff) return usage(`--seed muss eine ganze Zahl von 0 bis 4294967295 sein, nicht „${rawSeed}“`);
  const seed = Number(rawSeed);

  const s = await store();
  const count = async (table: 'articles' | 'users' | 'subscriptions') => Number((await s.db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
  const present = { articles: await count('articles'), users: await count('users'), subscriptions: await count('subscriptions') };
  if (!parsed.values.force && (present.articles || present.users || present.subscriptions)) {
    io.err(`klartext demo generate: Die Datenbank ist nicht leer (${present.articles} Artikel, ${present.users} Konten, ${present.subscriptions} Abos). `
      + 'Mit --force wird die erzeugte Zeitung hinzugefügt; gelöscht wird nichts.');
    return 1;
  }

  // dates are counted back from the current full hour, so the same seed gives the same rows all through that hour
  const at = new Date(Math.floor(now().getTime() / 3_600_000) * 3_600_000);
  io.out(`Erzeuge ${counts.articles} Artikel, ${counts.readers} Leserkonten, ${counts.subscriptions} Abos (Seed ${seed}, ${s.caps.name === 'postgres' ? 'PostgreSQL, COPY' : 'SQLite'}) …`);
  const masterKey = loadOrCreateMasterKey(config.dataDir, config.masterKey);
  try {
    const report = await generatePaper(s, {
      seed, now: at, ...counts, passwordHash: await generatedPasswordHash(seed, STANDARD_HASHING), paymentKey: paymentDataKey(masterKey),
      graceMs: config.billingGraceDays * 86_400_000, databaseUrl: config.databaseUrl, progress: (line) => io.out(`  ${line}`),
    });
    io.out(`Fertig in ${report.seconds.toFixed(1)} s: ${report.articles} Artikel (${report.sections} neue Ressorts, ${report.authors} neue Autorinnen und Autoren), `
      + `${report.readers} Leserkonten, ${report.subscriptions} Abos, ${report.mandates} SEPA-Mandate.`);
    if (report.readers) io.out(`Anmelden: ${generatedReaderEmail(1)} … ${generatedReaderEmail(report.readers)}, Passwort „${GENERATED_PASSWORD}“${report.subscriptions ? ` (${generatedReaderEmail(1)} hat Plus)` : ''}.`);
    return 0;
  } catch (e) {
    if (isUniqueViolation(e)) {
      io.err(`klartext demo generate: Ein erzeugter Artikel oder Leser ist schon in der Datenbank (${(e as Error).message.split('\n')[0]}). `
        + 'Eine erzeugte Zeitung lässt sich nur einmal in eine Datenbank schreiben; nichts wurde geschrieben.');
      return 1;
    }
    throw e;
  }
}

/** PostgreSQL 23505, SQLite SQLITE_CONSTRAINT_UNIQUE / _PRIMARYKEY: the transaction was rolled back. */
function isUniqueViolation(e: unknown): boolean {
  const code = (e as { code?: string } | null)?.code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}
