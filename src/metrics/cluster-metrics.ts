// /metrics across `serve --workers N`: a worker asks the cluster primary over IPC, the primary gathers every ready worker's registry and sums them (prom-client's AggregatorRegistry.aggregate).
import cluster, { type Worker } from 'node:cluster';
import client from 'prom-client';
import { localMetricsText, registry } from './metrics.ts';

/** worker → primary: my registry can be asked (sent once the module is loaded) */
const READY = 'klartext:metrics-ready';
/** worker → primary: the metrics of all workers, please */
const REQUEST = 'klartext:metrics-request';
/** primary → worker: the aggregated text (or why not) */
const ANSWER = 'klartext:metrics-answer';
/** primary → worker: your registry as JSON */
const COLLECT = 'klartext:metrics-collect';
/** worker → primary: here it is */
const COLLECTED = 'klartext:metrics-collected';

/** how long the primary waits for the workers' registries */
const COLLECT_MS = 3_000;
/** how long a worker waits for the primary's answer */
const ANSWER_MS = 5_000;

type Message =
  | { type: typeof READY }
  | { type: typeof REQUEST; id: number }
  | { type: typeof ANSWER; id: number; text?: string; error?: string }
  | { type: typeof COLLECT; id: number }
  | { type: typeof COLLECTED; id: number; metrics?: client.MetricObjectWithValues<client.MetricValue<string>>[]; error?: string };

function asMessage(m: unknown): Message | undefined {
  if (typeof m !== 'object' || m === null) return undefined;
  const type = (m as { type?: unknown }).type;
  return typeof type === 'string' && type.startsWith('klartext:metrics-') ? (m as Message) : undefined;
}

let primaryInstalled = false;

/**
 * Called once in the cluster primary of `klartext serve --workers N`. The primary serves no HTTP; it answers a worker's
 * request for the metrics of all workers: it asks every worker that said its registry is ready, waits for their
 * answers (a worker that exits meanwhile is left out), and sums counters and histograms (gauges describing the shared
 * database take the maximum). A worker still starting is not waited for; one that hangs makes the answer an error
 * after 3 s rather than a silently partial one.
 */
export function installPrimaryMetrics(): void {
  if (primaryInstalled || !cluster.isPrimary) return;
  primaryInstalled = true;
  const ready = new Set<Worker>();
  let nextId = 0;
  const gathering = new Map<number, { waiting: Set<Worker>; results: client.MetricObjectWithValues<client.MetricValue<string>>[][]; done: (error?: string) => void }>();

  function gather(): Promise<string> {
    const id = ++nextId;
    const targets = [...ready].filter((w) => w.isConnected());
    return new Promise<string>((resolve, reject) => {
      const outstanding = new Set(targets);
      const timer = setTimeout(() => finish(`${outstanding.size} of ${targets.length} workers did not send their metrics within ${COLLECT_MS} ms`), COLLECT_MS);
      const results: client.MetricObjectWithValues<client.MetricValue<string>>[][] = [];
      const finish = (error?: string) => {
        if (!gathering.delete(id)) return;
        clearTimeout(timer);
        if (error) reject(new Error(error));
        else client.AggregatorRegistry.aggregate(results).metrics().then(resolve, reject);
      };
      gathering.set(id, { waiting: outstanding, results, done: finish });
      for (const w of targets) w.send({ type: COLLECT, id } satisfies Message);
      if (outstanding.size === 0) finish();
    });
  }

  cluster.on('message', (worker, raw: unknown) => {
    const m = asMessage(raw);
    if (!m) return;
    if (m.type === READY) ready.add(worker);
    else if (m.type === REQUEST) {
      const reply = (answer: { text?: string; error?: string }) => { if (worker.isConnected()) worker.send({ type: ANSWER, id: m.id, ...answer } satisfies Message); };
      gather().then((text) => reply({ text }), (e: unknown) => reply({ error: e instanceof Error ? e.message : String(e) }));
    } else if (m.type === COLLECTED) {
      const g = gathering.get(m.id);
      if (!g || !g.waiting.delete(worker)) return;
      if (m.error !== undefined || !m.metrics) return g.done(`a worker could not collect its metrics: ${m.error ?? 'no metrics'}`);
      g.results.push(m.metrics);
      if (g.waiting.size === 0) g.done();
    }
  });
  cluster.on('exit', (worker) => {
    ready.delete(worker);
    for (const g of gathering.values()) if (g.waiting.delete(worker) && g.waiting.size === 0) g.done();
  });
}

// A worker answers the primary's collect requests from the moment this module is loaded, whether or not its own
// /metrics was ever asked (another worker may ask), and says so.
const waiting = new Map<number, { resolve: (text: string) => void; reject: (e: Error) => void; timer: NodeJS.Timeout }>();
if (cluster.isWorker && process.send) {
  process.on('message', (raw: unknown) => {
    const m = asMessage(raw);
    if (m?.type === COLLECT) {
      const send = (reply: Message) => { if (process.connected) process.send!(reply); };
      registry.getMetricsAsJSON().then(
        (metrics) => send({ type: COLLECTED, id: m.id, metrics: metrics as client.MetricObjectWithValues<client.MetricValue<string>>[] }),
        (e: unknown) => send({ type: COLLECTED, id: m.id, error: e instanceof Error ? e.message : String(e) }),
      );
    } else if (m?.type === ANSWER) {
      const w = waiting.get(m.id);
      if (!w) return;
      waiting.delete(m.id);
      clearTimeout(w.timer);
      if (m.text !== undefined) w.resolve(m.text); else w.reject(new Error(m.error ?? 'no answer'));
    }
  });
  process.send({ type: READY } satisfies Message);
}

let nextRequest = 0;
function askPrimary(): Promise<string> {
  const id = ++nextRequest;
  return new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      waiting.delete(id);
      reject(new Error('the cluster primary did not answer (is installPrimaryMetrics() called there?)'));
    }, ANSWER_MS);
    timer.unref();
    waiting.set(id, { resolve, reject, timer });
    process.send!({ type: REQUEST, id } satisfies Message);
  });
}

/**
 * The metrics text /metrics answers with: in a cluster worker, all workers' metrics summed by the primary; in a single
 * process (the default), this process's. A primary that cannot answer is an error, not a silent partial answer.
 */
export function metricsText(): Promise<string> {
  if (cluster.isWorker && process.send && process.connected) return askPrimary();
  return localMetricsText();
}
