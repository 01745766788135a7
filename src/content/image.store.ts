// Images on local disk under the data dir: content-addressed, normalised to JPEG, with a small variant for lists.
import fs from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { newId, nowIso, sha256 } from '../db/ids.ts';
import { PRIVATE_DIR_MODE, PRIVATE_FILE_MODE } from '../db/private-files.ts';
import { ContentError } from './content.errors.ts';

export const IMAGE_WIDTHS = [640, 1200] as const;
const MAX_SOURCE_BYTES = 20 * 1024 * 1024;

export interface PreparedImage { sha: string; width: number; height: number; variants: Map<number, Buffer> }

/** Reads and checks an image file without writing anything; `field` names it in errors. */
export async function prepareImage(file: string, field: string): Promise<PreparedImage> {
  let data: Buffer;
  try {
    const stat = await fs.stat(file);
    if (stat.size > MAX_SOURCE_BYTES) throw new ContentError('invalid-import', `${field}: image is larger than 20 MB`);
    data = await fs.readFile(file);
  } catch (e) {
    if (e instanceof ContentError) throw e;
    throw new ContentError('invalid-import', `${field}: image file not found (${path.basename(file)})`);
  }
  const sha = sha256(data);
  try {
    const base = sharp(data, { failOn: 'error' }).rotate();
    const meta = await base.metadata();
    if (!meta.width || !meta.height) throw new Error('no size');
    const variants = new Map<number, Buffer>();
    for (const w of IMAGE_WIDTHS) {
      variants.set(w, await base.clone().resize({ width: Math.min(w, meta.width), withoutEnlargement: true }).jpeg({ quality: 78, mozjpeg: true }).toBuffer());
    }
    const width = Math.min(meta.width, IMAGE_WIDTHS[IMAGE_WIDTHS.length - 1]!);
    return { sha, width, height: Math.round((meta.height * width) / meta.width), variants };
  } catch {
    throw new ContentError('invalid-import', `${field}: not a readable JPEG, PNG or WebP image`);
  }
}

export function imageFile(dataDir: string, imageId: string, width: number): string {
  return path.join(dataDir, 'images', `${imageId}-${width}.jpg`);
}

/** Writes the variants (idempotent by content hash) and returns the image id. */
export async function storeImage(db: Kysely<Database>, dataDir: string, img: PreparedImage): Promise<string> {
  const existing = await db.selectFrom('images').select('id').where('sha256', '=', img.sha).executeTakeFirst();
  const id = existing?.id ?? newId();
  // Served only through the app (/bilder/…): like the rest of the data directory, nobody else on the machine needs them.
  await fs.mkdir(path.join(dataDir, 'images'), { recursive: true, mode: PRIVATE_DIR_MODE });
  for (const [w, buf] of img.variants) {
    const target = imageFile(dataDir, id, w);
    const tmp = `${target}.${process.pid}.tmp`;
    await fs.writeFile(tmp, buf, { mode: PRIVATE_FILE_MODE });
    await fs.rename(tmp, target);
  }
  if (!existing) {
    await db.insertInto('images').values({ id, file: `${id}.jpg`, width: img.width, height: img.height, sha256: img.sha, created_at: nowIso() })
      .onConflict((oc) => oc.column('sha256').doNothing()).execute();
  }
  return (await db.selectFrom('images').select('id').where('sha256', '=', img.sha).executeTakeFirstOrThrow()).id;
}
