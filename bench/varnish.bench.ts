// bench:varnish — guest pages served by Varnish (deploy/varnish/klartext.vcl) in front of Klartext vs nginx serving the same bytes from a file, same run.
import { fmt, load, loadTool, startKlartext, startNginx, type Running } from './bench-servers.ts';
import { request, startVarnish } from '../src/testing/varnish.ts';
import fs from 'node:fs/promises';
import os from 'node:os';

const seconds = Number(process.env.BENCH_SECONDS ?? 8);
const rounds = Number(process.env.BENCH_ROUNDS ?? 2);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 50);
// the demo's Plus interview and its section page (nginx's one-file server cannot stand in for `/`)
const PAGES = ['/artikel/digitalbuero-im-rathaus', '/stadt'];

const klartext = await startKlartext();
const probePath = (await request(`${klartext.url}/readyz`)).status === 200 ? '/readyz' : '/healthz';
const varnish = await startVarnish({ backends: [new URL(klartext.url).port].map(Number), probePath });
const stops: Running[] = [klartext, varnish];
try {
  console.log(`load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}, ${os.cpus().length} cores (nginx with ${os.cpus().length} workers); ${loadTool}, ${connections} connections, ${seconds}s × ${rounds} rounds each`);
  // a browser (brotli), a client with gzip only, one without compression: each is a stored object of its own
  for (const [encoding, accept] of [['br', 'gzip, deflate, br'], ['gzip', 'gzip'], ['identity', '']] as const) {
    for (const page of PAGES) {
      const reqHeaders: Record<string, string> = accept ? { 'accept-encoding': accept } : {};
      // what a guest gets from Varnish (a hit after the first request): nginx serves exactly these bytes and headers
      await request(varnish.url + page, { headers: { 'accept-encoding': accept } });
      const hit = await request(varnish.url + page, { headers: { 'accept-encoding': accept } });
      if (hit.status !== 200 || hit.headers['x-cache'] !== 'HIT') throw new Error(`${page} through Varnish: ${hit.status} ${String(hit.headers['x-cache'])}`);
      const body = hit.raw;
      const headers: Record<string, string> = {};
      for (const k of ['content-type', 'cache-control', 'etag', 'vary', 'content-encoding', 'surrogate-key', 'cache-tag', 'x-cache']) { const v = hit.headers[k]; if (typeof v === 'string') headers[k] = v; }
      // as many nginx workers as cores: Varnish's worker threads may use every core too
      const nginx = await startNginx(page, body, headers, { workers: os.cpus().length });
      if (!nginx) throw new Error('nginx is not installed (apt-get install nginx-light)');
      const rps = { varnish: [] as number[], nginx: [] as number[] };
      const p99 = { varnish: 0, nginx: 0 };
      await load(varnish.url + page, { seconds: 2, connections, headers: reqHeaders }); // warm-up
      for (let i = 0; i < rounds; i++) {
        const line: string[] = [];
        for (const [name, url] of [['varnish', varnish.url], ['nginx', nginx.url]] as const) {
          const r = await load(url + page, { seconds, connections, headers: reqHeaders });
          if (r.non2xx || r.errors) throw new Error(`${name}: ${r.non2xx} non-2xx answers, ${r.errors} socket errors`);
          rps[name].push(r.rps); p99[name] = Math.max(p99[name], r.p99);
          line.push(`${name} ${fmt(r.rps)} req/s (p99 ${r.p99} ms)`);
        }
        console.log(`  ${page} ${encoding} round ${i + 1}: ${line.join(' | ')}`);
      }
      await nginx.stop();
      const avg = (a: number[]) => a.reduce((x, y) => x + y, 0) / a.length;
      const ratio = avg(rps.varnish) / avg(rps.nginx);
      console.log(`${page} (${body.length} bytes ${encoding}): varnish ${fmt(avg(rps.varnish))} req/s p99 ≤ ${p99.varnish} ms, nginx ${fmt(avg(rps.nginx))} req/s p99 ≤ ${p99.nginx} ms → varnish = ${(ratio * 100).toFixed(1)} % of nginx (target ≥ 80 %) ${ratio >= 0.8 ? 'OK' : 'BELOW TARGET'}`);
    }
  }
  const s = varnish.stats();
  console.log(`varnish counters: cache_hit ${fmt(s['MAIN.cache_hit'] ?? 0)}, cache_miss ${fmt(s['MAIN.cache_miss'] ?? 0)}, backend requests ${fmt(s['MAIN.backend_req'] ?? 0)}; load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
} finally {
  for (const r of stops) await r.stop();
  await fs.rm(klartext.dataDir, { recursive: true, force: true });
}
