// bench:render-archive — page cache off, the demo beside a 20,000-article SQLite archive (imported in chunks as
// `klartext import` writes them): the same articles on both, an archive article, and walking the archive (each request
// another article, as a crawler or a cold CDN does: no memo of this process holds it yet).
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fmt, load, startKlartext } from './bench-servers.ts';
import { connect, migrate } from '../src/db/index.ts';
import { importDocument, parseInterchange } from '../src/content/index.ts';

const seconds = Number(process.env.BENCH_SECONDS ?? 6);
const rounds = Number(process.env.BENCH_ROUNDS ?? 2);
const CHUNKS = Number(process.env.BENCH_CHUNKS ?? 10);
const SIZE = 2000;
const TOTAL = CHUNKS * SIZE;
const SECTIONS = ['stadt', 'region', 'wirtschaft', 'sport', 'kultur'];
const WORDS = 'Rathaus Brücke Haushalt Schule Verein Kreistag Baustelle Bürgermeisterin Feuerwehr Markt Bahnhof Sommer Winter Gemeinderat Planung Straße Kirche Museum Theater Verkehr'.split(' ');
let seed = 42;
const rnd = () => { seed = (seed * 1103515245 + 12345) % 2 ** 31; return seed / 2 ** 31; };
const sentence = () => Array.from({ length: 12 }, () => WORDS[Math.floor(rnd() * WORDS.length)]).join(' ') + '.';
const accessOf = (n: number) => (n % 5 === 0 ? 'plus' : n % 7 === 0 ? 'registered' : 'free');

function chunk(c: number): string {
  return JSON.stringify({
    articles: Array.from({ length: SIZE }, (_, i) => {
      const n = c * SIZE + i;
      const access = accessOf(n);
      return {
        slug: `archiv-${n}`, section: SECTIONS[n % SECTIONS.length], headline: `Archiv ${n}: ${sentence().slice(0, 60)}`, teaser: sentence(),
        publishedAt: new Date(Date.UTC(2020, 0, 1) + n * 3_600_000).toISOString(), access, ...(access === 'free' ? {} : { paywallAfter: 2 }),
        authors: [`Autorin ${n % 12}`], blocks: Array.from({ length: 6 }, () => ({ type: 'paragraph', text: `${sentence()} ${sentence()} ${sentence()}` })),
      };
    }),
  });
}

// The archive: the demo paper (`klartext seed`), then the generated articles through importDocument.
const archiveDir = await fs.mkdtemp(path.join(os.tmpdir(), 'klartext-bench-archive-'));
const t0 = performance.now();
await new Promise<void>((resolve, reject) => {
  const child = spawn(process.execPath, ['bin/klartext.mjs', 'seed'], { env: { ...process.env, KLARTEXT_DATA_DIR: archiveDir, LOG_LEVEL: 'warn' }, stdio: ['ignore', 'ignore', 'inherit'] });
  child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`klartext seed exited ${code}`))));
});
const store = connect({ dataDir: archiveDir });
await migrate(store);
for (let c = 0; c < CHUNKS; c++) await importDocument(store.db, parseInterchange(chunk(c)), { baseDir: archiveDir, dataDir: archiveDir });
await store.close();
console.log(`archive: demo + ${fmt(TOTAL)} generated articles imported in ${((performance.now() - t0) / 1000).toFixed(0)} s`);

const WRK = ['/usr/bin/wrk', '/usr/local/bin/wrk'].find((f) => existsSync(f));
/** wrk walking the archive: every request another article of the kind (a permutation of 0..TOTAL-1), brotli accepted. */
async function walk(url: string, kind: 'free' | 'plus', offset: number): Promise<number> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'klartext-walk-'));
  const script = path.join(dir, 'walk.lua');
  // n = (k * 4001 + offset) mod TOTAL runs through every article once (4001 is prime to 20,000)
  await fs.writeFile(script, `local k = 0
request = function()
  local n
  repeat n = (k * 4001 + ${offset}) % ${TOTAL}; k = k + 1
  until ${kind === 'plus' ? 'n % 5 == 0' : 'n % 5 ~= 0 and n % 7 ~= 0'}
  return wrk.format("GET", "/artikel/archiv-" .. n, { ["accept-encoding"] = "br, gzip" })
end
`);
  const out = await new Promise<string>((resolve, reject) => {
    const child = spawn(WRK!, ['-t1', '-c50', `-d${seconds}s`, '-s', script, url + '/'], { stdio: ['ignore', 'pipe', 'inherit'] });
    let text = '';
    child.stdout.on('data', (d) => { text += d; });
    child.once('exit', (code) => (code === 0 ? resolve(text) : reject(new Error(`wrk exited ${code}: ${text}`))));
  });
  await fs.rm(dir, { recursive: true, force: true });
  if (/Non-2xx or 3xx responses/.test(out)) throw new Error(`walking the ${kind} archive got non-2xx answers: ${out}`);
  return Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1] ?? 0);
}

const env = { KLARTEXT_PAGE_CACHE_SECONDS: '0' };
const demo = await startKlartext(env);
const archive = await startKlartext({ ...env, KLARTEXT_DATA_DIR: archiveDir });
const reqHeaders = { 'accept-encoding': 'br, gzip' };
type Row = [string, string, 'demo' | 'archive' | 'both'];
const ROWS: Row[] = [
  ['Plus interview', '/artikel/digitalbuero-im-rathaus', 'both'],
  ['free article', '/artikel/muehlentorbruecke-gesperrt', 'both'],
  ['archive Plus article', '/artikel/archiv-100', 'archive'],
  ['archive free article', '/artikel/archiv-101', 'archive'],
];
try {
  for (const [name, p, where] of ROWS) {
    for (const s of where === 'both' ? [demo, archive] : [archive]) {
      const res = await fetch(s.url + p, { headers: reqHeaders });
      if (res.status !== 200) throw new Error(`${name} ${p} answered ${res.status}`);
      if (res.headers.get('x-cache') === 'hit') throw new Error('the page cache is on; this bench needs it off');
      await res.arrayBuffer();
    }
  }
  console.log(`page cache off, ${seconds}s × ${rounds} rounds, 50 connections, demo and archive alternately; load average ${(await fs.readFile('/proc/loadavg', 'utf8')).split(' ').slice(0, 3).join(' ')}`);
  await load(demo.url + ROWS[0]![1], { seconds: 2, headers: reqHeaders });
  await load(archive.url + ROWS[0]![1], { seconds: 2, headers: reqHeaders });
  const rps = new Map<string, number[]>();
  const add = (k: string, v: number) => { (rps.get(k) ?? rps.set(k, []).get(k)!).push(v); };
  for (let i = 0; i < rounds; i++) {
    for (const [name, p, where] of ROWS) {
      const servers = where === 'both' ? (i % 2 ? [['archive', archive], ['demo', demo]] as const : [['demo', demo], ['archive', archive]] as const) : [['archive', archive]] as const;
      for (const [db, s] of servers) {
        const r = await load(s.url + p, { seconds, headers: reqHeaders });
        if (r.non2xx) throw new Error(`${name} answered ${r.non2xx} non-2xx responses`);
        add(`${name}|${db}`, r.rps);
        console.log(`round ${i + 1}: ${name.padEnd(22)} ${db.padEnd(8)} ${fmt(r.rps).padStart(6)} req/s (p50 ${r.p50} ms, p99 ${r.p99} ms)`);
      }
    }
    if (WRK) {
      for (const kind of ['free', 'plus'] as const) {
        // each round walks articles no earlier round asked for: a Plus article's first render makes its content key and decoy
        const r = await walk(archive.url, kind, 7 + i * 997);
        add(`walking the archive (${kind})|archive`, r);
        console.log(`round ${i + 1}: walking the archive (${kind.padEnd(4)}) ${fmt(r).padStart(6)} req/s (each request another article)`);
      }
    }
  }
  if (!WRK) console.log('walking the archive needs wrk (Debian package wrk): skipped');
  const avg = (k: string) => { const a = rps.get(k); return a ? a.reduce((x, y) => x + y, 0) / a.length : NaN; };
  console.log('--- averages');
  for (const [name, , where] of ROWS) {
    if (where === 'both') console.log(`${name.padEnd(24)} demo ${fmt(avg(`${name}|demo`)).padStart(6)} req/s | ${fmt(TOTAL)}-article archive ${fmt(avg(`${name}|archive`)).padStart(6)} req/s (${((100 * avg(`${name}|archive`)) / avg(`${name}|demo`)).toFixed(0)} %)`);
    else console.log(`${name.padEnd(24)} ${fmt(avg(`${name}|archive`)).padStart(6)} req/s`);
  }
  for (const kind of ['free', 'plus']) if (rps.has(`walking the archive (${kind})|archive`)) console.log(`${`walking the archive (${kind})`.padEnd(24)} ${fmt(avg(`walking the archive (${kind})|archive`)).padStart(6)} req/s`);
} finally {
  await demo.stop();
  await archive.stop();
  await fs.rm(archiveDir, { recursive: true, force: true });
}
