// bench:page — the demo's Plus interview served to guests from Klartext's page cache vs the same bytes from nginx and from a minimal Node server.
import { fmt, load, loadTool, startKlartext, startNginx, startStatic, type Running } from './bench-servers.ts';

const SLUG = 'digitalbuero-im-rathaus';
const seconds = Number(process.env.BENCH_SECONDS ?? 8);
const rounds = Number(process.env.BENCH_ROUNDS ?? 2);

const klartext = await startKlartext();
const path = `/artikel/${SLUG}`;
const first = await fetch(klartext.url + path, { headers: { 'accept-encoding': 'br' } });
if (first.status !== 200) throw new Error(`${path} answered ${first.status}`);
const body = Buffer.from(await first.arrayBuffer());
const headers: Record<string, string> = {};
for (const k of ['content-type', 'cache-control', 'etag', 'vary', 'content-encoding']) { const v = first.headers.get(k); if (v) headers[k] = v; }
const nginx = await startNginx(path, body, headers);
if (!nginx) console.log('nginx is not installed (apt-get install nginx-light): comparing with the Node static server only');
const stat = await startStatic(body, headers);
console.log(`page ${path}: ${body.length} bytes (${headers['content-encoding'] ?? 'identity'}), ${seconds}s × ${rounds} rounds each, 50 connections, ${loadTool}`);

const reqHeaders = { 'accept-encoding': 'br, gzip' };
const servers: [string, Running][] = [...(nginx ? [['nginx', nginx] as [string, Running]] : []), ['node static', stat], ['klartext', klartext]];
const results = new Map<string, { rps: number[]; p99: number }>(servers.map(([n]) => [n, { rps: [], p99: 0 }]));
await load(klartext.url + path, { seconds: 2, headers: reqHeaders }); // warm-up
for (let i = 0; i < rounds; i++) {
  const line: string[] = [];
  for (const [name, server] of servers) {
    const r = await load(server.url + path, { seconds, headers: reqHeaders });
    if (r.non2xx) throw new Error(`${name} answered ${r.non2xx} non-2xx responses`);
    const acc = results.get(name)!;
    acc.rps.push(r.rps); acc.p99 = Math.max(acc.p99, r.p99);
    line.push(`${name} ${fmt(r.rps)} req/s (p99 ${r.p99} ms${r.errors ? `, ${r.errors} socket errors` : ''})`);
  }
  console.log(`round ${i + 1}: ${line.join(' | ')}`);
}
const avg = (a: number[]) => a.reduce((x, y) => x + y, 0) / a.length;
const k = avg(results.get('klartext')!.rps);
for (const [name] of servers) console.log(`${name.padEnd(12)} ${fmt(avg(results.get(name)!.rps)).padStart(7)} req/s  p99 ≤ ${results.get(name)!.p99} ms`);
if (nginx) {
  const r = k / avg(results.get('nginx')!.rps);
  console.log(`klartext = ${(r * 100).toFixed(1)} % of nginx (target ≥ 30 %) ${r >= 0.3 ? 'OK' : 'BELOW TARGET'}`);
}
console.log(`klartext = ${((k / avg(results.get('node static')!.rps)) * 100).toFixed(1)} % of the minimal Node server`);
for (const [, s] of servers) await s.stop();
