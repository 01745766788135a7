// The media library: images with their library defaults (caption, credit), focal point and upload facts; search,
// paging and the editor's changes.
import { sql, type Kysely, type Selectable } from 'kysely';
import { z } from 'zod';
import type { Database, ImageRow } from '../db/schema.ts';
import { DomainError } from '../domain-error.ts';
import { articleSurrogateKeys, recordContentChange } from './content-changes.ts';

type Db = Kysely<Database>;

export interface MediaRecord {
  id: string;
  width: number;
  height: number;
  /** the uploaded file's name as given ('' for images from before the library) — show it escaped */
  fileName: string;
  /** MIME type of the source by its content ('' when unknown) */
  sourceType: string;
  caption: string;
  credit: string;
  /** 0..1 from the left and from the top */
  focal: { x: number; y: number };
  uploadedBy: string | null;
  createdAt: string;
}

export const MEDIA_CAPTION_MAX = 500;
export const MEDIA_CREDIT_MAX = 200;

const columns = ['id', 'width', 'height', 'original_name', 'source_type', 'caption', 'credit', 'focal_x', 'focal_y', 'uploaded_by', 'created_at'] as const;
type MediaRow = Pick<Selectable<ImageRow>, (typeof columns)[number]>;

const toRecord = (r: MediaRow): MediaRecord => ({
  id: r.id, width: r.width, height: r.height, fileName: r.original_name, sourceType: r.source_type, caption: r.caption, credit: r.credit,
  focal: { x: Number(r.focal_x), y: Number(r.focal_y) }, uploadedBy: r.uploaded_by, createdAt: r.created_at,
});

export async function getMedia(db: Db, id: string): Promise<MediaRecord | undefined> {
  const row = await db.selectFrom('images').select(columns).where('id', '=', id).executeTakeFirst();
  return row && toRecord(row);
}

export interface MediaPage { items: MediaRecord[]; /** cursor of the next (older) page, or null */ next: string | null }

const encodeCursor = (r: MediaRecord): string => Buffer.from(`${r.createdAt}\n${r.id}`).toString('base64url');
function decodeCursor(cursor: string): { createdAt: string; id: string } {
  const [createdAt, id] = Buffer.from(cursor, 'base64url').toString('utf8').split('\n');
  if (!createdAt || !id || !/^\d{4}-\d\d-\d\dT[\d:.]+Z$/.test(createdAt)) throw new DomainError('invalid-input', 'Diese Seitenangabe ist ungültig. Bitte beginnen Sie wieder auf der ersten Seite.', 'vor');
  return { createdAt, id };
}

/** `%` and `_` in what people type are letters, not wildcards. */
const likePattern = (q: string): string => `%${q.toLowerCase().replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;

/** Newest first; `q` searches file name, caption and credit (case-insensitive); `before` is a page's `next`. */
export async function listMedia(db: Db, o: { q?: string; before?: string; limit: number }): Promise<MediaPage> {
  let query = db.selectFrom('images').select(columns);
  const q = (o.q ?? '').trim().slice(0, 100);
  if (q) {
    const pattern = likePattern(q);
    query = query.where((eb) => eb.or(['original_name', 'caption', 'credit'].map((col) => sql<boolean>`lower(${sql.ref(col)}) like ${pattern} escape '\\'`)));
  }
  if (o.before) {
    const c = decodeCursor(o.before);
    query = query.where((eb) => eb.or([eb('created_at', '<', c.createdAt), eb.and([eb('created_at', '=', c.createdAt), eb('id', '<', c.id)])]));
  }
  const rows = await query.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(o.limit + 1).execute();
  const items = rows.slice(0, o.limit).map(toRecord);
  return { items, next: rows.length > o.limit ? encodeCursor(items[items.length - 1]!) : null };
}

const text = (max: number, what: string) => z.string({ error: `${what} muss ein Text sein.` })
  .max(max, { error: `${what} darf höchstens ${max} Zeichen lang sein.` })
  .refine((s) => !/[\u0000-\u0008\u000b-\u001f\u007f]/.test(s), { error: `${what} enthält Steuerzeichen.` })
  .transform((s) => s.trim());
const share = (axis: string) => z.number({ error: `Der Fokuspunkt (${axis}) muss eine Zahl zwischen 0 und 1 sein.` })
  .min(0, { error: `Der Fokuspunkt (${axis}) muss zwischen 0 und 1 liegen.` })
  .max(1, { error: `Der Fokuspunkt (${axis}) muss zwischen 0 und 1 liegen.` });

const mediaChange = z.strictObject({
  caption: text(MEDIA_CAPTION_MAX, 'Die Bildunterschrift').optional(),
  credit: text(MEDIA_CREDIT_MAX, 'Die Quellenangabe').optional(),
  focal: z.strictObject({ x: share('waagerecht'), y: share('senkrecht') }, { error: 'Der Fokuspunkt muss aus x und y bestehen.' }).optional(),
}, { error: (iss) => iss.code === 'unrecognized_keys' ? `Unbekanntes Feld: ${iss.keys.join(', ')}. Erlaubt sind caption, credit und focal.` : 'Bitte senden Sie ein JSON-Objekt.' });

export type MediaChange = z.output<typeof mediaChange>;

/** Checks what the editor sends; a problem is a 400 naming the field (`caption`, `credit`, `focal.x`, …). */
export function parseMediaChange(input: unknown): MediaChange {
  const r = mediaChange.safeParse(input);
  if (r.success) return r.data;
  const fields = r.error.issues.map((iss) => ({
    path: iss.code === 'unrecognized_keys' ? [...iss.path, iss.keys[0]].join('.') : iss.path.join('.') || 'body',
    message: iss.message,
  }));
  throw new DomainError('invalid-input', fields[0]!.message, fields[0]!.path, fields);
}

/**
 * Changes an image's library defaults and focal point. A new focal point changes how teasers crop the lead image of
 * every article using it: their pages are recorded as changed in the same transaction.
 */
export async function updateMedia(db: Db, id: string, input: unknown): Promise<MediaRecord> {
  const change = parseMediaChange(input);
  return db.transaction().execute(async (trx) => {
    const before = await trx.selectFrom('images').select(columns).where('id', '=', id).executeTakeFirst();
    if (!before) throw new DomainError('not-found', 'Dieses Bild gibt es nicht (mehr) in der Mediathek.');
    const focal = change.focal && { focal_x: Math.round(change.focal.x * 1000) / 1000, focal_y: Math.round(change.focal.y * 1000) / 1000 };
    const set = { ...(change.caption !== undefined ? { caption: change.caption } : {}), ...(change.credit !== undefined ? { credit: change.credit } : {}), ...focal };
    if (Object.keys(set).length > 0) await trx.updateTable('images').set(set).where('id', '=', id).execute();
    if (focal && (focal.focal_x !== Number(before.focal_x) || focal.focal_y !== Number(before.focal_y))) {
      const keys = new Set<string>();
      const articles = await trx.selectFrom('articles').innerJoin('sections', 'sections.id', 'articles.section_id')
        .select(['articles.id', 'sections.slug as section_slug']).where('articles.image_id', '=', id).execute();
      for (const a of articles) {
        const authors = await trx.selectFrom('article_authors').innerJoin('authors', 'authors.id', 'article_authors.author_id')
          .select('authors.slug').where('article_authors.article_id', '=', a.id).execute();
        for (const k of articleSurrogateKeys({ id: a.id, section: { slug: a.section_slug }, authors })) keys.add(k);
      }
      if (keys.size > 0) await recordContentChange(trx, [...keys]);
    }
    return toRecord((await trx.selectFrom('images').select(columns).where('id', '=', id).executeTakeFirst())!);
  });
}
