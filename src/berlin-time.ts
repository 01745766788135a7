// Berlin wall-clock time for the whole product: calendar days, hours and midnights in Europe/Berlin (CET/CEST).

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const HOUR = 3_600_000;

/** The instant Berlin summer time begins or ends in `year`: the last Sunday of `month` (2 = March, 9 = October), 01:00 UTC. */
function lastSundayOneUtc(year: number, month: number): number {
  const lastDay = new Date(Date.UTC(year, month + 1, 0));
  return Date.UTC(year, month, lastDay.getUTCDate() - lastDay.getUTCDay(), 1);
}
const dstCache = new Map<number, [number, number]>();

/**
 * Berlin's offset from UTC in hours at an instant: 2 in summer time, else 1. Computed from the EU rule (last Sunday of
 * March and of October, 01:00 UTC) instead of asking Intl: a billing run converts a few hundred thousand dates, and
 * Intl.DateTimeFormat.formatToParts was the largest cost after SQL (bench:billing). A test compares it with Intl.
 */
export function berlinOffsetHours(t: number): 1 | 2 {
  const year = new Date(t).getUTCFullYear();
  let range = dstCache.get(year);
  if (!range) { range = [lastSundayOneUtc(year, 2), lastSundayOneUtc(year, 9)]; dstCache.set(year, range); }
  return t >= range[0] && t < range[1] ? 2 : 1;
}

/** Year, month, day, hour and minute on a Berlin wall clock at an instant. */
export function berlinParts(at: Date): { year: number; month: number; day: number; hour: number; minute: number } {
  const local = new Date(at.getTime() + berlinOffsetHours(at.getTime()) * HOUR);
  return { year: local.getUTCFullYear(), month: local.getUTCMonth() + 1, day: local.getUTCDate(), hour: local.getUTCHours(), minute: local.getUTCMinutes() };
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** The Berlin calendar day of an instant, `YYYY-MM-DD`. */
export function berlinDate(at: Date): string {
  const p = berlinParts(at);
  return `${pad(p.year, 4)}-${pad(p.month)}-${pad(p.day)}`;
}

/** The instant a Berlin calendar day begins (00:00 CET or CEST). */
export function berlinMidnight(date: string): Date {
  const m = DATE.exec(date);
  if (!m) throw new RangeError(`not a date: ${date}`);
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  for (const offsetHours of [1, 2]) {
    const candidate = new Date(Date.UTC(y, mo - 1, d, -offsetHours));
    const p = berlinParts(candidate);
    if (p.day === d && p.hour === 0 && p.minute === 0 && p.month === mo) return candidate;
  }
  throw new RangeError(`no Berlin midnight for ${date}`);
}

const WALL_CLOCK = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/;

/**
 * The instant a Berlin wall-clock time `YYYY-MM-DDTHH:mm` (an <input type="datetime-local"> value) names; undefined when
 * it is malformed or does not exist (the hour skipped when summer time begins). The hour that occurs twice in October
 * is taken in summer time, its first occurrence.
 */
export function berlinWallClock(local: string): Date | undefined {
  const m = WALL_CLOCK.exec(local);
  if (!m) return undefined;
  const [y, mo, d, h, mi] = [Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5])];
  for (const offsetHours of [2, 1]) {
    const candidate = new Date(Date.UTC(y, mo - 1, d, h - offsetHours, mi));
    const p = berlinParts(candidate);
    if (p.year === y && p.month === mo && p.day === d && p.hour === h && p.minute === mi) return candidate;
  }
  return undefined;
}

/** An instant as a Berlin wall-clock `YYYY-MM-DDTHH:mm`, the value an <input type="datetime-local"> takes. */
export function berlinWallClockOf(at: Date): string {
  const p = berlinParts(at);
  return `${pad(p.year, 4)}-${pad(p.month)}-${pad(p.day)}T${pad(p.hour)}:${pad(p.minute)}`;
}

/** A calendar day (YYYY-MM-DD) `days` later (or earlier): pure date arithmetic, no clock and no summer time involved. */
export function addDays(date: string, days: number): string {
  const m = DATE.exec(date);
  if (!m) throw new RangeError(`not a date: ${date}`);
  const t = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]) + days));
  return `${pad(t.getUTCFullYear(), 4)}-${pad(t.getUTCMonth() + 1)}-${pad(t.getUTCDate())}`;
}

/** Monday of the ISO week a calendar day belongs to. */
export function mondayOf(day: string): string {
  const dow = new Date(`${day}T12:00:00Z`).getUTCDay();
  return addDays(day, -((dow + 6) % 7));
}
