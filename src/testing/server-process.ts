// For multi-process tests: real `klartext serve` processes on one PostgreSQL test schema, and a browser that can switch between them.
import { spawn, type ChildProcess } from 'node:child_process';
import type { Hono } from 'hono';
import { TestBrowser } from './test-browser.ts';

export interface ServerProcess {
  url: string;
  port: number;
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
  /** SIGTERM, and SIGKILL when it has not ended after 10 s */
  stop(): Promise<void>;
}

/** A postgres:// URL whose connections use `schema` (libpq's `options` parameter, which the pg driver passes on). */
export function urlWithSchema(databaseUrl: string, schema: string): string {
  const u = new URL(databaseUrl);
  u.searchParams.set('options', `-c search_path=${schema}`);
  return u.toString();
}

/** Starts `klartext serve` (argv e.g. ['--workers', '2']) and resolves once /healthz answers 200. */
export async function startServeProcess(env: Record<string, string>, argv: string[] = []): Promise<ServerProcess> {
  const child = spawn(process.execPath, ['bin/klartext.mjs', 'serve', ...argv], {
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', NODE_ENV: 'development', KLARTEXT_HASH_PER_SECOND: '1000', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (d) => { output += d; });
  child.stderr!.on('data', (d) => { output += d; });
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const kill = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.kill('SIGTERM');
    await exited;
    clearTimeout(kill);
  };
  for (let i = 0; i < 1200 && child.exitCode === null; i++) {
    const port = Number(/läuft (?:auf http:\/\/localhost:|mit \d+ Prozessen auf Port )(\d+)/.exec(output)?.[1] ?? 0);
    if (port) {
      const url = `http://127.0.0.1:${port}`;
      const ok = await fetch(`${url}/healthz`).then((r) => r.ok, () => false);
      if (ok) return { url, port, child, output: () => output, exited, stop };
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGKILL');
  throw new Error(`klartext serve did not start:\n${output.slice(-3000)}`);
}

/** A TestBrowser over real HTTP whose requests go to whichever server `use` chose last; cookies are kept across servers. */
export function remoteBrowser(first: ServerProcess): TestBrowser & { use(server: ServerProcess): TestBrowser } {
  let base = first.url;
  const fetcher = { request: (path: string, init?: RequestInit) => fetch(base + path, init) } as unknown as Pick<Hono, 'request'>;
  const browser = new TestBrowser(fetcher) as TestBrowser & { use(server: ServerProcess): TestBrowser };
  browser.use = (server) => { base = server.url; return browser; };
  return browser;
}
