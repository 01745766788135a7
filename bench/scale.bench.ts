// bench:scale — a generated big paper beside the demo, in one run: generation time, uncached guest pages, a section page
// 2,000 deep, search, login, unlock (p99 each), server RSS, and importing 2,000 articles into the big vs an empty database.
// PostgreSQL: 100,000 articles / 1,000,000 readers / 200,000 subscriptions in a database of its own (dropped at the end);
// SQLite: the same pages, search and import at 100,000 articles.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { connect, migrate } from '../src/db/index.ts';
import { importDocument, parseInterchange } from '../src/content/index.ts';
import { GENERATED_PASSWORD, generatedReaderEmail } from '../src/demo/index.ts';
import { freePort } from '../src/testing/free-port.ts';
import { fmt, load, loadTool } from './bench-servers.ts';

const PG_URL = process.env.DATABASE_URL_TEST ?? 'postgres://postgres@127.0.0.1:5432/test';
const ARTICLES = Number(process.env.BENCH_ARTICLES ?? 100_000);
const READERS = Number(process.env.BENCH_READERS ?? 1_000_000);
const SUBSCRIPTIONS = Number(process.env.BENCH_SUBSCRIPTIONS ?? 200_000);
const SQLITE_ARTICLES = Number(process.env.BENCH_SQLITE_ARTICLES ?? 100_000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 6);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
const LOGINS = Number(process.env.BENCH_LOGINS ?? 20);
const CONNECTIONS = 10;
const IMPORT_SIZE = 2000;
const engines = (process.env.BENCH_ENGINES ?? 'postgres,sqlite').split(',');

const loadavg = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
const say = (s: string) => console.log(s);

interface Server { name: string; url: string; pid: number; stop: () => Promise<void> }

/** `klartext serve` in its own process (page cache off, hashing not rate-limited, one proxy trusted so logins can name their address). */
async function serve(name: string, env: Record<string, string>): Promise<Server> {
  const port = await freePort();
  const child: ChildProcess = spawn(process.execPath, ['bin/klartext.mjs', 'serve'], {
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', KLARTEXT_PUBLIC_URL: `http://127.0.0.1:${port}`, LOG_LEVEL: 'warn', NODE_ENV: 'production',
      KLARTEXT_PAGE_CACHE_SECONDS: '0', KLARTEXT_HASH_PER_SECOND: '1000', KLARTEXT_HASH_QUEUE: '1000', KLARTEXT_TRUST_PROXY: '1', ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  let exited = false;
  child.once('exit', () => { exited = true; });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 1200 && !exited; i++) {
    try {
      if ((await fetch(`${url}/healthz`)).ok) {
        return {
          name, url, pid: child.pid!,
          stop: () => new Promise<void>((resolve) => {
            if (exited) { resolve(); return; }
            const kill = setTimeout(() => child.kill('SIGKILL'), 5000);
            child.once('exit', () => { clearTimeout(kill); resolve(); });
            child.kill('SIGTERM');
          }),
        };
      }
    } catch { /* not up yet */ }
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGKILL');
  throw new Error(`${name}: klartext did not start`);
}

/** The klartext command with the given environment; seconds it took. */
function cli(env: Record<string, string>, args: string[]): Promise<{ seconds: number; out: string }> {
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['bin/klartext.mjs', ...args], { env: { ...process.env, LOG_LEVEL: 'warn', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => { out += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { out += d.toString(); });
    child.once('exit', (code) => (code === 0 ? resolve({ seconds: (performance.now() - t0) / 1000, out }) : reject(new Error(`klartext ${args.join(' ')} exited ${code}: ${out}`))));
  });
}

/** Forgets a process's peak RSS (Linux: 5 → clear_refs resets VmHWM), so the peak read later is the load's, not the start's (esbuild bundling the client). */
const resetPeak = (pid: number): boolean => { try { writeFileSync(`/proc/${pid}/clear_refs`, '5'); return true; } catch { return false; } };

const rssOf = (pid: number): { rss: number; peak: number } => {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (k: string) => Number(new RegExp(`${k}:\\s+(\\d+)`).exec(status)?.[1] ?? 0) / 1024;
  return { rss: kb('VmRSS'), peak: kb('VmHWM') };
};

/** A path that answers 200: a redirect (old ?seite=N links go to their keyset URL) is followed once. */
async function resolvePath(s: Server, p: string): Promise<string> {
  const res = await fetch(s.url + p, { redirect: 'manual' });
  await res.arrayBuffer();
  if (res.status >= 300 && res.status < 400) return resolvePath(s, new URL(res.headers.get('location')!, s.url).pathname + new URL(res.headers.get('location')!, s.url).search);
  if (res.status !== 200) throw new Error(`${s.name} ${p} answered ${res.status}`);
  return p;
}

interface Figure { rps: number[]; p50: number[]; p99: number[]; errors: number; non2xx: number }
const figure = (): Figure => ({ rps: [], p50: [], p99: [], errors: 0, non2xx: 0 });
const avg = (a: number[]) => a.reduce((x, y) => x + y, 0) / Math.max(a.length, 1);
const max = (a: number[]) => Math.max(...a);

/** Loads each server's path in turn, ROUNDS times (big and baseline alternating, so both see the same machine). */
async function compare(label: string, pairs: [Server, string, { method?: string; headers?: Record<string, string>; body?: string }?][]): Promise<Figure[]> {
  const figs = pairs.map(() => figure());
  for (const [s, p, o] of pairs) await load(s.url + p, { seconds: 1, connections: CONNECTIONS, ...o }); // warm-up
  for (let r = 0; r < ROUNDS; r++) {
    for (const [i, [s, p, o]] of pairs.entries()) {
      const res = await load(s.url + p, { seconds: SECONDS, connections: CONNECTIONS, headers: { 'accept-encoding': 'br, gzip' }, ...o });
      // wrk leaves requests slower than its 2 s timeout out of the percentiles: they count as errors, and as 2 s at least
      const slow = res.errors > 0 ? 2000 : 0;
      figs[i]!.rps.push(res.rps); figs[i]!.p50.push(Math.max(res.p50 || 0, res.rps < 1 ? slow : 0)); figs[i]!.p99.push(Math.max(res.p99 || 0, slow));
      figs[i]!.errors += res.errors;
      figs[i]!.non2xx += res.non2xx; // e.g. 503 when the database pool is exhausted: reported, the run goes on
    }
  }
  const [big, base] = figs;
  const ratio = base ? max(big!.p99) / max(base.p99) : NaN;
  say(`${label.padEnd(30)} ${pairs.map(([s], i) => `${s.name} ${fmt(avg(figs[i]!.rps)).padStart(5)} req/s p50 ${avg(figs[i]!.p50).toFixed(1)} ms p99 ${max(figs[i]!.p99) >= 2000 && figs[i]!.errors ? `≥ 2000 ms (${figs[i]!.errors} timeouts)` : `${max(figs[i]!.p99).toFixed(1)} ms`}${figs[i]!.non2xx ? ` (${figs[i]!.non2xx} non-2xx)` : ''}`).join(' | ')}`
    + (base ? ` | p99 ratio ${ratio.toFixed(2)}× ${ratio <= 1.5 ? 'OK' : 'ABOVE 1.5×'}` : ''));
  return figs;
}

/** Logs `readers` in one after another through the form (each from its own address), timing the POST; p99 and median. */
async function logins(s: Server, readers: number[]): Promise<number[]> {
  const ms: number[] = [];
  for (const n of readers) {
    const form = await fetch(`${s.url}/anmelden`);
    const cookie = form.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
    const csrf = /name="_csrf" value="([^"]+)"/.exec(await form.text())![1]!;
    const t = performance.now();
    const res = await fetch(`${s.url}/anmelden`, {
      method: 'POST', redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie, origin: s.url, 'x-forwarded-for': `10.9.${n >> 8 & 255}.${n & 255}` },
      body: new URLSearchParams({ _csrf: csrf, email: generatedReaderEmail(n), password: GENERATED_PASSWORD }).toString(),
    });
    ms.push(performance.now() - t);
    if (res.status !== 303) throw new Error(`${s.name}: login of reader ${n} answered ${res.status}`);
  }
  return ms;
}

const pct = (a: number[], p: number) => { const s = [...a].sort((x, y) => x - y); return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!; };

async function compareLogins(big: Server, base: Server): Promise<void> {
  const a: number[] = []; const b: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    const readers = Array.from({ length: LOGINS }, (_, i) => 2 + r * LOGINS + i);
    a.push(...await logins(big, readers));
    b.push(...await logins(base, readers));
  }
  const ratio = pct(a, 99) / pct(b, 99);
  say(`${'login (argon2id, one at a time)'.padEnd(30)} ${big.name} p50 ${pct(a, 50).toFixed(1)} ms p99 ${pct(a, 99).toFixed(1)} ms | ${base.name} p50 ${pct(b, 50).toFixed(1)} ms p99 ${pct(b, 99).toFixed(1)} ms`
    + ` | p99 ratio ${ratio.toFixed(2)}× ${ratio <= 1.5 ? 'OK' : 'ABOVE 1.5×'} (${a.length} logins each)`);
}

/** A subscriber's session (reader 1 has Plus) and the unlock request for a Plus article page. */
async function unlockRequest(s: Server, articlePath: string): Promise<[string, { method: string; headers: Record<string, string>; body: string }]> {
  const form = await fetch(`${s.url}/anmelden`);
  const anon = form.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  const csrf = /name="_csrf" value="([^"]+)"/.exec(await form.text())![1]!;
  const login = await fetch(`${s.url}/anmelden`, {
    method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: anon, origin: s.url, 'x-forwarded-for': '10.8.0.1' },
    body: new URLSearchParams({ _csrf: csrf, email: generatedReaderEmail(1), password: GENERATED_PASSWORD }).toString(),
  });
  const session = login.headers.getSetCookie().map((c) => c.split(';')[0]!).find((c) => c.startsWith('klartext_session='));
  if (!session) throw new Error(`${s.name}: subscriber login failed (${login.status})`);
  const html = await (await fetch(s.url + articlePath)).text();
  const articleId = /data-article-id="([^"]+)"/.exec(html)![1]!;
  const keyId = /data-key-id="([^"]+)"/.exec(html)![1]!;
  const o = { method: 'POST', headers: { 'content-type': 'application/json', 'x-klartext-csrf': '1', cookie: session, origin: s.url, 'sec-fetch-site': 'same-origin' }, body: JSON.stringify({ keyId }) };
  const check = (await (await fetch(`${s.url}/api/unlock/${articleId}`, o)).json()) as { reason?: string };
  if (check.reason !== 'subscriber') throw new Error(`${s.name}: unlock did not grant as subscriber: ${JSON.stringify(check)}`);
  return [`/api/unlock/${articleId}`, o];
}

/** 2,000 archive articles in the interchange format, with slugs of their own per call. */
function importChunk(tag: string): string {
  const words = 'Rathaus Brücke Haushalt Schule Verein Kreistag Baustelle Bürgermeisterin Feuerwehr Markt Bahnhof Sommer Winter Gemeinderat'.split(' ');
  const sentence = (n: number, k: number) => Array.from({ length: 12 }, (_, i) => words[(n * 7 + k * 3 + i * 5) % words.length]).join(' ') + '.';
  return JSON.stringify({
    articles: Array.from({ length: IMPORT_SIZE }, (_, n) => ({
      slug: `import-${tag}-${n}`, section: ['stadt', 'region', 'sport', 'kultur'][n % 4], headline: `Import ${tag} ${n}: ${sentence(n, 0).slice(0, 50)}`, teaser: sentence(n, 1),
      publishedAt: new Date(Date.UTC(2019, 0, 1) + n * 3_600_000).toISOString(), access: n % 3 === 0 ? 'plus' : 'free', ...(n % 3 === 0 ? { paywallAfter: 2 } : {}),
      authors: [`Autorin ${n % 12}`], blocks: Array.from({ length: 6 }, (_, k) => ({ type: 'paragraph', text: `${sentence(n, k)} ${sentence(n, k + 1)} ${sentence(n, k + 2)}` })),
    })),
  });
}

async function timeImport(databaseUrl: string, dataDir: string, tag: string): Promise<number> {
  const store = connect({ databaseUrl, dataDir });
  await migrate(store);
  const doc = parseInterchange(importChunk(tag));
  const t0 = performance.now();
  await importDocument(store.db, doc, { baseDir: dataDir, dataDir });
  const s = (performance.now() - t0) / 1000;
  await store.close();
  return s;
}

async function compareImports(label: string, big: [string, string], empty: [string, string]): Promise<void> {
  const b: number[] = []; const e: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    e.push(await timeImport(empty[0], empty[1], `leer-${r}`));
    b.push(await timeImport(big[0], big[1], `gross-${r}`));
  }
  const ratio = avg(b) / avg(e);
  say(`${label.padEnd(30)} big ${b.map((x) => x.toFixed(1)).join(' / ')} s | empty ${e.map((x) => x.toFixed(1)).join(' / ')} s | ratio ${ratio.toFixed(2)}× ${ratio <= 2 ? 'OK' : 'ABOVE 2×'}`);
}

/** The Plus article `depth` articles back in the archive, and a search word generated text and the demo both use. */
async function plusArticleAt(s: Server, depth: number, db: { url: string; dataDir: string }): Promise<string> {
  const store = connect({ databaseUrl: db.url, dataDir: db.dataDir });
  const row = await store.db.selectFrom('articles').select('slug').where('access', '=', 'plus').where('live', '=', 1).orderBy('published_at', 'desc').offset(depth).limit(1).executeTakeFirstOrThrow();
  await store.close();
  return `/artikel/${row.slug}`;
}

const SEARCH = '/suche?q=Haushalt';
const DEMO_PLUS = '/artikel/digitalbuero-im-rathaus';

async function benchPair(engine: string, articles: number, big: Server, base: Server, bigDb: { url: string; dataDir: string }, withAccounts: boolean): Promise<void> {
  say(`\n${engine}: ${big.name} vs ${base.name}; page cache off; ${SECONDS}s × ${ROUNDS} rounds, ${CONNECTIONS} connections, ${loadTool}; load average ${loadavg()}`);
  const startRss = [big, base].map((s) => rssOf(s.pid));
  const peaksReset = [big, base].map((s) => resetPeak(s.pid)).every(Boolean);
  const deepPlus = await plusArticleAt(big, Math.floor(articles * 0.35 / 2), bigDb);
  // 2,000 pages of 12 deep into Stadt (a quarter of the articles); smaller papers: as deep as the section goes
  const page = Math.max(2, Math.min(2000, Math.floor((articles * 0.24) / 12)));
  const deep = await resolvePath(big, `/stadt?seite=${page}`);
  await compare('front page /', [[big, '/'], [base, '/']]);
  await compare('Plus article (archive | demo)', [[big, deepPlus], [base, DEMO_PLUS]]);
  await compare(`section page ${page} | page 1`, [[big, deep], [base, '/stadt']]);
  say(`  (big: /stadt?seite=${page} → ${deep.slice(0, 60)}…)`);
  await compare(`search ${SEARCH}`, [[big, SEARCH], [base, SEARCH]]);
  if (withAccounts) {
    await compareLogins(big, base);
    const [bigUnlock, bigO] = await unlockRequest(big, deepPlus);
    const [baseUnlock, baseO] = await unlockRequest(base, DEMO_PLUS);
    await compare('unlock (subscriber)', [[big, bigUnlock, bigO], [base, baseUnlock, baseO]]);
  }
  for (const [i, s] of [big, base].entries()) {
    const m = rssOf(s.pid);
    say(`RSS ${s.name}: after the load ${m.rss.toFixed(0)} MB, peak ${peaksReset ? 'during the load' : 'since start'} ${m.peak.toFixed(0)} MB (target ≤ 300 MB) ${m.peak <= 300 ? 'OK' : 'ABOVE'}; `
      + `peak of the start (client bundling${s === base ? ', demo photos' : ''}) ${startRss[i]!.peak.toFixed(0)} MB`);
  }
}

async function postgres(): Promise<void> {
  const tag = randomBytes(3).toString('hex');
  const names = { big: `klartext_scale_big_${tag}`, demo: `klartext_scale_demo_${tag}`, empty: `klartext_scale_empty_${tag}` };
  const urlOf = (db: string) => PG_URL.replace(/\/[^/?]*(\?|$)/, `/${db}$1`);
  const admin = new pg.Client({ connectionString: PG_URL });
  await admin.connect();
  const dirs = { big: await fs.mkdtemp(path.join(os.tmpdir(), 'klartext-scale-big-')), demo: await fs.mkdtemp(path.join(os.tmpdir(), 'klartext-scale-demo-')), empty: await fs.mkdtemp(path.join(os.tmpdir(), 'klartext-scale-empty-')) };
  const servers: Server[] = [];
  try {
    for (const db of Object.values(names)) await admin.query(`create database ${db}`);
    say(`postgres: generating ${ARTICLES} articles, ${READERS} readers, ${SUBSCRIPTIONS} subscriptions; load average ${loadavg()}`);
    const gen = await cli({ DATABASE_URL: urlOf(names.big), KLARTEXT_DATA_DIR: dirs.big }, ['demo', 'generate', '--articles', String(ARTICLES), '--readers', String(READERS), '--subscriptions', String(SUBSCRIPTIONS)]);
    say(gen.out.trim().split('\n').map((l) => `  ${l}`).join('\n'));
    say(`generation (whole command) ${gen.seconds.toFixed(1)} s (target ≤ 600 s) ${gen.seconds <= 600 ? 'OK' : 'ABOVE'}; load average ${loadavg()}`);
    const an = new pg.Client({ connectionString: urlOf(names.big) });
    await an.connect(); await an.query('analyze'); await an.end();
    const big = await serve('big paper', { DATABASE_URL: urlOf(names.big), KLARTEXT_DATA_DIR: dirs.big });
    servers.push(big);
    const demo = await serve('demo', { DATABASE_URL: urlOf(names.demo), KLARTEXT_DATA_DIR: dirs.demo });
    servers.push(demo);
    // the demo's readers: generated the same way (same password hash cost), next to the demo newspaper
    await cli({ DATABASE_URL: urlOf(names.demo), KLARTEXT_DATA_DIR: dirs.demo }, ['demo', 'generate', '--articles', '0', '--readers', String(2 + ROUNDS * LOGINS), '--subscriptions', '1', '--force']);
    await benchPair('postgres', ARTICLES, big, demo, { url: urlOf(names.big), dataDir: dirs.big }, true);
    await compareImports('import 2,000 (big | empty)', [urlOf(names.big), dirs.big], [urlOf(names.empty), dirs.empty]);
  } finally {
    for (const s of servers) await s.stop();
    for (const db of Object.values(names)) await admin.query(`drop database if exists ${db} with (force)`).catch((e: Error) => say(`drop ${db}: ${e.message}`));
    await admin.end();
    for (const d of Object.values(dirs)) await fs.rm(d, { recursive: true, force: true });
  }
}

async function sqlite(): Promise<void> {
  const dirs = { big: await fs.mkdtemp(path.join(os.tmpdir(), 'klartext-scale-sqlite-big-')), demo: await fs.mkdtemp(path.join(os.tmpdir(), 'klartext-scale-sqlite-demo-')), empty: await fs.mkdtemp(path.join(os.tmpdir(), 'klartext-scale-sqlite-empty-')) };
  const servers: Server[] = [];
  try {
    const readers = Math.min(READERS, SQLITE_ARTICLES);
    say(`\nsqlite: generating ${SQLITE_ARTICLES} articles, ${readers} readers, ${Math.floor(readers / 5)} subscriptions; load average ${loadavg()}`);
    const gen = await cli({ KLARTEXT_DATA_DIR: dirs.big }, ['demo', 'generate', '--articles', String(SQLITE_ARTICLES), '--readers', String(readers), '--subscriptions', String(Math.floor(readers / 5))]);
    say(gen.out.trim().split('\n').map((l) => `  ${l}`).join('\n'));
    say(`generation (whole command) ${gen.seconds.toFixed(1)} s`);
    const big = await serve('big paper', { KLARTEXT_DATA_DIR: dirs.big });
    servers.push(big);
    const demo = await serve('demo', { KLARTEXT_DATA_DIR: dirs.demo });
    servers.push(demo);
    await benchPair('sqlite', SQLITE_ARTICLES, big, demo, { url: `sqlite:${path.join(dirs.big, 'klartext.sqlite')}`, dataDir: dirs.big }, false);
    for (const s of servers.splice(0)) await s.stop(); // one writer: the import runs with no server on the file
    await compareImports('import 2,000 (big | empty)', [`sqlite:${path.join(dirs.big, 'klartext.sqlite')}`, dirs.big], [`sqlite:${path.join(dirs.empty, 'klartext.sqlite')}`, dirs.empty]);
  } finally {
    for (const s of servers) await s.stop();
    for (const d of Object.values(dirs)) await fs.rm(d, { recursive: true, force: true });
  }
}

if (engines.includes('postgres')) await postgres();
if (engines.includes('sqlite')) await sqlite();
say(`\nload average at the end ${loadavg()}`);
