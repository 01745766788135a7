// Contract dates as readers and banks live them: Berlin calendar days, months that end on the 28th to 31st, periods counted from the start day.
import { addDays, berlinDate, berlinMidnight } from '../berlin-time.ts';

export { berlinDate, berlinMidnight, berlinOffsetHours } from '../berlin-time.ts';

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** Whether `s` is a real calendar date written `YYYY-MM-DD` (2026-02-30 is not). */
export function isCalendarDate(s: string): boolean {
  const m = DATE.exec(s);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  return mo >= 1 && mo <= 12 && d >= 1 && d <= daysInMonth(y, mo);
}

export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/**
 * `date` plus whole months, the day clamped to the target month's last day: 31 Jan + 1 month is 28 Feb
 * (29 Feb in a leap year). Periods are always counted from the contract's first day (anchor + k months),
 * never from the previous period's end, so a contract started on the 31st comes back to the 31st in March.
 */
export function addMonths(date: string, months: number): string {
  const m = DATE.exec(date);
  if (!m) throw new RangeError(`not a date: ${date}`);
  const total = Number(m[1]) * 12 + (Number(m[2]) - 1) + months;
  const year = Math.floor(total / 12);
  const month = (total % 12) + 1;
  const day = Math.min(Number(m[3]), daysInMonth(year, month));
  return `${pad(year, 4)}-${pad(month)}-${pad(day)}`;
}

export { addDays };

/** Whole days from `a` to `b` (calendar dates), negative when b is earlier. */
export function daysBetween(a: string, b: string): number {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000);
}

/** The end of period k (1-based) of a contract that started on `anchor`: Berlin midnight of anchor + k × months. */
export function periodEnd(anchor: string, k: number, monthsPerPeriod: number): Date {
  return berlinMidnight(addMonths(anchor, k * monthsPerPeriod));
}

const SCREEN_DATE = new Intl.DateTimeFormat('de-DE', { timeZone: 'Europe/Berlin', day: '2-digit', month: '2-digit', year: 'numeric' });
const SCREEN_TIME = new Intl.DateTimeFormat('de-DE', { timeZone: 'Europe/Berlin', day: '2-digit', month: '2-digit', year: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit' });

/** "28.02.2026" for a calendar date or an instant, as shown on screens, mails and invoices. */
export function formatGermanDate(dateOrInstant: string | Date): string {
  if (typeof dateOrInstant === 'string' && DATE.test(dateOrInstant)) return SCREEN_DATE.format(berlinMidnight(dateOrInstant));
  return SCREEN_DATE.format(typeof dateOrInstant === 'string' ? new Date(dateOrInstant) : dateOrInstant);
}

/** "28.02.2026, 14:03:07 Uhr" — the moment of receipt a cancellation confirmation states. */
export function formatGermanDateTime(at: string | Date): string {
  return `${SCREEN_TIME.format(typeof at === 'string' ? new Date(at) : at)} Uhr`;
}

/** The last day that is still inside a period ending (exclusively) at `end`: what "bis einschließlich" means on screen. */
export function lastDayBefore(end: string | Date): string {
  return berlinDate(new Date((typeof end === 'string' ? Date.parse(end) : end.getTime()) - 1));
}
