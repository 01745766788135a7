// CSV for spreadsheet programs: quoted cells, cells a spreadsheet would run as a formula defused (CSV injection), and the one download every insights table uses.
import type { Context } from 'hono';
import { HttpError } from '../platform/app-error.ts';

const FORMULA_START = /^[=+\-@\t\r]/;

/** One cell: a leading = + - @ (or tab/CR) gets a ' so Excel and LibreOffice show it as text instead of evaluating it. */
export function csvCell(value: string): string {
  const safe = FORMULA_START.test(value) ? `'${value}` : value;
  return `"${safe.replaceAll('"', '""')}"`;
}

export const csvLine = (cells: string[]): string => cells.map(csvCell).join(';');

/** A cell of an insights table: text (defused), a number we computed (German decimal comma, never a formula), or empty. */
export type CsvValue = string | number | null;
const decimal = new Intl.NumberFormat('de-DE', { useGrouping: false, maximumFractionDigits: 4 });
const valueCell = (v: CsvValue): string => (v === null ? '' : typeof v === 'number' ? (Number.isFinite(v) ? decimal.format(v) : '') : csvCell(v));

/** The whole file: a BOM so spreadsheet programs read the UTF-8 umlauts, `;` as German spreadsheets expect, CRLF as RFC 4180 asks. */
export function csvText(head: string[], rows: CsvValue[][]): string {
  return `\uFEFF${[csvLine(head), ...rows.map((r) => r.map(valueCell).join(';'))].join('\r\n')}\r\n`;
}

/**
 * Whether the request asks for the CSV of an insights page: `?format=csv` on the page's own URL (its range, filters and
 * sort apply). No `format` or `format=html`: the page. Anything else is a 400 naming the parameter.
 */
export function wantsCsv(c: Context): boolean {
  const format = c.req.query('format');
  if (format === undefined || format === 'html') return false;
  if (format === 'csv') return true;
  throw new HttpError('bad-request', '„format“ kennt nur „csv“ (oder weglassen für die Seite).', 'format');
}

/** The download: `<name>-<von>-<bis>.csv`, private and never stored (the numbers are the publisher's business). */
export function csvResponse(c: Context, name: string, head: string[], rows: CsvValue[][]): Response {
  const file = name.replace(/[^a-z0-9_.-]/gi, '-');
  return c.body(csvText(head, rows), 200, {
    'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="${file}.csv"`, 'cache-control': 'private, no-store',
  });
}

/** The page's URL with `format=csv` added: the link under each table. */
export function csvHref(path: string, query: Record<string, string | undefined>): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== '' && k !== 'format' && k !== 'seite') p.set(k, v);
  p.set('format', 'csv');
  return `${path}?${p.toString()}`;
}
