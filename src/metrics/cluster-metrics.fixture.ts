// A cluster for cluster-metrics.test.ts: the primary installs the aggregation, two workers count differently and answer /metrics over one port.
import cluster from 'node:cluster';
import http from 'node:http';
import { countUnlock, installPrimaryMetrics, metricsText } from './index.ts';

const WORKERS = 2;

if (cluster.isPrimary) {
  installPrimaryMetrics();
  let ready = 0;
  for (let i = 1; i <= WORKERS; i++) cluster.fork({ PROBE_COUNT: String(i) });
  cluster.on('message', (_worker, message: unknown) => {
    if (typeof message === 'object' && message !== null && 'listening' in message && ++ready === WORKERS) {
      process.stdout.write(`ready ${(message as { listening: number }).listening}\n`);
    }
  });
  const stop = () => { for (const w of Object.values(cluster.workers ?? {})) w?.kill(); process.exit(0); };
  process.on('SIGTERM', stop);
  process.stdin.on('end', stop).resume();
} else {
  // worker 1 counts once, worker 2 twice: the aggregated answer says 3, a single worker's 1 or 2
  for (let i = 0; i < Number(process.env.PROBE_COUNT); i++) countUnlock('granted', 'cluster-probe');
  const server = http.createServer((req, res) => {
    // the test ends one worker: the other must still answer, with its own counts only
    if (req.url === '/exit') { res.end(`pid ${process.pid}\n`, () => process.exit(1)); return; }
    metricsText().then((text) => res.end(`pid ${process.pid} count ${process.env.PROBE_COUNT}\n${text}`), (e: unknown) => { res.statusCode = 503; res.end(String(e)); });
  });
  // listen(0) in cluster workers: the primary hands every worker the same port
  server.listen(0, '127.0.0.1', () => {
    const address = server.address();
    process.send!({ listening: typeof address === 'object' && address ? address.port : 0 });
  });
}
