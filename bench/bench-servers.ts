// Shared pieces of the benchmarks: a Klartext server in its own process on a fresh demo database, a static server, autocannon.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs/promises';
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../src/testing/free-port.ts';
import autocannon from 'autocannon';

export interface Running { url: string; stop: () => Promise<void> }

async function waitForLine(child: ChildProcess, re: RegExp): Promise<string> {
  return new Promise((resolve, reject) => {
    let buf = '';
    const onData = (d: Buffer) => {
      buf += d.toString();
      const m = re.exec(buf);
      if (m) { child.stdout?.off('data', onData); resolve(m[1]!); }
    };
    child.stdout?.on('data', onData);
    child.once('exit', (code) => reject(new Error(`server exited with ${code}: ${buf.slice(-2000)}`)));
  });
}

/** SIGTERM, and SIGKILL when open requests keep it busy for more than 5 s (a flooded server may never finish them). */
const stopChild = (child: ChildProcess) => new Promise<void>((resolve) => {
  const kill = setTimeout(() => child.kill('SIGKILL'), 5000);
  child.once('exit', () => { clearTimeout(kill); resolve(); });
  child.kill('SIGTERM');
});

/** Starts `klartext serve` on a fresh data dir (seeded with the demo) and a free port; resolves when /healthz answers. */
export async function startKlartext(env: Record<string, string> = {}): Promise<Running & { dataDir: string }> {
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'klartext-bench-'));
  const port = await freePort();
  // BENCH_NODE_ARGS passes flags to the server's node, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof" to profile it.
  const nodeArgs = (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const child = spawn(process.execPath, [...nodeArgs, 'bin/klartext.mjs', 'serve'], {
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', KLARTEXT_DATA_DIR: dataDir, KLARTEXT_PUBLIC_URL: `http://127.0.0.1:${port}`, LOG_LEVEL: 'warn', NODE_ENV: 'production', ...env },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  let exited = false;
  child.once('exit', () => { exited = true; });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 600 && !exited; i++) {
    try { if ((await fetch(`${url}/healthz`)).ok) return { url, dataDir, stop: () => stopChild(child) }; } catch { /* not up yet */ }
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGKILL');
  throw new Error('klartext did not start');
}

/** Serves one fixed body with the same headers a CDN would keep — the ceiling for any dynamic server. */
export async function startStatic(body: Buffer, headers: Record<string, string>): Promise<Running> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'klartext-static-'));
  const file = path.join(dir, 'page.bin');
  await fs.writeFile(file, body);
  const script = `const http=require('node:http');const fs=require('node:fs');const body=fs.readFileSync(${JSON.stringify(file)});const headers=${JSON.stringify(headers)};
const s=http.createServer((req,res)=>{res.writeHead(200,{...headers,'content-length':body.length});res.end(body)});s.listen(0,'127.0.0.1',()=>console.log('PORT '+s.address().port));process.on('SIGTERM',()=>process.exit(0));`;
  const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await waitForLine(child, /PORT (\d+)/);
  return { url: `http://127.0.0.1:${port}`, stop: () => stopChild(child) };
}

const NGINX = ['/usr/sbin/nginx', '/usr/bin/nginx'].find((f) => existsSync(f));

/**
 * nginx (Debian package `nginx-light` or `nginx`), one worker (or `workers`), serving one fixed body at `urlPath` with the given headers:
 * the reference a cached page is measured against. Undefined when nginx is not installed.
 */
export async function startNginx(urlPath: string, body: Buffer, headers: Record<string, string>, o: { workers?: number } = {}): Promise<Running | undefined> {
  if (!NGINX) return undefined;
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'klartext-nginx-'));
  const file = path.join(dir, 'page.bin');
  await fs.writeFile(file, body);
  const port = await freePort();
  const { 'content-type': type = 'text/html', ...rest } = headers;
  const conf = `worker_processes ${o.workers ?? 1}; daemon off; user root; pid ${dir}/nginx.pid; error_log ${dir}/error.log warn;
events { worker_connections 4096; }
http {
  access_log off; sendfile on; tcp_nopush on; keepalive_requests 1000000; etag off; server_tokens off;
  client_body_temp_path ${dir}; proxy_temp_path ${dir}; fastcgi_temp_path ${dir}; uwsgi_temp_path ${dir}; scgi_temp_path ${dir};
  server {
    listen 127.0.0.1:${port};
    location = ${urlPath} {
      types { } default_type ${JSON.stringify(type)};
${Object.entries(rest).map(([k, v]) => `      add_header ${k} ${JSON.stringify(v)} always;`).join('\n')}
      alias ${file};
    }
  }
}
`;
  await fs.writeFile(path.join(dir, 'nginx.conf'), conf);
  const child = spawn(NGINX, ['-c', path.join(dir, 'nginx.conf'), '-e', path.join(dir, 'error.log')], { stdio: ['ignore', 'inherit', 'inherit'] });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 100; i++) {
    try { if ((await fetch(url + urlPath)).ok) return { url, stop: () => stopChild(child) }; } catch { /* not up yet */ }
    await new Promise((r) => setTimeout(r, 50));
  }
  child.kill('SIGKILL');
  throw new Error(`nginx did not start: ${await fs.readFile(path.join(dir, 'error.log'), 'utf8').catch(() => '')}`);
}

export interface LoadResult { rps: number; p50: number; p99: number; errors: number; non2xx: number }
export interface LoadOptions { connections?: number; seconds?: number; method?: string; headers?: Record<string, string>; body?: string }

const WRK = ['/usr/bin/wrk', '/usr/local/bin/wrk'].find((f) => existsSync(f));
/** wrk (C, one thread) when installed and not overridden: it leaves more of the machine to the server than autocannon. */
export const loadTool: 'wrk' | 'autocannon' = WRK && process.env.BENCH_TOOL !== 'autocannon' ? 'wrk' : 'autocannon';

const ms = (v: string, unit: string) => Number(v) * (unit === 'us' ? 0.001 : unit === 's' ? 1000 : 1);

async function loadWithWrk(url: string, o: LoadOptions): Promise<LoadResult> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'klartext-wrk-'));
  const script = path.join(dir, 'request.lua');
  const lua = [`wrk.method = ${JSON.stringify(o.method ?? 'GET')}`, ...(o.body ? [`wrk.body = ${JSON.stringify(o.body)}`] : []),
    ...Object.entries(o.headers ?? {}).map(([k, v]) => `wrk.headers[${JSON.stringify(k)}] = ${JSON.stringify(v)}`)].join('\n');
  await fs.writeFile(script, lua);
  const out = await new Promise<string>((resolve, reject) => {
    const child = spawn(WRK!, ['-t1', `-c${o.connections ?? 50}`, `-d${o.seconds ?? 8}s`, '--latency', '-s', script, url], { stdio: ['ignore', 'pipe', 'inherit'] });
    let text = '';
    child.stdout.on('data', (d) => { text += d; });
    child.once('exit', (code) => (code === 0 ? resolve(text) : reject(new Error(`wrk exited ${code}: ${text}`))));
  });
  await fs.rm(dir, { recursive: true, force: true });
  const pct = (p: string) => { const m = new RegExp(`\\s${p}%\\s+([\\d.]+)(us|ms|s)`).exec(out); return m ? ms(m[1]!, m[2]!) : NaN; };
  const errs = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(out);
  return {
    rps: Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1] ?? 0),
    p50: pct('50'), p99: pct('99'),
    errors: errs ? errs.slice(1).map(Number).reduce((a, b) => a + b, 0) : 0,
    non2xx: Number(/Non-2xx or 3xx responses: (\d+)/.exec(out)?.[1] ?? 0),
  };
}

export async function load(url: string, o: LoadOptions = {}): Promise<LoadResult> {
  if (loadTool === 'wrk') return loadWithWrk(url, o);
  const r = await autocannon({ url, connections: o.connections ?? 50, duration: o.seconds ?? 8, method: (o.method ?? 'GET') as 'GET', headers: o.headers ?? {}, ...(o.body ? { body: o.body } : {}) });
  return { rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, errors: r.errors + r.timeouts, non2xx: r.non2xx };
}

export const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
