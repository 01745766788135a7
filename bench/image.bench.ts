// bench:image — a 12-megapixel camera JPEG (4000 × 3000, seeded scene with sensor-like noise) through the upload
// pipeline to every width in AVIF, WebP and JPEG, median of 3, against the target of 3 s; the old pipeline (JPEG 640
// and 1200 only) as the baseline in the same run. Then (BENCH_SERVE=0 skips it) a real server: front page and image
// latency alone and while two editors upload such photos back to back.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { composePhotoSvg, seededRng } from '../src/content/demo/photos.ts';
import { checkSource, encodeVariants, imageWork } from '../src/content/image.pipeline.ts';
import { uploadImage } from '../src/content/image.store.ts';
import { openTestStore } from '../src/db/test-stores.ts';
import { runCli } from '../src/cli/main.ts';
import { startKlartext } from './bench-servers.ts';

const RUNS = Number(process.env.BENCH_ROUNDS ?? 3);
const TARGET_MS = 3000;
const W = 4000;
const H = 3000;

/**
 * A photo's worth of work for the encoders: one of the demo's scenes scaled up to 12 megapixels, fine texture and
 * per-pixel sensor noise on top, saved as a quality-92 camera JPEG. Same seed, same bytes.
 */
async function cameraJpeg(seed = 12): Promise<Buffer> {
  const rnd = seededRng(seed);
  const svg = composePhotoSvg('marktplatz-wochenmarkt.jpg');
  const { data, info } = await sharp(Buffer.from(svg)).resize(W, H, { fit: 'cover', kernel: 'cubic' }).blur(1.2).raw().toBuffer({ resolveWithObject: true });
  // texture at several scales plus sensor noise: what makes a real photo expensive to encode
  const px = info.channels;
  let n = 0;
  for (let i = 0; i < W * H; i++) {
    if ((i & 7) === 0) n = (rnd() - 0.5) * 22; // coarse grain shared by 8 neighbours
    const fine = (rnd() + rnd() - 1) * 14;
    for (let c = 0; c < px; c++) {
      const k = i * px + c;
      data[k] = Math.max(0, Math.min(255, data[k]! + n + fine * (c === 2 ? 1.2 : 1)));
    }
  }
  return sharp(data, { raw: info }).jpeg({ quality: 92 }).toBuffer();
}

/** The pipeline before the media library: JPEG 640 and 1200 from the oriented source, one after the other. */
async function oldPipeline(bytes: Buffer): Promise<number> {
  const base = sharp(bytes, { failOn: 'error' }).rotate();
  let total = 0;
  for (const w of [640, 1200]) total += (await base.clone().resize({ width: w, withoutEnlargement: true }).jpeg({ quality: 78, mozjpeg: true }).toBuffer()).length;
  return total;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const ms = (x: number) => `${Math.round(x)} ms`;

async function timed<T>(fn: () => Promise<T>): Promise<{ wall: number; cpu: number; value: T }> {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const value = await fn();
  const wall = performance.now() - t0;
  const c = process.cpuUsage(c0);
  return { wall, cpu: (c.user + c.system) / 1000, value };
}

const photo = await cameraJpeg();
const meta = await sharp(photo).metadata();
console.log(`source: ${meta.width} × ${meta.height} JPEG, ${(photo.length / 1024 / 1024).toFixed(1)} MB (seeded); ${os.cpus().length} cores, load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}; ${RUNS} runs each`);
await encodeVariants(await sharp(photo).resize(800).jpeg().toBuffer()); // warm-up: codecs loaded, threads started

const oldRuns: { wall: number; cpu: number }[] = [];
const newRuns: { wall: number; cpu: number }[] = [];
const uploadRuns: { wall: number; cpu: number }[] = [];
let oldBytes = 0;
let variants: Awaited<ReturnType<typeof encodeVariants>>['variants'] = [];
for (let i = 0; i < RUNS; i++) {
  const o = await timed(() => oldPipeline(photo));
  oldRuns.push(o); oldBytes = o.value;
  const n = await timed(async () => { await checkSource(photo); return imageWork.run(() => encodeVariants(photo)); });
  newRuns.push(n); variants = n.value.variants;
  // the whole upload: check, hash, encode, write 12 files, insert the row (a fresh store, so nothing is known yet)
  const store = await openTestStore('sqlite');
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'klartext-bench-image-'));
  try {
    uploadRuns.push(await timed(() => uploadImage(store.db, dataDir, photo, { fileName: 'kamera.jpg', uploadedBy: 'bench' })));
  } finally {
    await store.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
  console.log(`run ${i + 1}: old ${ms(o.wall)} · new pipeline ${ms(n.wall)} (cpu ${ms(n.cpu)}) · whole upload ${ms(uploadRuns[i]!.wall)}`);
}

const byFormat = new Map<string, { widths: number[]; bytes: number }>();
for (const v of variants) {
  const e = byFormat.get(v.format) ?? { widths: [], bytes: 0 };
  e.widths.push(v.width); e.bytes += v.data.length;
  byFormat.set(v.format, e);
}
// per format, one after the other, to see where the time goes (not how the pipeline runs them)
const perFormat: string[] = [];
for (const f of ['avif', 'webp', 'jpg'] as const) {
  const t = await timed(() => encodeVariants(photo, [f]));
  perFormat.push(`${f} ${ms(t.wall)}`);
}

const newMedian = median(newRuns.map((r) => r.wall));
console.log('');
console.log(`old pipeline (JPEG 640, 1200):          median ${ms(median(oldRuns.map((r) => r.wall)))}, cpu ${ms(median(oldRuns.map((r) => r.cpu)))}, ${Math.round(oldBytes / 1024)} KB`);
console.log(`new pipeline (${variants.length} files):               median ${ms(newMedian)}, cpu ${ms(median(newRuns.map((r) => r.cpu)))} (target ≤ ${TARGET_MS} ms) ${newMedian <= TARGET_MS ? 'OK' : 'ABOVE TARGET'}`);
console.log(`whole upload (check, encode, write, row): median ${ms(median(uploadRuns.map((r) => r.wall)))}`);
console.log(`files: ${[...byFormat].map(([f, e]) => `${f} ${e.widths.join('/')} ${Math.round(e.bytes / 1024)} KB`).join(' · ')}`);
console.log(`each format alone (all widths): ${perFormat.join(' · ')}`);

// --- serving while uploading ---

const pct = (a: number[], p: number) => (a.length ? [...a].sort((x, y) => x - y)[Math.min(a.length - 1, Math.floor((p / 100) * a.length))]! : NaN);

/** `clients` readers fetch `url` one after the other until `until`; latencies of the 2xx answers. */
async function steady(url: string, until: number, clients = 2): Promise<{ ms: number[]; failed: number }> {
  const s = { ms: [] as number[], failed: 0 };
  await Promise.all(Array.from({ length: clients }, async () => {
    while (Date.now() < until) {
      const t = performance.now();
      const res = await fetch(url, { headers: { 'accept-encoding': 'br, gzip' } }).catch(() => undefined);
      await res?.arrayBuffer();
      if (res?.ok) s.ms.push(performance.now() - t); else s.failed++;
      await new Promise((r) => setTimeout(r, 10));
    }
  }));
  return s;
}

/** A different source each time (a JPEG comment after SOI), so every upload is encoded, not found by its hash. */
const variantOf = (jpeg: Buffer, n: number): Buffer => {
  const text = Buffer.from(`bench ${n}`);
  const com = Buffer.from([0xff, 0xfe, 0, text.length + 2]);
  return Buffer.concat([jpeg.subarray(0, 2), com, text, jpeg.subarray(2)]);
};

if (process.env.BENCH_SERVE !== '0') {
  const seconds = Number(process.env.BENCH_SECONDS ?? 6);
  const server = await startKlartext({ LOG_LEVEL: 'silent' });
  try {
    const env = { KLARTEXT_DATA_DIR: server.dataDir, LOG_LEVEL: 'silent' };
    const io = { out: () => undefined, err: (e: string) => console.error(e), stdin: async () => 'Regenbogen-Fahrrad-7\n' };
    if (await runCli(['user', 'create', '--email', 'bild@example.de', '--role', 'editor', '--password-stdin'], io, env) !== 0) throw new Error('user create failed');
    const login = await fetch(`${server.url}/anmelden`);
    const anon = login.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
    const token = /name="_csrf" value="([^"]+)"/.exec(await login.text())![1]!;
    const loggedIn = await fetch(`${server.url}/anmelden`, {
      method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: anon, origin: server.url },
      body: new URLSearchParams({ _csrf: token, email: 'bild@example.de', password: 'Regenbogen-Fahrrad-7' }).toString(),
    });
    const cookie = loggedIn.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
    const library = await (await fetch(`${server.url}/redaktion/medien`, { headers: { cookie } })).text();
    const csrf = /name="_csrf" value="([^"]+)"/.exec(library)?.[1];
    if (!csrf) throw new Error('not logged in as staff');
    const home = await (await fetch(`${server.url}/`)).text();
    const image = /\/bilder\/[A-Za-z0-9_-]+-\d+\.jpg/.exec(home)?.[0];
    if (!image) throw new Error('no image on the front page');
    await Promise.all([steady(`${server.url}/`, Date.now() + 1000), steady(server.url + image, Date.now() + 1000)]);

    let end = Date.now() + seconds * 1000;
    const [frontAlone, imageAlone] = await Promise.all([steady(`${server.url}/`, end), steady(server.url + image, end)]);
    end = Date.now() + seconds * 1000;
    let n = 0;
    const uploads: number[] = [];
    const statuses = new Map<number, number>();
    const uploader = async () => {
      while (Date.now() < end) {
        const t = performance.now();
        const res = await fetch(`${server.url}/redaktion/api/medien`, {
          method: 'POST', body: new Uint8Array(variantOf(photo, n++)),
          headers: { cookie, origin: server.url, 'x-klartext-csrf': csrf, 'x-file-name': 'kamera.jpg', 'content-type': 'image/jpeg', accept: 'application/json' },
        });
        await res.arrayBuffer();
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        if (res.status === 201) uploads.push(performance.now() - t);
      }
    };
    const [frontBusy, imageBusy] = await Promise.all([steady(`${server.url}/`, end), steady(server.url + image, end), uploader(), uploader()]);
    const f = (v: number) => (Number.isNaN(v) ? '–' : v < 10 ? v.toFixed(1) : String(Math.round(v)));
    const row = (name: string, a: { ms: number[] }, b: { ms: number[]; failed: number }) =>
      `${name.padEnd(12)} p50 ${f(pct(a.ms, 50)).padStart(5)} p99 ${f(pct(a.ms, 99)).padStart(5)} (n ${a.ms.length}) │ p50 ${f(pct(b.ms, 50)).padStart(5)} p99 ${f(pct(b.ms, 99)).padStart(5)} (n ${b.ms.length})${b.failed ? `, ${b.failed} failed` : ''}`;
    console.log('');
    console.log(`serving while two editors upload 12-MP photos back to back (${seconds} s each; 2 clients per URL), ms:`);
    console.log(`${''.padEnd(12)} ${'alone'.padEnd(32)} │ during the uploads`);
    console.log(row('front page', frontAlone, frontBusy));
    console.log(row('image', imageAlone, imageBusy));
    console.log(`uploads: ${[...statuses].map(([k, v]) => `${k}: ${v}`).join(', ')}; 201 answered in p50 ${f(pct(uploads, 50))} ms, max ${f(Math.max(...uploads))} ms (one at a time, the other waits)`);
  } finally {
    await server.stop();
  }
}
