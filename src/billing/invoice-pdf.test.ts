// The invoice PDF: what § 14 UStG wants on it is really in its text, the fonts travel inside it, bad invoices are refused.
// Reads PDFs back with poppler-utils (pdftotext, pdffonts), which .ci/run installs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { DomainError } from '../domain-error.ts';
import { renderInvoicePdf, type InvoiceDocument } from './invoice-pdf.ts';

function invoice(overrides: Partial<InvoiceDocument> = {}): InvoiceDocument {
  return {
    number: 'RE-2026-000123',
    issuedOn: '2026-02-01',
    servicePeriod: { from: '2026-01-01', to: '2026-01-31' },
    seller: {
      name: 'Klartext Verlag GmbH', address: 'Hafenstraße 12\n28195 Bremen', email: 'abo@klartext.example',
      vatId: 'DE123456789', taxNumber: '60/145/12345', register: 'Amtsgericht Bremen HRB 12345', iban: 'DE89 3704 0044 0532 0130 00',
    },
    buyer: { name: 'Jürgen Müller-Weiß', email: 'jm@example.de', address: 'Großer Straßenweg 5\n28203 Bremen' },
    subscriptionNumber: 'ABO-000042',
    lines: [
      { description: 'Plus-Abo, monatlich – Januar 2026', grossCents: 999, ratePermille: 70 },
      { description: 'Plus-Abo, erster Monat zum Einführungspreis', grossCents: 100, ratePermille: 70 },
    ],
    paymentNote: 'Der Betrag wird per SEPA-Lastschrift eingezogen.',
    ...overrides,
  };
}

/** The PDF's text in drawing order (pdftotext -raw), with runs of spaces (and the no-break spaces of amounts) made single spaces. */
function pdfText(pdf: Buffer): string {
  const text = execFileSync('pdftotext', ['-raw', '-enc', 'UTF-8', '-', '-'], { input: pdf, encoding: 'utf8' });
  return text.replace(/[ \u00a0]+/g, ' ');
}

/** pdffonts' table: name, type, encoding, embedded, subset, unicode map. */
function pdfFonts(pdf: Buffer): { name: string; embedded: boolean; unicode: boolean }[] {
  const rows = execFileSync('pdffonts', ['-'], { input: pdf, encoding: 'utf8' }).trim().split('\n').slice(2);
  return rows.map((row) => {
    const cols = row.trim().split(/\s+/);
    return { name: cols[0]!, embedded: cols.at(-5) === 'yes', unicode: cols.at(-3) === 'yes' };
  });
}

test('an invoice is a PDF carrying number, dates, both parties, tax numbers and the service period', async () => {
  const pdf = await renderInvoicePdf(invoice());
  assert.equal(pdf.subarray(0, 5).toString('latin1'), '%PDF-');
  assert.match(pdf.subarray(-8).toString('latin1'), /%%EOF\s*$/);
  const text = pdfText(pdf);
  for (const expected of [
    'Rechnungsnummer RE-2026-000123', 'Rechnungsdatum 01.02.2026', 'Leistungszeitraum 01.01.2026 – 31.01.2026', 'Abonummer ABO-000042',
    'Jürgen Müller-Weiß', 'Großer Straßenweg 5', '28203 Bremen', 'Klartext Verlag GmbH · Hafenstraße 12 · 28195 Bremen',
    'USt-IdNr.: DE123456789', 'Steuernummer: 60/145/12345', 'Amtsgericht Bremen HRB 12345', 'IBAN: DE89 3704 0044 0532 0130 00',
    'Rechnung', 'Der Betrag wird per SEPA-Lastschrift eingezogen.',
  ]) {
    assert.ok(text.includes(expected), `missing "${expected}" in:\n${text}`);
  }
});

test('each line shows net, rate, VAT and gross, and the totals add up the rounded lines', async () => {
  const text = pdfText(await renderInvoicePdf(invoice()));
  assert.match(text, /1 Plus-Abo, monatlich – Januar 2026 9,34 € 7 % 0,65 € 9,99 €/);
  assert.match(text, /2 Plus-Abo, erster Monat zum Einführungspreis 0,93 € 7 % 0,07 € 1,00 €/);
  assert.match(text, /Summe netto 10,27 €/);
  assert.match(text, /Umsatzsteuer 7 % 0,72 €/);
  assert.match(text, /Gesamtbetrag 10,99 €/);
});

test('with two tax rates, net and tax are given per rate', async () => {
  const text = pdfText(await renderInvoicePdf(invoice({
    lines: [{ description: 'Plus-Abo', grossCents: 999, ratePermille: 70 }, { description: 'Kalender (gedruckt)', grossCents: 1999, ratePermille: 190 }],
  })));
  assert.match(text, /Summe netto zu 7 % 9,34 €/);
  assert.match(text, /Umsatzsteuer 7 % 0,65 €/);
  assert.match(text, /Summe netto zu 19 % 16,80 €/);
  assert.match(text, /Umsatzsteuer 19 % 3,19 €/);
  assert.match(text, /Gesamtbetrag 29,98 €/);
});

test('the text is set in embedded Source Sans 3, never in a standard font the reader must have', async () => {
  const pdf = await renderInvoicePdf(invoice());
  const fonts = pdfFonts(pdf);
  assert.ok(fonts.length >= 2, 'regular and semibold');
  for (const font of fonts) {
    assert.match(font.name, /^[A-Z]{6}\+SourceSans3-(Regular|SemiBold)$/);
    assert.ok(font.embedded && font.unicode, `${font.name} embedded with a unicode map`);
  }
  assert.ok(pdf.includes('/FontFile2'), 'a TrueType font file stream');
  assert.ok(!pdf.includes('/Helvetica'));
});

test('letters German lacks, as in Polish or Turkish names, are drawn too', async () => {
  const pdf = await renderInvoicePdf(invoice({ buyer: { name: 'Łukasz Wiśniewski & Şükrü Çelik', email: 'lw@example.pl' } }));
  assert.ok(pdfText(pdf).includes('Łukasz Wiśniewski & Şükrü Çelik'));
  assert.equal(pdfFonts(pdf).length, 3, 'the latin-ext subset joins regular and semibold');
});

test('the same invoice renders to the same bytes on every download', async () => {
  const [first, second] = [await renderInvoicePdf(invoice()), await renderInvoicePdf(invoice())];
  assert.ok(first.equals(second));
  assert.ok(!first.equals(await renderInvoicePdf(invoice({ number: 'RE-2026-000124' }))));
});

test('a long invoice continues on numbered pages, each with the seller details', async () => {
  const lines = Array.from({ length: 30 }, (_, i) => ({ description: `Position ${i + 1}`, grossCents: 999, ratePermille: 70 }));
  const text = pdfText(await renderInvoicePdf(invoice({ lines })));
  const pages = Number(/Seite 1 von (\d+)/.exec(text)?.[1]);
  assert.ok(pages >= 2, 'more than one page');
  assert.equal(text.split('\f').length - 1, pages, 'pdftotext ends each page with a form feed');
  assert.ok(text.includes(`Seite ${pages} von ${pages}`));
  assert.equal(text.split('USt-IdNr.: DE123456789').length - 1, pages);
  assert.ok(text.includes('Rechnung RE-2026-000123 (Fortsetzung)'));
  assert.match(text, /30 Position 30 9,34 € 7 % 0,65 € 9,99 €/);
  assert.match(text, /Gesamtbetrag 299,70 €/);
});

test('a long seller name and address shrink the letterhead and raise the footer instead of spilling onto a second page', async () => {
  const seller = {
    ...invoice().seller,
    name: 'Mediengruppe Norddeutsche Heimatzeitungen GmbH & Co. KG',
    address: 'Verlagshaus am Hafen\nz. Hd. Abo-Service\nHafenstraße 12\nPostfach 10 20 30\n28195 Bremen',
  };
  const raw = execFileSync('pdftotext', ['-raw', '-enc', 'UTF-8', '-', '-'], { input: await renderInvoicePdf(invoice({ seller })), encoding: 'utf8' });
  assert.equal(raw.split('\f').length - 1, 1, 'one page');
  assert.ok(raw.includes('Postfach 10 20 30\n28195 Bremen\nE-Mail: abo@klartext.example'), 'the whole address, then the next column');
  assert.ok(raw.includes('Mediengruppe Norddeutsche Heimatzeitungen GmbH & Co. KG abo@klartext.example'), 'letterhead on one line');
});

test('a small invoice may leave out the buyer address, one over 250 € may not', async () => {
  const noAddress = { name: 'Jürgen Müller-Weiß', email: 'jm@example.de' };
  const pdf = await renderInvoicePdf(invoice({ buyer: noAddress, lines: [{ description: 'Jahresabo', grossCents: 250_00, ratePermille: 70 }] }));
  assert.ok(pdfText(pdf).includes('Gesamtbetrag 250,00 €'));
  await assert.rejects(
    renderInvoicePdf(invoice({ buyer: noAddress, lines: [{ description: 'Jahresabo', grossCents: 250_01, ratePermille: 70 }] })),
    (e: unknown) => e instanceof DomainError && e.code === 'invalid-input' && e.field === 'buyer.address',
  );
});

test('invoices missing what § 14 UStG requires, or with impossible dates or amounts, are refused', async () => {
  const refused = (doc: InvoiceDocument, field: string) =>
    assert.rejects(renderInvoicePdf(doc), (e: unknown) => e instanceof DomainError && e.code === 'invalid-input' && e.field === field, field);
  const base = invoice();
  await refused(invoice({ number: ' ' }), 'number');
  await refused(invoice({ issuedOn: '2026-02-30' }), 'issuedOn');
  await refused(invoice({ issuedOn: '01.02.2026' }), 'issuedOn');
  await refused(invoice({ servicePeriod: { from: '2026-01-31', to: '2026-01-01' } }), 'servicePeriod.to');
  await refused(invoice({ seller: { ...base.seller, vatId: '', taxNumber: undefined } }), 'seller.vatId');
  await refused(invoice({ seller: { ...base.seller, address: '' } }), 'seller.address');
  await refused(invoice({ buyer: { ...base.buyer, name: '' } }), 'buyer.name');
  await refused(invoice({ lines: [] }), 'lines');
  await refused(invoice({ lines: [{ description: 'Abo', grossCents: -999, ratePermille: 70 }] }), 'lines.0.grossCents');
  await refused(invoice({ lines: [{ description: 'Abo', grossCents: 9.99, ratePermille: 70 }] }), 'lines.0.grossCents');
  await refused(invoice({ lines: [{ description: '', grossCents: 999, ratePermille: 70 }] }), 'lines.0.description');
});

test('a seller with only a tax number, no VAT id, is enough', async () => {
  const text = pdfText(await renderInvoicePdf(invoice({ seller: { ...invoice().seller, vatId: '' } })));
  assert.ok(text.includes('Steuernummer: 60/145/12345'));
  assert.ok(!text.includes('USt-IdNr.'));
});
