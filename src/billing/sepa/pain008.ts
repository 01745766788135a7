// The SEPA core direct debit file (pain.008.001.08) we hand to the bank: checked input, one block per sequence type and due date.
import { DomainError } from '../../domain-error.ts';
import { checkBic, checkCreditorId, checkIban } from './iban.ts';
import { isSepaId, toSepaText } from './sepa-charset.ts';
import { isCalendarDate } from '../billing-calendar.ts';
import { BLOCK_END_XML, FOOTER_XML, blockStartXml, debitXml, headerXml, writePain008, type PreparedBlock, type PreparedDebit } from './pain008-xml.ts';

export type SequenceType = 'FRST' | 'RCUR' | 'OOFF' | 'FNAL';

export interface DirectDebit {
  endToEndId: string;
  amountCents: number;
  mandateId: string;
  /** YYYY-MM-DD */
  mandateSignedOn: string;
  sequenceType: SequenceType;
  /** YYYY-MM-DD, the collection date the bank debits on. */
  dueDate: string;
  debtorName: string;
  debtorIban: string;
  debtorBic: string | null;
  remittanceInfo: string;
}

export interface DirectDebitBatch {
  messageId: string;
  createdAt: Date;
  creditor: { name: string; iban: string; bic: string | null; creditorId: string };
  collections: DirectDebit[];
}

export interface Pain008File {
  xml: string;
  count: number;
  controlSumCents: number;
}

const SEQUENCE_ORDER: SequenceType[] = ['FRST', 'RCUR', 'OOFF', 'FNAL'];
/** EPC limit for one collection: 999,999,999.99 EUR. */
const MAX_AMOUNT_CENTS = 99_999_999_999;
const NAME_MAX = 70;
const REMITTANCE_MAX = 140;

function invalid(message: string, field: string): DomainError {
  return new DomainError('invalid-input', message, field);
}

/** A party name in SEPA characters; longer names are cut at 70 like the banks do, rather than failing the whole file. */
function sepaName(value: string, what: string, field: string): string {
  const result = toSepaText(value);
  if (!result.ok) throw invalid(`${what}: das Zeichen „${result.char}“ lässt sich nicht in den SEPA-Zeichensatz übertragen.`, field);
  if (result.text === '') throw invalid(`${what}: der Name fehlt.`, field);
  return result.text.slice(0, NAME_MAX).trimEnd();
}

function prepareDebit(debit: DirectDebit, index: number): PreparedDebit {
  const at = `collections[${index}]`;
  const label = isSepaId(debit.endToEndId) ? `Lastschrift ${debit.endToEndId}` : `Lastschrift Nr. ${index + 1}`;
  if (!isSepaId(debit.endToEndId)) throw invalid(`${label}: die End-to-End-Referenz muss aus 1–35 SEPA-Zeichen ohne Leerzeichen bestehen.`, `${at}.endToEndId`);
  if (!Number.isSafeInteger(debit.amountCents) || debit.amountCents <= 0 || debit.amountCents > MAX_AMOUNT_CENTS) {
    throw invalid(`${label}: der Betrag muss eine ganze, positive Zahl von Cent sein (höchstens 999.999.999,99 €).`, `${at}.amountCents`);
  }
  if (!isSepaId(debit.mandateId)) throw invalid(`${label}: die Mandatsreferenz muss aus 1–35 SEPA-Zeichen ohne Leerzeichen bestehen.`, `${at}.mandateId`);
  if (!SEQUENCE_ORDER.includes(debit.sequenceType)) throw invalid(`${label}: unbekannter Sequenztyp „${String(debit.sequenceType)}“.`, `${at}.sequenceType`);
  if (!isCalendarDate(debit.dueDate)) throw invalid(`${label}: das Fälligkeitsdatum ist kein gültiges Datum (JJJJ-MM-TT).`, `${at}.dueDate`);
  if (!isCalendarDate(debit.mandateSignedOn)) throw invalid(`${label}: das Datum der Mandatsunterschrift ist kein gültiges Datum (JJJJ-MM-TT).`, `${at}.mandateSignedOn`);
  if (debit.mandateSignedOn > debit.dueDate) throw invalid(`${label}: das Mandat wurde erst nach dem Fälligkeitsdatum unterschrieben.`, `${at}.mandateSignedOn`);
  const iban = checkIban(debit.debtorIban);
  if (!iban.ok) throw invalid(`${label}: ${iban.message}`, `${at}.debtorIban`);
  const bic = checkBic(debit.debtorBic ?? '');
  if (!bic.ok) throw invalid(`${label}: ${bic.message}`, `${at}.debtorBic`);
  const remittance = toSepaText(debit.remittanceInfo);
  if (!remittance.ok) throw invalid(`${label}: im Verwendungszweck lässt sich das Zeichen „${remittance.char}“ nicht in den SEPA-Zeichensatz übertragen.`, `${at}.remittanceInfo`);
  // Cutting the purpose could cut off the invoice number the reader looks for, so a long one is the caller's to shorten.
  if (remittance.text.length > REMITTANCE_MAX) throw invalid(`${label}: der Verwendungszweck ist länger als ${REMITTANCE_MAX} Zeichen.`, `${at}.remittanceInfo`);
  return {
    endToEndId: debit.endToEndId,
    amountCents: debit.amountCents,
    mandateId: debit.mandateId,
    mandateSignedOn: debit.mandateSignedOn,
    debtorName: sepaName(debit.debtorName, label, `${at}.debtorName`),
    debtorIban: iban.iban,
    debtorBic: bic.bic,
    remittanceInfo: remittance.text,
  };
}

/**
 * Builds the pain.008 file for one submission. Amounts stay integer cents until they are written as euros,
 * so 3 × 9.99 € is 29.97 €, never 29.969999…; the control sums are computed here and checked against each other.
 * Any unusable debit refuses the whole file (DomainError 'invalid-input' naming the debit): a bank rejects a file
 * as a whole too, and a half-built file would be worse than none.
 */
export function buildPain008(batch: DirectDebitBatch): Pain008File {
  if (batch.collections.length === 0) throw invalid('Der Lastschrift-Auftrag enthält keine Lastschriften.', 'collections');
  const creditor = checkedHeader(batch);

  const blocks = new Map<string, PreparedBlock>();
  const endToEndIds = new Set<string>();
  let count = 0;
  let controlSumCents = 0;
  batch.collections.forEach((debit, index) => {
    const prepared = prepareDebit(debit, index);
    // Returns and status reports name the debit by this id; two debits sharing one could not be told apart.
    if (endToEndIds.has(prepared.endToEndId)) throw invalid(`Lastschrift ${prepared.endToEndId}: die End-to-End-Referenz kommt doppelt vor.`, `collections[${index}].endToEndId`);
    endToEndIds.add(prepared.endToEndId);
    const key = `${debit.dueDate} ${SEQUENCE_ORDER.indexOf(debit.sequenceType)}`;
    let block = blocks.get(key);
    if (!block) {
      block = { sequenceType: debit.sequenceType, dueDate: debit.dueDate, debits: [], controlSumCents: 0 };
      blocks.set(key, block);
    }
    block.debits.push(prepared);
    block.controlSumCents += prepared.amountCents;
    count += 1;
    controlSumCents += prepared.amountCents;
  });
  if (!Number.isSafeInteger(controlSumCents)) throw invalid('Die Summe des Auftrags ist zu groß.', 'collections');

  const ordered = [...blocks.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([, block]) => block);
  // The header must equal the sum of the blocks; a mismatch would be our bug, and the bank would refuse the file.
  const blockSum = ordered.reduce((sum, block) => sum + block.debits.reduce((s, d) => s + d.amountCents, 0), 0);
  const blockCount = ordered.reduce((n, block) => n + block.debits.length, 0);
  if (blockSum !== controlSumCents || blockCount !== count || ordered.some((b) => b.debits.reduce((s, d) => s + d.amountCents, 0) !== b.controlSumCents)) {
    throw new Error('pain.008: control sums of blocks and header disagree');
  }

  const pieces: string[] = [];
  writePain008({ messageId: batch.messageId, createdAt: batch.createdAt, count, controlSumCents, creditor, blocks: ordered }, (piece) => pieces.push(piece));
  return { xml: pieces.join(''), count, controlSumCents };
}

/** Message id, creation time and creditor checked, the creditor as the file carries it; shared by both writers. */
function checkedHeader(h: { messageId: string; createdAt: Date; creditor: DirectDebitBatch['creditor'] }): DirectDebitBatch['creditor'] {
  if (!isSepaId(h.messageId)) throw invalid('Die Nachrichten-ID muss aus 1–35 SEPA-Zeichen ohne Leerzeichen bestehen.', 'messageId');
  if (!(h.createdAt instanceof Date) || Number.isNaN(h.createdAt.getTime())) throw invalid('Der Erstellungszeitpunkt fehlt.', 'createdAt');
  const iban = checkIban(h.creditor.iban);
  if (!iban.ok) throw invalid(`Konto des Zahlungsempfängers: ${iban.message}`, 'creditor.iban');
  const bic = checkBic(h.creditor.bic ?? '');
  if (!bic.ok) throw invalid(`BIC des Zahlungsempfängers: ${bic.message}`, 'creditor.bic');
  if (!checkCreditorId(h.creditor.creditorId)) throw invalid('Die Gläubiger-Identifikationsnummer ist ungültig.', 'creditor.creditorId');
  return { name: sepaName(h.creditor.name, 'Zahlungsempfänger', 'creditor.name'), iban: iban.iban, bic: bic.bic, creditorId: h.creditor.creditorId.replace(/\s+/g, '').toUpperCase() };
}

/** A block announced before its debits: the file states counts and sums ahead of the transactions. */
export interface AnnouncedBlock { sequenceType: SequenceType; dueDate: string; count: number; controlSumCents: number }

/**
 * Writes a pain.008 file whose blocks are known in advance (counted in the database), taking the debits one at a
 * time, so a billing run never holds 100,000 debits or the whole XML in memory. Every debit is checked like in
 * buildPain008; `finish()` refuses the file if the debits do not add up to what was announced.
 */
export class Pain008Stream {
  private readonly creditor: { name: string; iban: string; bic: string | null; creditorId: string };
  private readonly endToEndIds = new Set<string>();
  private blockIndex = -1;
  private inBlock = { count: 0, sum: 0 };
  private total = { count: 0, sum: 0 };
  private written = 0;

  constructor(private readonly meta: { messageId: string; createdAt: Date; creditor: DirectDebitBatch['creditor']; blocks: AnnouncedBlock[] }, private readonly emit: (piece: string) => void) {
    if (meta.blocks.length === 0) throw invalid('Der Lastschrift-Auftrag enthält keine Lastschriften.', 'collections');
    this.creditor = checkedHeader(meta);
    const count = meta.blocks.reduce((n, b) => n + b.count, 0);
    const controlSumCents = meta.blocks.reduce((n, b) => n + b.controlSumCents, 0);
    emit(headerXml({ messageId: meta.messageId, createdAt: meta.createdAt, count, controlSumCents, creditor: this.creditor }));
  }

  /** Opens the next announced block; debits added afterwards must carry its sequence type and due date. */
  nextBlock(): AnnouncedBlock {
    this.closeBlock();
    const block = this.meta.blocks[++this.blockIndex];
    if (!block) throw new Error('pain.008: no further block was announced');
    this.emit(blockStartXml({ messageId: this.meta.messageId, creditor: this.creditor }, block));
    return block;
  }

  add(debit: DirectDebit): void {
    const block = this.meta.blocks[this.blockIndex];
    if (!block || debit.sequenceType !== block.sequenceType || debit.dueDate !== block.dueDate) throw new Error('pain.008: a debit does not belong to the open block');
    const prepared = prepareDebit(debit, this.written);
    if (this.endToEndIds.has(prepared.endToEndId)) throw invalid(`Lastschrift ${prepared.endToEndId}: die End-to-End-Referenz kommt doppelt vor.`, `collections[${this.written}].endToEndId`);
    this.endToEndIds.add(prepared.endToEndId);
    this.inBlock.count += 1;
    this.inBlock.sum += prepared.amountCents;
    this.written += 1;
    this.emit(debitXml(prepared));
  }

  /** Closes the document; throws if any block's debits differ from what was announced (the file must then be discarded). */
  finish(): { count: number; controlSumCents: number } {
    this.closeBlock();
    if (this.blockIndex !== this.meta.blocks.length - 1) throw new Error('pain.008: announced blocks were left out');
    this.emit(FOOTER_XML);
    return { count: this.total.count, controlSumCents: this.total.sum };
  }

  private closeBlock(): void {
    if (this.blockIndex < 0) return;
    const block = this.meta.blocks[this.blockIndex]!;
    if (this.inBlock.count !== block.count || this.inBlock.sum !== block.controlSumCents) throw new Error('pain.008: a block\'s debits do not match its announced count and sum');
    this.emit(BLOCK_END_XML);
    this.total.count += this.inBlock.count;
    this.total.sum += this.inBlock.sum;
    this.inBlock = { count: 0, sum: 0 };
  }
}
