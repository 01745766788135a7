// bench:image — a 12-megapixel camera JPEG (4000 × 3000, seeded scene with sensor-like noise) through the upload
// pipeline to every width in AVIF, WebP and JPEG, median of 3, against the target of 3 s; the old pipeline (JPEG 640
// and 1200 only) as the baseline in the same run.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { checkSource, encodeVariants, imageWork } from '../src/content/image.pipeline.ts';
import { uploadImage } from '../src/content/image.store.ts';
import { openTestStore } from '../src/db/test-stores.ts';

const RUNS = Number(process.env.BENCH_ROUNDS ?? 3);
const TARGET_MS = 3000;
const W = 4000;
const H = 3000;

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A photo's worth of work for the encoders: a scene (sky gradient, hills, houses, trees) drawn small and scaled up,
 * fine texture and per-pixel sensor noise on top, saved as a quality-92 camera JPEG. Same seed, same bytes.
 */
async function cameraJpeg(seed = 12): Promise<Buffer> {
  const rnd = mulberry32(seed);
  const shapes: string[] = [];
  for (let i = 0; i < 40; i++) {
    const x = rnd() * 1000, y = 380 + rnd() * 300, w = 30 + rnd() * 90, h = 40 + rnd() * 120;
    shapes.push(`<rect x="${x}" y="${y - h}" width="${w}" height="${h}" fill="hsl(${Math.round(rnd() * 40)},${30 + Math.round(rnd() * 30)}%,${40 + Math.round(rnd() * 35)}%)"/>`);
    shapes.push(`<circle cx="${rnd() * 1000}" cy="${420 + rnd() * 330}" r="${10 + rnd() * 45}" fill="hsl(${90 + Math.round(rnd() * 50)},40%,${25 + Math.round(rnd() * 20)}%)"/>`);
  }
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="1000" height="750">
    <defs><linearGradient id="s" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="#5d86b8"/><stop offset="1" stop-color="#dfe9f2"/></linearGradient></defs>
    <rect width="1000" height="750" fill="url(#s)"/>
    <path d="M0 420 C 200 360, 420 460, 620 400 S 900 380, 1000 420 L1000 750 L0 750 Z" fill="#5c7a3d"/>
    ${shapes.join('')}</svg>`;
  const { data, info } = await sharp(Buffer.from(svg)).resize(W, H, { kernel: 'cubic' }).blur(1.2).raw().toBuffer({ resolveWithObject: true });
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
