// The date range of an insights page: `?von=YYYY-MM-DD&bis=YYYY-MM-DD` (Berlin days, both included) or `?zeitraum=…`, and the range before it to compare with.
import { HttpError } from '../platform/app-error.ts';
import { addDays, berlinDate, berlinMidnight } from '../../berlin-time.ts';

export interface DayRange {
  /** first Berlin day, YYYY-MM-DD */
  from: string;
  /** last Berlin day, included */
  to: string;
  /** number of days, both ends included */
  days: number;
}

export interface RangeChoice {
  range: DayRange;
  /** the range of the same length right before `range` */
  previous: DayRange;
  /** the preset chosen (`7t`, `30t`, `90t`, `12m`, `24m`) or null for explicit von/bis */
  preset: string | null;
}

export const RANGE_PRESETS: Record<string, { label: string; days: number }> = {
  '7t': { label: 'Letzte 7 Tage', days: 7 },
  '30t': { label: 'Letzte 30 Tage', days: 30 },
  '90t': { label: 'Letzte 90 Tage', days: 90 },
  '12m': { label: 'Letzte 12 Monate', days: 365 },
  '24m': { label: 'Letzte 24 Monate', days: 730 },
};
export const DEFAULT_PRESET = '30t';
/** the longest range a page asks for: two years and a bit */
export const MAX_RANGE_DAYS = 800;

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** Adds whole calendar days to a Berlin day. */
export const addDaysTo = addDays;

export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T12:00:00Z`) - Date.parse(`${from}T12:00:00Z`)) / 86_400_000) + 1;
}

function validDay(value: string, field: string): string {
  if (!DAY.test(value)) throw new HttpError('bad-request', `„${field}“ muss ein Datum wie 2026-11-01 sein.`, field);
  const t = Date.parse(`${value}T12:00:00Z`);
  if (Number.isNaN(t) || new Date(t).toISOString().slice(0, 10) !== value) throw new HttpError('bad-request', `„${field}“ ist kein gültiges Datum.`, field);
  return value;
}

const rangeOf = (from: string, to: string): DayRange => ({ from, to, days: daysBetween(from, to) });

/**
 * Reads the range of a request: `zeitraum` (a preset, ending today), or `von` and `bis` (both, von ≤ bis, at most
 * MAX_RANGE_DAYS); nothing given: the default preset. Anything else is a 400 naming the parameter.
 */
export function parseRange(query: { zeitraum?: string | undefined; von?: string | undefined; bis?: string | undefined }, now: Date): RangeChoice {
  const today = berlinDate(now);
  let range: DayRange;
  let preset: string | null = null;
  if (query.von !== undefined || query.bis !== undefined) {
    if (query.von === undefined) throw new HttpError('bad-request', 'Bitte geben Sie auch „von“ an.', 'von');
    if (query.bis === undefined) throw new HttpError('bad-request', 'Bitte geben Sie auch „bis“ an.', 'bis');
    const from = validDay(query.von, 'von');
    const to = validDay(query.bis, 'bis');
    if (from > to) throw new HttpError('bad-request', '„von“ muss vor oder auf „bis“ liegen.', 'von');
    if (daysBetween(from, to) > MAX_RANGE_DAYS) throw new HttpError('bad-request', `Zwischen „von“ und „bis“ dürfen höchstens ${MAX_RANGE_DAYS} Tage liegen.`, 'von');
    range = rangeOf(from, to);
  } else {
    const key = query.zeitraum ?? DEFAULT_PRESET;
    const found = RANGE_PRESETS[key];
    if (!found || !Object.hasOwn(RANGE_PRESETS, key)) {
      throw new HttpError('bad-request', `Unbekannter „zeitraum“: erlaubt sind ${Object.keys(RANGE_PRESETS).join(', ')}.`, 'zeitraum');
    }
    preset = key;
    range = rangeOf(addDaysTo(today, -(found.days - 1)), today);
  }
  const previous = rangeOf(addDaysTo(range.from, -range.days), addDaysTo(range.from, -1));
  return { range, previous, preset };
}

/** The range of an insights request (its `zeitraum`, `von`, `bis`). */
export const rangeOfRequest = (c: { req: { query(name: string): string | undefined } }, now: Date): RangeChoice =>
  parseRange({ zeitraum: c.req.query('zeitraum'), von: c.req.query('von'), bis: c.req.query('bis') }, now);

/** The UTC instants a day range covers: [start of `from`, start of the day after `to`) — for tables keyed by time, not by day. */
export function rangeInstants(range: DayRange): { start: string; end: string } {
  return { start: berlinMidnight(range.from).toISOString(), end: berlinMidnight(addDaysTo(range.to, 1)).toISOString() };
}
