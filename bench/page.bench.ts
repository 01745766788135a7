// bench:page — the demo's Plus interview served to guests by Klartext vs the same bytes from a minimal static server.
import { fmt, load, loadTool, startKlartext, startStatic } from './bench-servers.ts';

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
const stat = await startStatic(body, headers);
console.log(`page ${path}: ${body.length} bytes (${headers['content-encoding'] ?? 'identity'}), ${seconds}s × ${rounds} rounds each, 50 connections, ${loadTool}`);

const reqHeaders = { 'accept-encoding': 'br, gzip' };
const k: number[] = []; const s: number[] = []; let kp99 = 0; let sp99 = 0;
await load(klartext.url + path, { seconds: 2, headers: reqHeaders }); // warm-up
for (let i = 0; i < rounds; i++) {
  const rs = await load(stat.url + path, { seconds, headers: reqHeaders });
  const rk = await load(klartext.url + path, { seconds, headers: reqHeaders });
  if (rk.errors || rk.non2xx || rs.errors || rs.non2xx) throw new Error(`errors during load: klartext ${rk.errors}/${rk.non2xx}, static ${rs.errors}/${rs.non2xx}`);
  s.push(rs.rps); k.push(rk.rps); sp99 = Math.max(sp99, rs.p99); kp99 = Math.max(kp99, rk.p99);
  console.log(`round ${i + 1}: static ${fmt(rs.rps)} req/s (p99 ${rs.p99} ms) | klartext ${fmt(rk.rps)} req/s (p99 ${rk.p99} ms)`);
}
const avg = (a: number[]) => a.reduce((x, y) => x + y, 0) / a.length;
const ratio = avg(k) / avg(s);
console.log(`static   ${fmt(avg(s))} req/s  p99 ≤ ${sp99} ms`);
console.log(`klartext ${fmt(avg(k))} req/s  p99 ≤ ${kp99} ms`);
console.log(`ratio    ${(ratio * 100).toFixed(1)} % of static (target ≥ 30 %) ${ratio >= 0.3 ? 'OK' : 'BELOW TARGET'}`);
await klartext.stop();
await stat.stop();
