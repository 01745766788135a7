// Bank files about our debits: returns from camt.054 and rejects from pain.002 are read; anything else is refused in German.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { DomainError } from '../../domain-error.ts';
import { parseReturnsFile } from './returns.ts';
import { returnReasonText } from './return-reasons.ts';

const fixture = (name: string) => fs.readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');
const CAMT = fixture('camt.054.001.02-returns.xml');
const PAIN = fixture('pain.002.001.03-rejects.xml');

function refused(xml: string, message: RegExp): void {
  assert.throws(() => parseReturnsFile(xml), (error: unknown) => {
    assert.ok(error instanceof DomainError, String(error));
    assert.equal(error.code, 'invalid-input');
    assert.equal(error.field, 'file');
    assert.match(error.message, message);
    return true;
  });
}

test('a camt.054 yields its returned debits with end-to-end id, mandate, amount and reason, and skips booked collections', () => {
  assert.deepEqual(parseReturnsFile(CAMT), [
    {
      endToEndId: 'KT-2025-06-1', mandateId: 'ABO-2025-1-M1', originalMessageId: null, amountCents: 1299,
      reasonCode: 'MD06', reasonText: 'Der Kontoinhaber hat die Lastschrift zurückgegeben (Erstattung innerhalb von acht Wochen).', source: 'camt.054',
    },
    {
      endToEndId: 'KT-2025-06-3', mandateId: 'ABO-2025-3-M1', originalMessageId: null, amountCents: 500,
      reasonCode: 'AC04', reasonText: 'Das Konto wurde aufgelöst.', source: 'camt.054',
    },
  ]);
});

test('a pain.002 yields its rejected debits and skips accepted ones', () => {
  assert.deepEqual(parseReturnsFile(PAIN), [
    {
      endToEndId: 'KT-2025-06-4', mandateId: 'ABO-2025-4-M1', originalMessageId: 'KT-20250601-0001', amountCents: 1,
      reasonCode: 'AM04', reasonText: 'Das Konto war nicht gedeckt.', source: 'pain.002',
    },
    {
      endToEndId: 'KT-2025-06-6', mandateId: 'ABO-2025-6-M1', originalMessageId: 'KT-20250601-0001', amountCents: 4250,
      reasonCode: 'MD01', reasonText: 'Es liegt kein gültiges Mandat vor (Widerspruch des Kontoinhabers).', source: 'pain.002',
    },
  ]);
});

test('prefixed namespaces read the same as the default namespace', () => {
  const prefixed = CAMT.replace(/<(\/?)([A-Za-z])/g, '<$1c:$2').replace('xmlns="urn:iso', 'xmlns:c="urn:iso');
  assert.match(prefixed, /<c:Document xmlns:c=/);
  assert.deepEqual(parseReturnsFile(prefixed), parseReturnsFile(CAMT));
});

test('the 2019 versions (camt.054.001.08, pain.002.001.10) are read too', () => {
  const camt08 = CAMT.replaceAll('camt.054.001.02', 'camt.054.001.08');
  assert.equal(parseReturnsFile(camt08).length, 2);
  const pain10 = PAIN.replaceAll('pain.002.001.03', 'pain.002.001.10');
  assert.deepEqual(parseReturnsFile(pain10).map((r) => r.endToEndId), ['KT-2025-06-4', 'KT-2025-06-6']);
});

const painOf = (group: string, blocks = '') => `<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.002.001.03"><CstmrPmtStsRpt>
<GrpHdr><MsgId>P02-1</MsgId><CreDtTm>2025-06-04T11:30:12</CreDtTm></GrpHdr>
<OrgnlGrpInfAndSts><OrgnlMsgId>KT-20250601-0001</OrgnlMsgId><OrgnlMsgNmId>pain.008.001.08</OrgnlMsgNmId>${group}</OrgnlGrpInfAndSts>${blocks}
</CstmrPmtStsRpt></Document>`;

test('a whole rejected file becomes one entry without end-to-end id, naming our message', () => {
  assert.deepEqual(parseReturnsFile(painOf('<GrpSts>RJCT</GrpSts><StsRsnInf><Rsn><Cd>FF01</Cd></Rsn></StsRsnInf>')), [{
    endToEndId: null, mandateId: null, originalMessageId: 'KT-20250601-0001', amountCents: null,
    reasonCode: 'FF01', reasonText: 'Die Lastschriftdatei hatte ein ungültiges Format.', source: 'pain.002',
  }]);
});

test('a rejected block without listed debits names the block', () => {
  const block = '<OrgnlPmtInfAndSts><OrgnlPmtInfId>KT-20250601-0001-FRST-20250605</OrgnlPmtInfId><PmtInfSts>RJCT</PmtInfSts>' +
    '<StsRsnInf><Rsn><Cd>AG02</Cd></Rsn></StsRsnInf></OrgnlPmtInfAndSts>' +
    '<OrgnlPmtInfAndSts><OrgnlPmtInfId>KT-20250601-0001-RCUR-20250603</OrgnlPmtInfId><PmtInfSts>ACCP</PmtInfSts></OrgnlPmtInfAndSts>';
  const [only, ...rest] = parseReturnsFile(painOf('<GrpSts>PART</GrpSts>', block));
  assert.equal(rest.length, 0);
  assert.equal(only?.endToEndId, null);
  assert.equal(only?.originalPaymentInformationId, 'KT-20250601-0001-FRST-20250605');
  assert.equal(only?.reasonCode, 'AG02');
});

test('a debit without own reason takes the reason of its block, a proprietary reason is kept as code', () => {
  const blocks = '<OrgnlPmtInfAndSts><OrgnlPmtInfId>B1</OrgnlPmtInfId><PmtInfSts>PART</PmtInfSts><StsRsnInf><Rsn><Cd>MS03</Cd></Rsn></StsRsnInf>' +
    '<TxInfAndSts><OrgnlEndToEndId>E1</OrgnlEndToEndId><TxSts>RJCT</TxSts></TxInfAndSts>' +
    '<TxInfAndSts><OrgnlEndToEndId>E2</OrgnlEndToEndId><TxSts>RJCT</TxSts><StsRsnInf><Rsn><Prtry>X123</Prtry></Rsn></StsRsnInf></TxInfAndSts>' +
    '</OrgnlPmtInfAndSts>';
  const found = parseReturnsFile(painOf('<GrpSts>PART</GrpSts>', blocks));
  assert.deepEqual(found.map((r) => [r.endToEndId, r.reasonCode, r.amountCents]), [['E1', 'MS03', null], ['E2', 'X123', null]]);
  assert.match(found[1]!.reasonText, /„X123“/);
});

test('in a camt.054 a returned credit (our transfer bouncing) is not a returned debit, and an amount with fees is not guessed', () => {
  const credit = CAMT.replaceAll('<CdtDbtInd>DBIT</CdtDbtInd>\n        <RvslInd>true</RvslInd>', '<CdtDbtInd>CRDT</CdtDbtInd>');
  refused(credit, /keine zurückgegebenen Lastschriften/);
  // Without amount details the entry amount (15.99) includes the 3.00 fee, so no amount is better than a wrong one.
  const withoutDetails = CAMT.replace(/<AmtDtls>\s*<InstdAmt>[\s\S]*?<\/AmtDtls>/, '');
  assert.equal(parseReturnsFile(withoutDetails)[0]?.amountCents, null);
});

test('every reason code the product names has its own German text; unknown codes are named', () => {
  const codes = ['AC01', 'AC04', 'AC06', 'AC13', 'AG01', 'AG02', 'AM04', 'AM05', 'BE05', 'CNOR', 'DNOR', 'FF01', 'MD01', 'MD02', 'MD06', 'MD07',
    'MS02', 'MS03', 'RC01', 'RR01', 'RR02', 'RR03', 'RR04', 'SL01', 'FOCR', 'DUPL'];
  const texts = codes.map(returnReasonText);
  for (const [i, text] of texts.entries()) assert.doesNotMatch(text, /kein Text hinterlegt/, codes[i]);
  assert.equal(returnReasonText('md06'), returnReasonText('MD06'));
  assert.equal(returnReasonText('XY99'), 'Die Bank nennt den Grund „XY99“, für den kein Text hinterlegt ist.');
  assert.match(returnReasonText('constructor'), /kein Text hinterlegt/, 'no prototype keys leak in');
  assert.equal(returnReasonText(''), 'Die Bank hat keinen Grund angegeben.');
});

test('something that is not XML is refused', () => {
  refused('', /kein gültiges XML/);
  refused('Buchungstag;Betrag\n12.06.2025;-12,99', /kein gültiges XML/);
  refused('<Document><BkToCstmrDbtCdtNtfctn></Document>', /kein gültiges XML/);
});

test('other documents are refused, naming what they are', () => {
  refused(CAMT.replaceAll('camt.054.001.02', 'camt.053.001.02').replaceAll('BkToCstmrDbtCdtNtfctn', 'BkToCstmrStmt'), /weder eine camt\.054.* \(sondern camt\.053\.001\.02\)/);
  refused(CAMT.replaceAll('camt.054.001.02', 'pain.008.001.08'), /sondern pain\.008\.001\.08/);
  refused('<?xml version="1.0"?><rss version="2.0"><channel/></rss>', /das Element „Document“ fehlt/);
  refused('<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.054.001.02"><Other/></Document>', /weder eine camt\.054/);
});

test('files without returned or rejected debits are refused', () => {
  refused(painOf('<GrpSts>ACCP</GrpSts>'), /keine abgelehnten Lastschriften/);
  refused(PAIN.replaceAll('<TxSts>RJCT</TxSts>', '<TxSts>ACSC</TxSts>'), /keine abgelehnten Lastschriften/);
  refused(CAMT.replace(/<RtrInf>[\s\S]*?<\/RtrInf>/g, ''), /keine zurückgegebenen Lastschriften/);
});

test('amounts that are not plain euro amounts are refused', () => {
  for (const bad of ['12,99', '-12.99', '12.999', 'zwölf', '']) {
    refused(PAIN.replace('<InstdAmt Ccy="EUR">0.01</InstdAmt>', `<InstdAmt Ccy="EUR">${bad}</InstdAmt>`), /kein gültiger Euro-Betrag/);
  }
  refused(PAIN.replace('<InstdAmt Ccy="EUR">0.01</InstdAmt>', '<InstdAmt Ccy="USD">0.01</InstdAmt>'), /nicht in Euro, sondern in „USD“/);
  assert.equal(parseReturnsFile(PAIN.replace('<InstdAmt Ccy="EUR">0.01</InstdAmt>', '<InstdAmt Ccy="EUR">12.30000</InstdAmt>'))[0]?.amountCents, 1230, 'five decimals as ISO allows');
  assert.equal(parseReturnsFile(PAIN.replace('<InstdAmt Ccy="EUR">0.01</InstdAmt>', '<InstdAmt Ccy="EUR">7</InstdAmt>'))[0]?.amountCents, 700);
});
