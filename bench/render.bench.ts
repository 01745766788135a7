// bench:render — pages rendered with the page cache off (an old archive article misses every cache): Plus interview, free article, front page.
import { fmt, load, loadTool, startKlartext } from './bench-servers.ts';

const seconds = Number(process.env.BENCH_SECONDS ?? 8);
const rounds = Number(process.env.BENCH_ROUNDS ?? 2);
const PAGES: [string, string, number][] = [
  ['Plus interview', '/artikel/digitalbuero-im-rathaus', 2000], // issue 11: free and Plus ≥ 2,000
  ['free article', '/artikel/muehlentorbruecke-gesperrt', 2000],
  ['front page', '/', 1500],
];

const klartext = await startKlartext({ KLARTEXT_PAGE_CACHE_SECONDS: '0' });
try {
const reqHeaders = { 'accept-encoding': 'br, gzip' };
for (const [name, path] of PAGES) {
  const res = await fetch(klartext.url + path, { headers: reqHeaders });
  if (res.status !== 200) throw new Error(`${name} ${path} answered ${res.status}`);
  if (res.headers.get('x-cache') === 'hit') throw new Error('the page cache is on; this bench needs it off');
  await res.arrayBuffer();
}
console.log(`page cache off, ${seconds}s × ${rounds} rounds each, 50 connections, ${loadTool}`);
await load(klartext.url + PAGES[0]![1], { seconds: 2, headers: reqHeaders }); // warm-up
const rps = new Map<string, number[]>(PAGES.map(([n]) => [n, []]));
for (let i = 0; i < rounds; i++) {
  for (const [name, path] of PAGES) {
    const r = await load(klartext.url + path, { seconds, headers: reqHeaders });
    rps.get(name)!.push(r.rps);
    // A socket time-out on a loaded machine is reported, not fatal; a wrong status is.
    if (r.non2xx) throw new Error(`${name} answered ${r.non2xx} non-2xx responses`);
    console.log(`round ${i + 1}: ${name.padEnd(15)} ${fmt(r.rps).padStart(6)} req/s (p50 ${r.p50} ms, p99 ${r.p99} ms)${r.errors ? `, ${r.errors} socket errors` : ''}`);
  }
}
for (const [name, , target] of PAGES) {
  const a = rps.get(name)!; const avg = a.reduce((x, y) => x + y, 0) / a.length;
  console.log(`${name.padEnd(15)} ${fmt(avg).padStart(6)} req/s (target ≥ ${fmt(target)}) ${avg >= target ? 'OK' : 'BELOW TARGET'}`);
}
} finally {
  await klartext.stop();
}
