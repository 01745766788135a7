// The job runner: enqueues due daily jobs, claims due jobs one at a time, runs their handler, retries failures with backoff.
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { Database, DialectCapabilities } from '../db/index.ts';
import type { Clock } from '../clock.ts';
import { claimNextJob, completeJob, enqueueJob, extendLease, failJob, failLapsedJobs, type ClaimedJob } from './job.queries.ts';
import { checkDailySchedule, dailyJobDue, type DailySchedule } from './daily-schedule.ts';
import { countJobFinished } from '../metrics/index.ts';

export interface RunningJob {
  readonly id: string;
  readonly kind: string;
  readonly payload: unknown;
  /** 1 on the first run */
  readonly attempt: number;
  /** aborted when this worker lost the lease (another worker may run the job now): a long handler should stop */
  readonly signal: AbortSignal;
}

/** Does the work of one kind. May run again for the same job (after a crash or a lost lease), so it must be idempotent. */
export type JobHandler = (job: RunningJob) => Promise<void>;

export type JobLog = Pick<Logger, 'info' | 'warn' | 'error'>;

export interface JobRunnerOptions {
  db: Kysely<Database>;
  caps: DialectCapabilities;
  handlers: Readonly<Record<string, JobHandler>>;
  clock: Clock;
  /** unique per runner; default host, pid and a random part */
  workerId?: string;
  /** pause between looks at the table when nothing was due */
  pollMs?: number;
  /** how long a claim holds without being extended; the runner extends it every third of this while a handler runs */
  leaseMs?: number;
  /** claim only these kinds (a process set aside for some work); all kinds when left out, so a job nobody handles fails visibly */
  kinds?: readonly string[];
  /** delay before attempt n + 1 after attempt n failed */
  retryDelayMs?: (attempt: number) => number;
  log?: JobLog;
}

export interface JobRunner {
  readonly workerId: string;
  /** Enqueues due daily jobs, then runs jobs until none is due; resolves with how many were run (successful or not). */
  runDue(): Promise<number>;
  /** Runs `runDue` now and then every `pollMs`, until `stop`. */
  start(): void;
  /** Stops polling; resolves when the job running now has finished (no further job is started). */
  stop(): Promise<void>;
  /** Every Berlin day from `hourBerlin` on, one job `kind` with unique key `kind:YYYY-MM-DD`, however many processes tick. */
  scheduleDaily(kind: string, opts: Omit<DailySchedule, 'kind'>): void;
}

export const DEFAULT_POLL_MS = 5_000;
export const DEFAULT_LEASE_MS = 10 * 60_000;
/** 1 min, 5 min, 25 min, about 2 h, then 6 h: a provider outage of an afternoon is survived by the default five attempts */
export const defaultRetryDelayMs = (attempt: number): number => Math.min(60_000 * 5 ** Math.max(0, attempt - 1), 6 * 3600_000);

const silentLog: JobLog = { info() {}, warn() {}, error() {} };

export function createJobRunner(opts: JobRunnerOptions): JobRunner {
  const { db, caps, handlers, clock } = opts;
  const workerId = opts.workerId ?? `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
  const pollMs = opts.pollMs ?? DEFAULT_POLL_MS;
  const leaseMs = opts.leaseMs ?? DEFAULT_LEASE_MS;
  const retryDelayMs = opts.retryDelayMs ?? defaultRetryDelayMs;
  const log = opts.log ?? silentLog;
  const schedules: DailySchedule[] = [];
  /** the Berlin day each schedule's job is known to exist for, so a poll does not insert it again */
  const enqueuedDay = new Map<string, string>();

  async function enqueueDailyJobs(): Promise<void> {
    for (const schedule of schedules) {
      const now = clock();
      const due = dailyJobDue(schedule, now);
      if (!due || enqueuedDay.get(schedule.kind) === due.day) continue;
      const { id, created } = await enqueueJob(db, { kind: schedule.kind, payload: due.payload, runAt: now, uniqueKey: due.uniqueKey, maxAttempts: schedule.maxAttempts, now });
      enqueuedDay.set(schedule.kind, due.day);
      if (created) log.info({ jobId: id, kind: schedule.kind, uniqueKey: due.uniqueKey }, 'daily job enqueued');
    }
  }

  async function run(job: ClaimedJob): Promise<void> {
    const context = { jobId: job.id, kind: job.kind, attempt: job.attempt, workerId };
    // Own-property lookup: a kind named `constructor` or `toString` must not find Object.prototype's.
    const handler = Object.hasOwn(handlers, job.kind) ? handlers[job.kind] : undefined;
    if (!handler) {
      const error = new Error(`Unbekannte Job-Art „${job.kind}“: dieser Prozess hat keinen Handler dafür`);
      await failJob(db, job, { error, now: clock(), retryDelayMs: 0, permanent: true });
      countJobFinished(job.kind, 'failed');
      log.error({ ...context, err: error }, 'job failed: unknown kind');
      return;
    }
    const lost = new AbortController();
    let finished = false;
    const heartbeat = setInterval(() => {
      extendLease(db, job, { now: clock(), leaseMs }).then((held) => {
        if (!held && !finished) {
          lost.abort(new Error('lease lost'));
          log.warn(context, 'job lease lost while running');
        }
      }, (err: unknown) => log.warn({ ...context, err }, 'job lease could not be extended'));
    }, Math.max(1_000, Math.floor(leaseMs / 3)));
    heartbeat.unref();
    let failure: { error: unknown } | undefined;
    try {
      // then(): a handler that throws before returning its promise is caught the same way
      await Promise.resolve().then(() => handler({ id: job.id, kind: job.kind, payload: job.payload, attempt: job.attempt, signal: lost.signal }));
    } catch (error) {
      failure = { error };
    } finally {
      finished = true;
      clearInterval(heartbeat);
    }
    if (!failure) {
      if (await completeJob(db, job, { now: clock() })) countJobFinished(job.kind, 'done');
      else log.warn(context, 'job finished after its lease was lost; another worker may run it again');
      return;
    }
    const state = await failJob(db, job, { error: failure.error, now: clock(), retryDelayMs: retryDelayMs(job.attempt) });
    if (state !== 'lost') countJobFinished(job.kind, state === 'queued' ? 'retry' : 'failed');
    log.error({ ...context, err: failure.error, state }, state === 'queued' ? 'job failed, will retry' : 'job failed');
  }

  let halting = false;
  async function drain(): Promise<number> {
    await enqueueDailyJobs();
    await failLapsedJobs(db, { now: clock() });
    let count = 0;
    while (!halting) {
      const job = await claimNextJob(db, caps, { workerId, now: clock(), leaseMs, kinds: opts.kinds });
      if (!job) break;
      await run(job);
      count++;
    }
    return count;
  }

  // One drain at a time per runner: the loop and a direct runDue() call queue behind each other.
  let current: Promise<unknown> = Promise.resolve();
  function runDue(): Promise<number> {
    const next = current.then(drain);
    current = next.catch(() => {});
    return next;
  }

  let polling = false;
  let timer: NodeJS.Timeout | undefined;
  function schedulePoll(ms: number): void {
    timer = setTimeout(() => {
      timer = undefined;
      runDue().catch((err: unknown) => log.error({ err, workerId }, 'job runner poll failed')).finally(() => {
        if (polling && !timer) schedulePoll(pollMs);
      });
    }, ms);
    // The runner never keeps the process alive by itself.
    timer.unref();
  }

  return {
    workerId,
    runDue,
    start() {
      if (polling) return;
      polling = true;
      schedulePoll(0);
    },
    async stop() {
      polling = false;
      if (timer) clearTimeout(timer);
      timer = undefined;
      halting = true;
      try {
        await current;
      } finally {
        halting = false;
      }
    },
    scheduleDaily(kind, schedule) {
      const full = { ...schedule, kind };
      checkDailySchedule(full);
      if (schedules.some((s) => s.kind === kind)) throw new TypeError(`scheduleDaily: ${kind} is scheduled already`);
      schedules.push(full);
    },
  };
}
