// What operators see and do with the job table: the queue by state and kind, the open and failed jobs, a failed job queued again.
import type { Kysely } from 'kysely';
import type { Database, JobRow } from '../db/index.ts';
import type { JobState } from './job.queries.ts';

/** States a person looks at; `done` rows are history (and pruned, see cleanup.job.ts). */
export const OPEN_STATES = ['queued', 'running', 'failed'] as const satisfies readonly JobState[];

export interface JobQueueCount { state: JobState; kind: string; count: number }

/** Jobs by state and kind, `done` left out (the index on (state, run_at) keeps this a range scan as history grows). */
export async function jobQueueDepth(db: Kysely<Database>): Promise<JobQueueCount[]> {
  const rows = await db.selectFrom('jobs')
    .select(['state', 'kind', (eb) => eb.fn.countAll<string | number>().as('n')])
    .where('state', 'in', OPEN_STATES)
    .groupBy(['state', 'kind'])
    .orderBy('state').orderBy('kind')
    .execute();
  return rows.map((r) => ({ state: r.state, kind: r.kind, count: Number(r.n) }));
}

export interface JobSummary {
  id: string;
  kind: string;
  state: JobState;
  uniqueKey: string | null;
  attempts: number;
  maxAttempts: number;
  /** when it runs next (queued), was due (running), or was last due (failed) */
  runAt: string;
  lockedBy: string | null;
  lockedUntil: string | null;
  lastError: string | null;
  createdAt: string;
  finishedAt: string | null;
}

const toSummary = (r: JobRow): JobSummary => ({
  id: r.id, kind: r.kind, state: r.state, uniqueKey: r.unique_key, attempts: Number(r.attempts), maxAttempts: Number(r.max_attempts),
  runAt: r.run_at, lockedBy: r.locked_by, lockedUntil: r.locked_until, lastError: r.last_error, createdAt: r.created_at, finishedAt: r.finished_at,
});

/** Jobs of one state, the most urgent first (failed: the latest failure first); at most `limit`. */
export async function listJobs(db: Kysely<Database>, state: (typeof OPEN_STATES)[number], limit = 100): Promise<JobSummary[]> {
  const rows = await db.selectFrom('jobs').selectAll().where('state', '=', state)
    .$if(state === 'failed', (qb) => qb.orderBy('finished_at', 'desc').orderBy('id', 'desc'))
    .$if(state !== 'failed', (qb) => qb.orderBy('run_at').orderBy('id'))
    .limit(limit)
    .execute();
  return rows.map(toSummary);
}

/**
 * Queues a failed job again for one more attempt, due now: `max_attempts` becomes `attempts + 1`, so the handler
 * sees the next attempt number and a job that fails again is `failed` again at once (no new round of backoff).
 * Compare-and-set on `state = 'failed'`: a second click, or two admins at once, queue it once. The last error stays
 * until the next attempt replaces it. Returns the job as it was, or null when it was not failed (any more).
 */
export async function requeueFailedJob(db: Kysely<Database>, id: string, now: Date): Promise<JobSummary | null> {
  return db.transaction().execute(async (trx) => {
    const row = await trx.selectFrom('jobs').selectAll().where('id', '=', id).where('state', '=', 'failed').executeTakeFirst();
    if (!row) return null;
    const r = await trx.updateTable('jobs')
      .set((eb) => ({ state: 'queued', run_at: now.toISOString(), max_attempts: eb('attempts', '+', 1), locked_by: null, locked_until: null, finished_at: null, updated_at: now.toISOString() }))
      .where('id', '=', id).where('state', '=', 'failed')
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1 ? toSummary(row) : null;
  });
}
