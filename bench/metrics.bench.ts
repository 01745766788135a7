// bench:metrics — what counting every request costs: this checkout (metrics on, token set) against a baseline checkout without the metrics, same run, alternating.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../src/testing/free-port.ts';
import { fmt, load, loadTool } from './bench-servers.ts';
import { countFastPathHit, observeRequest } from '../src/metrics/index.ts';

const baseline = process.env.BENCH_BASELINE_DIR;
if (!baseline) {
  console.error('bench:metrics: set BENCH_BASELINE_DIR to a checkout of the version before the metrics (e.g. a git worktree of main with node_modules)');
  process.exit(2);
}
const seconds = Number(process.env.BENCH_SECONDS ?? 5);
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const TOKEN = 'bench-metrics-token-0123456789abcdef';
const PAGE = '/artikel/digitalbuero-im-rathaus';

async function start(cwd: string, env: Record<string, string>): Promise<{ url: string; child: ChildProcess }> {
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'klartext-bench-metrics-'));
  const port = await freePort();
  const child = spawn(process.execPath, ['bin/klartext.mjs', 'serve'], {
    cwd, stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', KLARTEXT_DATA_DIR: dataDir, KLARTEXT_PUBLIC_URL: `http://127.0.0.1:${port}`, LOG_LEVEL: 'warn', NODE_ENV: 'production', ...env },
  });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 600; i++) {
    try { if ((await fetch(`${url}/healthz`)).ok) return { url, child }; } catch { /* not up yet */ }
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGKILL');
  throw new Error(`klartext in ${cwd} did not start`);
}

const avg = (a: number[]) => a.reduce((x, y) => x + y, 0) / a.length;

// The cost per request in isolation (CPU-bound loops are far less disturbed by a busy machine than req/s are).
function perCall(fn: (i: number) => void, n = 2_000_000): number {
  for (let i = 0; i < 100_000; i++) fn(i);
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < n; i++) fn(i);
  return Number(process.hrtime.bigint() - t0) / n;
}
const statuses = [200, 200, 200, 304];
let sink = 0;
const empty = perCall((i) => { sink += statuses[i & 3]!; });
const fast = perCall((i) => countFastPathHit('GET', statuses[i & 3]!));
const app = perCall((i) => observeRequest('GET', '/artikel/:slug', statuses[i & 3]!, 0.0007), 500_000);
console.log(`per request: empty loop ${empty.toFixed(0)} ns | fast-path hit counted ${fast.toFixed(0)} ns | app request observed (counter + histogram) ${app.toFixed(0)} ns${sink ? '' : ''}`);
console.log(`${PAGE}, ${seconds}s × ${rounds} rounds each, alternating, ${loadTool}; load average before: ${(await fs.readFile('/proc/loadavg', 'utf8')).trim()}`);
for (const [label, env] of [['cached page (Node fast path)', {}], ['uncached render (KLARTEXT_PAGE_CACHE_SECONDS=0)', { KLARTEXT_PAGE_CACHE_SECONDS: '0' }]] as const) {
  const base = await start(baseline, env);
  const mine = await start(process.cwd(), { ...env, KLARTEXT_METRICS_TOKEN: TOKEN });
  const headers = { 'accept-encoding': 'br, gzip' };
  await load(base.url + PAGE, { seconds: 2, headers });
  await load(mine.url + PAGE, { seconds: 2, headers });
  const r = { baseline: [] as number[], metrics: [] as number[] };
  for (let i = 0; i < rounds; i++) {
    // alternate who goes first, so a change in the machine's load does not always hit the same side
    const order = i % 2 === 0 ? (['baseline', 'metrics'] as const) : (['metrics', 'baseline'] as const);
    for (const who of order) r[who].push((await load((who === 'baseline' ? base : mine).url + PAGE, { seconds, headers })).rps);
  }
  const nsPerRequest = 1e9 / avg(r.baseline);
  const cost = label.startsWith('cached') ? fast : app;
  console.log(`  metrics cost per request ${cost.toFixed(0)} ns = ${((cost / nsPerRequest) * 100).toFixed(2)} % of the baseline's ${fmt(nsPerRequest)} ns per request (one core)`);
  console.log(`${label}: baseline ${r.baseline.map(fmt).join(' / ')} (avg ${fmt(avg(r.baseline))}) req/s | with metrics ${r.metrics.map(fmt).join(' / ')} (avg ${fmt(avg(r.metrics))}) req/s → ${((avg(r.metrics) / avg(r.baseline)) * 100).toFixed(1)} %`);
  for (const s of [base, mine]) s.child.kill('SIGTERM');
  await new Promise((res) => setTimeout(res, 500));
}
console.log(`load average after: ${(await fs.readFile('/proc/loadavg', 'utf8')).trim()}`);
