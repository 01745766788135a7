// Images on local disk under the data dir: content-addressed (one row per source sha256), every variant a file
// `<id>-<width>.<avif|webp|jpg>` (0600), made by the one pipeline for uploads, imports and the demo seed.
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { newId, nowIso, sha256 } from '../db/ids.ts';
import { PRIVATE_DIR_MODE, PRIVATE_FILE_MODE } from '../db/private-files.ts';
import { DomainError } from '../domain-error.ts';
import { ContentError } from './content.errors.ts';
import { checkSource, encodeVariants, imageWork, MAX_SOURCE_BYTES, type EncodedVariant, type SourceType } from './image.pipeline.ts';
import {
  imageWidths, isComplete, LEGACY_WIDTHS, parseVariantFileName, parseVariantSet, variantFileName, widthAtMost, type ImageFormat, type VariantSet,
} from './image-variants.ts';

type Db = Kysely<Database>;

export interface PreparedImage {
  sha: string;
  /** '' when only the stored row is known (the source was seen before) */
  type: SourceType | '';
  fileName: string;
  width: number;
  height: number;
  /** the files to write; empty when the image is stored already with all its variants */
  variants: EncodedVariant[];
}

export function imageFile(dataDir: string, imageId: string, width: number, format: ImageFormat = 'jpg'): string {
  return path.join(dataDir, 'images', variantFileName(imageId, width, format));
}

/** A file name as people gave it, for the library: no directories, no control characters, at most 200 characters. */
export function cleanFileName(name: string | undefined): string {
  const base = (name ?? '').split(/[/\\]/).pop() ?? '';
  return base.replace(/[\u0000-\u001f\u007f]/g, '').trim().slice(0, 200);
}

const findBySha = (db: Db, sha: string) =>
  db.selectFrom('images').select(['id', 'width', 'height', 'variants']).where('sha256', '=', sha).executeTakeFirst();

/**
 * Checks and encodes a source (outside any transaction: the encoding takes a second). A source stored before with
 * all its variants is not encoded again; one stored before the media library (JPEG 640/1200) is, from this source.
 */
export async function prepareImageBytes(db: Db, bytes: Buffer, fileName: string): Promise<PreparedImage> {
  const checked = await checkSource(bytes);
  const sha = sha256(bytes);
  const known = await findBySha(db, sha);
  if (known && isComplete(parseVariantSet(known.variants), known.width)) {
    return { sha, type: '', fileName, width: known.width, height: known.height, variants: [] };
  }
  const encoded = await imageWork.run(() => encodeVariants(bytes));
  return { sha, type: checked.type, fileName, width: encoded.width, height: encoded.height, variants: encoded.variants };
}

/** Reads and checks an image file for the import; `field` names it in errors. */
export async function prepareImage(db: Db, file: string, field: string): Promise<PreparedImage> {
  let data: Buffer;
  try {
    const stat = await fs.stat(file);
    if (stat.size > MAX_SOURCE_BYTES) throw new ContentError('invalid-import', `${field}: image is larger than 20 MB`);
    data = await fs.readFile(file);
  } catch (e) {
    if (e instanceof ContentError) throw e;
    throw new ContentError('invalid-import', `${field}: image file not found (${path.basename(file)})`);
  }
  try {
    return await prepareImageBytes(db, data, cleanFileName(file));
  } catch (e) {
    if (e instanceof DomainError && e.code === 'too-large') throw new ContentError('invalid-import', `${field}: image is too large (${e.message})`);
    if (e instanceof DomainError && e.code === 'unsupported-type') throw new ContentError('invalid-import', `${field}: not a readable JPEG, PNG or WebP image`);
    throw e;
  }
}

async function writeVariants(dataDir: string, imageId: string, variants: readonly EncodedVariant[]): Promise<void> {
  // Served only through the app (/bilder/…): like the rest of the data directory, nobody else on the machine needs them.
  await fs.mkdir(path.join(dataDir, 'images'), { recursive: true, mode: PRIVATE_DIR_MODE });
  await Promise.all(variants.map(async (v) => {
    const target = imageFile(dataDir, imageId, v.width, v.format);
    const tmp = `${target}.${process.pid}.${newId()}.tmp`;
    await fs.writeFile(tmp, v.data, { mode: PRIVATE_FILE_MODE });
    await fs.rename(tmp, target);
  }));
}

function mergeVariants(set: VariantSet, variants: readonly EncodedVariant[]): string {
  const out: VariantSet = {};
  for (const [f, list] of Object.entries(set) as [ImageFormat, number[]][]) out[f] = [...list];
  for (const v of variants) if (!out[v.format]?.includes(v.width)) (out[v.format] ??= []).push(v.width);
  for (const list of Object.values(out)) list.sort((a, b) => a - b);
  return JSON.stringify(out);
}

export interface StoreOptions { uploadedBy?: string | null; caption?: string; credit?: string; now?: Date }

/**
 * Writes the variants (files first, then the row: a row never names a missing file) and returns the image id;
 * the same source again gives the same id. Library defaults (caption, credit) are set only on a new row.
 */
export async function storeImage(db: Db, dataDir: string, img: PreparedImage, o: StoreOptions = {}): Promise<string> {
  const existing = await findBySha(db, img.sha);
  if (existing && img.variants.length === 0) return existing.id;
  if (!existing && img.variants.length === 0) throw new Error(`image ${img.sha} was prepared as stored, but is not`);
  const id = existing?.id ?? newId();
  await writeVariants(dataDir, id, img.variants);
  if (existing) {
    // an image from before the media library, now with all variants from its source
    await db.updateTable('images').set({
      width: img.width, height: img.height, source_type: img.type,
      variants: mergeVariants(parseVariantSet(existing.variants), img.variants),
    }).where('id', '=', id).execute();
    return id;
  }
  await db.insertInto('images').values({
    id, file: `${id}.jpg`, width: img.width, height: img.height, sha256: img.sha, created_at: nowIso(o.now),
    original_name: img.fileName, source_type: img.type, caption: o.caption ?? '', credit: o.credit ?? '',
    uploaded_by: o.uploadedBy ?? null, variants: mergeVariants({}, img.variants),
  }).onConflict((oc) => oc.column('sha256').doNothing()).execute();
  const stored = (await findBySha(db, img.sha))!;
  // another process stored the same source meanwhile: its files serve, ours go
  if (stored.id !== id) await Promise.all(img.variants.map((v) => fs.rm(imageFile(dataDir, id, v.width, v.format), { force: true })));
  return stored.id;
}

/**
 * An upload: checked, encoded and stored, one image at a time (the gate), outside any transaction. Returns the
 * image id and whether the source was new.
 */
export async function uploadImage(db: Db, dataDir: string, bytes: Buffer, o: { fileName: string; uploadedBy: string; now?: Date }): Promise<{ id: string; created: boolean }> {
  const fileName = cleanFileName(o.fileName);
  const before = await findBySha(db, sha256(bytes));
  const prepared = await prepareImageBytes(db, bytes, fileName);
  const id = await storeImage(db, dataDir, prepared, { uploadedBy: o.uploadedBy, ...(o.now ? { now: o.now } : {}) });
  return { id, created: !before };
}

/**
 * Makes the variants pages name but the disk lacks, from the largest JPEG there: images from before the media
 * library have JPEG 640/1200 only. False when there is no such image or nothing to make it from.
 */
export async function ensureVariants(db: Db, dataDir: string, imageId: string): Promise<boolean> {
  const load = () => db.selectFrom('images').select(['id', 'width', 'variants']).where('id', '=', imageId).executeTakeFirst();
  const first = await load();
  if (!first) return false;
  if (isComplete(parseVariantSet(first.variants), first.width)) return true;
  return imageWork.run(async () => {
    const row = await load(); // another request may have made them while this one waited
    if (!row) return false;
    const set = parseVariantSet(row.variants);
    if (isComplete(set, row.width)) return true;
    const source = [...(set.jpg ?? []), ...LEGACY_WIDTHS].sort((a, b) => b - a);
    let bytes: Buffer | undefined;
    for (const w of source) {
      bytes = await fs.readFile(imageFile(dataDir, row.id, w)).catch(() => undefined);
      if (bytes) break;
    }
    if (!bytes) return false;
    const encoded = await encodeVariants(bytes);
    // what the disk has stays (no second JPEG generation of the same picture); the widths follow the stored width
    const wanted = new Set(imageWidths(row.width));
    const missing = encoded.variants.filter((v) => wanted.has(v.width) && !set[v.format]?.includes(v.width));
    await writeVariants(dataDir, row.id, missing);
    await db.updateTable('images').set({ variants: mergeVariants(set, missing) }).where('id', '=', row.id).execute();
    return true;
  });
}

/**
 * The bytes of a variant by its file name under /bilder/ (strict: `parseVariantFileName`), completing old images on
 * the way. The names of the old pipeline (`-640.jpg`, `-1200.jpg`) keep answering for every image with its JPEG at
 * most that wide, so links from before (feeds, caches, editors) stay good. Undefined: no such image or variant.
 */
export async function readImageVariant(db: Db, dataDir: string, name: string): Promise<{ data: Buffer; format: ImageFormat } | undefined> {
  const v = parseVariantFileName(name);
  if (!v) return undefined;
  const read = (w: number) => fs.readFile(imageFile(dataDir, v.imageId, w, v.format)).catch(() => undefined);
  let data = await read(v.width);
  if (!data && await ensureVariants(db, dataDir, v.imageId)) {
    data = await read(v.width);
    if (!data && v.format === 'jpg' && (LEGACY_WIDTHS as readonly number[]).includes(v.width)) {
      const row = await db.selectFrom('images').select('width').where('id', '=', v.imageId).executeTakeFirst();
      if (row) data = await read(widthAtMost(row.width, v.width));
    }
  }
  return data && { data, format: v.format };
}

/** The largest JPEG of an image on disk (export): its own width, or a legacy `-1200.jpg`. */
export async function largestJpegFile(dataDir: string, imageId: string, width: number): Promise<string> {
  for (const w of [width, ...LEGACY_WIDTHS.slice().reverse()]) {
    const file = imageFile(dataDir, imageId, w);
    try { await fs.access(file); return file; } catch { /* next */ }
  }
  return imageFile(dataDir, imageId, width);
}
