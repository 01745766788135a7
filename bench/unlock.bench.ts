// bench:unlock — the unlock endpoint for a logged-in subscriber vs the cached guest page, 50 connections, in one run on one server.
import { spawn } from 'node:child_process';
import { fmt, load, loadTool, startKlartext } from './bench-servers.ts';

const SLUG = 'digitalbuero-im-rathaus';
const EMAIL = 'bench-abo@example.de';
const PASSWORD = 'Regenbogen-Fahrrad-7';
const seconds = Number(process.env.BENCH_SECONDS ?? 8);
const rounds = Number(process.env.BENCH_ROUNDS ?? 2);

/** Runs the klartext CLI against the server's data dir, as an operator would. */
function cli(dataDir: string, args: string[], stdin = ''): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['bin/klartext.mjs', ...args], { env: { ...process.env, KLARTEXT_DATA_DIR: dataDir, LOG_LEVEL: 'warn' }, stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => { out += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { out += d.toString(); });
    child.once('exit', (code) => (code === 0 ? resolve(out.trim()) : reject(new Error(`klartext ${args.join(' ')} exited ${code}: ${out}`))));
    child.stdin.end(stdin);
  });
}

const cookiesOf = (res: Response): string[] => res.headers.getSetCookie().map((c) => c.split(';')[0]!);

const klartext = await startKlartext();
try {
  console.log(await cli(klartext.dataDir, ['user', 'create', '--email', EMAIL, '--role', 'reader', '--password-stdin'], `${PASSWORD}\n`));
  console.log(await cli(klartext.dataDir, ['subscription', 'grant', '--email', EMAIL, '--days', '30']));

  // Log in through the form like a browser: the anonymous CSRF cookie and the form's token, then the session cookie.
  const form = await fetch(`${klartext.url}/anmelden`);
  const anon = cookiesOf(form);
  const csrf = /name="_csrf" value="([^"]+)"/.exec(await form.text())![1]!;
  const login = await fetch(`${klartext.url}/anmelden`, {
    method: 'POST', redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: anon.join('; '), origin: klartext.url },
    body: new URLSearchParams({ _csrf: csrf, email: EMAIL, password: PASSWORD }).toString(),
  });
  const session = cookiesOf(login).find((c) => c.startsWith('klartext_session='));
  if (login.status !== 303 || !session) throw new Error(`login failed: ${login.status}`);

  const pagePath = `/artikel/${SLUG}`;
  const html = await (await fetch(klartext.url + pagePath)).text();
  const articleId = /data-article-id="([^"]+)"/.exec(html)![1]!;
  const keyId = /data-key-id="([^"]+)"/.exec(html)![1]!;
  const unlockUrl = `${klartext.url}/api/unlock/${articleId}`;
  const unlockHeaders = { 'content-type': 'application/json', 'x-klartext-csrf': '1', cookie: session, origin: klartext.url, 'sec-fetch-site': 'same-origin' };
  const body = JSON.stringify({ keyId });
  const check = await fetch(unlockUrl, { method: 'POST', headers: unlockHeaders, body });
  const answer = (await check.json()) as { granted?: boolean; reason?: string };
  if (!answer.granted || answer.reason !== 'subscriber') throw new Error(`unlock did not grant as subscriber: ${JSON.stringify(answer)}`);
  console.log(`unlock POST /api/unlock/${articleId} as subscriber vs guest GET ${pagePath}; ${seconds}s × ${rounds} rounds each, 50 connections, ${loadTool}`);

  const pageHeaders = { 'accept-encoding': 'br, gzip' };
  await load(klartext.url + pagePath, { seconds: 2, headers: pageHeaders });
  await load(unlockUrl, { seconds: 2, method: 'POST', headers: unlockHeaders, body });
  const pageRps: number[] = []; const unlockRps: number[] = []; let pageP99 = 0; let unlockP99 = 0; let unlockP50 = 0;
  for (let i = 0; i < rounds; i++) {
    const p = await load(klartext.url + pagePath, { seconds, headers: pageHeaders });
    const u = await load(unlockUrl, { seconds, method: 'POST', headers: unlockHeaders, body });
    if (p.errors || p.non2xx || u.errors || u.non2xx) throw new Error(`errors during load: page ${p.errors}/${p.non2xx}, unlock ${u.errors}/${u.non2xx}`);
    pageRps.push(p.rps); unlockRps.push(u.rps);
    pageP99 = Math.max(pageP99, p.p99); unlockP99 = Math.max(unlockP99, u.p99); unlockP50 = Math.max(unlockP50, u.p50);
    console.log(`round ${i + 1}: guest page ${fmt(p.rps)} req/s (p99 ${p.p99} ms) | unlock ${fmt(u.rps)} req/s (p50 ${u.p50} ms, p99 ${u.p99} ms)`);
  }
  const avg = (a: number[]) => a.reduce((x, y) => x + y, 0) / a.length;
  const ratio = avg(unlockRps) / avg(pageRps);
  console.log(`guest page ${fmt(avg(pageRps))} req/s  p99 ≤ ${pageP99} ms`);
  console.log(`unlock     ${fmt(avg(unlockRps))} req/s  p50 ≤ ${unlockP50} ms  p99 ≤ ${unlockP99} ms (target ≤ 5 ms) ${unlockP99 <= 5 ? 'OK' : 'ABOVE TARGET'}`);
  console.log(`ratio      ${(ratio * 100).toFixed(1)} % of the guest page (target ≥ 50 %) ${ratio >= 0.5 ? 'OK' : 'BELOW TARGET'}`);
} finally {
  await klartext.stop();
}
