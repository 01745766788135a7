// The job table's SQL: enqueue (idempotent on the unique key), claim under a lease, complete, fail with retry, extend a lease.
import { sql, type ExpressionBuilder, type Kysely } from 'kysely';
import { newId, type Database, type DialectCapabilities, type JobRow } from '../db/index.ts';

export type JobState = JobRow['state'];

export const DEFAULT_MAX_ATTEMPTS = 5;
/** last_error is for a person reading the table, not a log archive */
const MAX_ERROR_LENGTH = 2000;

/** Who holds a claimed job: the worker and the attempt it claimed. Completing or failing needs all three to still match. */
export interface JobLease {
  readonly id: string;
  readonly lockedBy: string;
  readonly attempt: number;
}

export interface ClaimedJob extends JobLease {
  readonly kind: string;
  readonly payload: unknown;
  readonly maxAttempts: number;
  readonly uniqueKey: string | null;
  readonly runAt: string;
  readonly lockedUntil: string;
}

export interface EnqueueJobInput {
  kind: string;
  payload?: unknown;
  /** not before this instant */
  runAt: Date;
  /** at most one job per key, ever: a second enqueue with it adds nothing */
  uniqueKey?: string | undefined;
  maxAttempts?: number | undefined;
  now: Date;
}

/**
 * Adds a job, or nothing when a job with the same unique key exists (in any state): `created` tells which.
 * Takes `db` or a transaction, so a job can be enqueued together with the change that asks for it.
 */
export async function enqueueJob(db: Kysely<Database>, input: EnqueueJobInput): Promise<{ id: string; created: boolean }> {
  const maxAttempts = input.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
  if (!input.kind) throw new TypeError('enqueueJob: kind is empty');
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1) throw new TypeError(`enqueueJob: maxAttempts must be a whole number ≥ 1, got ${maxAttempts}`);
  if (input.uniqueKey === '') throw new TypeError('enqueueJob: uniqueKey is empty (leave it out for no de-duplication)');
  const payloadJson = JSON.stringify(input.payload ?? null);
  const id = newId();
  const now = input.now.toISOString();
  const inserted = await db.insertInto('jobs')
    .values({
      id, kind: input.kind, unique_key: input.uniqueKey ?? null, payload_json: payloadJson, state: 'queued',
      run_at: input.runAt.toISOString(), attempts: 0, max_attempts: maxAttempts, created_at: now, updated_at: now,
    })
    .onConflict((oc) => oc.column('unique_key').doNothing())
    .returning('id')
    .executeTakeFirst();
  if (inserted) return { id: inserted.id, created: true };
  // On PostgreSQL a conflicting insert waits for the other transaction, so the row is committed and visible here.
  const existing = await db.selectFrom('jobs').select('id').where('unique_key', '=', input.uniqueKey!).executeTakeFirstOrThrow();
  return { id: existing.id, created: false };
}

export interface ClaimOptions {
  workerId: string;
  now: Date;
  leaseMs: number;
  /** only these kinds; all kinds when left out */
  kinds?: readonly string[] | undefined;
}

/**
 * Takes the job due longest, or one whose lease ran out (its worker died), and leases it to `workerId`.
 * One statement: on PostgreSQL the inner SELECT locks the row and concurrent claimers skip it
 * (without the lock both would pick the same id and the second UPDATE would still match it); SQLite runs one
 * writing statement at a time. A lapsed lease on the last attempt is not claimed again: `failLapsedJobs` ends it.
 */
export async function claimNextJob(db: Kysely<Database>, caps: DialectCapabilities, opts: ClaimOptions): Promise<ClaimedJob | null> {
  if (opts.kinds?.length === 0) return null;
  const now = opts.now.toISOString();
  const due = db.selectFrom('jobs').select('id')
    .where((eb) => eb.or([
      eb.and([eb('state', '=', 'queued'), eb('run_at', '<=', now)]),
      eb.and([eb('state', '=', 'running'), eb('locked_until', '<', now), eb('attempts', '<', eb.ref('max_attempts'))]),
    ]))
    .$if(opts.kinds !== undefined, (qb) => qb.where('kind', 'in', opts.kinds!))
    .orderBy('run_at').orderBy('id')
    .limit(1)
    .$if(caps.skipLocked, (qb) => qb.forUpdate().skipLocked());
  const row = await db.updateTable('jobs')
    .set((eb) => ({
      state: 'running',
      locked_by: opts.workerId,
      locked_until: new Date(opts.now.getTime() + opts.leaseMs).toISOString(),
      attempts: eb('attempts', '+', 1),
      updated_at: now,
    }))
    .where('id', '=', due)
    .returningAll()
    .executeTakeFirst();
  return row ? toClaimedJob(row) : null;
}

function toClaimedJob(row: JobRow): ClaimedJob {
  return {
    id: row.id, kind: row.kind, payload: JSON.parse(row.payload_json) as unknown, attempt: Number(row.attempts),
    maxAttempts: Number(row.max_attempts), uniqueKey: row.unique_key, runAt: row.run_at, lockedBy: row.locked_by!, lockedUntil: row.locked_until!,
  };
}

/** The lease is still this claim's: same worker, same attempt, still running. */
const holding = (lease: JobLease) => (eb: ExpressionBuilder<Database, 'jobs'>) => eb.and([
  eb('id', '=', lease.id), eb('state', '=', 'running'), eb('locked_by', '=', lease.lockedBy), eb('attempts', '=', lease.attempt),
]);

/** Marks the job done; false when the lease was lost (another worker re-claimed it), and then nothing changes. */
export async function completeJob(db: Kysely<Database>, lease: JobLease, opts: { now: Date }): Promise<boolean> {
  const now = opts.now.toISOString();
  const result = await db.updateTable('jobs')
    .set({ state: 'done', locked_until: null, finished_at: now, updated_at: now })
    .where(holding(lease))
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export interface FailJobOptions {
  error: unknown;
  now: Date;
  /** how long until the next attempt */
  retryDelayMs: number;
  /** no further attempt, whatever is left (e.g. no handler for the kind) */
  permanent?: boolean;
}

/**
 * Records the error; queues the job again after `retryDelayMs` while attempts are left, else marks it failed.
 * Returns the new state, or 'lost' when the lease was no longer this claim's (nothing changes then).
 */
export async function failJob(db: Kysely<Database>, lease: JobLease, opts: FailJobOptions): Promise<'queued' | 'failed' | 'lost'> {
  const now = opts.now.toISOString();
  const retryAt = new Date(opts.now.getTime() + Math.max(0, opts.retryDelayMs)).toISOString();
  const giveUp = opts.permanent ? sql<boolean>`1 = 1` : sql<boolean>`attempts >= max_attempts`;
  const row = await db.updateTable('jobs')
    .set({
      state: sql<JobState>`case when ${giveUp} then 'failed' else 'queued' end`,
      run_at: sql<string>`case when ${giveUp} then run_at else ${retryAt} end`,
      finished_at: sql<string | null>`case when ${giveUp} then ${now} else null end`,
      // a queued job belongs to nobody; a failed one keeps who tried last
      locked_by: sql<string | null>`case when ${giveUp} then locked_by else null end`,
      locked_until: null,
      last_error: errorText(opts.error),
      updated_at: now,
    })
    .where(holding(lease))
    .returning('state')
    .executeTakeFirst();
  if (!row) return 'lost';
  return row.state === 'failed' ? 'failed' : 'queued';
}

/** Pushes the lease on while a long job runs; false when it was lost already. */
export async function extendLease(db: Kysely<Database>, lease: JobLease, opts: { now: Date; leaseMs: number }): Promise<boolean> {
  const result = await db.updateTable('jobs')
    .set({ locked_until: new Date(opts.now.getTime() + opts.leaseMs).toISOString(), updated_at: opts.now.toISOString() })
    .where(holding(lease))
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Ends jobs whose worker lost the lease on their last attempt (it crashed, or the job outran its lease every time). */
export async function failLapsedJobs(db: Kysely<Database>, opts: { now: Date }): Promise<number> {
  const now = opts.now.toISOString();
  const result = await db.updateTable('jobs')
    .set({ state: 'failed', locked_until: null, finished_at: now, updated_at: now, last_error: 'Lease abgelaufen beim letzten Versuch (Worker beendet oder abgestürzt)' })
    .where('state', '=', 'running')
    .where('locked_until', '<', now)
    .where((eb) => eb('attempts', '>=', eb.ref('max_attempts')))
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

function errorText(error: unknown): string {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return text.length > MAX_ERROR_LENGTH ? `${text.slice(0, MAX_ERROR_LENGTH - 1)}…` : text;
}
