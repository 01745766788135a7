// bench:login-flood — image and front page latency under a small steady load, alone and while ~120 logins for unknown addresses run.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { startKlartext } from './bench-servers.ts';

const seconds = Number(process.env.BENCH_SECONDS ?? 8);
const flood = Number(process.env.BENCH_FLOOD ?? 120);
const readers = 2; // steady clients per URL, one request at a time each

// no request log: thousands of lines would measure the terminal
const klartext = await startKlartext({ KLARTEXT_TRUST_PROXY: '1', LOG_LEVEL: 'fatal' });
const url = klartext.url;

interface Sample { ms: number[]; failed: number; unanswered: number }

/**
 * `readers` clients each fetch `path` one after the other until `until`; latencies of 2xx answers. A request still
 * open 5 s after the end is given up and counted as unanswered, with the time it waited (a lower bound) in the percentiles.
 */
async function steady(path: string, until: number): Promise<Sample> {
  const s: Sample = { ms: [], failed: 0, unanswered: 0 };
  const giveUp = AbortSignal.timeout(Math.max(0, until - Date.now()) + 5000);
  await Promise.all(Array.from({ length: readers }, async () => {
    while (Date.now() < until) {
      const t = performance.now();
      try {
        const res = await fetch(url + path, { headers: { 'accept-encoding': 'br, gzip' }, signal: giveUp });
        await res.arrayBuffer();
        if (res.ok) s.ms.push(performance.now() - t); else s.failed++;
      } catch {
        if (giveUp.aborted) { s.unanswered++; s.ms.push(performance.now() - t); } else s.failed++;
      }
      await new Promise((r) => setTimeout(r, 10));
    }
  }));
  return s;
}

interface Flood { answers: Map<string, number>; ms: number[]; started: number }

/**
 * `flood` attackers send logins for unknown addresses until `until`: each waits for its answer and starts at most one a
 * second (so while hashing is slow ~`flood` are in flight, and fast refusals do not turn it into a plain HTTP flood).
 * Every login comes from its own address (one X-Forwarded-For entry, so left- and right-most readings agree) and for its
 * own email (no per-account limit). Unfinished ones are abandoned at the end.
 */
async function loginFlood(until: number, csrf: { cookie: string; token: string }): Promise<Flood> {
  const f: Flood = { answers: new Map(), ms: [], started: 0 };
  const stop = new AbortController();
  const timer = setTimeout(() => stop.abort(), Math.max(0, until - Date.now()));
  await Promise.all(Array.from({ length: flood }, async () => {
    while (Date.now() < until) {
      const n = f.started++;
      const next = Date.now() + 1000;
      const t = performance.now();
      try {
        const res = await fetch(`${url}/anmelden`, {
          method: 'POST', redirect: 'manual', signal: stop.signal,
          headers: {
            'content-type': 'application/x-www-form-urlencoded', cookie: csrf.cookie, origin: url,
            'x-forwarded-for': `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`,
          },
          body: new URLSearchParams({ _csrf: csrf.token, email: `niemand-${n}@example.de`, password: 'Falsches-Passwort-123' }).toString(),
        });
        await res.arrayBuffer();
        const key = String(res.status);
        f.answers.set(key, (f.answers.get(key) ?? 0) + 1);
        f.ms.push(performance.now() - t);
      } catch {
        f.answers.set('unfinished', (f.answers.get('unfinished') ?? 0) + 1);
      }
      await new Promise((r) => setTimeout(r, Math.max(0, Math.min(next, until) - Date.now())));
    }
  }));
  clearTimeout(timer);
  return f;
}

const pct = (a: number[], p: number) => {
  if (!a.length) return NaN;
  const s = [...a].sort((x, y) => x - y);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
};
const ms = (v: number) => (Number.isNaN(v) ? '–' : v < 10 ? v.toFixed(1) : Math.round(v).toString());

try {
  const home = await (await fetch(url + '/')).text();
  const image = /\/bilder\/[A-Za-z0-9_-]+-\d+\.jpg/.exec(home)?.[0];
  if (!image) throw new Error('no demo image on the front page');
  const form = await fetch(`${url}/anmelden`);
  const cookie = form.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  const token = /name="_csrf" value="([^"]+)"/.exec(await form.text())![1]!;

  console.log(`login flood: ${readers} clients each on / and ${image}, ${seconds}s alone, then ${seconds}s with ${flood} logins for unknown addresses in flight`);
  // warm up, with one login for an unknown address: a server that has been up a while has made its throwaway hash
  const warm = await fetch(`${url}/anmelden`, {
    method: 'POST', redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie, origin: url, 'x-forwarded-for': '10.255.255.255' },
    body: new URLSearchParams({ _csrf: token, email: 'niemand@example.de', password: 'Falsches-Passwort-123' }).toString(),
  });
  if (warm.status !== 401) throw new Error(`warm-up login answered ${warm.status}`);
  await Promise.all([steady('/', Date.now() + 1000), steady(image, Date.now() + 1000)]);

  let end = Date.now() + seconds * 1000;
  const [frontAlone, imageAlone] = await Promise.all([steady('/', end), steady(image, end)]);
  end = Date.now() + seconds * 1000;
  // the load generator shares the machine: if its own event loop stalls, the latencies are its, not the server's
  const lag = monitorEventLoopDelay({ resolution: 10 });
  lag.enable();
  const [frontFlood, imageFlood, logins] = await Promise.all([steady('/', end), steady(image, end), loginFlood(end, { cookie, token })]);
  lag.disable();

  const row = (name: string, a: Sample, b: Sample) =>
    `${name.padEnd(12)} ${ms(pct(a.ms, 50)).padStart(8)} ${ms(pct(a.ms, 99)).padStart(8)} ${String(a.ms.length).padStart(6)} │ ${ms(pct(b.ms, 50)).padStart(8)} ${ms(pct(b.ms, 99)).padStart(8)} ${String(b.ms.length).padStart(6)}${b.failed ? `  ${b.failed} failed` : ''}${b.unanswered ? `  ${b.unanswered} unanswered after 5 s more` : ''}`;
  console.log('');
  console.log(`${''.padEnd(12)} ${'alone'.padStart(24)} │ ${'during the flood'.padStart(24)}`);
  console.log(`${'ms'.padEnd(12)} ${'p50'.padStart(8)} ${'p99'.padStart(8)} ${'n'.padStart(6)} │ ${'p50'.padStart(8)} ${'p99'.padStart(8)} ${'n'.padStart(6)}`);
  console.log(row('front page', frontAlone, frontFlood));
  console.log(row('image', imageAlone, imageFlood));
  const answers = [...logins.answers].sort().map(([k, v]) => `${k}: ${v}`).join(', ');
  console.log(`load generator's own event-loop delay during the flood: max ${ms(lag.max / 1e6)} ms`);
  console.log(`logins: ${logins.started} sent; answers ${answers}; answered p50 ${ms(pct(logins.ms, 50))} ms, p99 ${ms(pct(logins.ms, 99))} ms; 503s: ${logins.answers.get('503') ?? 0}`);
} finally {
  await klartext.stop();
}
