// bench:autosave — the editor's save loop against a real server on SQLite: a ~1,500-word interview saved again and again
// as autosave does it (each PUT waits for the answer of the previous one and names the version it returned), p50/p99.
import { execFileSync } from 'node:child_process';
import { startKlartext } from './bench-servers.ts';

const SAVES = Number(process.env.BENCH_SAVES ?? 300);
const WARMUP = 20;
const PASSWORD = 'bench-passwort-2026';
const EMAIL = 'bench-redaktion@example.de';

const klartext = await startKlartext({ LOG_LEVEL: 'fatal' });
const url = klartext.url;

/** An editor made with the CLI (on the server's database) and logged in over HTTP: the session cookie. */
async function loggedInEditor(): Promise<string> {
  execFileSync(process.execPath, ['bin/klartext.mjs', 'user', 'create', '--email', EMAIL, '--role', 'editor', '--password-stdin'], {
    input: PASSWORD, env: { ...process.env, KLARTEXT_DATA_DIR: klartext.dataDir, KLARTEXT_PUBLIC_URL: url, NODE_ENV: 'production', LOG_LEVEL: 'fatal' },
  });
  const page = await fetch(`${url}/anmelden`);
  const anon = (page.headers.getSetCookie().find((c) => c.startsWith('klartext_csrf=')) ?? '').split(';')[0]!;
  const token = /name="_csrf" value="([^"]+)"/.exec(await page.text())?.[1] ?? '';
  const res = await fetch(`${url}/anmelden`, {
    method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: anon, origin: url },
    body: new URLSearchParams({ email: EMAIL, password: PASSWORD, _csrf: token }).toString(),
  });
  const session = res.headers.getSetCookie().map((c) => c.split(';')[0]!).find((c) => !c.startsWith('klartext_csrf='));
  if (res.status !== 303 || !session) throw new Error(`login failed: ${res.status}`);
  return session;
}

const WORDS = ('der die das und in zu den mit von für auf ist im nicht sich dem eine auch es an als bei nach wie aus Stadt Rat Haushalt Brücke '
  + 'Kämmerin Bürgermeister Sülmetal Brackenau Schule Verkehr Baustelle Millionen Euro Jahr Woche Sitzung Antrag Fraktion Bürger Verein Feuerwehr Kita '
  + 'Gebühren Straße Radweg Planung Gutachten Kreis Gemeinde Zukunft Entscheidung Kosten Förderung Land Bund Projekt Sanierung Hallenbad').split(' ');

/** Deterministic words, so every run saves the same article. */
function sentence(seed: number, n: number): string {
  const w = Array.from({ length: n }, (_, i) => WORDS[(seed * 31 + i * 17 + (seed ^ i) * 7) % WORDS.length]!);
  w[0] = w[0]![0]!.toUpperCase() + w[0]!.slice(1);
  return `${w.join(' ')}.`;
}

/** A Plus interview of about 1,500 words: intro, 24 questions and answers, subheadings, a quote, with inline markup. */
function interview(): Record<string, unknown> {
  const blocks: Record<string, unknown>[] = [
    { type: 'paragraph', text: `${sentence(1, 18)} **${sentence(2, 6)}** ${sentence(3, 20)} Mehr dazu [im Haushaltsplan](/stadt).` },
    { type: 'paragraph', text: `${sentence(4, 22)} ${sentence(5, 16)}` },
  ];
  for (let i = 0; i < 24; i++) {
    if (i % 8 === 0) blocks.push({ type: 'subheading', text: sentence(100 + i, 5) });
    blocks.push({ type: 'question', text: `${sentence(200 + i, 10)}?` });
    blocks.push({ type: 'answer', speaker: i % 3 ? 'Kämmerin' : 'Bürgermeister', text: `${sentence(300 + i, 18)} *${sentence(400 + i, 5)}* ${sentence(500 + i, 16)}` });
  }
  blocks.push({ type: 'quote', text: sentence(900, 14), by: 'Kämmerin' });
  blocks.push({ type: 'paragraph', text: `${sentence(901, 25)} ${sentence(902, 20)}` });
  return {
    slug: '', kicker: 'Interview', headline: 'Wir müssen jetzt sparen, sonst fehlt das Geld für die Schulen', teaser: sentence(7, 28),
    section: 'stadt', authors: [], access: 'plus', paywallAfter: 3, seoTitle: 'Kämmerin: Wir müssen jetzt sparen', seoDescription: sentence(8, 22),
    image: null, speakers: ['Klartext', 'Kämmerin', 'Bürgermeister'], blocks,
  };
}

/** Words a reader reads: headline, kicker, teaser and every block's text. */
const countWords = (doc: Record<string, unknown>) => [doc.kicker, doc.headline, doc.teaser, ...(doc.blocks as { text?: string }[]).map((b) => b.text)]
  .join(' ').split(/\s+/).filter((w) => /\p{L}/u.test(w)).length;

try {
  const cookie = await loggedInEditor();
  const start = await (await fetch(`${url}/redaktion`, { headers: { cookie } })).text();
  const formToken = /name="_csrf" value="([^"]+)"/.exec(start)?.[1];
  if (!formToken) throw new Error('no CSRF token on /redaktion');
  const created = await fetch(`${url}/redaktion/artikel`, {
    method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded', cookie, origin: url }, body: new URLSearchParams({ _csrf: formToken }).toString(),
  });
  const editorPath = created.headers.get('location');
  if (created.status !== 303 || !editorPath) throw new Error(`new article: ${created.status}`);
  const editorPage = await (await fetch(url + editorPath, { headers: { cookie } })).text();
  const boot = JSON.parse(/<script type="application\/json" id="kt-editor-data">([\s\S]*?)<\/script>/.exec(editorPage)![1]!) as { version: number; csrf: string; urls: { save: string } };

  const doc = interview();
  const blocks = doc.blocks as { text?: string }[];
  let version = boot.version;
  const ms: number[] = [];
  let bytes = 0;
  for (let i = 0; i < WARMUP + SAVES; i++) {
    // what changes between two autosaves: a few words typed into one block
    const b = blocks[(i * 7) % blocks.length]!;
    if (typeof b.text === 'string') b.text = `${b.text.slice(0, -1)} ${WORDS[i % WORDS.length]}.`;
    const body = JSON.stringify({ baseVersion: version, doc, autosave: true });
    bytes = Buffer.byteLength(body);
    const t = performance.now();
    const res = await fetch(url + boot.urls.save, { method: 'PUT', headers: { 'content-type': 'application/json', accept: 'application/json', 'x-klartext-csrf': boot.csrf, cookie, origin: url }, body });
    const answer = await res.json() as { version?: number; error?: unknown };
    const took = performance.now() - t;
    if (res.status !== 200 || typeof answer.version !== 'number') throw new Error(`save ${i}: ${res.status} ${JSON.stringify(answer).slice(0, 300)}`);
    version = answer.version;
    if (i >= WARMUP) ms.push(took);
  }
  ms.sort((a, b) => a - b);
  const at = (q: number) => ms[Math.min(ms.length - 1, Math.floor(q * ms.length))]!;
  console.log(`bench:autosave — ${SAVES} sequential autosaves (after ${WARMUP} warm-up) of a ${countWords(doc)}-word interview (${blocks.length} blocks, ${(bytes / 1024).toFixed(1)} KB JSON) on SQLite, one editor, each save naming the version the previous one returned (target: p99 ≤ 50 ms)`);
  console.log(`PUT /redaktion/api/artikel/:id   p50 ${at(0.5).toFixed(1)} ms   p90 ${at(0.9).toFixed(1)} ms   p99 ${at(0.99).toFixed(1)} ms   max ${ms[ms.length - 1]!.toFixed(1)} ms   (final version ${version})`);
} finally {
  await klartext.stop();
}
