// Text on the invoice page: the embedded fonts, the page grid, and writing a string so that every letter finds a font that has it.
import { readFileSync } from 'node:fs';
import { inflateSync } from 'node:zlib';

export type Weight = 'regular' | 'semibold';

/** A4 in points; margins of 25 mm left and 20 mm right as DIN 5008 letters have them. */
export const PAGE = (() => {
  const width = 595.28, height = 841.89, left = 70.87, right = 56.69, top = 40;
  /** The footer's top line when the seller's details fit in four lines; more lines move it up. */
  const footerTop = height - 78;
  return { width, height, left, right, top, contentWidth: width - left - right, footerTop };
})();

export const FONT_SIZE = { body: 10, small: 8.5, footer: 7.5 };

/**
 * Source Sans 3 ships as Unicode subsets: "latin" has the German letters, "€" and the typographic marks, "latin-ext" the letters of
 * neighbouring languages (ł, ş, č, ő …) that readers' names carry. Both are embedded and each run of text takes the one that has it.
 * WOFF, not WOFF2: pdfkit crashes subsetting WOFF2.
 */
const FONT_FILES: Record<`${Weight}${'' | '-ext'}`, string> = {
  regular: 'source-sans-3-latin-400-normal.woff',
  semibold: 'source-sans-3-latin-600-normal.woff',
  'regular-ext': 'source-sans-3-latin-ext-400-normal.woff',
  'semibold-ext': 'source-sans-3-latin-ext-600-normal.woff',
};

/** The parts of a parsed font (fontkit's, inside pdfkit) this file uses; pdfkit's types do not describe it. */
interface ParsedFont { layout: unknown; hasGlyphForCodePoint(codePoint: number): boolean }

let fontData: Map<string, Buffer> | undefined;
const parsedFonts = new Map<string, ParsedFont>();

/**
 * The font files as plain TrueType, read once per process on the first invoice. pdfkit's font library re-inflates a WOFF table
 * every time a subset reads it, which made each PDF about 25 ms slower; zlib unpacks them once here instead.
 */
function fonts(): Map<string, Buffer> {
  fontData ??= new Map(Object.entries(FONT_FILES).map(([name, file]) => [name, woffToTrueType(readFileSync(new URL(`./fonts/${file}`, import.meta.url)))]));
  return fontData;
}

/** WOFF 1.0 is the TrueType tables, each zlib-compressed when that made it smaller: unpack them and write the sfnt directory again. */
function woffToTrueType(woff: Buffer): Buffer {
  if (woff.toString('latin1', 0, 4) !== 'wOFF') throw new Error('not a WOFF 1.0 font');
  const numTables = woff.readUInt16BE(12);
  const tables = Array.from({ length: numTables }, (_, i) => {
    const [tag, offset, compLength, origLength, checksum] = [0, 4, 8, 12, 16].map((o) => woff.readUInt32BE(44 + i * 20 + o)) as [number, number, number, number, number];
    const stored = woff.subarray(offset, offset + compLength);
    return { tag, checksum, data: compLength < origLength ? inflateSync(stored) : stored };
  });
  const entrySelector = Math.floor(Math.log2(numTables));
  const searchRange = 2 ** entrySelector * 16;
  const directory = Buffer.alloc(12 + numTables * 16);
  directory.writeUInt32BE(woff.readUInt32BE(4), 0); // the flavour: TrueType outlines or CFF
  directory.writeUInt16BE(numTables, 4);
  directory.writeUInt16BE(searchRange, 6);
  directory.writeUInt16BE(entrySelector, 8);
  directory.writeUInt16BE(numTables * 16 - searchRange, 10);
  const parts = [directory];
  let offset = directory.length;
  tables.forEach((table, i) => {
    [table.tag, table.checksum, offset, table.data.length].forEach((value, j) => directory.writeUInt32BE(value, 12 + i * 16 + j * 4));
    const padded = Buffer.alloc((table.data.length + 3) & ~3); // tables start on 4-byte boundaries
    table.data.copy(padded);
    parts.push(padded);
    offset += padded.length;
  });
  return Buffer.concat(parts);
}

/**
 * Registers the four fonts. After the first invoice the parsed fonts are handed over instead of the bytes: parsing and the
 * first layout cost some 20 ms per document, while a parsed font is read-only and each document still makes its own subset.
 */
export function registerInvoiceFonts(pdf: PDFKit.PDFDocument): void {
  for (const [name, data] of fonts()) pdf.registerFont(name, (parsedFonts.get(name) ?? data) as unknown as Buffer);
}

/** Selects a font and returns its parsed form, remembering it for the next documents. */
function selectFont(pdf: PDFKit.PDFDocument, name: string): ParsedFont {
  pdf.font(name);
  const font = (pdf as unknown as { _font?: { font?: ParsedFont } })._font?.font;
  if (typeof font?.hasGlyphForCodePoint !== 'function' || typeof font.layout !== 'function') {
    throw new Error('pdfkit no longer exposes the parsed font of an embedded font');
  }
  if (!parsedFonts.has(name)) parsedFonts.set(name, font);
  return font;
}

function glyphCheck(pdf: PDFKit.PDFDocument, name: string): (codePoint: number) => boolean {
  const font = selectFont(pdf, name);
  return (codePoint) => font.hasGlyphForCodePoint(codePoint);
}

/** Splits text into runs, each in the first font that has all its letters; spaces stay with the run they are in. */
function fontRuns(pdf: PDFKit.PDFDocument, text: string, weight: Weight): { font: string; text: string }[] {
  const main = glyphCheck(pdf, weight);
  // Almost every string on an invoice is German: one check settles it without looking at the second font.
  if ([...text].every((c) => main(c.codePointAt(0)!))) return [{ font: weight, text }];
  const ext = glyphCheck(pdf, `${weight}-ext`);
  const runs: { font: string; text: string }[] = [];
  for (const char of text) {
    const codePoint = char.codePointAt(0)!;
    const previous = runs.at(-1);
    // Letters neither subset has keep the main font and print as its empty box, rather than vanish.
    const font = /\s/.test(char) && previous ? previous.font : !main(codePoint) && ext(codePoint) ? `${weight}-ext` : weight;
    if (previous?.font === font) previous.text += char;
    else runs.push({ font, text: char });
  }
  return runs;
}

export interface TextStyle {
  size: number;
  weight?: Weight;
  color?: string;
  /** Without a width the text stays on one line. */
  width?: number;
  align?: 'left' | 'right';
}

/** Writes text at (x, y) and returns the y below it. */
export function drawText(pdf: PDFKit.PDFDocument, text: string, x: number, y: number, style: TextStyle): number {
  const weight = style.weight ?? 'regular';
  const runs = fontRuns(pdf, text, weight);
  pdf.fillColor(style.color ?? '#1d232b').fontSize(style.size);
  const options = { width: style.width, align: style.align ?? 'left', lineBreak: style.width !== undefined, lineGap: 1.5 };
  runs.forEach((run, i) => {
    pdf.font(run.font);
    const continued = i < runs.length - 1;
    if (i === 0) pdf.text(run.text, x, y, { ...options, continued });
    else pdf.text(run.text, { ...options, continued });
  });
  // Without line breaking pdfkit leaves y where the line started.
  return options.lineBreak ? pdf.y : y + pdf.currentLineHeight(true) + options.lineGap;
}
