// What an admin submits for an institution: name, kind, seats, end date, networks (one CIDR a line) and email domains, checked field by field in German.
import { domainToASCII } from 'node:url';
import { FieldProblems } from '../accounts/index.ts';
import { isNetworkProblem, parseNetwork } from './institution-network.ts';

export const INSTITUTION_KINDS = ['school', 'library', 'company', 'other'] as const;
export type InstitutionKind = (typeof INSTITUTION_KINDS)[number];
export const INSTITUTION_KIND_LABELS: Record<InstitutionKind, string> = { school: 'Schule', library: 'Bibliothek', company: 'Unternehmen', other: 'Sonstige' };

export interface InstitutionInput {
  name: string;
  kind: InstitutionKind;
  /** readers by email domain who may hold a seat at once; null: no limit */
  seats: number | null;
  /** Berlin day, the last day of access (included) */
  endsOn: string;
  /** normalised CIDRs, without duplicates */
  networks: string[];
  /** lower-case ASCII (punycode) domains, without duplicates */
  domains: string[];
}

export const MAX_NETWORKS = 200;
export const MAX_DOMAINS = 50;
export const MAX_SEATS = 1_000_000;

/**
 * Mail providers where anyone can open an address: as an institution's domain they would hand its seats to strangers.
 * Not complete — a short list of the common ones, so the obvious mistake is caught.
 */
const OPEN_MAIL_PROVIDERS = new Set([
  'gmail.com', 'googlemail.com', 'gmx.de', 'gmx.net', 'gmx.at', 'gmx.ch', 'web.de', 't-online.de', 'freenet.de', 'arcor.de', 'mail.de',
  'posteo.de', 'mailbox.org', 'outlook.com', 'outlook.de', 'hotmail.com', 'hotmail.de', 'live.com', 'live.de', 'yahoo.com', 'yahoo.de',
  'icloud.com', 'me.com', 'aol.com', 'proton.me', 'protonmail.com',
]);

/** The part after the last @, lower case: the domain an address belongs to (exactly; a subdomain is another domain). */
export const emailDomainOf = (email: string): string => email.slice(email.lastIndexOf('@') + 1).trim().toLowerCase();

const lines = (text: string): string[] => text.split(/[\r\n]+/).map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('#'));

/** One domain line: `schule.de` or `@schule.de`; umlauts become punycode, as mail addresses carry them. */
export function parseDomain(line: string): { domain: string } | { message: string } {
  const text = line.trim().replace(/^@/, '').replace(/\.$/, '');
  const ascii = text.includes('@') ? '' : domainToASCII(text.toLowerCase());
  const labels = ascii.split('.');
  const valid = ascii.length > 0 && ascii.length <= 253 && labels.length >= 2
    && labels.every((l) => /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/.test(l)) && /[a-z]/.test(labels.at(-1)!);
  if (!valid) return { message: `„${line.trim()}“ ist keine E-Mail-Domain. Schreiben Sie nur den Teil nach dem @, z. B. stadtbibliothek-musterstadt.de.` };
  if (OPEN_MAIL_PROVIDERS.has(ascii)) return { message: `„${ascii}“ ist ein freier E-Mail-Anbieter: Dort kann jede und jeder eine Adresse anlegen und einen Platz belegen.` };
  return { domain: ascii };
}

function validDay(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const t = Date.parse(`${value}T12:00:00Z`);
  return !Number.isNaN(t) && new Date(t).toISOString().slice(0, 10) === value;
}

/** Every bad line in one message (the field shows one), the first three in full. */
const tellLines = (messages: string[]): string =>
  messages.length <= 3 ? messages.join(' ') : `${messages.slice(0, 3).join(' ')} Und ${messages.length - 3} weitere Zeilen.`;

/**
 * The form's strings as an institution, or a DomainError naming every field that is wrong. `today` (Berlin) bounds the
 * end date: an institution whose access already ended is revoked, not saved.
 */
export function parseInstitutionInput(form: Record<string, string | undefined>, today: string): InstitutionInput {
  const problems = new FieldProblems();
  const name = (form.name ?? '').trim().replace(/\s+/g, ' ');
  if (!name) problems.add('name', 'Bitte geben Sie den Namen der Institution an.');
  else if ([...name].length > 120) problems.add('name', 'Der Name darf höchstens 120 Zeichen lang sein.');
  else if (/[\u0000-\u001f\u007f]/.test(name)) problems.add('name', 'Der Name darf keine Steuerzeichen enthalten.');

  const kind = (form.kind ?? '') as InstitutionKind;
  if (!INSTITUTION_KINDS.includes(kind)) problems.add('kind', `Bitte wählen Sie die Art: ${Object.values(INSTITUTION_KIND_LABELS).join(', ')}.`);

  const seatsText = (form.seats ?? '').trim().replace(/[.\s]/g, '');
  let seats: number | null = null;
  if (seatsText !== '') {
    if (!/^\d{1,7}$/.test(seatsText) || Number(seatsText) < 1 || Number(seatsText) > MAX_SEATS) {
      problems.add('seats', 'Die Zahl der Plätze muss eine ganze Zahl ab 1 sein – oder leer für unbegrenzt.');
    } else seats = Number(seatsText);
  }

  const endsOn = (form.endsOn ?? '').trim();
  if (!validDay(endsOn)) problems.add('endsOn', 'Bitte geben Sie das Enddatum als Datum an, z. B. 2027-07-31.');
  else if (endsOn < today) problems.add('endsOn', 'Das Enddatum liegt in der Vergangenheit. Um den Zugang zu beenden, widerrufen Sie ihn.');

  const networks: string[] = [];
  const networkLines = lines(form.networks ?? '');
  if (networkLines.length > MAX_NETWORKS) problems.add('networks', `Höchstens ${MAX_NETWORKS} Netzwerke je Institution.`);
  const networkProblems: string[] = [];
  networkLines.slice(0, MAX_NETWORKS).forEach((line, i) => {
    const n = parseNetwork(line);
    if (isNetworkProblem(n)) networkProblems.push(`Zeile ${i + 1}: ${n.message}`);
    else if (!networks.includes(n.cidr)) networks.push(n.cidr);
  });
  if (networkProblems.length) problems.add('networks', tellLines(networkProblems));

  const domains: string[] = [];
  const domainLines = lines(form.domains ?? '');
  if (domainLines.length > MAX_DOMAINS) problems.add('domains', `Höchstens ${MAX_DOMAINS} E-Mail-Domains je Institution.`);
  const domainProblems: string[] = [];
  domainLines.slice(0, MAX_DOMAINS).forEach((line, i) => {
    const d = parseDomain(line);
    if ('message' in d) domainProblems.push(`Zeile ${i + 1}: ${d.message}`);
    else if (!domains.includes(d.domain)) domains.push(d.domain);
  });
  if (domainProblems.length) problems.add('domains', tellLines(domainProblems));
  if (networkLines.length === 0 && domainLines.length === 0) {
    problems.add('networks', 'Bitte geben Sie mindestens ein Netzwerk oder eine E-Mail-Domain an – sonst gibt der Zugang niemandem etwas frei.');
  }
  problems.throwIfAny();
  return { name, kind, seats, endsOn, networks, domains };
}
