// SEPA mandates: the reference a subscription's mandate carries and the German mandate text the reader agrees to.
import { createHash } from 'node:crypto';
import { DomainError } from '../../domain-error.ts';
import { checkCreditorId } from './iban.ts';
import { isSepaId } from './sepa-charset.ts';

const MAX_REFERENCE = 35;

/**
 * The mandate reference for the n-th mandate of a subscription (a new one when the reader changes account), e.g.
 * `ABO-2025-000123-M1`. Upper-case letters, digits and '-' only, at most 35 characters.
 * Distinct (subscription, n) pairs never share a reference: when the subscription number has to be changed to fit
 * (characters outside the set, lower case, too long) an 8-hex-digit hash of the original is added after a '.', a
 * character the plain form never contains; `-M<n>` always ends the reference, so n is read back unambiguously.
 */
export function newMandateReference(subscriptionNumber: string, n: number): string {
  if (!Number.isSafeInteger(n) || n < 1) throw new DomainError('invalid-input', 'Die laufende Nummer eines Mandats ist eine ganze Zahl ab 1.', 'n');
  const original = subscriptionNumber.trim();
  const plain = original.toUpperCase().replace(/[^A-Z0-9-]+/g, '-').replace(/-{2,}/g, '-').replace(/^-|-$/g, '');
  if (plain === '') throw new DomainError('invalid-input', 'Für die Mandatsreferenz fehlt die Abonummer.', 'subscriptionNumber');
  const suffix = `-M${n}`;
  if (plain === original && plain.length + suffix.length <= MAX_REFERENCE) return `${plain}${suffix}`;
  const hash = createHash('sha256').update(original).digest('hex').slice(0, 8).toUpperCase();
  const room = MAX_REFERENCE - suffix.length - 1 - hash.length;
  if (room < 1) throw new DomainError('invalid-input', 'Die laufende Nummer des Mandats ist zu groß für eine Mandatsreferenz.', 'n');
  const head = plain.slice(0, room).replace(/-$/, '') || 'A';
  return `${head}.${hash}${suffix}`;
}

export interface MandateTextInput {
  creditorName: string;
  creditorId: string;
  mandateReference: string;
}

/**
 * The SEPA core direct debit mandate in the wording of the German banking industry (Deutsche Kreditwirtschaft),
 * as plain text with line breaks. The reader sees it before agreeing; we store it with the mandate as evidence.
 */
export function mandateText({ creditorName, creditorId, mandateReference }: MandateTextInput): string {
  const name = creditorName.trim();
  if (name === '') throw new DomainError('invalid-input', 'Der Name des Zahlungsempfängers fehlt.', 'creditorName');
  if (!checkCreditorId(creditorId)) throw new DomainError('invalid-input', 'Die Gläubiger-Identifikationsnummer ist ungültig.', 'creditorId');
  if (!isSepaId(mandateReference)) throw new DomainError('invalid-input', 'Die Mandatsreferenz ist ungültig.', 'mandateReference');
  return [
    'SEPA-Lastschriftmandat',
    '',
    `Zahlungsempfänger: ${name}`,
    `Gläubiger-Identifikationsnummer: ${creditorId.replace(/\s+/g, '').toUpperCase()}`,
    `Mandatsreferenz: ${mandateReference}`,
    '',
    `Ich ermächtige ${name}, Zahlungen von meinem Konto mittels Lastschrift einzuziehen. ` +
      `Zugleich weise ich mein Kreditinstitut an, die von ${name} auf mein Konto gezogenen Lastschriften einzulösen.`,
    '',
    'Hinweis: Ich kann innerhalb von acht Wochen, beginnend mit dem Belastungsdatum, die Erstattung des belasteten Betrages verlangen. ' +
      'Es gelten dabei die mit meinem Kreditinstitut vereinbarten Bedingungen.',
  ].join('\n');
}
