// `klartext subscription grant|revoke`: manual Plus subscriptions, so the paywall can be tried end to end before billing exists.
import { MAX_GRANT_DAYS, grantSubscription, revokeSubscriptions } from '../billing/index.ts';
import { listUsers, normalizeEmail } from '../accounts/index.ts';
import type { CommandContext } from './main.ts';
import { parseOptions } from './cli-options.ts';

export const SUBSCRIPTION_USAGE = `Aufruf: klartext subscription grant --email ADRESSE --days TAGE
       klartext subscription revoke --email ADRESSE

  grant    gibt dem Konto ein Plus-Abo für TAGE Tage (1–${MAX_GRANT_DAYS}); ein laufendes manuelles Abo wird verlängert
  revoke   beendet die manuell vergebenen Abos des Kontos sofort`;

const berlin = new Intl.DateTimeFormat('de-DE', { timeZone: 'Europe/Berlin', dateStyle: 'medium', timeStyle: 'short' });

export async function runSubscriptionCommand({ args, store, io }: CommandContext, now: () => Date = () => new Date()): Promise<number> {
  const [sub, ...rest] = args;
  const usage = (problem: string) => { io.err(`klartext subscription${sub ? ` ${sub}` : ''}: ${problem}\n\n${SUBSCRIPTION_USAGE}`); return 2; };
  if (sub !== 'grant' && sub !== 'revoke') return usage(sub ? `unbekannter Unterbefehl „${sub}“` : 'Unterbefehl fehlt');
  const parsed = parseOptions(rest, sub === 'grant' ? { email: { type: 'string' }, days: { type: 'string' } } : { email: { type: 'string' } });
  if (!parsed.ok) return usage(parsed.problem);
  const email = parsed.values.email as string | undefined;
  if (!email) return usage('--email fehlt');

  let days = 0;
  if (sub === 'grant') {
    const raw = parsed.values.days as string | undefined;
    if (!raw) return usage('--days fehlt');
    if (!/^\d+$/.test(raw) || Number(raw) < 1 || Number(raw) > MAX_GRANT_DAYS) return usage(`--days muss eine ganze Zahl von 1 bis ${MAX_GRANT_DAYS} sein, nicht „${raw}“`);
    days = Number(raw);
  }

  const address = normalizeEmail(email);
  if (!address) return usage(`„${email}“ ist keine E-Mail-Adresse`);
  const db = (await store()).db;
  const user = (await listUsers(db)).find((u) => u.email === address);
  if (!user) {
    io.err(`klartext subscription ${sub}: Es gibt kein Konto mit der Adresse ${address}. Legen Sie es mit „klartext user create“ an.`);
    return 1;
  }
  if (sub === 'grant') {
    const grant = await grantSubscription(db, { userId: user.id, days, now: now() });
    const until = grant.endsAt ? `bis ${berlin.format(new Date(grant.endsAt))} Uhr` : 'unbefristet';
    io.out(`${grant.extended ? 'Plus-Abo verlängert' : 'Plus-Abo vergeben'}: ${user.email}, ${until}.`);
    return 0;
  }
  const ended = await revokeSubscriptions(db, { userId: user.id, now: now() });
  if (ended === 0) {
    io.err(`klartext subscription revoke: ${user.email} hat kein laufendes manuell vergebenes Abo.`);
    return 1;
  }
  io.out(`Plus-Abo beendet: ${user.email} (${ended} ${ended === 1 ? 'Abo' : 'Abos'}).`);
  return 0;
}
