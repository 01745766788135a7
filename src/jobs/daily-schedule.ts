// Daily jobs by the Berlin clock: which job a schedule asks for at an instant, keyed by the Berlin day so any number of processes make one.
import { berlinDate, berlinParts } from '../berlin-time.ts';

export interface DailySchedule {
  readonly kind: string;
  /** 0–23: the job is due from this full hour of the Berlin day on */
  readonly hourBerlin: number;
  /** the job's payload besides `day` (the Berlin day it is for, which a handler running late still needs) */
  readonly payload?: Readonly<Record<string, unknown>> | undefined;
  readonly maxAttempts?: number | undefined;
}

/** The Berlin calendar day (`YYYY-MM-DD`) and hour (0–23) of an instant, summer time included. */
export function berlinDayHour(at: Date): { day: string; hour: number } {
  return { day: berlinDate(at), hour: berlinParts(at).hour };
}

export function checkDailySchedule(schedule: DailySchedule): void {
  if (!schedule.kind) throw new TypeError('scheduleDaily: kind is empty');
  if (!Number.isInteger(schedule.hourBerlin) || schedule.hourBerlin < 0 || schedule.hourBerlin > 23) {
    throw new TypeError(`scheduleDaily(${schedule.kind}): hourBerlin must be a whole hour 0–23, got ${schedule.hourBerlin}`);
  }
}

/**
 * The job the schedule wants at `now`, or null before its hour. `hour >=` rather than `===`: a process that was
 * down at that hour catches up later the same day, the hour skipped when summer time starts still fires (at 03:00),
 * and the hour repeated when it ends is de-duplicated by the key. A day the whole service was down is not caught up.
 */
export function dailyJobDue(schedule: DailySchedule, now: Date): { day: string; uniqueKey: string; payload: Record<string, unknown> } | null {
  const { day, hour } = berlinDayHour(now);
  if (hour < schedule.hourBerlin) return null;
  return { day, uniqueKey: `${schedule.kind}:${day}`, payload: { ...schedule.payload, day } };
}
