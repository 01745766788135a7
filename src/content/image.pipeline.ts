// The image pipeline: checks a source by its content, then makes every responsive width in AVIF, WebP and JPEG with
// sharp — oriented, in sRGB, without EXIF/GPS — one image at a time (decision 019).
import sharp, { type Metadata, type Sharp } from 'sharp';
import { DomainError } from '../domain-error.ts';
import { IMAGE_FORMATS, imageWidths, MAX_IMAGE_WIDTH, type ImageFormat } from './image-variants.ts';

export const MAX_SOURCE_BYTES = 20 * 1024 * 1024;
/** A 20 MB PNG can hold a billion flat pixels; 60 megapixels covers every camera a newsroom uses. */
export const MAX_SOURCE_PIXELS = 60_000_000;

export type SourceType = 'image/jpeg' | 'image/png' | 'image/webp';
const SHARP_FORMAT: Readonly<Record<SourceType, string>> = { 'image/jpeg': 'jpeg', 'image/png': 'png', 'image/webp': 'webp' };

/**
 * Encoder settings, tuned on the 12-megapixel benchmark photo (bench/image.bench.ts) and the demo pictures, in CPU
 * time for all AVIF widths: effort 4 took 4.8 s (12 MP) and 2.6 s (a demo picture), effort 3 1.0 s and 0.78 s,
 * effort 2 0.68 s and 0.35 s for 3 % more bytes than effort 3 — AVIF is most of the pipeline's work.
 */
const ENCODERS: Readonly<Record<ImageFormat, (s: Sharp) => Sharp>> = {
  avif: (s) => s.avif({ quality: 50, effort: 2 }),
  webp: (s) => s.webp({ quality: 75, effort: 4 }),
  // JPEG has no alpha: transparent parts of a PNG or WebP become white, not black
  jpg: (s) => s.flatten({ background: '#ffffff' }).jpeg({ quality: 78, mozjpeg: true }),
};
/** Encodes running at once inside one image's work: both cores, while two of libuv's four threads stay free for file reads and DNS. */
const PARALLEL_ENCODES = 2;

/** What the bytes are, by their first bytes alone; the file name and the declared type are never asked. */
export function sniffImageType(bytes: Uint8Array): SourceType | undefined {
  const at = (i: number, ...b: number[]) => b.every((x, k) => bytes[i + k] === x);
  if (at(0, 0xff, 0xd8, 0xff)) return 'image/jpeg';
  if (at(0, 0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return 'image/png';
  if (at(0, 0x52, 0x49, 0x46, 0x46) && at(8, 0x57, 0x45, 0x42, 0x50)) return 'image/webp';
  return undefined;
}

const unsupported = (what: string) => new DomainError('unsupported-type',
  `${what} Bitte laden Sie ein Foto als JPEG, PNG oder WebP hoch.`, 'file');

export interface CheckedSource { type: SourceType; width: number; height: number }

/** Size, type (by content) and dimensions of a source: 413 past 20 MB, 415 for anything but a readable JPEG, PNG or WebP. */
export async function checkSource(bytes: Buffer): Promise<CheckedSource> {
  if (bytes.length > MAX_SOURCE_BYTES) throw new DomainError('too-large', `Die Datei ist größer als ${MAX_SOURCE_BYTES / 1024 / 1024} MB. Bitte verkleinern Sie das Bild vor dem Hochladen.`, 'file');
  if (bytes.length === 0) throw unsupported('Die Datei ist leer.');
  const type = sniffImageType(bytes);
  if (!type) throw unsupported('Diese Datei ist kein unterstütztes Bild (ihr Inhalt ist weder JPEG noch PNG noch WebP, gleich wie sie heißt).');
  let meta: Metadata;
  try {
    meta = await sharp(bytes, { failOn: 'error', limitInputPixels: false }).metadata();
  } catch {
    throw unsupported('Das Bild ist beschädigt oder unvollständig und lässt sich nicht lesen.');
  }
  if (meta.format !== SHARP_FORMAT[type] || !meta.width || !meta.height) throw unsupported('Das Bild lässt sich nicht lesen.');
  if (meta.width * meta.height > MAX_SOURCE_PIXELS) {
    throw new DomainError('too-large', `Das Bild hat ${Math.round((meta.width * meta.height) / 1e6)} Megapixel; höchstens ${MAX_SOURCE_PIXELS / 1e6} sind möglich.`, 'file');
  }
  const { width, height } = meta.autoOrient;
  return { type, width, height };
}

export interface EncodedVariant { format: ImageFormat; width: number; data: Buffer }
export interface EncodedImage { width: number; height: number; variants: EncodedVariant[] }

async function inPool<T>(size: number, tasks: (() => Promise<T>)[]): Promise<T[]> {
  const out: T[] = new Array(tasks.length);
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(size, tasks.length) }, async () => {
    while (next < tasks.length) {
      const i = next++;
      out[i] = await tasks[i]!();
    }
  }));
  return out;
}

/**
 * Every width of `imageWidths` in every format. The source is decoded once (JPEG shrink-on-load), oriented by its
 * EXIF tag, turned into sRGB pixels and scaled to the largest width; the variants are made from those pixels, so no
 * metadata of the source (EXIF, GPS, XMP, ICC) can reach an output file. Never enlarges. Call inside `imageWork`.
 */
export async function encodeVariants(bytes: Buffer, formats: readonly ImageFormat[] = IMAGE_FORMATS): Promise<EncodedImage> {
  const { data, info } = await sharp(bytes, { failOn: 'error', limitInputPixels: MAX_SOURCE_PIXELS })
    .rotate()
    .resize({ width: MAX_IMAGE_WIDTH, withoutEnlargement: true })
    .toColourspace('srgb')
    .raw({ depth: 'uchar' })
    .toBuffer({ resolveWithObject: true });
  const raw = { width: info.width, height: info.height, channels: info.channels };
  const widths = imageWidths(info.width);
  const tasks = widths.flatMap((w) => formats.map((format) => async (): Promise<EncodedVariant> => {
    let s = sharp(data, { raw });
    if (w !== info.width) s = s.resize({ width: w });
    return { format, width: w, data: await ENCODERS[format](s).toBuffer() };
  }));
  return { width: info.width, height: info.height, variants: await inPool(PARALLEL_ENCODES, tasks) };
}

/**
 * One image's work at a time, first come first served: two big uploads (or an import) take one image's worth of
 * CPU, never both cores' threads at once, and page serving keeps running. A long queue is refused (503) rather than
 * kept waiting.
 */
export class ImageWorkGate {
  private active = 0;
  private readonly waiting: (() => void)[] = [];
  constructor(private readonly slots: number, private readonly maxWaiting: number) {}

  get queued(): number { return this.waiting.length; }
  get running(): number { return this.active; }

  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.active >= this.slots) {
      if (this.waiting.length >= this.maxWaiting) {
        throw Object.assign(new DomainError('busy', 'Gerade werden viele Bilder verarbeitet. Bitte versuchen Sie es in einer Minute noch einmal.', 'file'), { retryAfterSeconds: 30 });
      }
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else {
      this.active++;
    }
    try {
      return await work();
    } finally {
      const next = this.waiting.shift();
      if (next) next(); else this.active--;
    }
  }
}

/** The process's one gate for image encoding: uploads, imports, the demo seed and the late variants of old images. */
export const imageWork = new ImageWorkGate(1, 16);
