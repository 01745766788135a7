// Real Varnish and real Klartext processes for tests and benchmarks: varnishd with the shipped VCL in its own work dir, servers on free ports.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import fs from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { freePort } from './free-port.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
/**
 * The shipped configuration: deploy/varnish/klartext.vcl and the deployment part it includes, backends.vcl.
 * KLARTEXT_TEST_VCL_DIR points the tests at another copy (mutation checks: remove a rule there, watch a test fail).
 */
export const VCL_DIR = process.env.KLARTEXT_TEST_VCL_DIR ?? path.join(ROOT, 'deploy/varnish');
export const VARNISHD = ['/usr/sbin/varnishd', '/usr/bin/varnishd'].find((f) => existsSync(f));

/** `raw` is the body as sent (compressed when the answer says so), `body` the text a browser would see. */
export interface HttpAnswer { status: number; headers: http.IncomingHttpHeaders; body: string; raw: Buffer }
export interface HttpOptions { method?: string; headers?: Record<string, string>; body?: string; localAddress?: string }

/** One request over a fresh connection (optionally from another loopback address), gzip answers decoded as a browser would. */
export function request(url: string, o: HttpOptions = {}): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, {
      method: o.method ?? 'GET', agent: false, ...(o.localAddress ? { localAddress: o.localAddress } : {}),
      headers: { 'accept-encoding': 'gzip', ...(o.body !== undefined ? { 'content-length': String(Buffer.byteLength(o.body)) } : {}), ...o.headers },
    }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (d: Buffer) => chunks.push(d));
      res.on('end', () => {
        const raw = Buffer.concat(chunks);
        const buf = res.headers['content-encoding'] === 'gzip' && raw.length ? zlib.gunzipSync(raw) : raw;
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: buf.toString('utf8'), raw });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.setTimeout(15_000, () => req.destroy(new Error(`no answer from ${url} within 15 s`)));
    req.end(o.body);
  });
}

/** A Klartext server process; `output` holds everything it logged (JSON lines at LOG_LEVEL=warn). */
export interface KlartextProcess { url: string; port: number; output: () => string; stop: () => Promise<void> }

const stopChild = (child: ChildProcess) => new Promise<void>((resolve) => {
  if (child.exitCode !== null || child.signalCode !== null) { resolve(); return; }
  const kill = setTimeout(() => child.kill('SIGKILL'), 5000);
  child.once('exit', () => { clearTimeout(kill); resolve(); });
  child.kill('SIGTERM');
});

/** `klartext serve` with the given environment on a free port; resolves once /healthz answers 200. */
export async function startKlartextProcess(env: Record<string, string>): Promise<KlartextProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, [path.join(ROOT, 'bin/klartext.mjs'), 'serve'], {
    cwd: ROOT, env: { ...process.env, HOST: '127.0.0.1', LOG_LEVEL: 'warn', ...env, PORT: String(port) }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d) => { out += d; });
  child.stderr!.on('data', (d) => { out += d; });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 1200 && child.exitCode === null; i++) {
    try { if ((await request(`${url}/healthz`)).status === 200) return { url, port, output: () => out, stop: () => stopChild(child) }; } catch { /* not up yet */ }
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGKILL');
  throw new Error(`klartext did not start: ${out.slice(-2000)}`);
}

export interface RunningVarnish { url: string; port: number; workDir: string; stop: () => Promise<void>; stats: () => Record<string, number> }

/**
 * varnishd in the foreground (-F) with its own -n work dir under the temp dir and a free port, running the shipped
 * klartext.vcl with backends.vcl rewritten to the given Klartext ports (and, while a server has no /readyz, probing
 * /healthz, its alias), with http_gzip_support off as docs/deployment.md says. `vcl` replaces the main VCL's text (mutation checks). Resolves once a backend is healthy.
 */
export async function startVarnish(o: { backends: readonly number[]; port?: number; probePath?: string; vcl?: string; extraArgs?: string[] }): Promise<RunningVarnish> {
  if (!VARNISHD) throw new Error('varnishd is not installed (Debian: apt-get install varnish varnish-modules)');
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'klartext-varnish-'));
  // varnishd drops to its own users (vcache, varnish) to compile and run: they must read the VCL files
  await fs.chmod(dir, 0o755);
  let backends = await fs.readFile(path.join(VCL_DIR, 'backends.vcl'), 'utf8');
  const names = [...backends.matchAll(/^backend (\w+) \{[\s\S]*?^\}\n/gm)];
  if (names.length < 1) throw new Error('backends.vcl names no backend');
  // one backend block per port, copied from the first one
  const template = names[0]![0];
  const blocks = o.backends.map((port, i) => template.replace(/^backend \w+/, `backend klartext${i + 1}`).replace(/\.port = "\d+";/, `.port = "${port}";`)).join('\n');
  backends = backends.replace(/^backend \w+ \{[\s\S]*?^\}\n(\n?backend \w+ \{[\s\S]*?^\}\n)*/m, blocks)
    .replace(/(new klartext = directors\.round_robin\(\);\n)(\s*klartext\.add_backend\(\w+\);\n)+/, (_, head: string) => head + o.backends.map((_p, i) => `    klartext.add_backend(klartext${i + 1});\n`).join(''));
  if (o.probePath) backends = backends.replace('GET /readyz HTTP/1.1', `GET ${o.probePath} HTTP/1.1`);
  await fs.writeFile(path.join(dir, 'backends.vcl'), backends, { mode: 0o644 });
  await fs.writeFile(path.join(dir, 'klartext.vcl'), o.vcl ?? await fs.readFile(path.join(VCL_DIR, 'klartext.vcl'), 'utf8'), { mode: 0o644 });
  const port = o.port ?? await freePort();
  const workDir = path.join(dir, 'n');
  const child = spawn(VARNISHD, ['-F', '-n', workDir, '-a', `127.0.0.1:${port}`, '-T', 'none', '-f', path.join(dir, 'klartext.vcl'), '-s', 'malloc,64m', '-p', 'auto_restart=off', '-p', 'http_gzip_support=off', ...(o.extraArgs ?? [])], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d) => { out += d; });
  child.stderr!.on('data', (d) => { out += d; });
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => { await stopChild(child); await fs.rm(dir, { recursive: true, force: true }); };
  for (let i = 0; i < 300 && child.exitCode === null; i++) {
    try { if ((await request(`${url}/robots.txt`)).status === 200) {
      return { url, port, workDir, stop, stats: () => varnishStats(workDir) };
    } } catch { /* not up yet */ }
    await new Promise((r) => setTimeout(r, 100));
  }
  await stop();
  throw new Error(`varnishd did not start or no backend became healthy: ${out.slice(-3000)}`);
}

/** The MAIN.* and XKEY counters of a running varnishd (varnishstat -1 -j). */
export function varnishStats(workDir: string): Record<string, number> {
  const r = spawnSync('varnishstat', ['-n', workDir, '-1', '-j'], { encoding: 'utf8' });
  if (r.status !== 0) return {};
  const json = JSON.parse(r.stdout) as { counters?: Record<string, { value: number }> } & Record<string, { value: number }>;
  const counters = json.counters ?? json;
  return Object.fromEntries(Object.entries(counters).filter(([, v]) => typeof v === 'object' && v && 'value' in v).map(([k, v]) => [k, v.value]));
}

export const NGINX_CONF = path.join(ROOT, 'deploy/nginx/klartext.conf');
export const NGINX = ['/usr/sbin/nginx', '/usr/bin/nginx'].find((f) => existsSync(f));

/**
 * The shipped deploy/nginx/klartext.conf, rewritten to the given Klartext ports, a free port and a cache dir under the
 * temp dir, wrapped in a minimal nginx.conf; `check` only runs `nginx -t` on it. Undefined when nginx is not installed.
 */
export async function startNginxProxy(o: { backends: readonly number[]; check?: boolean }): Promise<(RunningVarnish & { checked: string }) | undefined> {
  if (!NGINX) return undefined;
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'klartext-nginx-proxy-'));
  const port = await freePort();
  const conf = (await fs.readFile(NGINX_CONF, 'utf8'))
    .replace('/var/cache/nginx/klartext', path.join(dir, 'cache'))
    .replace(/listen 80;/, `listen 127.0.0.1:${port};`)
    .replace(/(upstream klartext \{\n)(\s*server [^\n]+\n)+/, (_, head: string) => head + o.backends.map((p) => `    server 127.0.0.1:${p} max_fails=3 fail_timeout=10s;\n`).join(''));
  await fs.writeFile(path.join(dir, 'klartext.conf'), conf);
  const temp = ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((t) => `${t}_temp_path ${dir};`).join(' ');
  await fs.writeFile(path.join(dir, 'nginx.conf'), `worker_processes 1; daemon off; user root; pid ${dir}/nginx.pid; error_log ${dir}/error.log warn;
events { worker_connections 1024; }
http { access_log off; ${temp} include ${path.join(dir, 'klartext.conf')}; }
`);
  const args = ['-c', path.join(dir, 'nginx.conf'), '-e', path.join(dir, 'error.log')];
  if (o.check) {
    const r = spawnSync(NGINX, ['-t', ...args], { encoding: 'utf8' });
    await fs.rm(dir, { recursive: true, force: true });
    return { url: '', port: 0, workDir: dir, stop: async () => {}, stats: () => ({}), checked: `${r.status}: ${r.stderr}` };
  }
  const child = spawn(NGINX, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => { await stopChild(child); await fs.rm(dir, { recursive: true, force: true }); };
  for (let i = 0; i < 100; i++) {
    try { if ((await request(`${url}/robots.txt`)).status === 200) return { url, port, workDir: dir, stop, stats: () => ({}), checked: '' }; } catch { /* not up yet */ }
    await new Promise((r) => setTimeout(r, 50));
  }
  await stop();
  throw new Error('nginx did not start');
}
