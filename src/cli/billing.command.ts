// `klartext billing run|returns`: the daily billing run (renewals, dunning, the pain.008 file) and the bank's returns file, for cron and operators.
import fs from 'node:fs/promises';
import { addDays, applyReturnsFile, berlinMidnight, createBillingContext, formatEuro, formatGermanDateTime, isCalendarDate, runBilling, type BillingContext } from '../billing/index.ts';
import { outboxMailer, smtpMailer } from '../mail/index.ts';
import type { CommandContext } from './main.ts';
import { parseOptions } from './cli-options.ts';

export const BILLING_USAGE = `Aufruf: klartext billing run [--date JJJJ-MM-TT]
       klartext billing returns DATEI.xml

  run      Abrechnungslauf: Kündigungen wirksam werden lassen, SEPA-Abos verlängern, Mahnstufen, Erinnerungen,
           dann die pain.008-Lastschriftdatei schreiben. Mit --date zum Ende dieses Tages (Berlin), sonst jetzt.
  returns  Rücklastschriften aus einer camt.054- oder pain.002-Datei der Bank buchen`;

/** The billing context the CLI runs with: mails go out like the server's (SMTP when configured, else the outbox). */
export async function cliBillingContext({ config, store }: CommandContext, clock: () => Date): Promise<BillingContext> {
  const s = await store();
  const mailer = config.smtpUrl ? smtpMailer(config.smtpUrl, config.mailFrom) : outboxMailer(s.db, { keepSecrets: !config.production });
  return createBillingContext({ config, store: s, mailer, clock, siteName: 'Klartext', baseUrl: config.publicUrl ?? 'http://localhost:3000' });
}

/** The last millisecond of a Berlin calendar day: a run "for" that day sees everything due on it. */
export const endOfBerlinDay = (date: string): Date => new Date(berlinMidnight(addDays(date, 1)).getTime() - 1);

export async function runBillingCommand(cmd: CommandContext, now: () => Date = () => new Date()): Promise<number> {
  const { args, io } = cmd;
  const [sub, ...rest] = args;
  const usage = (problem: string) => { io.err(`klartext billing${sub ? ` ${sub}` : ''}: ${problem}\n\n${BILLING_USAGE}`); return 2; };
  if (sub === 'run') {
    const parsed = parseOptions(rest, { date: { type: 'string' } });
    if (!parsed.ok) return usage(parsed.problem);
    const date = parsed.values.date as string | undefined;
    if (date !== undefined && !isCalendarDate(date)) return usage(`--date muss ein Datum JJJJ-MM-TT sein, nicht „${date}“`);
    const at = date === undefined ? now() : endOfBerlinDay(date);
    const r = await runBilling(await cliBillingContext(cmd, now), { at, actor: 'cli' });
    io.out(`Abrechnungslauf zum ${formatGermanDateTime(at)}`);
    io.out(`  beendet: ${r.ended}, verlängert: ${r.renewed}, Mahnstufen: ${r.dunningSteps}, Geschenk-Erinnerungen: ${r.giftReminders}`);
    if (r.batch) {
      io.out(`  Lastschriften: ${r.batch.count} über ${formatEuro(r.batch.controlSumCents)}, Rechnungen: ${r.batch.invoices}`);
      io.out(`  pain.008-Datei: ${r.batch.file}`);
    } else io.out('  Keine Lastschriften fällig, keine Datei geschrieben.');
    return 0;
  }
  if (sub === 'returns') {
    const parsed = parseOptions(rest, {}, 1);
    if (!parsed.ok) return usage(parsed.problem);
    const file = parsed.positionals[0];
    if (!file) return usage('Datei fehlt');
    let xml: string;
    try { xml = await fs.readFile(file, 'utf8'); } catch { io.err(`klartext billing returns: Datei nicht gefunden: ${file}`); return 2; }
    // A malformed file throws before anything is booked; runCli prints the message and exits 1.
    const r = await applyReturnsFile(await cliBillingContext(cmd, now), xml, { actor: 'cli' });
    io.out(`Rücklastschriften gebucht: ${r.applied.length}, bereits bekannt: ${r.alreadyKnown}, nicht zugeordnet: ${r.unmatched.length}`);
    for (const a of r.applied) io.out(`  ${a.subscription}  ${a.endToEndId}  ${a.reason}`);
    for (const u of r.unmatched) io.out(`  nicht zugeordnet: ${u.endToEndId ?? u.mandateId ?? '?'}${u.amountCents !== null ? ` (${formatEuro(u.amountCents)})` : ''}`);
    return 0;
  }
  return usage(sub ? `unbekannter Unterbefehl „${sub}“` : 'Unterbefehl fehlt');
}
