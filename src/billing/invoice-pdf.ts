// The invoice as a PDF: an A4 German "Rechnung" carrying everything § 14 (4) UStG asks for, in embedded Source Sans 3.
import PDFDocument from 'pdfkit';
import { DomainError } from '../domain-error.ts';
import { formatEuro, formatVatRate, sumLines, type VatLineSplit } from './money.ts';
import { FONT_SIZE, PAGE, drawText, registerInvoiceFonts, type Weight } from './invoice-pdf-text.ts';

export interface SellerInfo {
  name: string;
  /** Street, postcode and town; lines separated by \n. */
  address: string;
  email: string;
  vatId: string;
  taxNumber?: string;
  register?: string;
  iban?: string;
}

export interface InvoiceDocument {
  /** Sequential and unique, e.g. "RE-2026-000123" (§ 14 (4) Nr. 4 UStG). */
  number: string;
  /** YYYY-MM-DD, the Europe/Berlin date of issue. */
  issuedOn: string;
  /** YYYY-MM-DD, both days included. */
  servicePeriod: { from: string; to: string };
  seller: SellerInfo;
  buyer: { name: string; email: string; address?: string };
  subscriptionNumber: string;
  lines: { description: string; grossCents: number; ratePermille: number }[];
  /** How the amount is or was paid, printed below the totals. */
  paymentNote: string;
}

/** Up to this gross total an invoice may leave out the buyer's address (Kleinbetragsrechnung, § 33 UStDV). */
const SMALL_INVOICE_LIMIT_CENTS = 250_00;

const COLOR = { text: '#1d232b', muted: '#5b6470', rule: '#d5d9df', accent: '#1f4e79', band: '#f3f5f8' };

/** Table columns from the left margin; the description takes what the figures leave. */
const COLUMNS = (() => {
  const pos = 28, net = 64, rate = 50, vat = 58, gross = 66;
  const description = PAGE.contentWidth - pos - net - rate - vat - gross;
  let x = PAGE.left;
  const at = (width: number) => { const col = { x, width }; x += width; return col; };
  return { pos: at(pos), description: at(description), net: at(net), rate: at(rate), vat: at(vat), gross: at(gross) };
})();

/** One document being drawn; `bottom` is where body text must end so the footer fits below it. */
interface Sheet { pdf: PDFKit.PDFDocument; doc: InvoiceDocument; bottom: number }

/** Renders one invoice, per download: between documents only the fonts are kept. Refuses (rejects) invoices § 14 UStG would not accept. */
export async function renderInvoicePdf(doc: InvoiceDocument): Promise<Buffer> {
  const totals = checkInvoice(doc);
  const pdf = new PDFDocument({
    size: 'A4',
    // Positions are set by hand and pages are broken by hand above the footer; pdfkit's own margins are only a last resort.
    margins: { top: PAGE.top, bottom: 20, left: PAGE.left, right: PAGE.right },
    font: '', // no Helvetica: every glyph comes from the embedded fonts
    bufferPages: true,
    lang: 'de-DE',
    displayTitle: true,
    info: {
      Title: `Rechnung ${doc.number}`,
      Author: doc.seller.name,
      Subject: `Rechnung ${doc.number} für ${doc.buyer.name}`,
      // The date of issue, not the clock: the same invoice renders to the same bytes on every download.
      CreationDate: new Date(`${doc.issuedOn}T00:00:00Z`),
    },
  });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    pdf.on('data', (chunk: Buffer) => chunks.push(chunk));
    pdf.on('end', () => resolve(Buffer.concat(chunks)));
    pdf.on('error', reject);
  });
  registerInvoiceFonts(pdf);

  const footer = footerColumns(doc.seller);
  const footerTop = Math.min(PAGE.footerTop, PAGE.height - 24 - footerHeight(pdf, footer));
  const sheet: Sheet = { pdf, doc, bottom: footerTop - 24 };
  drawPageHeader(sheet);
  drawAddressAndFacts(sheet);
  let y = drawTitle(sheet);
  y = drawTable(sheet, totals.lines, y);
  y = drawTotals(sheet, totals, y);
  drawClosing(sheet, y);
  drawFooters(sheet, footer, footerTop);
  pdf.end();
  return done;
}

function checkInvoice(doc: InvoiceDocument) {
  const required = (value: string | undefined, field: string, what: string) => {
    if (!value?.trim()) throw new DomainError('invalid-input', `Der Rechnung fehlt ${what}.`, field);
  };
  required(doc.number, 'number', 'die Rechnungsnummer');
  required(doc.seller.name, 'seller.name', 'der Name des Verkäufers');
  required(doc.seller.address, 'seller.address', 'die Anschrift des Verkäufers');
  required(doc.buyer.name, 'buyer.name', 'der Name des Empfängers');
  required(doc.subscriptionNumber, 'subscriptionNumber', 'die Abonummer');
  if (!doc.seller.vatId.trim() && !doc.seller.taxNumber?.trim()) {
    throw new DomainError('invalid-input', 'Der Rechnung fehlt die USt-IdNr. oder die Steuernummer des Verkäufers.', 'seller.vatId');
  }
  germanDate(doc.issuedOn, 'issuedOn');
  germanDate(doc.servicePeriod.from, 'servicePeriod.from');
  germanDate(doc.servicePeriod.to, 'servicePeriod.to');
  if (doc.servicePeriod.from > doc.servicePeriod.to) {
    throw new DomainError('invalid-input', 'Der Leistungszeitraum endet vor seinem Beginn.', 'servicePeriod.to');
  }
  if (doc.lines.length === 0) throw new DomainError('invalid-input', 'Eine Rechnung braucht mindestens eine Position.', 'lines');
  doc.lines.forEach((line, i) => required(line.description, `lines.${i}.description`, 'eine Positionsbeschreibung'));
  const totals = sumLines(doc.lines);
  if (totals.grossCents > SMALL_INVOICE_LIMIT_CENTS && !doc.buyer.address?.trim()) {
    throw new DomainError('invalid-input', 'Rechnungen über 250 € brauchen die Anschrift des Empfängers.', 'buyer.address');
  }
  return totals;
}

/** "2026-01-31" → "31.01.2026"; refuses strings that are no calendar date. */
function germanDate(iso: string, field: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  const [year, month, day] = match ? [Number(match[1]), Number(match[2]), Number(match[3])] : [0, 0, 0];
  const date = new Date(Date.UTC(year, month - 1, day));
  if (!match || date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) {
    throw new DomainError('invalid-input', 'Datumsangaben der Rechnung müssen als JJJJ-MM-TT gültige Tage sein.', field);
  }
  return `${match[3]}.${match[2]}.${match[1]}`;
}

const addressLines = (text: string | undefined) => (text ?? '').split('\n').map((l) => l.trim()).filter(Boolean);

/** The seller's name as letterhead, on every page. */
function drawPageHeader({ pdf, doc }: Sheet): void {
  const emailWidth = pdf.font('regular').fontSize(FONT_SIZE.small).widthOfString(doc.seller.email);
  const room = PAGE.contentWidth - emailWidth - 24;
  // A long company name gets smaller rather than wrapping into the rule below it.
  const size = Math.max(11, Math.min(17, (17 * room) / pdf.font('semibold').fontSize(17).widthOfString(doc.seller.name)));
  drawText(pdf, doc.seller.name, PAGE.left, 40 + (17 - size) / 2, { size, weight: 'semibold', color: COLOR.accent, width: room });
  drawText(pdf, doc.seller.email, PAGE.left, 46, { size: FONT_SIZE.small, color: COLOR.muted, width: PAGE.contentWidth, align: 'right' });
  pdf.moveTo(PAGE.left, 70).lineTo(PAGE.left + PAGE.contentWidth, 70).lineWidth(1.2).strokeColor(COLOR.accent).stroke();
}

/** DIN 5008 form B: return line and recipient in the window field, the invoice facts to its right. */
function drawAddressAndFacts({ pdf, doc }: Sheet): void {
  // One line, as DIN 5008 has it: the name and the last two address lines (street or PO box, town), smaller if need be.
  const returnLine = [doc.seller.name, ...addressLines(doc.seller.address).slice(-2)].join(' · ');
  const returnSize = Math.max(5.5, Math.min(7, (7 * 240) / pdf.font('regular').fontSize(7).widthOfString(returnLine)));
  drawText(pdf, returnLine, PAGE.left, 130 + (7 - returnSize), { size: returnSize, color: COLOR.muted });
  pdf.moveTo(PAGE.left, 139).lineTo(PAGE.left + 240, 139).lineWidth(0.4).strokeColor(COLOR.rule).stroke();
  let y = 148;
  for (const line of [doc.buyer.name, ...addressLines(doc.buyer.address)]) {
    y = drawText(pdf, line, PAGE.left, y, { size: FONT_SIZE.body, width: 240 });
  }

  const facts: [string, string][] = [
    ['Rechnungsnummer', doc.number],
    ['Rechnungsdatum', germanDate(doc.issuedOn, 'issuedOn')],
    ['Leistungszeitraum', `${germanDate(doc.servicePeriod.from, 'servicePeriod.from')} – ${germanDate(doc.servicePeriod.to, 'servicePeriod.to')}`],
    ['Abonummer', doc.subscriptionNumber],
    ['E-Mail', doc.buyer.email],
  ];
  const x = PAGE.left + PAGE.contentWidth - 215;
  y = 128;
  for (const [label, value] of facts) {
    if (!value.trim()) continue;
    drawText(pdf, label, x, y, { size: FONT_SIZE.small, color: COLOR.muted, width: 88 });
    y = drawText(pdf, value, x + 88, y, { size: FONT_SIZE.small, width: 127, align: 'right' }) + 3;
  }
}

function drawTitle({ pdf, doc }: Sheet): number {
  let y = drawText(pdf, 'Rechnung', PAGE.left, 262, { size: 20, weight: 'semibold' }) + 6;
  const period = `${germanDate(doc.servicePeriod.from, 'servicePeriod.from')} bis ${germanDate(doc.servicePeriod.to, 'servicePeriod.to')}`;
  y = drawText(pdf, `Vielen Dank für Ihr Abonnement. Für den Leistungszeitraum vom ${period} berechnen wir Ihnen:`, PAGE.left, y, {
    size: FONT_SIZE.body, width: PAGE.contentWidth,
  });
  return y + 16;
}

function drawTableHeader(pdf: PDFKit.PDFDocument, y: number): number {
  pdf.rect(PAGE.left, y, PAGE.contentWidth, 20).fill(COLOR.band);
  const cell = (text: string, col: { x: number; width: number }, align: 'left' | 'right') =>
    drawText(pdf, text, col.x + 4, y + 5.5, { size: FONT_SIZE.small, weight: 'semibold', color: COLOR.muted, width: col.width - 8, align });
  cell('Pos.', COLUMNS.pos, 'left');
  cell('Beschreibung', COLUMNS.description, 'left');
  cell('Netto', COLUMNS.net, 'right');
  cell('USt.-Satz', COLUMNS.rate, 'right');
  cell('USt.', COLUMNS.vat, 'right');
  cell('Brutto', COLUMNS.gross, 'right');
  return y + 20;
}

function drawTable(sheet: Sheet, split: VatLineSplit[], top: number): number {
  const { pdf, doc } = sheet;
  let y = drawTableHeader(pdf, top);
  split.forEach((amounts, i) => {
    const description = doc.lines[i]!.description;
    const height = pdf.font('regular').fontSize(FONT_SIZE.body).heightOfString(description, { width: COLUMNS.description.width - 8 }) + 14;
    if (y + height > sheet.bottom) {
      y = drawTableHeader(pdf, startPage(sheet));
    }
    const figure = (text: string, col: { x: number; width: number }) =>
      drawText(pdf, text, col.x + 4, y + 7, { size: FONT_SIZE.body, width: col.width - 8, align: 'right' });
    drawText(pdf, String(i + 1), COLUMNS.pos.x + 4, y + 7, { size: FONT_SIZE.body, color: COLOR.muted, width: COLUMNS.pos.width - 8 });
    const bottom = drawText(pdf, description, COLUMNS.description.x + 4, y + 7, { size: FONT_SIZE.body, width: COLUMNS.description.width - 8 });
    figure(formatEuro(amounts.netCents), COLUMNS.net);
    figure(formatVatRate(amounts.ratePermille), COLUMNS.rate);
    figure(formatEuro(amounts.vatCents), COLUMNS.vat);
    figure(formatEuro(amounts.grossCents), COLUMNS.gross);
    y = Math.max(bottom + 7, y + height);
    pdf.moveTo(PAGE.left, y).lineTo(PAGE.left + PAGE.contentWidth, y).lineWidth(0.5).strokeColor(COLOR.rule).stroke();
  });
  return y;
}

/** Net and tax per rate (§ 14 (4) Nr. 8 UStG), then the amount due. */
function drawTotals(sheet: Sheet, totals: ReturnType<typeof sumLines>, top: number): number {
  const { pdf } = sheet;
  const rows: [string, number][] = totals.byRate.length === 1
    ? [['Summe netto', totals.netCents], [`Umsatzsteuer ${formatVatRate(totals.byRate[0]!.ratePermille)}`, totals.vatCents]]
    : totals.byRate.flatMap((r): [string, number][] => [
      [`Summe netto zu ${formatVatRate(r.ratePermille)}`, r.netCents],
      [`Umsatzsteuer ${formatVatRate(r.ratePermille)}`, r.vatCents],
    ]);
  let y = top + 10;
  if (y + rows.length * 17 + 34 > sheet.bottom) y = startPage(sheet);
  const labelX = COLUMNS.rate.x, labelWidth = COLUMNS.rate.width + COLUMNS.vat.width + 40;
  const amount = (cents: number, rowY: number, weight: Weight) =>
    drawText(pdf, formatEuro(cents), COLUMNS.gross.x + 4, rowY, { size: FONT_SIZE.body, weight, width: COLUMNS.gross.width - 8, align: 'right' });
  for (const [label, cents] of rows) {
    drawText(pdf, label, labelX - 40, y, { size: FONT_SIZE.body, color: COLOR.muted, width: labelWidth, align: 'right' });
    y = amount(cents, y, 'regular') + 5;
  }
  const ruleLeft = labelX - 40;
  pdf.moveTo(ruleLeft, y + 1).lineTo(PAGE.left + PAGE.contentWidth, y + 1).lineWidth(0.8).strokeColor(COLOR.text).stroke();
  y += 8;
  drawText(pdf, 'Gesamtbetrag', ruleLeft, y, { size: 11.5, weight: 'semibold', width: labelWidth, align: 'right' });
  return drawText(pdf, formatEuro(totals.grossCents), COLUMNS.gross.x + 4, y, { size: 11.5, weight: 'semibold', width: COLUMNS.gross.width - 8, align: 'right' });
}

function drawClosing(sheet: Sheet, top: number): void {
  const { pdf, doc } = sheet;
  const height = pdf.font('regular').fontSize(FONT_SIZE.body).heightOfString(doc.paymentNote, { width: PAGE.contentWidth }) + 30;
  let y = top + 28;
  if (y + height > sheet.bottom) y = startPage(sheet);
  y = drawText(pdf, doc.paymentNote, PAGE.left, y, { size: FONT_SIZE.body, width: PAGE.contentWidth }) + 10;
  drawText(pdf, `Bei Fragen zu dieser Rechnung erreichen Sie uns unter ${doc.seller.email}.`, PAGE.left, y, {
    size: FONT_SIZE.body, color: COLOR.muted, width: PAGE.contentWidth,
  });
}

/** A follow-on page: letterhead and a note which invoice it continues; returns where content may start. */
function startPage(sheet: Sheet): number {
  const { pdf, doc } = sheet;
  pdf.addPage();
  drawPageHeader(sheet);
  return drawText(pdf, `Rechnung ${doc.number} (Fortsetzung)`, PAGE.left, 90, { size: FONT_SIZE.small, color: COLOR.muted }) + 14;
}

/** The seller's legal details: address, contact and register, tax numbers and bank. */
function footerColumns(seller: SellerInfo): string[][] {
  const given = (label: string, value: string | undefined) => (value?.trim() ? [`${label}${value.trim()}`] : []);
  return [
    [seller.name, ...addressLines(seller.address)],
    [`E-Mail: ${seller.email}`, ...given('', seller.register)],
    [...given('USt-IdNr.: ', seller.vatId), ...given('Steuernummer: ', seller.taxNumber), ...given('IBAN: ', seller.iban)],
  ];
}

const FOOTER_COLUMN_WIDTH = PAGE.contentWidth / 3 - 10;

function footerHeight(pdf: PDFKit.PDFDocument, columns: string[][]): number {
  pdf.font('regular').fontSize(FONT_SIZE.footer);
  const heights = columns.map((column) => column.reduce((sum, line) => sum + pdf.heightOfString(line, { width: FOOTER_COLUMN_WIDTH, lineGap: 1.5 }), 0));
  return 8 + Math.max(...heights);
}

/** The footer on every page, as high as the seller's details need; page numbers once there is more than one page. */
function drawFooters({ pdf }: Sheet, columns: string[][], top: number): void {
  const range = pdf.bufferedPageRange();
  for (let page = range.start; page < range.start + range.count; page++) {
    pdf.switchToPage(page);
    // Below the text area: without a bottom margin pdfkit has no reason to start a page of its own here.
    pdf.page.margins.bottom = 0;
    pdf.moveTo(PAGE.left, top).lineTo(PAGE.left + PAGE.contentWidth, top).lineWidth(0.5).strokeColor(COLOR.rule).stroke();
    columns.forEach((column, i) => {
      let y = top + 8;
      for (const line of column) {
        y = drawText(pdf, line, PAGE.left + i * (PAGE.contentWidth / 3), y, { size: FONT_SIZE.footer, color: COLOR.muted, width: FOOTER_COLUMN_WIDTH });
      }
    });
    if (range.count > 1) {
      drawText(pdf, `Seite ${page - range.start + 1} von ${range.count}`, PAGE.left, 90, {
        size: FONT_SIZE.small, color: COLOR.muted, width: PAGE.contentWidth, align: 'right',
      });
    }
  }
}
