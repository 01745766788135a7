// bench:checkout — the checkout page and the order POST of a logged-in reader at 20 connections, beside Mein Konto (/konto) as the baseline private page, in one run.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { startKlartext } from './bench-servers.ts';

const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 20);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 8);
const PASSWORD = 'bench-passwort-2026';

const klartext = await startKlartext({ LOG_LEVEL: 'fatal' });
const url = klartext.url;

/** A reader made with the CLI (on the server's database) and logged in over HTTP: the session cookie. */
async function loggedInReader(): Promise<string> {
  const email = `bench-${randomBytes(4).toString('hex')}@example.de`;
  execFileSync(process.execPath, ['bin/klartext.mjs', 'user', 'create', '--email', email, '--role', 'reader', '--password-stdin'], {
    input: PASSWORD, env: { ...process.env, KLARTEXT_DATA_DIR: klartext.dataDir, KLARTEXT_PUBLIC_URL: url, NODE_ENV: 'production', LOG_LEVEL: 'fatal' },
  });
  const page = await fetch(`${url}/anmelden`);
  const anon = (page.headers.getSetCookie().find((c) => c.startsWith('klartext_csrf=')) ?? '').split(';')[0]!;
  const token = /name="_csrf" value="([^"]+)"/.exec(await page.text())?.[1] ?? '';
  const res = await fetch(`${url}/anmelden`, {
    method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: anon, origin: url },
    body: new URLSearchParams({ email, password: PASSWORD, _csrf: token }).toString(),
  });
  const session = res.headers.getSetCookie().map((c) => c.split(';')[0]!).find((c) => !c.startsWith('klartext_csrf='));
  if (res.status !== 303 || !session) throw new Error(`login failed: ${res.status}`);
  return session;
}

interface Result { n: number; p50: number; p99: number; failed: number; rps: number }

/** `CONNECTIONS` clients, each sending `request()` one after the other for `SECONDS`; latency percentiles of the answers. */
async function run(request: () => Promise<Response>, ok: (r: Response) => boolean): Promise<Result> {
  const ms: number[] = [];
  let failed = 0;
  const until = Date.now() + SECONDS * 1000;
  await Promise.all(Array.from({ length: CONNECTIONS }, async () => {
    while (Date.now() < until) {
      const t = performance.now();
      const res = await request();
      await res.arrayBuffer();
      if (ok(res)) ms.push(performance.now() - t); else failed++;
    }
  }));
  ms.sort((a, b) => a - b);
  const at = (q: number) => ms[Math.min(ms.length - 1, Math.floor(q * ms.length))] ?? NaN;
  return { n: ms.length, p50: at(0.5), p99: at(0.99), failed, rps: ms.length / SECONDS };
}

const line = (name: string, r: Result) => console.log(`${name.padEnd(34)} ${String(Math.round(r.rps)).padStart(6)} req/s   p50 ${r.p50.toFixed(1).padStart(6)} ms   p99 ${r.p99.toFixed(1).padStart(6)} ms   (${r.n} answers, ${r.failed} failed)`);

try {
  const cookie = await loggedInReader();
  const checkoutPath = '/abo/bestellen/geschenk-abo?monate=3';
  const page = await (await fetch(url + checkoutPath, { headers: { cookie } })).text();
  const field = (name: string) => new RegExp(`name="${name}" value="([^"]*)"`).exec(page)?.[1] ?? '';
  const form = { _csrf: field('_csrf'), priceKey: field('priceKey'), giftMonths: field('giftMonths') || '3', method: 'sepa', holderName: 'Erika Mustermann', iban: 'DE89370400440532013000', mandate: 'on', consent: 'on' };
  if (!form._csrf || !form.priceKey) throw new Error('checkout page without form fields');
  console.log(`bench:checkout — ${CONNECTIONS} connections, ${SECONDS} s each, one logged-in reader (target: p99 ≤ 50 ms for the checkout page and the order)`);
  line('GET /konto (baseline)', await run(() => fetch(`${url}/konto`, { headers: { cookie } }), (r) => r.status === 200));
  line(`GET ${checkoutPath}`, await run(() => fetch(url + checkoutPath, { headers: { cookie } }), (r) => r.status === 200));
  // every order is a new gift subscription (a reader can hold one Plus subscription, but buy any number of gifts)
  line('POST order (SEPA, gift)', await run(() => fetch(`${url}/abo/bestellen/geschenk-abo`, {
    method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded', cookie, origin: url },
    body: new URLSearchParams({ ...form, orderKey: randomBytes(16).toString('base64url') }).toString(),
  }), (r) => r.status === 303));
} finally {
  await klartext.stop();
}
