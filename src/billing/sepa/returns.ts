// Reads the bank's answers about our direct debits: returns from a camt.054 notification, rejects from a pain.002 status report.
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { DomainError } from '../../domain-error.ts';
import { returnReasonText } from './return-reasons.ts';

export interface ReturnedDebit {
  /** Our end-to-end id of the debit; null when the bank rejected a whole file or block (see originalPaymentInformationId). */
  endToEndId: string | null;
  mandateId: string | null;
  /** The MsgId of our pain.008, where the bank names it. */
  originalMessageId: string | null;
  /** Set only when a pain.002 rejects a whole payment information block without listing its debits. */
  originalPaymentInformationId?: string;
  /** The amount of the original debit in cents (bank fees for the return not included), null when the bank gives none. */
  amountCents: number | null;
  /** ISO 20022 reason code, e.g. MD06; '' when the bank gave none. */
  reasonCode: string;
  reasonText: string;
  source: 'camt.054' | 'pain.002';
}

type XmlNode = { [name: string]: unknown };

const ISO_NAMESPACE = 'urn:iso:std:iso:20022:tech:xsd:';
const REPEATED = new Set(['Ntfctn', 'Ntry', 'NtryDtls', 'TxDtls', 'Chrgs', 'OrgnlPmtInfAndSts', 'TxInfAndSts', 'StsRsnInf', 'AddtlInf']);

function fileError(message: string): DomainError {
  return new DomainError('invalid-input', message, 'file');
}

function isNode(value: unknown): value is XmlNode {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The child element at the end of `path`, if every step exists. */
function at(node: unknown, ...path: string[]): unknown {
  let current = node;
  for (const name of path) {
    if (!isNode(current)) return undefined;
    current = current[name];
  }
  return current;
}

/** Text content at `path`, trimmed; null for a missing or empty element. */
function textAt(node: unknown, ...path: string[]): string | null {
  const value = at(node, ...path);
  const text = isNode(value) ? value['#text'] : value;
  return typeof text === 'string' && text.trim() !== '' ? text.trim() : null;
}

function listAt(node: unknown, ...path: string[]): XmlNode[] {
  const value = at(node, ...path);
  return Array.isArray(value) ? value.filter(isNode) : isNode(value) ? [value] : [];
}

/** "12.30" (EUR) → 1230 without floating point; anything else in the file is an error, not a guess. */
function cents(amount: unknown): number | null {
  if (amount === undefined) return null;
  const text = isNode(amount) ? amount['#text'] : amount;
  const currency = isNode(amount) ? amount['@Ccy'] : undefined;
  const value = typeof text === 'string' ? text.trim() : '';
  const match = /^(\d{1,15})(?:\.(\d{1,5}))?$/.exec(value);
  if (!match || /[1-9]/.test((match[2] ?? '').slice(2))) throw fileError(`Der Betrag „${value}“ in der Datei ist kein gültiger Euro-Betrag.`);
  if (currency !== undefined && currency !== 'EUR') throw fileError(`Ein Betrag in der Datei ist nicht in Euro, sondern in „${String(currency)}“.`);
  return Number(match[1]) * 100 + Number((match[2] ?? '').padEnd(2, '0').slice(0, 2));
}

function reasonOf(info: unknown): string | null {
  return textAt(info, 'Rsn', 'Cd') ?? textAt(info, 'Rsn', 'Prtry');
}

function returned(fields: Omit<ReturnedDebit, 'reasonText'>): ReturnedDebit {
  const result: ReturnedDebit = { ...fields, reasonText: returnReasonText(fields.reasonCode) };
  if (result.originalPaymentInformationId === undefined) delete result.originalPaymentInformationId;
  return result;
}

/**
 * Returned debits of a camt.054: transaction details with return information on debit entries. A returned direct
 * debit takes the money back from our account, so it is booked as a debit (with the reversal flag, ISO usage rule);
 * a credit with return information is something else, e.g. a refund transfer of ours that bounced.
 */
function readCamt054(body: XmlNode): ReturnedDebit[] {
  const found: ReturnedDebit[] = [];
  for (const notification of listAt(body, 'Ntfctn')) {
    for (const entry of listAt(notification, 'Ntry')) {
      if (textAt(entry, 'CdtDbtInd') !== 'DBIT') continue;
      const details = listAt(entry, 'NtryDtls');
      const onlyTransaction = details.length === 1 && listAt(details[0], 'TxDtls').length === 1;
      for (const detail of details) {
        for (const tx of listAt(detail, 'TxDtls')) {
          if (at(tx, 'RtrInf') === undefined) continue;
          // The entry amount stands for the debit only when it is the entry's single transaction and no fee is booked with it.
          const entryAmount = onlyTransaction && listAt(entry, 'Chrgs').length === 0 && listAt(tx, 'Chrgs').length === 0 ? at(entry, 'Amt') : undefined;
          const amount = at(tx, 'AmtDtls', 'InstdAmt', 'Amt') ?? at(tx, 'AmtDtls', 'TxAmt', 'Amt') ?? entryAmount;
          const endToEndId = textAt(tx, 'Refs', 'EndToEndId');
          found.push(returned({
            endToEndId: endToEndId === 'NOTPROVIDED' ? null : endToEndId,
            mandateId: textAt(tx, 'Refs', 'MndtId'),
            originalMessageId: textAt(detail, 'Btch', 'MsgId'),
            amountCents: cents(amount),
            reasonCode: reasonOf(at(tx, 'RtrInf')) ?? '',
            source: 'camt.054',
          }));
        }
      }
    }
  }
  return found;
}

/**
 * Rejected debits of a pain.002: transactions with status RJCT. When the bank rejects a whole file or block without
 * listing its debits, one entry without end-to-end id stands for all of them.
 */
function readPain002(body: XmlNode): ReturnedDebit[] {
  const group = at(body, 'OrgnlGrpInfAndSts');
  const originalMessageId = textAt(group, 'OrgnlMsgId');
  const groupStatus = textAt(group, 'GrpSts');
  const groupReason = reasonOf(listAt(group, 'StsRsnInf')[0]);
  const blocks = listAt(body, 'OrgnlPmtInfAndSts');
  const found: ReturnedDebit[] = [];
  for (const block of blocks) {
    const blockStatus = textAt(block, 'PmtInfSts');
    const blockReason = reasonOf(listAt(block, 'StsRsnInf')[0]);
    const transactions = listAt(block, 'TxInfAndSts');
    if (transactions.length === 0 && (blockStatus ?? groupStatus) === 'RJCT') {
      found.push(returned({
        endToEndId: null, mandateId: null, originalMessageId, amountCents: null,
        originalPaymentInformationId: textAt(block, 'OrgnlPmtInfId') ?? undefined,
        reasonCode: blockReason ?? groupReason ?? '', source: 'pain.002',
      }));
    }
    for (const tx of transactions) {
      if ((textAt(tx, 'TxSts') ?? blockStatus ?? groupStatus) !== 'RJCT') continue;
      found.push(returned({
        endToEndId: textAt(tx, 'OrgnlEndToEndId'),
        mandateId: textAt(tx, 'OrgnlTxRef', 'MndtRltdInf', 'MndtId'),
        originalMessageId,
        amountCents: cents(at(tx, 'OrgnlTxRef', 'Amt', 'InstdAmt')),
        reasonCode: reasonOf(listAt(tx, 'StsRsnInf')[0]) ?? blockReason ?? groupReason ?? '',
        source: 'pain.002',
      }));
    }
  }
  if (blocks.length === 0 && groupStatus === 'RJCT') {
    found.push(returned({ endToEndId: null, mandateId: null, originalMessageId, amountCents: null, reasonCode: groupReason ?? '', source: 'pain.002' }));
  }
  return found;
}

/** Parses the XML and tells the kind of document by its namespace and message element. */
function readDocument(xml: string): { kind: 'camt.054' | 'pain.002'; body: XmlNode } {
  const check = XMLValidator.validate(xml);
  if (check !== true) throw fileError(`Die Datei ist kein gültiges XML (Fehler in Zeile ${check.err.line ?? 1}).`);
  let rootPrefix: string | null = null;
  // removeNSPrefix would also drop the xmlns attributes that say which message this is, so prefixes are cut here instead.
  const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '@',
    parseTagValue: false,
    transformTagName: (name) => {
      const colon = name.indexOf(':');
      if (rootPrefix === null && !name.startsWith('?')) rootPrefix = colon < 0 ? '' : name.slice(0, colon);
      return colon < 0 ? name : name.slice(colon + 1);
    },
    isArray: (name) => REPEATED.has(name),
  });
  const parsed = parser.parse(xml) as XmlNode;
  const document = at(parsed, 'Document');
  if (!isNode(document)) throw fileError('Die Datei ist kein ISO-20022-Dokument (das Element „Document“ fehlt).');
  const namespace = document[rootPrefix ? `@xmlns:${rootPrefix}` : '@xmlns'];
  const message = typeof namespace === 'string' && namespace.startsWith(ISO_NAMESPACE) ? namespace.slice(ISO_NAMESPACE.length) : null;
  const camt = at(document, 'BkToCstmrDbtCdtNtfctn');
  const pain = at(document, 'CstmrPmtStsRpt');
  if ((message === null || message.startsWith('camt.054.')) && isNode(camt)) return { kind: 'camt.054', body: camt };
  if ((message === null || message.startsWith('pain.002.')) && isNode(pain)) return { kind: 'pain.002', body: pain };
  throw fileError(`Die Datei ist weder eine camt.054-Benachrichtigung noch ein pain.002-Statusbericht${message ? ` (sondern ${message})` : ''}.`);
}

/**
 * The debits a bank file reports as returned (camt.054) or rejected (pain.002), in file order. Both message versions
 * German banks send are read (camt.054.001.02/.08, pain.002.001.03/.10): the elements used here are the same in both.
 * Throws DomainError('invalid-input', …, 'file') for anything else, and for a file that reports no such debit.
 */
export function parseReturnsFile(xml: string): ReturnedDebit[] {
  const { kind, body } = readDocument(xml);
  const found = kind === 'camt.054' ? readCamt054(body) : readPain002(body);
  if (found.length === 0) {
    throw fileError(kind === 'camt.054'
      ? 'Die camt.054-Datei enthält keine zurückgegebenen Lastschriften.'
      : 'Der pain.002-Statusbericht enthält keine abgelehnten Lastschriften.');
  }
  return found;
}
