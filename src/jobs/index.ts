// Public face of the jobs module: the one background-job mechanism of the product (see CONTEXT.md).
export {
  enqueueJob, claimNextJob, completeJob, failJob, extendLease, failLapsedJobs, DEFAULT_MAX_ATTEMPTS,
  type EnqueueJobInput, type ClaimOptions, type ClaimedJob, type JobLease, type FailJobOptions, type JobState,
} from './job.queries.ts';
export {
  createJobRunner, defaultRetryDelayMs, DEFAULT_POLL_MS, DEFAULT_LEASE_MS,
  type JobRunner, type JobRunnerOptions, type JobHandler, type RunningJob, type JobLog,
} from './job-runner.ts';
export { berlinDayHour, dailyJobDue, type DailySchedule } from './daily-schedule.ts';
export { jobQueueDepth, listJobs, requeueFailedJob, OPEN_STATES, type JobQueueCount, type JobSummary } from './job-admin.queries.ts';
export {
  runDailyCleanup, doneJobMayGo, CLEANUP_JOB_KIND, CLEANUP_HOUR_BERLIN, DONE_JOB_RETENTION_DAYS, ACCOUNT_TOKEN_RETENTION_DAYS, type CleanupReport,
} from './cleanup.job.ts';
