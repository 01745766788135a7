// CSV lines for spreadsheet programs: quoted cells, and cells a spreadsheet would run as a formula defused (CSV injection).
const FORMULA_START = /^[=+\-@\t\r]/;

/** One cell: a leading = + - @ (or tab/CR) gets a ' so Excel and LibreOffice show it as text instead of evaluating it. */
export function csvCell(value: string): string {
  const safe = FORMULA_START.test(value) ? `'${value}` : value;
  return `"${safe.replaceAll('"', '""')}"`;
}

export const csvLine = (cells: string[]): string => cells.map(csvCell).join(';');
