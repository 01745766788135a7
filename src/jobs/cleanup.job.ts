// The daily cleanup job: removes rows nobody needs any more (expired sessions, spent account tokens, old throttle events, old finished jobs).
import type { Kysely } from 'kysely';
import { pruneExpiredSessions, pruneThrottleEvents } from '../accounts/index.ts';
import { berlinDayHour } from './daily-schedule.ts';
import type { Database } from '../db/index.ts';

export const CLEANUP_JOB_KIND = 'daily-cleanup';
/** Berlin hour the cleanup is due from: after the billing run (05:00), before the morning traffic. */
export const CLEANUP_HOUR_BERLIN = 4;
/** A finished job is history worth looking at for a month (when did last week's billing run finish?), then it goes. */
export const DONE_JOB_RETENTION_DAYS = 30;
/** A used or expired link still says "already used" / "expired" for a week rather than "unknown". */
export const ACCOUNT_TOKEN_RETENTION_DAYS = 7;
/** Rows deleted per statement: no long lock on a big table, no huge id list. */
const BATCH = 500;

const DAY_MS = 24 * 3600_000;
const DAILY_KEY_DAY = /^\d{4}-\d{2}-\d{2}$/;

export interface CleanupReport { accountTokens: number; doneJobs: number }

/**
 * A done job's row may go only when its unique key cannot matter again. A key keeps a job from being enqueued twice,
 * ever; once the row is gone the key is free. So: jobs without a key, and daily jobs of a past Berlin day
 * (`kind:YYYY-MM-DD`: the schedule only ever enqueues today's key). Domain keys such as `dunning:INVOICE:2` stay:
 * deleting them would let the dunning mail go out again. Failed jobs stay until an administrator queues them again.
 */
export function doneJobMayGo(job: { kind: string; unique_key: string | null }, today: string): boolean {
  if (job.unique_key === null) return true;
  const prefix = `${job.kind}:`;
  if (!job.unique_key.startsWith(prefix)) return false;
  const day = job.unique_key.slice(prefix.length);
  return DAILY_KEY_DAY.test(day) && day < today;
}

async function pruneDoneJobs(db: Kysely<Database>, now: Date): Promise<number> {
  const cutoff = new Date(now.getTime() - DONE_JOB_RETENTION_DAYS * DAY_MS).toISOString();
  const today = berlinDayHour(now).day;
  let deleted = 0;
  let after = '';
  // by id, a batch at a time: rows that must stay are stepped over, never read twice
  for (;;) {
    const rows = await db.selectFrom('jobs').select(['id', 'kind', 'unique_key'])
      .where('state', '=', 'done').where('finished_at', '<', cutoff).where('id', '>', after)
      .orderBy('id').limit(BATCH).execute();
    if (rows.length === 0) return deleted;
    after = rows[rows.length - 1]!.id;
    const ids = rows.filter((r) => doneJobMayGo(r, today)).map((r) => r.id);
    if (ids.length) {
      const r = await db.deleteFrom('jobs').where('id', 'in', ids).where('state', '=', 'done').executeTakeFirst();
      deleted += Number(r.numDeletedRows);
    }
  }
}

async function pruneAccountTokens(db: Kysely<Database>, now: Date): Promise<number> {
  const cutoff = new Date(now.getTime() - ACCOUNT_TOKEN_RETENTION_DAYS * DAY_MS).toISOString();
  const r = await db.deleteFrom('account_tokens')
    .where((eb) => eb.or([eb('expires_at', '<', cutoff), eb('used_at', '<', cutoff)]))
    .executeTakeFirst();
  return Number(r.numDeletedRows);
}

/**
 * One run of the cleanup; idempotent (running it twice deletes nothing more). Content changes are not here: every
 * process's change feed deletes those older than a day every ten minutes (content/content-changes.ts).
 */
export async function runDailyCleanup(db: Kysely<Database>, now: Date): Promise<CleanupReport> {
  await pruneExpiredSessions(db, now);
  await pruneThrottleEvents(db, now);
  const accountTokens = await pruneAccountTokens(db, now);
  const doneJobs = await pruneDoneJobs(db, now);
  return { accountTokens, doneJobs };
}
