// The pain.008 file: valid against the ISO schema, sums and counts that add up in cents, one block per sequence type and due date.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { XMLParser } from 'fast-xml-parser';
import { DomainError } from '../../domain-error.ts';
import { buildPain008, type DirectDebit, type DirectDebitBatch } from './pain008.ts';
import { validateAgainstXsd } from './xsd.testing.ts';

const CREDITOR = { name: 'Klartext Verlag GmbH', iban: 'DE89 3704 0044 0532 0130 00', bic: 'COBADEFFXXX', creditorId: 'DE98ZZZ09999999999' };

function debit(n: number, over: Partial<DirectDebit> = {}): DirectDebit {
  return {
    endToEndId: `KT-2025-06-${n}`,
    amountCents: 999,
    mandateId: `ABO-2025-${n}-M1`,
    mandateSignedOn: '2025-01-15',
    sequenceType: 'RCUR',
    dueDate: '2025-06-03',
    debtorName: `Leserin ${n}`,
    debtorIban: 'DE02120300000000202051',
    debtorBic: null,
    remittanceInfo: `Klartext Digital Juni 2025 Rechnung R-${n}`,
    ...over,
  };
}

function batch(collections: DirectDebit[], over: Partial<DirectDebitBatch> = {}): DirectDebitBatch {
  return { messageId: 'KT-20250601-0001', createdAt: new Date('2025-06-01T08:15:30.123Z'), creditor: CREDITOR, collections, ...over };
}

type Node = Record<string, unknown>;
const parser = new XMLParser({ ignoreAttributes: false, parseTagValue: false, isArray: (name) => name === 'PmtInf' || name === 'DrctDbtTxInf' });

function parse(xml: string): { header: Node; blocks: Node[] } {
  const root = (parser.parse(xml) as Node).Document as Node;
  const initiation = root.CstmrDrctDbtInitn as Node;
  return { header: initiation.GrpHdr as Node, blocks: initiation.PmtInf as Node[] };
}

/** "29.97" → 2997, by string so the test does not share the code's arithmetic. */
function cents(decimal: unknown): number {
  const match = /^(\d+)\.(\d{2})$/.exec(String(decimal));
  assert.ok(match, `not a two-place amount: ${String(decimal)}`);
  return Number(match[1]) * 100 + Number(match[2]);
}

function transactions(block: Node): Node[] {
  return block.DrctDbtTxInf as Node[];
}

function amountOf(tx: Node): number {
  return cents((tx.InstdAmt as Node)['#text']);
}

const mixed = [
  debit(1, { sequenceType: 'FRST', dueDate: '2025-06-05', debtorName: 'Jürgen Müller-Lüdenscheidt', debtorBic: 'GENODEM1GLS', amountCents: 1299 }),
  debit(2, { sequenceType: 'RCUR', dueDate: '2025-06-03', amountCents: 999 }),
  debit(3, { sequenceType: 'FRST', dueDate: '2025-06-05', debtorIban: 'AT611904300234573201', amountCents: 500 }),
  debit(4, { sequenceType: 'RCUR', dueDate: '2025-06-05', debtorName: "Zoë O'Brien & Söhne", amountCents: 1 }),
  debit(5, { sequenceType: 'RCUR', dueDate: '2025-06-03', remittanceInfo: 'Abo „Plus“ – Juni', amountCents: 100 }),
  debit(6, { sequenceType: 'OOFF', dueDate: '2025-06-03', amountCents: 4250 }),
];

test('a generated file is valid against the pain.008.001.08 schema', () => {
  const { xml } = buildPain008(batch(mixed));
  validateAgainstXsd(xml, 'pain.008.001.08');
  const withoutBic = buildPain008(batch(mixed, { creditor: { ...CREDITOR, bic: null } }));
  validateAgainstXsd(withoutBic.xml, 'pain.008.001.08');
  assert.match(withoutBic.xml, /<CdtrAgt><FinInstnId><Othr><Id>NOTPROVIDED<\/Id><\/Othr><\/FinInstnId><\/CdtrAgt>/);
});

test('the schema validation does refuse a broken document', () => {
  const { xml } = buildPain008(batch(mixed));
  assert.throws(() => validateAgainstXsd(xml.replace(/<MsgId>[^<]*<\/MsgId>/, ''), 'pain.008.001.08'), /MsgId/);
  assert.throws(() => validateAgainstXsd(xml.replace('<InstdAmt Ccy="EUR">12.99</InstdAmt>', '<InstdAmt Ccy="EUR">12,99</InstdAmt>'), 'pain.008.001.08'), /InstdAmt/);
  assert.throws(() => validateAgainstXsd(xml.replace('<SeqTp>FRST</SeqTp>', '<SeqTp>FIRST</SeqTp>'), 'pain.008.001.08'), /SeqTp/);
});

test('header and every block carry count and control sum that match their transactions', () => {
  const file = buildPain008(batch(mixed));
  const { header, blocks } = parse(file.xml);
  const expectedSum = mixed.reduce((s, d) => s + d.amountCents, 0);
  assert.equal(file.count, 6);
  assert.equal(file.controlSumCents, expectedSum);
  assert.equal(header.NbOfTxs, '6');
  assert.equal(cents(header.CtrlSum), expectedSum);
  let seen = 0;
  for (const block of blocks) {
    const txs = transactions(block);
    assert.equal(block.NbOfTxs, String(txs.length));
    assert.equal(cents(block.CtrlSum), txs.reduce((s, tx) => s + amountOf(tx), 0));
    seen += txs.length;
  }
  assert.equal(seen, 6);
});

test('there is one transaction per debit, with its end-to-end id, amount, mandate reference and signature date', () => {
  const { blocks } = parse(buildPain008(batch(mixed)).xml);
  const all = blocks.flatMap(transactions);
  assert.equal(all.length, mixed.length);
  for (const d of mixed) {
    const matches = all.filter((tx) => (tx.PmtId as Node).EndToEndId === d.endToEndId);
    assert.equal(matches.length, 1, d.endToEndId);
    const tx = matches[0]!;
    assert.equal(amountOf(tx), d.amountCents);
    const mandate = (tx.DrctDbtTx as Node).MndtRltdInf as Node;
    assert.equal(mandate.MndtId, d.mandateId);
    assert.equal(mandate.DtOfSgntr, d.mandateSignedOn);
  }
});

test('debits are grouped into one block per sequence type and due date', () => {
  const { blocks } = parse(buildPain008(batch(mixed)).xml);
  const keys = blocks.map((b) => `${(b.PmtTpInf as Node).SeqTp} ${b.ReqdColltnDt}`);
  assert.deepEqual(keys, ['RCUR 2025-06-03', 'OOFF 2025-06-03', 'FRST 2025-06-05', 'RCUR 2025-06-05']);
  assert.equal(new Set(blocks.map((b) => b.PmtInfId)).size, blocks.length, 'payment information ids are unique');
  for (const block of blocks) {
    for (const tx of transactions(block)) {
      const source = mixed.find((d) => d.endToEndId === (tx.PmtId as Node).EndToEndId)!;
      assert.equal(source.sequenceType, (block.PmtTpInf as Node).SeqTp);
      assert.equal(source.dueDate, block.ReqdColltnDt);
    }
  }
  assert.deepEqual(transactions(blocks[0]!).map((tx) => (tx.PmtId as Node).EndToEndId), ['KT-2025-06-2', 'KT-2025-06-5'], 'input order within a block');
});

test('amounts are written from integer cents without floating point drift', () => {
  const file = buildPain008(batch([debit(1), debit(2), debit(3)]));
  assert.equal(file.controlSumCents, 2997);
  assert.match(file.xml, /<CtrlSum>29\.97<\/CtrlSum>/);
  const trap = buildPain008(batch([debit(1, { amountCents: 10 }), debit(2, { amountCents: 20 })]));
  assert.match(trap.xml, /<GrpHdr>.*<CtrlSum>0\.30<\/CtrlSum>/, '0.1 + 0.2 is 0.30 here');
  const edges = buildPain008(batch([debit(1, { amountCents: 1 }), debit(2, { amountCents: 100 }), debit(3, { amountCents: 99_999_999_999 })]));
  assert.deepEqual(parse(edges.xml).blocks.flatMap(transactions).map((tx) => (tx.InstdAmt as Node)['#text']), ['0.01', '1.00', '999999999.99']);
  assert.match(edges.xml, /<CtrlSum>1000000001\.00<\/CtrlSum>/);
  // Many small amounts: a float sum of 0.07 € a thousand times drifts, the cent sum does not.
  const many = buildPain008(batch(Array.from({ length: 1000 }, (_, i) => debit(i, { amountCents: 7 }))));
  assert.match(many.xml, /<GrpHdr>.*<CtrlSum>70\.00<\/CtrlSum>/);
});

test('names and purposes are transliterated into the SEPA character set', () => {
  const { xml } = buildPain008(batch(mixed));
  assert.match(xml, /<Dbtr><Nm>Juergen Mueller-Luedenscheidt<\/Nm><\/Dbtr>/);
  assert.match(xml, /<Dbtr><Nm>Zoe O&apos;Brien \+ Soehne<\/Nm><\/Dbtr>/);
  assert.match(xml, /<Ustrd>Abo Plus - Juni<\/Ustrd>/);
  const long = buildPain008(batch([debit(1, { debtorName: 'Ä'.repeat(60) })]));
  assert.match(long.xml, new RegExp(`<Dbtr><Nm>${'Ae'.repeat(35)}</Nm>`), 'names are cut at 70 characters');
});

test('the creation time is written in UTC to the second and the creditor scheme id per block', () => {
  const { xml } = buildPain008(batch(mixed));
  assert.match(xml, /<CreDtTm>2025-06-01T08:15:30Z<\/CreDtTm>/);
  assert.equal(xml.match(/<CdtrSchmeId><Id><PrvtId><Othr><Id>DE98ZZZ09999999999<\/Id>/g)?.length, 4);
  assert.match(xml, /<DbtrAgt><FinInstnId><BICFI>GENODEM1GLS<\/BICFI><\/FinInstnId><\/DbtrAgt>/);
  assert.match(xml, /<DbtrAcct><Id><IBAN>AT611904300234573201<\/IBAN><\/Id><\/DbtrAcct>/);
});

function refused(input: DirectDebitBatch, field: string | RegExp, message?: RegExp): void {
  assert.throws(() => buildPain008(input), (error: unknown) => {
    assert.ok(error instanceof DomainError, String(error));
    assert.equal(error.code, 'invalid-input');
    if (typeof field === 'string') assert.equal(error.field, field); else assert.match(error.field ?? '', field);
    if (message) assert.match(error.message, message);
    return true;
  });
}

test('an empty batch is refused', () => {
  refused(batch([]), 'collections', /keine Lastschriften/);
});

test('amounts that are not positive whole cents are refused', () => {
  for (const amountCents of [0, -5, 9.99, Number.NaN, Number.POSITIVE_INFINITY, 100_000_000_000]) {
    refused(batch([debit(1), debit(2, { amountCents })]), 'collections[1].amountCents', /Lastschrift KT-2025-06-2: der Betrag/);
  }
});

test('invalid IBANs, BICs and creditor data are refused with the reason', () => {
  refused(batch([debit(1, { debtorIban: 'DE88370400440532013000' })]), 'collections[0].debtorIban', /Prüfziffer der IBAN stimmt nicht/);
  refused(batch([debit(1, { debtorIban: 'US12123' })]), 'collections[0].debtorIban');
  refused(batch([debit(1, { debtorBic: 'COBADEF' })]), 'collections[0].debtorBic');
  refused(batch([debit(1)], { creditor: { ...CREDITOR, iban: 'DE00370400440532013000' } }), 'creditor.iban');
  refused(batch([debit(1)], { creditor: { ...CREDITOR, creditorId: 'DE97ZZZ09999999999' } }), 'creditor.creditorId');
});

test('text that cannot be carried in the SEPA character set is refused, naming the character', () => {
  refused(batch([debit(1, { debtorName: 'Иван Петров' })]), 'collections[0].debtorName', /„И“/);
  refused(batch([debit(1, { remittanceInfo: 'Abo 9,99 €' })]), 'collections[0].remittanceInfo', /„€“/);
  refused(batch([debit(1, { remittanceInfo: 'x'.repeat(141) })]), 'collections[0].remittanceInfo', /140 Zeichen/);
  refused(batch([debit(1, { debtorName: '   ' })]), 'collections[0].debtorName', /Name fehlt/);
});

test('identifiers outside the SEPA rules, duplicate end-to-end ids and impossible dates are refused', () => {
  refused(batch([debit(1, { endToEndId: 'KT 1' })]), 'collections[0].endToEndId');
  refused(batch([debit(1, { endToEndId: 'x'.repeat(36) })]), 'collections[0].endToEndId');
  refused(batch([debit(1, { mandateId: '/ABO-1' })]), 'collections[0].mandateId');
  refused(batch([debit(1, { mandateId: 'ABO//1' })]), 'collections[0].mandateId');
  refused(batch([debit(1), debit(1)]), 'collections[1].endToEndId', /doppelt/);
  refused(batch([debit(1, { dueDate: '2025-02-30' })]), 'collections[0].dueDate');
  refused(batch([debit(1, { mandateSignedOn: '15.01.2025' })]), 'collections[0].mandateSignedOn');
  refused(batch([debit(1, { mandateSignedOn: '2025-06-04', dueDate: '2025-06-03' })]), 'collections[0].mandateSignedOn', /nach dem Fälligkeitsdatum/);
  refused(batch([debit(1, { sequenceType: 'RPRE' as DirectDebit['sequenceType'] })]), 'collections[0].sequenceType');
  refused(batch([debit(1)], { messageId: 'KT 2025' }), 'messageId');
  refused(batch([debit(1)], { createdAt: new Date('nonsense') }), 'createdAt');
});
