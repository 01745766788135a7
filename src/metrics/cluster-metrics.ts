// /metrics across `serve --workers N`: a worker asks the cluster primary over IPC, the primary gathers every worker's registry (prom-client's AggregatorRegistry).
import cluster from 'node:cluster';
import client from 'prom-client';
import { localMetricsText, registry } from './metrics.ts';

const REQUEST = 'klartext:metrics-request';
const ANSWER = 'klartext:metrics-answer';
/** prom-client's own timeout for the workers' answers is 5 s; the asking worker waits a little longer than that */
const WAIT_MS = 6_000;

interface MetricsRequest { type: typeof REQUEST; id: number }
interface MetricsAnswer { type: typeof ANSWER; id: number; text?: string; error?: string }

const isRequest = (m: unknown): m is MetricsRequest => typeof m === 'object' && m !== null && (m as { type?: unknown }).type === REQUEST;
const isAnswer = (m: unknown): m is MetricsAnswer => typeof m === 'object' && m !== null && (m as { type?: unknown }).type === ANSWER;

let primaryInstalled = false;

/**
 * Called once in the cluster primary of `klartext serve --workers N`: answers a worker's request for the metrics of all
 * workers. The primary serves no HTTP itself; it holds the AggregatorRegistry, which asks every connected worker for its
 * registry as JSON and sums counters and histograms (gauges that describe the shared database take the maximum).
 */
export function installPrimaryMetrics(): void {
  if (primaryInstalled || !cluster.isPrimary) return;
  primaryInstalled = true;
  const aggregator = new client.AggregatorRegistry();
  cluster.on('message', (worker, message: unknown) => {
    if (!isRequest(message)) return;
    const reply = (answer: Omit<MetricsAnswer, 'type' | 'id'>) => {
      if (worker.isConnected()) worker.send({ type: ANSWER, id: message.id, ...answer } satisfies MetricsAnswer);
    };
    aggregator.clusterMetrics().then((text) => reply({ text }), (e: unknown) => reply({ error: e instanceof Error ? e.message : String(e) }));
  });
}

// A worker answers the primary's requests for its registry (prom-client listens once an AggregatorRegistry exists in
// the process) from the moment it starts, whether or not its own /metrics was ever asked: another worker may ask.
if (cluster.isWorker) {
  client.AggregatorRegistry.setRegistries([registry]);
  new client.AggregatorRegistry();
}

let nextId = 0;
const waiting = new Map<number, { resolve: (text: string) => void; reject: (e: Error) => void; timer: NodeJS.Timeout }>();
let listening = false;

function askPrimary(): Promise<string> {
  if (!listening) {
    listening = true;
    process.on('message', (message: unknown) => {
      if (!isAnswer(message)) return;
      const w = waiting.get(message.id);
      if (!w) return;
      waiting.delete(message.id);
      clearTimeout(w.timer);
      if (message.text !== undefined) w.resolve(message.text); else w.reject(new Error(message.error ?? 'no answer'));
    });
  }
  const id = ++nextId;
  return new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      waiting.delete(id);
      reject(new Error('the cluster primary did not answer (is installPrimaryMetrics() called there?)'));
    }, WAIT_MS);
    timer.unref();
    waiting.set(id, { resolve, reject, timer });
    process.send!({ type: REQUEST, id } satisfies MetricsRequest);
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
