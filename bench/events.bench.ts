// bench:events (ingest half) — guest pages of a Plus article served with and without a stream of beacons (view + paywall, as a guest's page sends them) on SQLite, side by side in one run.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runDashboardBenchAll } from './dashboard.bench.ts';
import { fmt, load, loadTool, startKlartext } from './bench-servers.ts';

const SLUG = 'digitalbuero-im-rathaus';
const METRICS_TOKEN = 'bench-events-metrics-token-0123456789';

export interface IngestBenchResult {
  pagesPerSecondWithout: number;
  pagesPerSecondWith: number;
  /** events written to analytics_events per second while pages were served */
  eventsPerSecond: number;
  beaconsPerSecondSent: number;
  beaconOutcomes: Record<string, number>;
  pageRatio: number;
  ok: boolean;
}

const WRK = ['/usr/bin/wrk', '/usr/local/bin/wrk'].find((f) => existsSync(f));

/**
 * Sends about `rate` beacons per second for `seconds`, each with a fresh page-view id and two events (view + paywall, as
 * a guest's Plus page sends them), over `connections` keep-alive connections paced by a delay after each answer: the
 * beacon's limit is per connection, and a browser tab is one connection. wrk (C) when installed, so the load generator
 * takes little of the two cores the server shares with it; otherwise a Node process.
 */
async function beaconStream(url: string, o: { rate: number; seconds: number; connections: number; articleId: string }): Promise<{ sent: number; non204: number; errors: number }> {
  const events = JSON.stringify([{ k: 'view', a: o.articleId }, { k: 'paywall', a: o.articleId, d: 'guest' }]);
  const origin = new URL(url).origin;
  const delayMs = Math.max(1, Math.round((1000 * o.connections) / o.rate));
  // a fresh prefix per stream: page-view ids of an earlier round would be replays (and dropped as such)
  const prefix = Math.random().toString(36).slice(2, 7).padEnd(5, '0');
  if (WRK) {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'klartext-beacons-'));
    const script = path.join(dir, 'beacon.lua');
    await fs.writeFile(script, `
local n = 0
local headers = { ["content-type"] = "text/plain;charset=UTF-8", ["origin"] = ${JSON.stringify(origin)}, ["sec-fetch-site"] = "same-origin" }
request = function()
  n = n + 1
  return wrk.format("POST", "/api/beacon", headers, '{"pv":"${prefix}' .. string.format("%013d", n) .. '","events":' .. ${JSON.stringify(events)} .. '}')
end
delay = function() return ${delayMs} end
`);
    const out = await new Promise<string>((resolve, reject) => {
      const child = spawn(WRK, ['-t1', `-c${o.connections}`, `-d${o.seconds}s`, '-s', script, url], { stdio: ['ignore', 'pipe', 'inherit'] });
      let text = '';
      child.stdout.on('data', (d) => { text += d; });
      child.once('exit', (code) => (code === 0 ? resolve(text) : reject(new Error(`wrk exited ${code}: ${text}`))));
    });
    await fs.rm(dir, { recursive: true, force: true });
    const errs = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(out);
    return {
      sent: Number(/(\d+) requests in/.exec(out)?.[1] ?? 0),
      non204: Number(/Non-2xx or 3xx responses: (\d+)/.exec(out)?.[1] ?? 0),
      errors: errs ? errs.slice(1).map(Number).reduce((a, b) => a + b, 0) : 0,
    };
  }
  const script = `
const http = require('node:http');
const { seconds, connections, delayMs, events, url, prefix } = ${JSON.stringify({ seconds: o.seconds, connections: o.connections, delayMs, events, url, prefix })};
const target = new URL(url + '/api/beacon');
let sent = 0, non204 = 0, errors = 0, n = 0, live = connections;
const until = Date.now() + seconds * 1000;
function loop(agent) {
  if (Date.now() >= until) { if (--live === 0) { console.log(JSON.stringify({ sent, non204, errors })); process.exit(0); } return; }
  const body = '{"pv":"' + prefix + String(++n).padStart(13, '0') + '","events":' + events + '}';
  const req = http.request(target, { method: 'POST', agent, headers: { 'content-type': 'text/plain;charset=UTF-8', 'content-length': Buffer.byteLength(body), origin: target.origin, 'sec-fetch-site': 'same-origin' } }, (res) => {
    if (res.statusCode !== 204) non204++;
    res.resume(); res.on('end', () => { sent++; setTimeout(() => loop(agent), delayMs); });
  });
  req.on('error', () => { errors++; setTimeout(() => loop(agent), delayMs); });
  req.end(body);
}
for (let i = 0; i < connections; i++) loop(new http.Agent({ keepAlive: true, maxSockets: 1 }));`;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d) => { out += d; });
    child.once('exit', (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`beacon stream exited ${code}: ${out}`))));
  });
}

/** The counters of /metrics this bench reads: events written, beacons by outcome. */
async function counters(url: string): Promise<Map<string, number>> {
  const text = await (await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })).text();
  const m = new Map<string, number>();
  for (const [, name, value] of text.matchAll(/^(klartext_(?:analytics_events|beacons)_total\{outcome="[^"]+"\}) (\d+)/gm)) m.set(name!, Number(value));
  m.set('cpu', Number(/^klartext_process_cpu_seconds_total ([\d.e+-]+)/m.exec(text)?.[1] ?? NaN));
  return m;
}

export async function runIngestBench(o: { seconds?: number; rounds?: number; beaconsPerSecond?: number; connections?: number } = {}): Promise<IngestBenchResult> {
  const seconds = o.seconds ?? Number(process.env.BENCH_SECONDS ?? 8);
  const rounds = o.rounds ?? Number(process.env.BENCH_ROUNDS ?? 2);
  const rate = o.beaconsPerSecond ?? Number(process.env.BENCH_BEACONS_PER_SECOND ?? 3000);
  const connections = o.connections ?? Number(process.env.BENCH_BEACON_CONNECTIONS ?? 128);
  const klartext = await startKlartext({ KLARTEXT_METRICS_TOKEN: METRICS_TOKEN });
  try {
    const path = `/artikel/${SLUG}`;
    const page = await fetch(klartext.url + path);
    const articleId = /<article class="article" data-article-id="([^"]+)"/.exec(await page.text())?.[1];
    if (page.status !== 200 || !articleId) throw new Error(`${path}: ${page.status}, no article id`);
    const headers = { 'accept-encoding': 'br, gzip' };
    console.log(`bench:events (ingest) on SQLite: ${path} for guests (${loadTool}, 50 connections), ${seconds}s × ${rounds} rounds; `
      + `beacons at about ${fmt(rate)}/s × 2 events over ${connections} connections (${WRK ? 'wrk' : 'node'})`);
    await load(klartext.url + path, { seconds: 2, headers }); // warm-up
    const without: number[] = [];
    const withEvents: number[] = [];
    let written = 0;
    let sentTotal = 0;
    const outcomes: Record<string, number> = {};
    for (let i = 0; i < rounds; i++) {
      const cpu0 = (await counters(klartext.url)).get('cpu')!;
      const base = await load(klartext.url + path, { seconds, headers });
      without.push(base.rps);
      const before = await counters(klartext.url);
      const cpuBase = (before.get('cpu')! - cpu0) / seconds;
      const [loaded, stream] = await Promise.all([
        load(klartext.url + path, { seconds, headers }),
        beaconStream(klartext.url, { rate, seconds, connections, articleId }),
      ]);
      // the recorder writes every 250 ms: wait for the last batch before reading the counters
      await new Promise((r) => setTimeout(r, 600));
      const after = await counters(klartext.url);
      const delta = (k: string) => (after.get(k) ?? 0) - (before.get(k) ?? 0);
      const cpuWith = delta('cpu') / (seconds + 0.6);
      written += delta('klartext_analytics_events_total{outcome="written"}');
      for (const k of after.keys()) {
        const outcome = /^klartext_beacons_total\{outcome="([^"]+)"\}$/.exec(k)?.[1];
        if (outcome) outcomes[outcome] = (outcomes[outcome] ?? 0) + delta(k);
      }
      sentTotal += stream.sent;
      withEvents.push(loaded.rps);
      console.log(`round ${i + 1}: pages without events ${fmt(base.rps)}/s (p99 ${base.p99} ms) | with events ${fmt(loaded.rps)}/s (p99 ${loaded.p99} ms), `
        + `beacons sent ${fmt(stream.sent / seconds)}/s (${stream.non204} not 204, ${stream.errors} errors); `
        + `server CPU ${(cpuBase * 100).toFixed(0)} % → ${(cpuWith * 100).toFixed(0)} % of one core`);
    }
    const avg = (a: number[]) => a.reduce((x, y) => x + y, 0) / a.length;
    const result: IngestBenchResult = {
      pagesPerSecondWithout: avg(without), pagesPerSecondWith: avg(withEvents),
      eventsPerSecond: written / (seconds * rounds), beaconsPerSecondSent: sentTotal / (seconds * rounds), beaconOutcomes: outcomes,
      pageRatio: avg(withEvents) / avg(without), ok: false,
    };
    result.ok = result.eventsPerSecond >= 5000 && result.pageRatio >= 0.8;
    console.log(`pages/s without events ${fmt(result.pagesPerSecondWithout)}, with events ${fmt(result.pagesPerSecondWith)}: ${(result.pageRatio * 100).toFixed(1)} % (target ≥ 80 %)`);
    console.log(`events written ${fmt(result.eventsPerSecond)}/s (target ≥ 5,000/s); beacons by outcome ${JSON.stringify(outcomes)}`);
    console.log(result.ok ? 'OK' : 'BELOW TARGET');
    return result;
  } finally {
    await klartext.stop();
  }
}

// `npm run bench:events`: both numbers of issue 12 — the ingest beside guest pages, then the dashboard over 10 million raw
// events and two years of rollups (BENCH_SKIP_DASHBOARD=1 runs the first half only; `npm run bench:dashboard` the second).
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const ingest = await runIngestBench();
  const dashboard = process.env.BENCH_SKIP_DASHBOARD === '1' ? null : await runDashboardBenchAll();
  console.log(`bench:events — ingest ${ingest.ok ? 'OK' : 'BELOW TARGET'}${dashboard === null ? '' : `, dashboard ${dashboard ? 'OK' : 'BELOW TARGET'}`}`);
}
