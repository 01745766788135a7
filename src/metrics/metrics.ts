// The process's Prometheus collectors (prom-client): requests by route pattern, page cache, unlocks, jobs, DB pool, the process itself.
import client from 'prom-client';

/** This process's registry; in a cluster worker the primary gathers it together with the other workers' (cluster-metrics.ts). */
export const registry = new client.Registry();

// Labels take a bounded set of values only: a route is the *pattern* a route was registered under, never the raw path,
// and methods beyond the usual ones share one label. A client cannot grow the series by inventing URLs.
const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

const requestDuration = new client.Histogram({
  name: 'klartext_http_request_duration_seconds',
  help: 'Time from the request reaching the app to the answer, by method, route pattern and status (answers of the Node-level cache-hit path are not timed: see klartext_http_requests_total)',
  labelNames: ['method', 'route', 'status'] as const,
  buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  registers: [registry],
});

/**
 * The cache-hit fast path answers in a few microseconds; a prom-client observation (label validation and hashing) per
 * hit would cost a measurable share of that. Its hits are counted here in a plain map and handed to the counters
 * when Prometheus scrapes (both collect hooks flush; whichever runs first).
 */
const fastPending = new Map<string, { method: string; status: string; n: number }>();
function flushFastPath(): void {
  for (const p of fastPending.values()) {
    if (p.n === 0) continue;
    requests.inc({ method: p.method, route: '(page cache)', status: p.status }, p.n);
    pageCacheLookups.inc({ result: 'hit', layer: 'fast' }, p.n);
    p.n = 0;
  }
}

const requests = new client.Counter({
  name: 'klartext_http_requests_total',
  help: 'Answers by method, route pattern and status; route "(page cache)" is the Node-level cache-hit path, which answers before routing',
  labelNames: ['method', 'route', 'status'] as const,
  registers: [registry],
  collect: flushFastPath,
});

const pageCacheLookups = new client.Counter({
  name: 'klartext_page_cache_requests_total',
  help: 'Public page requests answered from the page cache (hit) or rendered (miss); layer "fast" is the Node-level path before routing',
  labelNames: ['result', 'layer'] as const,
  registers: [registry],
  collect: flushFastPath,
});

const unlocks = new client.Counter({
  name: 'klartext_unlocks_total',
  help: 'Unlock requests of Plus articles by outcome and reason (granted: subscriber, meter, gift, staff, crawler, registered, institution; denied: the need: login, subscription, verification)',
  labelNames: ['result', 'reason'] as const,
  registers: [registry],
});

const jobsFinished = new client.Counter({
  name: 'klartext_jobs_finished_total',
  help: 'Job attempts finished by this process, by kind and outcome (done, retry, failed)',
  labelNames: ['kind', 'outcome'] as const,
  registers: [registry],
});

const jobsRetried = new client.Counter({
  name: 'klartext_jobs_requeued_by_admin_total',
  help: 'Failed jobs an administrator queued again on /verlag/aufgaben',
  registers: [registry],
});

/**
 * Beacons and insight events arrive by the thousand per second: counted in a plain map and handed to the counters at
 * the scrape, like the fast path's hits. The outcomes are a fixed set chosen by the caller, never taken from a request.
 */
const insightsPending = new Map<string, number>();
function flushInsights(): void {
  for (const [key, n] of insightsPending) {
    if (n === 0) continue;
    const [what, outcome] = key.split(' ') as [string, string];
    (what === 'beacon' ? beacons : analyticsEvents).inc({ outcome }, n);
    insightsPending.set(key, 0);
  }
}

const beacons = new client.Counter({
  name: 'klartext_beacons_total',
  help: 'Beacon requests (POST /api/beacon) by outcome: stored, or dropped and why (oversized, junk, privacy, cross-site, replay, rate-limit, unknown)',
  labelNames: ['outcome'] as const,
  registers: [registry],
  collect: flushInsights,
});

const analyticsEvents = new client.Counter({
  name: 'klartext_analytics_events_total',
  help: 'Insight events by outcome: written in a batch, dropped because the buffer was full, or lost because the batch could not be written',
  labelNames: ['outcome'] as const,
  registers: [registry],
  collect: flushInsights,
});

export function countBeacon(outcome: string): void {
  const key = `beacon ${outcome}`;
  insightsPending.set(key, (insightsPending.get(key) ?? 0) + 1);
}

export function countAnalyticsEvents(outcome: 'written' | 'dropped' | 'failed', n = 1): void {
  const key = `event ${outcome}`;
  insightsPending.set(key, (insightsPending.get(key) ?? 0) + n);
}

/** Rows of the job table by state and kind, as the sources below report them. */
export interface JobQueueDepth { state: string; kind: string; count: number }

/** What the scrape asks the running app for: the job table's depth and the PostgreSQL pool (none on SQLite). */
export interface MetricSources {
  jobQueue?: () => Promise<readonly JobQueueDepth[]>;
  dbPool?: () => { total: number; idle: number; waiting: number };
  /** 'sqlite' | 'postgres' */
  engine?: string;
}

let sources: MetricSources = {};

/**
 * The running app tells the collectors where to look; the returned function forgets it again. One app per process in
 * production; in tests the app made last is the one asked.
 */
export function watchSources(s: MetricSources): () => void {
  sources = s;
  return () => { if (sources === s) sources = {}; };
}

new client.Gauge({
  name: 'klartext_jobs',
  help: 'Jobs in the job table by state (queued, running, failed; done is left out) and kind; the same table for every process, so the cluster takes the maximum, not the sum',
  labelNames: ['state', 'kind'] as const,
  aggregator: 'max',
  registers: [registry],
  async collect() {
    this.reset();
    const read = sources.jobQueue;
    if (!read) return;
    for (const row of await read()) this.set({ state: row.state, kind: row.kind }, row.count);
  },
});

new client.Gauge({
  name: 'klartext_db_pool_connections',
  help: 'PostgreSQL connection pool of this process: total, idle, and callers waiting for a connection (not reported on SQLite, which has no pool)',
  labelNames: ['state'] as const,
  registers: [registry],
  collect() {
    this.reset();
    const pool = sources.dbPool?.();
    if (!pool) return;
    this.set({ state: 'total' }, pool.total);
    this.set({ state: 'idle' }, pool.idle);
    this.set({ state: 'waiting' }, pool.waiting);
  },
});

new client.Gauge({
  name: 'klartext_database_info',
  help: 'The database engine this process runs on (value 1)',
  labelNames: ['engine'] as const,
  aggregator: 'max',
  registers: [registry],
  collect() {
    this.reset();
    if (sources.engine) this.set({ engine: sources.engine }, 1);
  },
});

let processMetrics = false;
/** CPU, memory, event loop lag, GC, handles: prom-client's default set, once per process, when a server starts. */
export function collectProcessMetrics(): void {
  if (processMetrics) return;
  processMetrics = true;
  client.collectDefaultMetrics({ register: registry, prefix: 'klartext_' });
}

/** One answer of the app: `route` is the pattern the router matched (or a fixed name), never the raw path. */
export function observeRequest(method: string, route: string, status: number, seconds: number): void {
  const labels = { method: METHODS.has(method) ? method : 'other', route: route || '(none)', status: String(status) };
  requests.inc(labels);
  requestDuration.observe(labels, seconds);
}

/** A page the app's cache middleware answered (hit) or had rendered (miss). */
export function countPageCache(result: 'hit' | 'miss'): void {
  pageCacheLookups.inc({ result, layer: 'app' });
}

/** A hit of the Node-level fast path: a map increment now, the counters at the next scrape. */
export function countFastPathHit(method: string, status: number): void {
  const m = METHODS.has(method) ? method : 'other';
  const key = `${m} ${status}`;
  const p = fastPending.get(key);
  if (p) p.n++;
  else fastPending.set(key, { method: m, status: String(status), n: 1 });
}

export function countUnlock(result: 'granted' | 'denied', reason: string): void {
  unlocks.inc({ result, reason });
}

export function countJobFinished(kind: string, outcome: 'done' | 'retry' | 'failed'): void {
  jobsFinished.inc({ kind, outcome });
}

export function countJobRequeuedByAdmin(): void {
  jobsRetried.inc();
}

/** This process's metrics in the Prometheus text format. */
export function localMetricsText(): Promise<string> {
  return registry.metrics();
}

export const METRICS_CONTENT_TYPE = registry.contentType;
