// Renders every picture the demo newspaper (newspaper.json) references as a flat SVG illustration turned into a 1200x675 JPEG.
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';

export const demoDocumentPath = new URL('./newspaper.json', import.meta.url);

export const DEMO_PHOTO_WIDTH = 1200;
export const DEMO_PHOTO_HEIGHT = 675;
const W = DEMO_PHOTO_WIDTH;
const H = DEMO_PHOTO_HEIGHT;
const JPEG_QUALITY = 78;
/** Picture names in the demo document: lower-case kebab-case `.jpg`, no directories. */
export const DEMO_PHOTO_NAME = /^[a-z0-9]+(?:-[a-z0-9]+)*\.jpg$/;

// ---------------------------------------------------------------------------
// Which pictures the document needs

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function asList(v: unknown): readonly unknown[] {
  return Array.isArray(v) ? (v as unknown[]) : [];
}

/** File names of all lead images and image blocks of a document in the interchange format, in order, each once. */
export function referencedPhotos(doc: unknown): string[] {
  const names: string[] = [];
  const add = (src: unknown, where: string): void => {
    if (typeof src !== 'string' || !DEMO_PHOTO_NAME.test(src)) throw new Error(`${where}: expected a kebab-case .jpg file name`);
    if (!names.includes(src)) names.push(src);
  };
  if (!isRecord(doc)) throw new Error('demo document is not an object');
  asList(doc['articles']).forEach((article, i) => {
    if (!isRecord(article)) return;
    const image = article['image'];
    if (isRecord(image)) add(image['src'], `articles[${i}].image.src`);
    asList(article['blocks']).forEach((block, j) => {
      if (isRecord(block) && block['type'] === 'image') add(block['src'], `articles[${i}].blocks[${j}].src`);
    });
  });
  return names;
}

export async function readDemoDocument(): Promise<unknown> {
  return JSON.parse(await readFile(demoDocumentPath, 'utf8')) as unknown;
}

/** Writes every JPEG the demo document references into `dir` and returns their file names. */
export async function renderDemoPhotos(dir: string): Promise<string[]> {
  const names = referencedPhotos(await readDemoDocument());
  await mkdir(dir, { recursive: true });
  await Promise.all(names.map((name) => sharp(Buffer.from(composePhotoSvg(name)))
    .jpeg({ quality: JPEG_QUALITY, chromaSubsampling: '4:2:0' })
    .toFile(path.join(dir, name))));
  return names;
}

// ---------------------------------------------------------------------------
// Deterministic randomness and colours

type Rng = () => number;

function hashName(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

export function seededRng(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const between = (rng: Rng, a: number, b: number): number => a + (b - a) * rng();

function pick<T>(rng: Rng, list: readonly T[]): T {
  const v = list[Math.floor(rng() * list.length)];
  if (v === undefined) throw new Error('pick from an empty list');
  return v;
}

const n = (v: number): string => String(Math.round(v * 10) / 10);

function mix(a: string, b: string, t: number): string {
  const pa = Number.parseInt(a.slice(1), 16);
  const pb = Number.parseInt(b.slice(1), 16);
  const ch = (shift: number): number => {
    const x = (pa >> shift) & 255;
    const y = (pb >> shift) & 255;
    return Math.round(x + (y - x) * t);
  };
  return `#${((1 << 24) | (ch(16) << 16) | (ch(8) << 8) | ch(0)).toString(16).slice(1)}`;
}
const lighten = (c: string, t: number): string => mix(c, '#ffffff', t);
const darken = (c: string, t: number): string => mix(c, '#000000', t);

// ---------------------------------------------------------------------------
// SVG primitives

const rect = (x: number, y: number, w: number, h: number, fill: string, extra = ''): string =>
  `<rect x="${n(x)}" y="${n(y)}" width="${n(w)}" height="${n(h)}" fill="${fill}"${extra}/>`;
const circle = (x: number, y: number, r: number, fill: string, extra = ''): string =>
  `<circle cx="${n(x)}" cy="${n(y)}" r="${n(r)}" fill="${fill}"${extra}/>`;
const ellipse = (x: number, y: number, rx: number, ry: number, fill: string, extra = ''): string =>
  `<ellipse cx="${n(x)}" cy="${n(y)}" rx="${n(rx)}" ry="${n(ry)}" fill="${fill}"${extra}/>`;
const poly = (pts: ReadonlyArray<readonly [number, number]>, fill: string, extra = ''): string =>
  `<polygon points="${pts.map(([x, y]) => `${n(x)},${n(y)}`).join(' ')}" fill="${fill}"${extra}/>`;
const line = (x1: number, y1: number, x2: number, y2: number, stroke: string, width: number, extra = ''): string =>
  `<line x1="${n(x1)}" y1="${n(y1)}" x2="${n(x2)}" y2="${n(y2)}" stroke="${stroke}" stroke-width="${n(width)}"${extra}/>`;
const op = (o: number): string => ` opacity="${o}"`;

interface Mood {
  top: string;
  bottom: string;
  sun: string | null;
  night: boolean;
  cloud: string;
  /** tint for distant things */
  haze: string;
}

const MOODS: readonly Mood[] = [
  { top: '#6fa8dc', bottom: '#d8ecf7', sun: '#fff6d5', night: false, cloud: '#ffffff', haze: '#c6dcea' },
  { top: '#86b4dd', bottom: '#f6dcc2', sun: '#fff0c2', night: false, cloud: '#fff8f0', haze: '#dcd4cc' },
  { top: '#5d6fa3', bottom: '#f2b07e', sun: '#ffd79a', night: false, cloud: '#f7cdb8', haze: '#c9a99a' },
  { top: '#8d9cac', bottom: '#dde3e8', sun: null, night: false, cloud: '#eef1f4', haze: '#c7ced5' },
];
const NIGHT: Mood = { top: '#0f1735', bottom: '#3c3f70', sun: null, night: true, cloud: '#4b5080', haze: '#3d4270' };
const FROSTY: Mood = { top: '#a7bfd9', bottom: '#f7e4d8', sun: '#fff3e3', night: false, cloud: '#fbf2ee', haze: '#dfe3ea' };
const INDOOR: Mood = { top: '#000000', bottom: '#000000', sun: null, night: false, cloud: '#000000', haze: '#000000' };

const WALLS = ['#ecdcc0', '#dc9a7a', '#f1e6d2', '#c9d8c4', '#e8bca6', '#b9cbdc', '#efd18e', '#d8ab7c', '#e6e1d6', '#cfc3e0'] as const;
const ROOFS = ['#8a3b2e', '#5c4b51', '#a0522d', '#6b3e2e', '#4f5d75', '#7b4a3a'] as const;
const AUTUMN = ['#c98b3c', '#b5652f', '#d9a441', '#8f9b4c', '#a8743a', '#7f8f45'] as const;
const CLOTHES = ['#3b5b92', '#c0392b', '#2f7d6d', '#e0a030', '#6c4f8c', '#4a4a4a', '#d35f5f', '#2d6a9f', '#8a6d3b'] as const;

interface Ctx {
  rng: Rng;
  mood: Mood;
  defs: string[];
}

function linear(c: Ctx, name: string, stops: ReadonlyArray<readonly [number, string, number?]>, vertical = true): string {
  const id = `${name}${c.defs.length}`;
  const dir = vertical ? 'x1="0" y1="0" x2="0" y2="1"' : 'x1="0" y1="0" x2="1" y2="0"';
  c.defs.push(`<linearGradient id="${id}" ${dir}>${stops.map(([o, col, a]) => `<stop offset="${o}" stop-color="${col}"${a === undefined ? '' : ` stop-opacity="${a}"`}/>`).join('')}</linearGradient>`);
  return `url(#${id})`;
}

function radial(c: Ctx, name: string, col: string, inner: number, outer: number): string {
  const id = `${name}${c.defs.length}`;
  c.defs.push(`<radialGradient id="${id}"><stop offset="0" stop-color="${col}" stop-opacity="${inner}"/><stop offset="1" stop-color="${col}" stop-opacity="${outer}"/></radialGradient>`);
  return `url(#${id})`;
}

// ---------------------------------------------------------------------------
// Landscape building blocks

function sky(c: Ctx): string {
  const m = c.mood;
  let s = rect(0, 0, W, H, linear(c, 'sky', [[0, m.top], [1, m.bottom]]));
  if (m.night) {
    for (let i = 0; i < 70; i++) s += circle(between(c.rng, 0, W), between(c.rng, 0, 300), between(c.rng, 0.6, 1.8), '#fffbe8', op(Math.round(between(c.rng, 0.4, 1) * 100) / 100));
    const mx = between(c.rng, 200, 1000);
    s += circle(mx, 90, 80, radial(c, 'moonglow', '#fff6d8', 0.35, 0)) + circle(mx, 90, 26, '#fff6d8');
  } else if (m.sun) {
    const sx = between(c.rng, 160, 1040);
    const sy = between(c.rng, 80, 200);
    s += circle(sx, sy, 190, radial(c, 'sunglow', m.sun, 0.75, 0)) + circle(sx, sy, 42, m.sun);
  }
  const clouds = m.sun ? 3 + Math.floor(c.rng() * 3) : 6 + Math.floor(c.rng() * 3);
  for (let i = 0; i < clouds; i++) {
    const cx = between(c.rng, -50, W + 50);
    const cy = between(c.rng, 50, 250);
    const sc = between(c.rng, 0.6, 1.4);
    let g = '';
    for (let k = 0; k < 5; k++) g += ellipse(cx + (k - 2) * 38 * sc, cy - Math.sin((k / 4) * Math.PI) * 18 * sc, 46 * sc, 26 * sc, m.cloud);
    s += `<g${op(m.night ? 0.45 : 0.85)}>${g}</g>`;
  }
  return s;
}

function ridge(c: Ctx, baseY: number, amp: number, fill: string, steps = 7): string {
  const pts: Array<[number, number]> = [];
  for (let i = 0; i <= steps; i++) pts.push([-60 + ((W + 120) * i) / steps, baseY - amp * c.rng()]);
  const first = pts[0]!;
  const second = pts[1]!;
  let d = `M${n(first[0])} ${n(first[1])} L${n((first[0] + second[0]) / 2)} ${n((first[1] + second[1]) / 2)}`;
  for (let i = 1; i < pts.length - 1; i++) {
    const [x0, y0] = pts[i]!;
    const [x1, y1] = pts[i + 1]!;
    d += ` Q${n(x0)} ${n(y0)} ${n((x0 + x1) / 2)} ${n((y0 + y1) / 2)}`;
  }
  const last = pts[pts.length - 1]!;
  d += ` L${n(last[0])} ${n(last[1])} L${W + 60} ${H} L-60 ${H} Z`;
  return `<path d="${d}" fill="${fill}"/>`;
}

const far = (c: Ctx, col: string, t = 0.55): string => mix(col, c.mood.haze, t);

function tree(c: Ctx, x: number, y: number, s: number, kind: 'leaf' | 'fir' | 'bare' = 'leaf', tint?: string): string {
  const trunk = '#5e4636';
  if (kind === 'fir') {
    const g = tint ?? pick(c.rng, ['#2f5d46', '#3a6b4c', '#2c5640']);
    return rect(x - 4 * s, y - 22 * s, 8 * s, 22 * s, trunk)
      + poly([[x - 34 * s, y - 18 * s], [x, y - 80 * s], [x + 34 * s, y - 18 * s]], g)
      + poly([[x - 27 * s, y - 52 * s], [x, y - 112 * s], [x + 27 * s, y - 52 * s]], lighten(g, 0.08));
  }
  if (kind === 'bare') {
    const col = tint ?? '#6d5a4c';
    let b = line(x, y, x, y - 90 * s, col, 6 * s, ' stroke-linecap="round"');
    for (let i = 0; i < 6; i++) {
      const by = y - (40 + i * 9) * s;
      const dir = i % 2 === 0 ? -1 : 1;
      const len = (42 - i * 4) * s;
      b += line(x, by, x + dir * len, by - len * 0.8, col, (3.2 - i * 0.35) * s, ' stroke-linecap="round"');
      b += line(x + dir * len * 0.55, by - len * 0.44, x + dir * len * 0.35, by - len * 1.1, col, 1.6 * s, ' stroke-linecap="round"');
    }
    return b;
  }
  const g = tint ?? pick(c.rng, AUTUMN);
  return rect(x - 5 * s, y - 45 * s, 10 * s, 45 * s, trunk)
    + circle(x - 22 * s, y - 58 * s, 26 * s, darken(g, 0.12))
    + circle(x + 22 * s, y - 60 * s, 27 * s, darken(g, 0.05))
    + circle(x, y - 80 * s, 34 * s, g)
    + circle(x - 10 * s, y - 92 * s, 16 * s, lighten(g, 0.15), op(0.7));
}

function windowColor(c: Ctx): string {
  if (c.mood.night) return c.rng() < 0.7 ? pick(c.rng, ['#ffd98a', '#ffc861', '#ffe6a8']) : '#2a2f4d';
  return pick(c.rng, ['#9fb8c8', '#b7cedb', '#8aa3b6', '#a9c1cf']);
}

function house(c: Ctx, x: number, y: number, w: number, h: number, wall: string, roof: string, gable = true): string {
  const night = c.mood.night;
  const wallCol = night ? darken(wall, 0.55) : wall;
  const roofCol = night ? darken(roof, 0.5) : roof;
  const roofH = gable ? Math.min(w * 0.55, h * 0.6) : h * 0.3;
  let s = rect(x, y - h, w, h, wallCol);
  s += gable
    ? poly([[x - 5, y - h], [x + w / 2, y - h - roofH], [x + w + 5, y - h]], roofCol)
    : poly([[x - 5, y - h], [x + w * 0.15, y - h - roofH], [x + w * 0.85, y - h - roofH], [x + w + 5, y - h]], roofCol);
  const cols = Math.max(1, Math.floor((w - 10) / 38));
  const rows = Math.max(1, Math.floor((h - 40) / 48));
  const gap = (w - cols * 20) / (cols + 1);
  for (let r = 0; r < rows; r++) {
    for (let k = 0; k < cols; k++) {
      const wx = x + gap + k * (20 + gap);
      const wy = y - h + 16 + r * 48;
      s += rect(wx - 2, wy - 2, 24, 32, lighten(wallCol, 0.35)) + rect(wx, wy, 20, 28, windowColor(c));
    }
  }
  if (w > 70) s += rect(x + w / 2 - 11, y - 36, 22, 36, darken(wallCol, 0.35));
  return s;
}

function facadeRow(c: Ctx, x0: number, x1: number, ground: number, minH: number, maxH: number): string {
  let s = '';
  for (let x = x0; x < x1;) {
    const w = between(c.rng, 95, 150);
    s += house(c, x, ground, w, between(c.rng, minH, maxH), pick(c.rng, WALLS), pick(c.rng, ROOFS), c.rng() < 0.75);
    x += w + between(c.rng, -2, 6);
  }
  return s;
}

function person(c: Ctx, x: number, y: number, s: number, coat?: string): string {
  const col = coat ?? pick(c.rng, CLOTHES);
  const skin = pick(c.rng, ['#f1c9a5', '#d9a77e', '#b98061', '#8d5a3f', '#f4d3b5']);
  const hair = pick(c.rng, ['#3b2a20', '#6b4a2f', '#c9a25c', '#2a2a2a', '#9a9a9a']);
  return rect(x - 7 * s, y - 22 * s, 6 * s, 22 * s, '#33384a', ` rx="${n(2 * s)}"`)
    + rect(x + 1 * s, y - 22 * s, 6 * s, 22 * s, '#33384a', ` rx="${n(2 * s)}"`)
    + rect(x - 11 * s, y - 56 * s, 22 * s, 38 * s, col, ` rx="${n(8 * s)}"`)
    + circle(x, y - 66 * s, 9 * s, skin)
    + `<path d="M${n(x - 9.5 * s)} ${n(y - 66 * s)} a${n(9.5 * s)} ${n(9.5 * s)} 0 0 1 ${n(19 * s)} 0 Z" fill="${hair}"/>`;
}

function crowd(c: Ctx, x0: number, x1: number, y: number, s: number, count: number): string {
  let out = '';
  const xs = Array.from({ length: count }, () => between(c.rng, x0, x1)).sort((a, b) => a - b);
  for (const x of xs) out += person(c, x, y + between(c.rng, -4, 4) * s, s * between(c.rng, 0.85, 1.1));
  return out;
}

function grassGround(c: Ctx, y: number, col = '#8fa65a'): string {
  return rect(0, y, W, H - y, linear(c, 'grass', [[0, c.mood.night ? darken(col, 0.5) : col], [1, darken(col, c.mood.night ? 0.7 : 0.25)]]));
}

function cobbles(c: Ctx, y: number, col: string): string {
  let s = rect(0, y, W, H - y, linear(c, 'plaza', [[0, col], [1, darken(col, 0.18)]]));
  for (let row = 0; y + 12 + row * row * 5 < H; row++) {
    const ly = y + 12 + row * row * 5;
    s += line(0, ly, W, ly, darken(col, 0.12), 1.5, op(0.6));
  }
  return s;
}

function vignette(c: Ctx): string {
  c.defs.push('<radialGradient id="vig" cx="0.5" cy="0.5" r="0.75"><stop offset="0.6" stop-color="#10131c" stop-opacity="0"/><stop offset="1" stop-color="#10131c" stop-opacity="0.38"/></radialGradient>');
  return rect(0, 0, W, H, 'url(#vig)');
}

function lamp(c: Ctx, x: number, y: number, h: number): string {
  let s = rect(x - 3, y - h, 6, h, '#2f3338') + rect(x - 9, y - h - 18, 18, 18, '#2f3338') + rect(x - 6, y - h - 15, 12, 12, c.mood.night ? '#ffe3a0' : '#e8e2d0');
  if (c.mood.night) s += circle(x, y - h - 9, 60, radial(c, `lamp${Math.round(x)}`, '#ffd98a', 0.45, 0));
  return s;
}

// ---------------------------------------------------------------------------
// Scenes

function townhallScene(c: Ctx): string {
  const { rng } = c;
  const ground = 530;
  let s = sky(c) + ridge(c, 430, 70, far(c, '#7d9c6a'));
  s += cobbles(c, ground, pick(rng, ['#cbbca4', '#c2b6a6', '#d2c3a9']));
  s += facadeRow(c, -30, 330, ground, 170, 260) + facadeRow(c, 870, 1230, ground, 170, 260);
  const wall = pick(rng, ['#eadfc8', '#e4cfb4', '#e8d8c8', '#f0e2cc', '#d9c7a6']);
  const roof = pick(rng, ['#5b4a4f', '#7a3f32', '#4e5a66']);
  const wallCol = c.mood.night ? darken(wall, 0.5) : wall;
  s += rect(345, 290, 510, ground - 290, wallCol);
  s += rect(345, 290, 510, 14, darken(wallCol, 0.15));
  s += poly([[335, 292], [385, 215], [815, 215], [865, 292]], roof);
  const tx = pick(rng, [600, 600, 410, 790]);
  for (const dx of [430, 520, 680, 770]) if (Math.abs(dx - tx) > 60) s += poly([[dx - 16, 262], [dx, 236], [dx + 16, 262]], darken(roof, 0.2)) + rect(dx - 12, 262, 24, 20, darken(roof, 0.2)) + rect(dx - 7, 266, 14, 14, windowColor(c));
  s += rect(tx - 40, 140, 80, 152, lighten(wallCol, 0.08)) + poly([[tx - 50, 142], [tx, 40], [tx + 50, 142]], roof);
  s += circle(tx, 190, 24, '#f7f2e6', ' stroke="#3b3b3b" stroke-width="3"') + line(tx, 190, tx, 174, '#333', 3) + line(tx, 190, tx + 12, 196, '#333', 3);
  s += line(tx, 42, tx, 8, '#444', 3) + poly([[tx + 1, 10], [tx + 40, 18], [tx + 1, 27]], pick(rng, ['#c0392b', '#2e7d5b', '#d8a21c']));
  for (const [i, y] of [[0, 320], [1, 405]] as const) {
    for (let k = 0; k < 8; k++) {
      if (i === 1 && (k === 3 || k === 4)) continue;
      const x = 372 + k * 58;
      s += rect(x, y, 28, 48, windowColor(c)) + circle(x + 14, y, 14, windowColor(c)) + rect(x - 3, y + 48, 34, 5, lighten(wallCol, 0.3));
    }
  }
  s += rect(568, 455, 64, ground - 455, darken(wallCol, 0.45)) + circle(600, 455, 32, darken(wallCol, 0.45));
  s += rect(540, ground - 6, 120, 6, '#a59c8e') + rect(530, ground, 140, 8, '#9b9284');
  s += tree(c, 90, ground + 70, 1.5) + tree(c, 1110, ground + 80, 1.6) + lamp(c, 300, ground + 40, 120) + lamp(c, 900, ground + 40, 120);
  s += crowd(c, 200, 1000, ground + 110, 1.25, 4 + Math.floor(rng() * 4));
  return s;
}

function bridgeScene(c: Ctx): string {
  const { rng } = c;
  let s = sky(c) + ridge(c, 330, 60, far(c, '#6f8f62', 0.6));
  s += facadeRow(c, -20, W + 20, 350, 60, 120);
  s += poly([[820, 350], [820, 250], [840, 200], [860, 250], [860, 350]], far(c, '#8a7b6b', 0.3));
  s += rect(0, 345, W, 95, c.mood.night ? '#2c3b2c' : '#7c9a58');
  for (let i = 0; i < 12; i++) s += tree(c, between(rng, 0, W), 420, between(rng, 0.5, 0.8));
  const water = pick(rng, ['#4f7fa0', '#5a8aa6', '#48718f']);
  s += rect(0, 430, W, H - 430, linear(c, 'water', [[0, lighten(water, 0.25)], [1, darken(water, 0.2)]]));
  for (let i = 0; i < 26; i++) {
    const y = between(rng, 450, H);
    const x = between(rng, -50, W);
    s += rect(x, y, between(rng, 40, 160), 2.5, lighten(water, 0.45), op(0.5));
  }
  const stone = pick(rng, ['#b9a58c', '#a89a8a', '#c4b39a', '#9f8f7f']);
  const bridge = (flip: boolean): string => {
    const base = 440;
    const sign = flip ? 1 : -1;
    let d = `M40 ${base} L40 ${base + sign * 108} L1160 ${base + sign * 108} L1160 ${base} Z`;
    for (let k = 0; k < 3; k++) {
      const x0 = 95 + k * 360;
      d += ` M${x0} ${base} A150 ${flip ? 68 : 72} 0 0 ${flip ? 0 : 1} ${x0 + 290} ${base} Z`;
    }
    return `<path d="${d}" fill-rule="evenodd" fill="${flip ? darken(stone, 0.35) : stone}"${flip ? op(0.35) : ''}/>`;
  };
  s += bridge(true) + bridge(false);
  s += rect(30, 322, 1140, 12, darken(stone, 0.2)) + rect(30, 318, 1140, 5, lighten(stone, 0.2));
  for (let x = 40; x < 1170; x += 26) s += rect(x, 300, 4, 20, '#5a5f66');
  s += rect(30, 298, 1140, 4, '#5a5f66');
  s += crowd(c, 150, 1050, 318, 0.55, 5);
  s += poly([[0, H], [0, 560], [160, 600], [260, H]], c.mood.night ? '#263322' : '#6d8a4c');
  s += tree(c, 70, 620, 1.4, 'bare');
  return s;
}

function stall(c: Ctx, x: number, ground: number, w: number, night: boolean): string {
  const a = pick(c.rng, ['#c0392b', '#2e7d5b', '#2d6a9f', '#d8a21c', '#8e44ad']);
  const b = '#f6f1e6';
  let s = rect(x + 6, ground - 150, 6, 150, '#6b5443') + rect(x + w - 12, ground - 150, 6, 150, '#6b5443');
  const stripes = 8;
  for (let k = 0; k < stripes; k++) {
    const col = k % 2 === 0 ? a : b;
    const sx = x + (k * w) / stripes;
    s += poly([[sx + 8, ground - 185], [sx + w / stripes + 8, ground - 185], [sx + w / stripes, ground - 150], [sx, ground - 150]], night ? darken(col, 0.3) : col);
    s += circle(sx + w / stripes / 2, ground - 150, w / stripes / 2, night ? darken(col, 0.3) : col);
  }
  s += rect(x, ground - 70, w, 12, '#8b6a4e') + rect(x + 4, ground - 58, w - 8, 58, darken('#8b6a4e', 0.25));
  const produce = ['#e07b24', '#6fa046', '#c0392b', '#e8c33b', '#8c5a9a', '#f0e3c2', '#e6892f'];
  for (let k = 0; k < Math.floor(w / 55); k++) {
    const cx = x + 14 + k * 55;
    const col = pick(c.rng, produce);
    s += rect(cx, ground - 92, 46, 24, '#a77d55');
    for (let j = 0; j < 4; j++) s += circle(cx + 8 + j * 10, ground - 94 + (j % 2) * 3, 8, col);
  }
  return s;
}

function marketScene(c: Ctx): string {
  const { rng } = c;
  const ground = 440;
  let s = sky(c) + facadeRow(c, -20, W + 20, ground, 190, 290);
  s += cobbles(c, ground, pick(rng, ['#c9baa2', '#bdb2a3', '#cfc0a5']));
  const start = between(rng, -60, 10);
  for (let k = 0; k < 4; k++) s += stall(c, start + k * 320, 600, 270, false);
  s += crowd(c, 20, 1180, 640, 1.35, 6 + Math.floor(rng() * 3));
  return s;
}

function xmasScene(c: Ctx): string {
  const { rng } = c;
  const ground = 450;
  let s = sky(c) + facadeRow(c, -20, W + 20, ground, 200, 280);
  s += cobbles(c, ground, '#4a4652');
  s += rect(0, ground, W, H - ground, radial(c, 'warm', '#ffb65c', 0.35, 0));
  const tx = between(rng, 520, 680);
  for (let k = 0; k < 4; k++) s += poly([[tx - 110 + k * 18, 420 - k * 70], [tx, 300 - k * 70], [tx + 110 - k * 18, 420 - k * 70]], darken('#2f6b46', k * 0.05));
  s += rect(tx - 10, 420, 20, 40, '#4b3527') + poly([[tx, 70], [tx + 9, 92], [tx + 30, 92], [tx + 13, 104], [tx + 20, 126], [tx, 112], [tx - 20, 126], [tx - 13, 104], [tx - 30, 92], [tx - 9, 92]], '#ffd75e');
  for (let i = 0; i < 40; i++) {
    const ly = between(rng, 110, 410);
    const half = ((ly - 90) / 330) * 100;
    s += circle(tx + between(rng, -half, half), ly, 4, pick(rng, ['#ffd75e', '#ff6b5e', '#fff3c4', '#7fd1ff']));
  }
  const hut = (x: number): string => {
    const wood = pick(rng, ['#7a4e32', '#8a5a3a', '#6e4630']);
    let h = rect(x, 470, 220, 150, wood) + poly([[x - 20, 472], [x + 110, 400], [x + 240, 472]], darken(wood, 0.35));
    h += poly([[x - 20, 472], [x + 110, 400], [x + 240, 472], [x + 225, 472], [x + 110, 410], [x - 5, 472]], '#f4f4f8');
    h += rect(x + 15, 500, 190, 70, '#ffcf7a') + rect(x + 10, 570, 200, 14, darken(wood, 0.2));
    for (let k = 0; k < 6; k++) h += circle(x + 30 + k * 32, 540, 9, pick(rng, ['#c0392b', '#e8c33b', '#8b5a2b', '#f4f4f8']));
    return h;
  };
  s += hut(30) + hut(950);
  for (let k = 0; k < 3; k++) {
    const y0 = 180 + k * 60;
    let pts = '';
    for (let x = 0; x <= W; x += 40) {
      const y = y0 + Math.sin((x / W) * Math.PI * 3 + k) * 25;
      pts += circle(x, y, 3.5, '#ffe6a0') + circle(x, y, 10, '#ffd98a', op(0.25));
    }
    s += pts;
  }
  s += crowd(c, 240, 960, 650, 1.3, 7);
  return s;
}

function villageSchoolScene(c: Ctx): string {
  const { rng } = c;
  const ground = 470;
  let s = sky(c) + ridge(c, 370, 60, far(c, '#6f8f62'));
  for (let i = 0; i < 8; i++) s += tree(c, between(rng, 0, W), 390, between(rng, 0.7, 1), rng() < 0.4 ? 'fir' : 'leaf');
  s += grassGround(c, 385, '#8aa35a');
  const wall = pick(rng, ['#f0d28c', '#efe7d5', '#e8bca6', '#c9d8c4']);
  const frame = pick(rng, ['#2d6a9f', '#c0392b', '#2e7d5b', '#e08a3c']);
  s += rect(250, 270, 560, ground - 270, wall) + poly([[235, 272], [530, 150], [825, 272]], pick(rng, ROOFS));
  for (let r = 0; r < 2; r++) for (let k = 0; k < 6; k++) {
    if (r === 1 && (k === 2 || k === 3)) continue;
    s += rect(280 + k * 88, 295 + r * 88, 56, 60, frame) + rect(285 + k * 88, 300 + r * 88, 46, 50, windowColor(c));
  }
  s += rect(480, 385, 100, ground - 385, frame) + rect(490, 395, 80, ground - 395, darken(wall, 0.45));
  s += rect(810, 340, 220, ground - 340, lighten(wall, 0.25)) + rect(805, 332, 230, 10, '#7f868d');
  for (let k = 0; k < 3; k++) s += rect(830 + k * 68, 360, 48, 60, windowColor(c));
  s += rect(0, ground, W, H - ground, pick(rng, ['#c9b99a', '#bfb39c']));
  const climb = '#8b5a2b';
  s += line(90, 600, 130, 480, climb, 8) + line(210, 600, 170, 480, climb, 8) + line(120, 480, 180, 480, climb, 8);
  for (let k = 0; k < 4; k++) s += line(100 + k * 6, 570 - k * 28, 200 - k * 6, 570 - k * 28, climb, 5);
  s += rect(950, 560, 180, 60, '#e3cf9a') + rect(940, 550, 200, 12, '#a0724a');
  for (let k = 0; k < 5; k++) {
    const x = 300 + k * 130 + between(rng, -20, 20);
    const y = 640 + between(rng, -10, 10);
    s += rect(x - 3, y - 120, 5, 70, '#6b5443') + rect(x - 40, y - 150, 80, 48, pick(rng, ['#f4f1ea', '#f2c530', '#7fd1ff', '#f7b2c4']));
    s += person(c, x + 14, y, k % 2 === 0 ? 1.05 : 0.8);
  }
  return s;
}

function schoolScene(c: Ctx): string {
  const { rng } = c;
  const ground = 500;
  let s = sky(c) + ridge(c, 380, 60, far(c, '#6f8f62'));
  for (let i = 0; i < 10; i++) s += tree(c, between(rng, 0, W), 400, between(rng, 0.7, 1), rng() < 0.4 ? 'fir' : 'leaf');
  s += grassGround(c, ground - 30);
  const brick = pick(rng, ['#b5573d', '#a4533f', '#c06a4c']);
  s += rect(90, 250, 400, ground - 250, brick) + poly([[80, 252], [290, 140], [500, 252]], '#5a4a4a');
  for (let r = 0; r < 3; r++) for (let k = 0; k < 7; k++) s += rect(115 + k * 53, 275 + r * 70, 26, 44, windowColor(c)) + circle(128 + k * 53, 275 + r * 70, 13, windowColor(c));
  const modern = pick(rng, ['#e9e4d8', '#d8dde2', '#efe7d5']);
  s += rect(490, 300, 640, ground - 300, modern) + rect(480, 292, 660, 12, '#7f868d');
  const accent = pick(rng, ['#e08a3c', '#3a8fb7', '#6aaa64', '#d35f5f']);
  for (let r = 0; r < 3; r++) {
    s += rect(505, 318 + r * 58, 610, 34, '#6c8799');
    for (let k = 0; k < 13; k++) s += rect(505 + k * 47, 318 + r * 58, 4, 34, modern);
    s += rect(505, 352 + r * 58, 610, 6, accent);
  }
  s += rect(760, 430, 90, ground - 430, '#4c5a66');
  s += rect(0, ground - 30, W, 6, '#cfcfcf') + rect(0, ground + 20, W, H - ground - 20, pick(rng, ['#b9b3a8', '#a9a7a0']));
  for (let x = 0; x < W; x += 22) s += rect(x, ground - 6, 3, 26, '#6a6f73');
  s += rect(0, ground - 2, W, 3, '#6a6f73');
  s += tree(c, 60, H - 20, 1.6) + tree(c, 1150, H - 10, 1.7);
  s += crowd(c, 200, 1000, H - 25, 1.2, 5);
  return s;
}

function containerScene(c: Ctx): string {
  const { rng } = c;
  const ground = 520;
  let s = sky(c) + ridge(c, 400, 50, far(c, '#6f8f62'));
  for (let i = 0; i < 8; i++) s += tree(c, between(rng, 0, W), 420, between(rng, 0.8, 1.1));
  s += rect(0, 410, W, H - 410, '#8a8f94') + rect(0, 420, W, H - 420, linear(c, 'asphalt', [[0, '#7d8286'], [1, '#5d6266']]));
  for (let x = 40; x < W; x += 150) s += poly([[x, H], [x + 40, 560], [x + 46, 560], [x + 10, H]], '#e9e9e2', op(0.8));
  const colors = [pick(rng, ['#e9eef2', '#dfe6ea']), pick(rng, ['#3a7fb7', '#5a9e6f', '#e0a030', '#7a8a99'])];
  for (let r = 0; r < 2; r++) {
    for (let k = 0; k < 5; k++) {
      const x = 150 + k * 182;
      const y = ground - 105 - r * 105;
      const col = (k + r) % 2 === 0 ? colors[0]! : colors[1]!;
      s += rect(x, y, 180, 103, col) + rect(x, y, 180, 8, darken(col, 0.2)) + rect(x, y + 95, 180, 8, darken(col, 0.2));
      s += rect(x + 20, y + 28, 60, 42, windowColor(c)) + rect(x + 100, y + 28, 60, 42, windowColor(c));
    }
  }
  s += poly([[1060, ground], [1060, ground - 8], [1150, ground - 110], [1160, ground - 102], [1075, ground]], '#5c6670');
  s += rect(1058, ground - 112, 110, 8, '#5c6670');
  s += crowd(c, 140, 1000, ground + 80, 1, 5);
  return s;
}

function fireTruck(c: Ctx, x: number, y: number, s: number): string {
  const red = '#c62828';
  let t = rect(x, y - 120 * s, 300 * s, 100 * s, red, ` rx="${n(8 * s)}"`);
  t += rect(x + 300 * s, y - 105 * s, 80 * s, 85 * s, red, ` rx="${n(10 * s)}"`) + rect(x + 318 * s, y - 98 * s, 56 * s, 38 * s, '#b8d3e3');
  for (let k = 0; k < 5; k++) t += rect(x + 14 * s + k * 56 * s, y - 110 * s, 46 * s, 60 * s, '#d9d9d9') + rect(x + 14 * s + k * 56 * s, y - 110 * s, 46 * s, 3 * s, '#bcbcbc');
  t += rect(x, y - 45 * s, 380 * s, 10 * s, '#f4f4f4') + rect(x + 320 * s, y - 115 * s, 44 * s, 10 * s, '#2e6bd6');
  for (const wx of [70, 240, 330]) t += circle(x + wx * s, y - 18 * s, 20 * s, '#222') + circle(x + wx * s, y - 18 * s, 8 * s, '#999');
  return t;
}

function firehouseScene(c: Ctx): string {
  const { rng } = c;
  const ground = 500;
  let s = sky(c) + ridge(c, 380, 60, far(c, '#6f8f62'));
  for (let i = 0; i < 9; i++) s += tree(c, between(rng, 0, W), 400, between(rng, 0.7, 1), rng() < 0.3 ? 'fir' : 'leaf');
  s += grassGround(c, 395) + rect(260, ground, 720, H - ground, '#9a9996');
  const brick = pick(rng, ['#b5573d', '#a4533f', '#9c4a36']);
  s += rect(230, 290, 760, ground - 290, brick) + rect(220, 282, 780, 12, '#5a4a4a');
  s += rect(120, 150, 110, ground - 150, brick) + poly([[110, 152], [175, 92], [240, 152]], '#5a4a4a') + rect(160, 180, 30, 60, windowColor(c));
  for (let k = 0; k < 3; k++) {
    const x = 270 + k * 240;
    const open = k === 1;
    s += rect(x, 340, 200, ground - 340, open ? '#2b2b30' : '#d7d9db');
    if (!open) for (let j = 0; j < 8; j++) s += rect(x, 345 + j * 20, 200, 2, '#a9adb1');
  }
  s += fireTruck(c, between(rng, 330, 560), 610, 1.05);
  s += crowd(c, 20, 250, 640, 1.2, 3) + crowd(c, 960, 1180, 640, 1.2, 3);
  return s;
}

function busScene(c: Ctx): string {
  const { rng } = c;
  let s = sky(c) + ridge(c, 360, 60, far(c, '#6f8f62'));
  s += ridge(c, 430, 50, '#8a9a58', 6);
  for (let k = 0; k < 6; k++) s += poly([[k * 220 - 60, 470], [k * 220 + 160, 450], [k * 220 + 190, 520], [k * 220 - 50, 530]], pick(rng, ['#9aa55c', '#a58b5c', '#7e9a55', '#b59a6a']), op(0.8));
  s += house(c, 80, 470, 120, 80, pick(rng, WALLS), pick(rng, ROOFS)) + house(c, 960, 470, 140, 90, pick(rng, WALLS), pick(rng, ROOFS));
  s += rect(0, 520, W, 100, '#6d6f72') + rect(0, 520, W, 6, '#d9d6cc') + rect(0, 614, W, 6, '#d9d6cc');
  for (let x = 0; x < W; x += 90) s += rect(x, 566, 50, 5, '#eeeeea');
  s += rect(0, 620, W, H - 620, '#7d9652');
  const bx = between(rng, 330, 480);
  const col = pick(rng, ['#2f8f83', '#1f6fa8', '#e0a030', '#6aaa64']);
  s += rect(bx, 440, 360, 140, col, ' rx="22"') + rect(bx + 20, 458, 300, 56, '#2f3c48', ' rx="8"') + rect(bx + 330, 458, 24, 80, '#2f3c48', ' rx="6"');
  for (let k = 1; k < 5; k++) s += rect(bx + 20 + k * 60, 458, 4, 56, col);
  s += rect(bx, 530, 360, 8, lighten(col, 0.4)) + circle(bx + 80, 585, 24, '#222') + circle(bx + 80, 585, 9, '#aaa') + circle(bx + 290, 585, 24, '#222') + circle(bx + 290, 585, 9, '#aaa');
  s += rect(bx + 354, 548, 8, 14, '#ffe08a');
  s += rect(bx + 440, 420, 6, 110, '#5c6670') + circle(bx + 443, 412, 20, '#2e7d32') + circle(bx + 443, 412, 14, '#f2c530');
  s += tree(c, 1120, 520, 1.3) + tree(c, 60, 520, 1.2, 'fir') + person(c, bx + 470, 525, 0.9);
  return s;
}

function turbine(c: Ctx, x: number, y: number, s: number): string {
  const white = c.mood.night ? '#9aa0b8' : '#f3f4f2';
  const hubY = y - 200 * s;
  const angle = between(c.rng, 0, 120);
  let t = poly([[x - 5 * s, y], [x - 2.2 * s, hubY], [x + 2.2 * s, hubY], [x + 5 * s, y]], white);
  t += rect(x - 4 * s, hubY - 5 * s, 16 * s, 9 * s, white, ` rx="${n(3 * s)}"`);
  const blade = `M0 0 L${n(-5 * s)} ${n(-14 * s)} L${n(-1.5 * s)} ${n(-118 * s)} L${n(2 * s)} ${n(-118 * s)} L${n(4 * s)} ${n(-12 * s)} Z`;
  for (let k = 0; k < 3; k++) t += `<path d="${blade}" fill="${white}" transform="translate(${n(x)} ${n(hubY)}) rotate(${n(angle + k * 120)})"/>`;
  return t + circle(x, hubY, 5 * s, darken(white, 0.1));
}

function windparkScene(c: Ctx): string {
  const { rng } = c;
  let s = sky(c) + ridge(c, 360, 50, far(c, '#6f8f62', 0.7));
  const count = 5 + Math.floor(rng() * 3);
  const xs = Array.from({ length: count }, (_, k) => 80 + (k + between(rng, 0.1, 0.8)) * (1040 / count));
  for (const x of xs) s += turbine(c, x, between(rng, 370, 400), between(rng, 0.75, 1.15));
  s += ridge(c, 420, 40, far(c, '#7e9a55', 0.3), 6);
  for (let k = 0; k < 7; k++) {
    const x = k * 190 - 40;
    s += poly([[x, 450], [x + 210, 440], [x + 230, 540], [x - 20, 550]], pick(rng, ['#9aa55c', '#a58b5c', '#7e9a55', '#b59a6a', '#8c7a55']));
  }
  for (let i = 0; i < 16; i++) s += tree(c, between(rng, 0, 500), 460, between(rng, 0.45, 0.6), rng() < 0.5 ? 'fir' : 'leaf');
  s += grassGround(c, 540, '#7f9a50');
  for (let k = 0; k < 4; k++) s += house(c, 640 + k * 140, 600, 110, 70, pick(rng, WALLS), pick(rng, ROOFS));
  s += tree(c, 100, H, 1.8) + tree(c, 540, 640, 1.1, 'bare');
  return s;
}

function villageScene(c: Ctx): string {
  const { rng } = c;
  const ground = 500;
  let s = sky(c) + ridge(c, 380, 60, far(c, '#6f8f62'));
  s += grassGround(c, 420, '#88a05a');
  s += house(c, 20, 470, 160, 110, pick(rng, WALLS), pick(rng, ROOFS)) + house(c, 980, 470, 180, 120, pick(rng, WALLS), pick(rng, ROOFS));
  const stone = pick(rng, ['#cbbfae', '#bfae99', '#d6cbb9']);
  s += rect(330, 300, 360, 170, stone) + poly([[320, 302], [510, 190], [700, 302]], '#5b4a4f');
  s += rect(470, 150, 80, 320, lighten(stone, 0.06)) + poly([[462, 152], [510, 20], [558, 152]], '#3d4a55');
  s += circle(510, 200, 16, '#f2eee4') + rect(496, 260, 28, 60, '#4a4a55') + circle(510, 260, 14, '#4a4a55');
  for (let k = 0; k < 3; k++) s += rect(360 + k * 40, 350, 18, 56, windowColor(c)) + rect(590 + k * 30, 350, 18, 56, windowColor(c));
  s += house(c, 720, 475, 200, 100, pick(rng, WALLS), pick(rng, ROOFS), false);
  s += rect(0, ground, W, H - ground, linear(c, 'green', [[0, '#90a863'], [1, '#6f8a4a']]));
  s += tree(c, 240, 560, 2.1) + tree(c, 1060, 600, 1.7);
  for (let k = 0; k < 3; k++) {
    const px = 640 + k * 110;
    s += rect(px, 470, 6, 90, '#6b5443') + rect(px - 32, 440, 70, 50, pick(rng, ['#f2c530', '#3a8fb7', '#d35f5f', '#6aaa64', '#f4f1ea']));
  }
  s += crowd(c, 380, 980, 630, 1.2, 5);
  return s;
}

function frostScene(c: Ctx): string {
  const { rng } = c;
  let s = sky(c) + ridge(c, 380, 50, '#c9d1dd');
  s += rect(0, 360, W, 60, '#ffffff', op(0.45));
  s += ridge(c, 440, 40, '#e2e8ee', 6);
  for (let i = 0; i < 10; i++) s += tree(c, between(rng, 0, W), between(rng, 430, 450), between(rng, 0.5, 0.8), 'bare', '#8a8f9a');
  s += rect(0, 460, W, H - 460, linear(c, 'frost', [[0, '#eef2f6'], [1, '#cbd6e0']]));
  s += `<path d="M-20 520 C 300 480, 420 600, 700 560 S 1100 520, 1240 600 L1240 660 C 1000 600, 900 640, 700 620 S 300 560, -20 590 Z" fill="${linear(c, 'river', [[0, '#7f9bb5'], [1, '#5d7c98']])}"/>`;
  for (let i = 0; i < 40; i++) s += rect(between(rng, 0, W), between(rng, 470, H), between(rng, 10, 40), 2, '#ffffff', op(0.7));
  s += rect(0, 470, W, 40, '#ffffff', op(0.3));
  for (let x = 20; x < W; x += 110) s += rect(x, 610, 8, 50, '#7a6a5c') + line(x, 622, x + 110, 626, '#7a6a5c', 2);
  s += tree(c, 1040, 660, 2.2, 'bare', '#6f6a70') + tree(c, 150, 650, 1.8, 'bare', '#6f6a70');
  return s;
}

function factoryScene(c: Ctx, name: string): string {
  const { rng } = c;
  const ground = 520;
  let s = sky(c) + ridge(c, 380, 60, far(c, '#6f8f62'));
  for (let i = 0; i < 10; i++) s += tree(c, between(rng, 0, W), 400, between(rng, 0.6, 0.9), rng() < 0.5 ? 'fir' : 'leaf');
  s += grassGround(c, 400, '#86a05a');
  const steam = (x: number, y: number): string => {
    let g = '';
    for (let k = 0; k < 5; k++) g += circle(x + k * 22 + between(rng, -6, 6), y - k * 30, 22 + k * 7, '#f4f5f6');
    return `<g${op(0.75)}>${g}</g>`;
  };
  const hall = pick(rng, ['#c9d1d6', '#d9d4c8', '#b9c4cc']);
  const teeth = 6;
  let d = `M180 ${ground} L180 330`;
  for (let k = 0; k < teeth; k++) d += ` L${180 + k * 100} 290 L${280 + k * 100} 330`;
  d += ` L780 ${ground} Z`;
  s += `<path d="${d}" fill="${hall}"/>`;
  for (let k = 0; k < teeth; k++) s += poly([[180 + k * 100, 292], [190 + k * 100, 292], [190 + k * 100, 326], [180 + k * 100, 330]], '#7f98ab');
  for (let k = 0; k < 7; k++) s += rect(200 + k * 82, 380, 60, 70, windowColor(c));
  s += rect(300, 460, 120, ground - 460, darken(hall, 0.3));
  const accent = pick(rng, ['#2d6a9f', '#2e7d5b', '#c0392b', '#e08a3c']);
  s += rect(180, 340, 600, 16, accent);
  if (/molkerei/.test(name) || rng() < 0.3) {
    for (let k = 0; k < 4; k++) {
      const x = 820 + k * 80;
      const fill = linear(c, `silo${k}`, [[0, '#cfd5da'], [0.4, '#f4f6f8'], [1, '#a9b1b8']], false);
      s += rect(x, 200, 66, ground - 200, fill) + ellipse(x + 33, 200, 33, 10, '#e6eaed');
    }
    s += rect(810, 210, 330, 6, '#8a939b');
  } else {
    s += rect(820, 330, 300, ground - 330, lighten(hall, 0.2));
    for (let r = 0; r < 3; r++) for (let k = 0; k < 6; k++) s += rect(840 + k * 46, 350 + r * 52, 30, 34, windowColor(c));
  }
  s += rect(110, 150, 40, ground - 150, '#a5563f') + rect(104, 150, 52, 14, '#7d3f2f') + steam(130, 120);
  s += rect(0, ground, W, H - ground, '#9a9996');
  if (/klaeranlage/.test(name)) {
    for (let k = 0; k < 3; k++) s += ellipse(220 + k * 330, 600, 140, 40, '#b8bcbf') + ellipse(220 + k * 330, 598, 124, 32, '#5f8fa8');
  } else {
    s += crowd(c, 300, 900, 650, 1.35, 3);
    s += rect(900, 560, 200, 70, '#f2f2f0', ' rx="6"') + rect(1100, 575, 60, 55, accent, ' rx="6"') + circle(950, 632, 16, '#222') + circle(1120, 632, 16, '#222');
  }
  for (let x = 0; x < W; x += 30) s += rect(x, ground - 40, 3, 40, '#6a6f73');
  s += rect(0, ground - 40, W, 3, '#6a6f73');
  return s;
}

function interiorFrame(c: Ctx, wall: string, floor: string, horizon: number): string {
  return rect(0, 0, W, horizon, linear(c, 'wall', [[0, darken(wall, 0.2)], [1, wall]]))
    + poly([[0, H], [0, horizon + 40], [W, horizon + 40], [W, H]], floor)
    + rect(0, horizon, W, 40, darken(wall, 0.1));
}

function workshopScene(c: Ctx): string {
  const { rng } = c;
  let s = interiorFrame(c, pick(rng, ['#d8d4cc', '#cfd6d8', '#e0d8c8']), '#8c8f90', 400);
  for (let k = 0; k < 5; k++) {
    const x = 60 + k * 230;
    s += rect(x, 60, 180, 140, '#a9c3d3') + rect(x + 88, 60, 4, 140, '#6a6f73') + rect(x, 128, 180, 4, '#6a6f73');
  }
  for (let k = 0; k < 4; k++) {
    const x = 150 + k * 300;
    s += line(x, 0, x, 230, '#444', 2) + poly([[x - 30, 260], [x, 230], [x + 30, 260]], '#3e4448') + poly([[x - 30, 260], [x + 30, 260], [x + 140, 600], [x - 140, 600]], '#fff6d6', op(0.08));
  }
  s += rect(40, 250, 300, 140, '#b59b6b');
  for (let i = 0; i < 18; i++) s += rect(60 + (i % 9) * 30, 270 + Math.floor(i / 9) * 60, 6, 40, pick(rng, ['#c0392b', '#444', '#2d6a9f', '#888']));
  const machine = (x: number, col: string): string => rect(x, 300, 240, 150, col, ' rx="6"') + rect(x + 20, 320, 110, 70, '#2f3c48', ' rx="4"') + circle(x + 185, 355, 26, '#d9d9d9') + circle(x + 185, 355, 10, '#555') + rect(x + 10, 450, 30, 60, darken(col, 0.3)) + rect(x + 200, 450, 30, 60, darken(col, 0.3));
  s += machine(400, pick(rng, ['#3a7f5a', '#2d6a9f', '#7a8a99'])) + machine(780, pick(rng, ['#e0a030', '#3a7f5a', '#2d6a9f']));
  s += rect(120, 520, 420, 22, '#9b7a55') + rect(140, 542, 16, 100, '#555') + rect(500, 542, 16, 100, '#555');
  s += rect(700, 560, 420, 22, '#9b7a55') + rect(720, 582, 16, 90, '#555') + rect(1080, 582, 16, 90, '#555');
  s += person(c, 300, 620, 1.7, '#2d4f7c') + person(c, 880, 650, 1.8, '#2d4f7c') + person(c, 640, 560, 1.3, '#e07b24');
  return s;
}

function streetScene(c: Ctx): string {
  const { rng } = c;
  const ground = 520;
  let s = sky(c);
  s += facadeRow(c, -30, 300, ground, 260, 330) + facadeRow(c, 860, 1230, ground, 260, 330);
  const wall = pick(rng, ['#efe0c4', '#e6c9a8', '#dcd3c0']);
  s += rect(300, 150, 560, ground - 150, wall) + poly([[290, 152], [580, 40], [870, 152]], pick(rng, ROOFS));
  for (let k = 0; k < 6; k++) s += rect(330 + k * 88, 190, 40, 60, windowColor(c)) + rect(326 + k * 88, 250, 48, 6, lighten(wall, 0.4));
  const awning = pick(rng, ['#b03a2e', '#2e6b4f', '#c28a2c']);
  for (let k = 0; k < 10; k++) s += poly([[310 + k * 54, 300], [364 + k * 54, 300], [374 + k * 54, 350], [300 + k * 54, 350]], k % 2 === 0 ? awning : '#f4ede0');
  s += rect(330, 360, 300, 140, '#ffe2a8') + rect(330, 360, 300, 140, 'none', ' stroke="#5a4030" stroke-width="8"');
  for (let r = 0; r < 2; r++) for (let k = 0; k < 7; k++) s += ellipse(365 + k * 40, 430 + r * 40, 16, 11, pick(rng, ['#c98a45', '#b5733a', '#d9a25c', '#8a5a2b']));
  s += rect(690, 370, 90, ground - 370, '#5a4030') + circle(770, 450, 4, '#e8c33b');
  s += cobbles(c, ground, '#b8ab98') + rect(0, ground, W, 30, '#d3cbbd');
  s += person(c, 600, 600, 1.6) + person(c, 720, 610, 1.5);
  s += `<g transform="translate(140 560)"><circle cx="0" cy="40" r="34" fill="none" stroke="#333" stroke-width="5"/><circle cx="110" cy="40" r="34" fill="none" stroke="#333" stroke-width="5"/><path d="M0 40 L40 -10 L95 -10 L110 40 M40 -10 L55 40 L95 -10" fill="none" stroke="${pick(rng, CLOTHES)}" stroke-width="6"/></g>`;
  return s;
}

function cheeringPerson(c: Ctx, x: number, y: number, s: number, coat: string): string {
  const arm = (dx: number): string => line(x + dx * 9 * s, y - 50 * s, x + dx * 20 * s, y - 86 * s, coat, 6 * s, ' stroke-linecap="round"');
  return arm(-1) + arm(1) + person(c, x, y, s, coat);
}

/** Handball hall: `goal` looks at one goal from the 9-metre line, `wide` shows the court with a celebrating team. */
function hallScene(c: Ctx, view: 'goal' | 'wide'): string {
  const { rng } = c;
  const horizon = view === 'wide' ? 300 : 330;
  let s = rect(0, 0, W, horizon, '#3b4048');
  for (let k = 0; k < 6; k++) s += rect(40 + k * 200, 40, 140, 24, '#fff8e0') + rect(20 + k * 200, 64, 180, 60, '#fff8e0', op(0.06));
  const home = pick(rng, ['#c0392b', '#2d6a9f', '#2e7d5b']);
  const rows = view === 'wide' ? 4 : 5;
  for (let r = 0; r < rows; r++) {
    const y = horizon - 30 - (rows - r) * 36;
    s += rect(0, y + 22, W, 14, darken('#6b7078', r * 0.05));
    for (let x = 10 + (r % 2) * 12; x < W; x += 24) {
      const col = rng() < 0.45 ? home : pick(rng, CLOTHES);
      s += rect(x - 8, y + 8, 16, 16, col, ' rx="5"') + circle(x, y + 4, 6, pick(rng, ['#f1c9a5', '#d9a77e', '#b98061', '#f4d3b5']));
    }
  }
  if (view === 'wide') {
    s += rect(480, 70, 240, 70, '#1d2026') + rect(500, 86, 80, 38, '#ff5a3c', op(0.85)) + rect(620, 86, 80, 38, '#ffd24a', op(0.85));
    s += line(520, 0, 520, 70, '#222', 3) + line(680, 0, 680, 70, '#222', 3);
  }
  s += rect(0, horizon, W, 30, home);
  const floor = pick(rng, ['#d9a86c', '#cf9c5e', '#e0b27a']);
  s += poly([[0, H], [0, horizon + 30], [W, horizon + 30], [W, H]], linear(c, 'floor', [[0, darken(floor, 0.15)], [1, lighten(floor, 0.1)]]));
  const gw = view === 'wide' ? 170 : 320;
  const gh = gw * 0.62;
  const gcx = view === 'wide' ? 600 : between(rng, 470, 730);
  const gx = gcx - gw / 2;
  const gy = horizon + 30 + gh * 0.1;
  const k6 = gw * 1.3;
  s += `<path d="M${n(gcx - k6)} ${horizon + 30} Q ${n(gcx)} ${n(horizon + 30 + gw * 0.95)} ${n(gcx + k6)} ${horizon + 30}" fill="none" stroke="#f4f4f4" stroke-width="5"/>`;
  s += `<path d="M${n(gcx - k6 * 1.6)} ${horizon + 30} Q ${n(gcx)} ${n(horizon + 30 + gw * 1.4)} ${n(gcx + k6 * 1.6)} ${horizon + 30}" fill="none" stroke="#f4f4f4" stroke-width="4" stroke-dasharray="26 18"/>`;
  if (view === 'wide') s += line(0, H - 40, W, H - 70, '#f4f4f4', 5);
  s += poly([[gx - 10, horizon + 30], [gx + gw + 10, horizon + 30], [gx + gw + 40, gy + 20], [gx - 40, gy + 20]], '#3a8fb7', op(0.3));
  const mesh = gw / 20;
  for (let x = gx; x <= gx + gw + 0.1; x += mesh) s += line(x, gy - gh, x, gy, '#ffffff', 1, op(0.45));
  for (let y = gy - gh; y <= gy + 0.1; y += mesh) s += line(gx, y, gx + gw, y, '#ffffff', 1, op(0.45));
  const seg = gh / 10;
  const bar = gw * 0.04;
  for (let k = 0; k < 10; k++) {
    const col = k % 2 === 0 ? '#d32f2f' : '#f4f4f4';
    s += rect(gx - bar, gy - gh + k * seg, bar, seg, col) + rect(gx + gw, gy - gh + k * seg, bar, seg, col);
  }
  for (let k = 0; k * seg < gw + 2 * bar; k++) s += rect(gx - bar + k * seg, gy - gh - bar, Math.min(seg, gx + gw + bar - (gx - bar + k * seg)), bar, k % 2 === 0 ? '#d32f2f' : '#f4f4f4');
  const keeper = pick(rng, ['#e0a030', '#6aaa64', '#8e44ad']);
  s += person(c, gcx + between(rng, -gw * 0.25, gw * 0.25), gy + 10, gw / 140, keeper);
  if (view === 'wide') {
    const cx = between(rng, 380, 820);
    for (let k = 0; k < 7; k++) s += cheeringPerson(c, cx + (k - 3) * 52 + between(rng, -12, 12), 600 + between(rng, -20, 25), between(rng, 1.9, 2.3), home);
    s += person(c, 130, 560, 1.9, pick(rng, ['#f4f4f4', '#222831'])) + person(c, 1080, 575, 2, pick(rng, ['#f4f4f4', '#222831']));
  } else {
    s += person(c, between(rng, 180, 320), 630, 2.6, home) + person(c, between(rng, 880, 1000), 640, 2.5, pick(rng, ['#f4f4f4', '#222831', '#e0a030']));
    s += person(c, between(rng, 720, 840), 600, 2.1, home);
    const balls = view === 'goal' && rng() < 0.5 ? 4 : 1;
    for (let k = 0; k < balls; k++) s += circle(between(rng, 300, 900), between(rng, 440, 600), 15, '#f2e3c0');
  }
  return s;
}

function stadiumScene(c: Ctx): string {
  const { rng } = c;
  let s = sky(c);
  for (let i = 0; i < 12; i++) s += tree(c, between(rng, 0, W), 270, between(rng, 0.7, 1), rng() < 0.5 ? 'fir' : 'leaf');
  const club = pick(rng, ['#c0392b', '#2d6a9f', '#2e7d5b', '#e0a030']);
  s += poly([[120, 380], [200, 250], [1000, 250], [1080, 380]], '#6b7078');
  for (let r = 0; r < 6; r++) s += rect(150 + r * 12, 262 + r * 20, 900 - r * 24, 10, r % 2 === 0 ? club : lighten(club, 0.25));
  s += poly([[170, 250], [1030, 250], [1060, 225], [140, 225]], '#9aa1a8') + rect(140, 218, 920, 8, '#5c6670');
  for (const x of [60, 1140]) s += rect(x - 5, 90, 10, 300, '#6b7078') + rect(x - 40, 70, 80, 36, '#d9dde0') + rect(x - 36, 74, 72, 28, c.mood.night ? '#fff6cc' : '#eef1f3');
  s += rect(0, 380, W, H - 380, '#4f8a3e');
  for (let k = 0; k < 8; k++) s += poly([[k * 170 - 200, H], [k * 150, 380], [k * 150 + 75, 380], [k * 170 - 115, H]], '#5c9a48');
  s += line(600, 380, 600, H, '#f4f4f4', 4) + `<ellipse cx="600" cy="500" rx="170" ry="60" fill="none" stroke="#f4f4f4" stroke-width="4"/>`;
  s += line(0, 392, W, 392, '#f4f4f4', 4);
  s += crowd(c, 200, 1000, 600, 1.3, 3);
  return s;
}

function stageScene(c: Ctx): string {
  const { rng } = c;
  let s = rect(0, 0, W, H, '#17131b');
  s += rect(160, 70, 880, 400, pick(rng, ['#6b8fb3', '#b8c9d9', '#9fb7a8']));
  s += ridge(c, 400, 50, '#7f9a50', 5).replace(/fill="/, 'opacity="0.9" fill="');
  s += rect(0, 0, W, 70, '#17131b');
  const red = pick(rng, ['#9e1b2f', '#8a1c3a', '#a3262a']);
  const curtain = (x0: number, w: number): string => {
    let g = '';
    for (let k = 0; k < 8; k++) g += rect(x0 + (k * w) / 8, 0, w / 8 + 1, 520, k % 2 === 0 ? red : darken(red, 0.25));
    return g;
  };
  s += curtain(0, 200) + curtain(1000, 200);
  for (let k = 0; k < 24; k++) s += `<path d="M${k * 50} 0 L${k * 50 + 50} 0 L${k * 50 + 50} 70 Q ${k * 50 + 25} 100 ${k * 50} 70 Z" fill="${k % 2 === 0 ? red : darken(red, 0.2)}"/>`;
  s += poly([[0, 520], [120, 460], [1080, 460], [1200, 520]], '#7a5234') + rect(0, 520, W, 30, '#4a3020');
  for (let k = 1; k < 12; k++) s += line(k * 100, 520, 120 + k * 80, 460, '#6a4630', 2);
  const hx = between(rng, 220, 320);
  s += house(c, hx, 462, 240, 170, pick(rng, WALLS), pick(rng, ROOFS));
  const sheepX = between(rng, 760, 900);
  s += ellipse(sheepX, 440, 50, 30, '#f4f1ea') + circle(sheepX - 30, 420, 18, '#f4f1ea') + circle(sheepX + 30, 425, 20, '#f4f1ea') + ellipse(sheepX + 55, 432, 14, 11, '#2b2b2b');
  for (const dx of [-30, -10, 15, 35]) s += rect(sheepX + dx, 460, 6, 14, '#2b2b2b');
  s += person(c, 560, 500, 2.1, '#6b8f4e') + person(c, 680, 505, 2.2, '#8e6a9e') + person(c, 460, 498, 1.9, '#d8a21c');
  for (const x of [300, 650, 950]) s += poly([[x - 25, 0], [x + 25, 0], [x + 170, 520], [x - 170, 520]], '#fff4cf', op(0.1));
  for (let x = -10; x < W + 20; x += 46) s += circle(x + between(rng, -6, 6), 640 + between(rng, -8, 8), 30, '#0b090e') + rect(x - 34, 650, 68, 40, '#0b090e', ' rx="16"');
  return s;
}

function libraryScene(c: Ctx): string {
  const { rng } = c;
  let s = rect(0, 0, W, H, '#3a2f3a') + rect(0, 470, W, H - 470, '#4a4060');
  const bookColors = ['#c0392b', '#2d6a9f', '#2e7d5b', '#e0a030', '#8e44ad', '#d35f5f', '#3a8fb7', '#6aaa64', '#b5733a', '#e8c33b', '#f4f1ea'];
  for (let u = 0; u < 4; u++) {
    const ux = 20 + u * 295;
    s += rect(ux, 40, 280, 440, '#6b4a32');
    for (let r = 0; r < 5; r++) {
      const sy = 60 + r * 84;
      s += rect(ux + 10, sy, 260, 78, '#2a1f1a');
      for (let x = ux + 12; x < ux + 262;) {
        const bw = between(rng, 9, 18);
        const bh = between(rng, 50, 74);
        s += rect(x, sy + 78 - bh, bw - 1.5, bh, darken(pick(rng, bookColors), 0.25));
        x += bw;
      }
      s += rect(ux + 6, sy + 76, 268, 8, '#7b5a40');
    }
  }
  s += rect(0, 0, W, H, '#0d1024', op(0.35));
  s += poly([[700, 560], [1180, 250], [1200, 420]], '#fff1b8', op(0.22));
  s += circle(700, 560, 120, radial(c, 'torch', '#ffe6a0', 0.5, 0));
  s += ellipse(430, 610, 190, 60, '#3a6b8f') + ellipse(820, 620, 170, 55, '#8e4f7a');
  s += ellipse(430, 575, 160, 40, '#4a7fa5') + circle(360, 560, 20, '#f1c9a5') + `<path d="M340 560 a20 20 0 0 1 40 0 Z" fill="#6b4a2f"/>`;
  s += rect(390, 545, 60, 40, '#e0a030') + rect(420, 545, 3, 40, '#8a5a20');
  s += ellipse(800, 585, 150, 40, '#a35d8c') + circle(740, 568, 20, '#d9a77e') + `<path d="M720 568 a20 20 0 0 1 40 0 Z" fill="#2a2a2a"/>`;
  s += rect(680, 585, 40, 16, '#333') + circle(720, 593, 8, '#fff4c0');
  return s;
}

function millScene(c: Ctx): string {
  const { rng } = c;
  let s = sky(c) + ridge(c, 360, 50, far(c, '#6f8f62'));
  const brick = pick(rng, ['#a24b36', '#9c4a36', '#b05a3e']);
  s += rect(220, 300, 820, 190, brick) + poly([[210, 302], [280, 240], [980, 240], [1050, 302]], '#4e4a50');
  for (let r = 0; r < 2; r++) for (let k = 0; k < 12; k++) {
    const x = 250 + k * 66;
    const y = 325 + r * 80;
    s += rect(x, y, 34, 50, windowColor(c)) + circle(x + 17, y, 17, windowColor(c)) + `<path d="M${x - 3} ${y} a20 20 0 0 1 40 0" fill="none" stroke="${lighten(brick, 0.3)}" stroke-width="4"/>`;
  }
  s += rect(120, 90, 60, 400, brick) + rect(112, 90, 76, 16, darken(brick, 0.3));
  for (let k = 0; k < 4; k++) s += rect(120, 150 + k * 80, 60, 6, lighten(brick, 0.25));
  s += rect(600, 200, 80, 100, brick) + poly([[592, 202], [640, 160], [688, 202]], '#4e4a50') + circle(640, 240, 18, '#f2eee4');
  s += rect(0, 480, W, 40, '#7f9a50');
  const water = pick(rng, ['#5a8aa6', '#4f7fa0']);
  s += rect(0, 520, W, H - 520, linear(c, 'water', [[0, water], [1, darken(water, 0.3)]]));
  s += `<g transform="translate(0 1040) scale(1 -1)"${op(0.22)}>${rect(220, 300, 820, 190, brick)}${rect(120, 90, 60, 400, brick)}</g>`;
  for (let i = 0; i < 24; i++) s += rect(between(rng, -40, W), between(rng, 530, H), between(rng, 40, 150), 2.5, lighten(water, 0.4), op(0.5));
  s += tree(c, 1120, 500, 1.6) + tree(c, 40, 500, 1.3);
  return s;
}

function riversideScene(c: Ctx): string {
  const { rng } = c;
  let s = sky(c) + ridge(c, 360, 50, far(c, '#6f8f62'));
  s += facadeRow(c, 700, 1080, 380, 40, 70).replace(/<rect/g, `<rect opacity="0.85"`);
  s += poly([[900, 380], [900, 270], [915, 220], [930, 270], [930, 380]], far(c, '#8a7b6b', 0.3));
  const water = pick(rng, ['#5a8aa6', '#4f7fa0']);
  s += rect(0, 380, W, 80, linear(c, 'water', [[0, lighten(water, 0.2)], [1, water]]));
  s += `<path d="M-20 500 Q 600 410 1220 470 L1220 ${H} L-20 ${H} Z" fill="#8aa35a"/>`;
  s += `<path d="M-20 496 Q 600 406 1220 466 L1220 480 Q 600 420 -20 512 Z" fill="#d8cbb0"/>`;
  s += rect(0, 560, W, H - 560, linear(c, 'meadow', [[0, '#7f9a50'], [1, '#637e3e']]));
  for (let i = 0; i < 22; i++) {
    const t = between(rng, 0, 1);
    const x = -20 + t * 1240;
    const y = (1 - t) * (1 - t) * 506 + 2 * (1 - t) * t * 414 + t * t * 474;
    const sc = between(rng, 0.55, 0.75);
    s += person(c, x, y, sc, '#c62828') + poly([[x - 7 * sc, y - 72 * sc], [x, y - 90 * sc], [x + 7 * sc, y - 72 * sc]], '#c62828') + circle(x, y - 90 * sc, 2.5 * sc, '#ffffff') + ellipse(x, y - 60 * sc, 7 * sc, 6 * sc, '#ffffff');
  }
  s += tree(c, 90, 640, 1.5, 'bare') + tree(c, 1130, 650, 1.7);
  return s;
}

// ---------------------------------------------------------------------------
// Picking a scene for a file name

type SceneName = 'townhall' | 'bridge' | 'market' | 'xmas' | 'school' | 'containers' | 'firehouse' | 'bus' | 'windpark' | 'village'
  | 'frost' | 'factory' | 'workshop' | 'street' | 'hall' | 'stadium' | 'stage' | 'library' | 'mill' | 'riverside';

const SCENE_RULES: ReadonlyArray<readonly [RegExp, SceneName]> = [
  [/weihnacht|advent/, 'xmas'],
  [/container/, 'containers'],
  [/theater|buehne/, 'stage'],
  [/rathaus|stadtrat|ratssaal/, 'townhall'],
  [/bruecke/, 'bridge'],
  [/markt|gemuese/, 'market'],
  [/gymnasium|schule/, 'school'],
  [/feuerwehr/, 'firehouse'],
  [/bus/, 'bus'],
  [/wind/, 'windpark'],
  [/dorf/, 'village'],
  [/frost|winter|schnee/, 'frost'],
  [/werkstatt/, 'workshop'],
  [/molkerei|werkhalle|stadtwerke|fabrik|klaeranlage/, 'factory'],
  [/baeckerei|laden|strasse/, 'street'],
  [/hsg|training|handball|(^|-)tor(-|$)/, 'hall'],
  [/stadion|fussball|sportplatz/, 'stadium'],
  [/bibliothek|lesen/, 'library'],
  [/museum|weberei/, 'mill'],
  [/lauf|aue|ufer|fluss/, 'riverside'],
];
const ALL_SCENES: readonly SceneName[] = [...new Set(SCENE_RULES.map(([, s]) => s))];

export function sceneFor(name: string): SceneName {
  const base = name.replace(/\.jpg$/, '');
  for (const [re, scene] of SCENE_RULES) if (re.test(base)) return scene;
  return pick(seededRng(hashName(base) ^ 0x5bd1e995), ALL_SCENES);
}

const INDOOR_SCENES: ReadonlySet<SceneName> = new Set(['workshop', 'hall', 'stage', 'library']);

/** The SVG source of one picture; the file name picks the scene, its hash the details and colours. */
export function composePhotoSvg(name: string): string {
  const scene = sceneFor(name);
  const base = name.replace(/\.jpg$/, '');
  const rng = seededRng(hashName(name));
  const mood = INDOOR_SCENES.has(scene) ? INDOOR : scene === 'xmas' ? NIGHT : scene === 'frost' ? FROSTY : pick(rng, MOODS);
  const c: Ctx = { rng, mood, defs: [] };
  const body = ((): string => {
    switch (scene) {
      case 'townhall': return townhallScene(c);
      case 'bridge': return bridgeScene(c);
      case 'market': return marketScene(c);
      case 'xmas': return xmasScene(c);
      case 'school': return /grund/.test(base) ? villageSchoolScene(c) : schoolScene(c);
      case 'containers': return containerScene(c);
      case 'firehouse': return firehouseScene(c);
      case 'bus': return busScene(c);
      case 'windpark': return windparkScene(c);
      case 'village': return villageScene(c);
      case 'frost': return frostScene(c);
      case 'factory': return factoryScene(c, base);
      case 'workshop': return workshopScene(c);
      case 'street': return streetScene(c);
      case 'hall': return hallScene(c, /(^|-)(tor|training)(-|$)/.test(base) ? 'goal' : 'wide');
      case 'stadium': return stadiumScene(c);
      case 'stage': return stageScene(c);
      case 'library': return libraryScene(c);
      case 'mill': return millScene(c);
      case 'riverside': return riversideScene(c);
    }
  })();
  const overlay = vignette(c);
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}"><defs>${c.defs.join('')}</defs>${body}${overlay}</svg>`;
}
