// `klartext import`: validates a whole interchange document and its images first, then writes it in one transaction.
import path from 'node:path';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { newId, nowIso } from '../db/ids.ts';
import { interchangeDocument, describeIssues, type InterchangeDocument } from './interchange.schema.ts';
import { ContentError } from './content.errors.ts';
import { prepareImage, storeImage, type PreparedImage } from './image.store.ts';
import type { ImageFormat } from './image-variants.ts';
import { slugify, type Block } from './article.types.ts';
import { getArticleBySlug } from './article.queries.ts';
import { indexArticle } from './search.queries.ts';
import { articleSurrogateKeys, recordContentChange } from './content-changes.ts';

export const MAX_IMPORT_BYTES = 20 * 1024 * 1024;

const SECTION_NAMES: Record<string, string> = { stadt: 'Stadt', region: 'Region', wirtschaft: 'Wirtschaft', sport: 'Sport', kultur: 'Kultur', politik: 'Politik', meinung: 'Meinung' };

export interface ImportResult { created: number; updated: number; slugs: string[] }

/** Parses JSON text; errors name the problem and the position. */
export function parseInterchange(text: string): InterchangeDocument {
  if (Buffer.byteLength(text) > MAX_IMPORT_BYTES) throw new ContentError('invalid-import', `(document): file is larger than ${MAX_IMPORT_BYTES / 1024 / 1024} MB`);
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new ContentError('invalid-import', `(document): not valid JSON — ${(e as Error).message}`);
  }
  const parsed = interchangeDocument.safeParse(raw);
  if (!parsed.success) {
    const fields = describeIssues(parsed.error.issues);
    throw new ContentError('invalid-import', fields.map((f) => `${f.path}: ${f.message}`).join('\n'), fields);
  }
  return parsed.data;
}

export interface ImportOptions {
  baseDir: string;
  dataDir: string;
  now?: () => Date;
  /** image formats made during the import (default all; the rest are made on first request) */
  imageFormats?: readonly ImageFormat[];
}

export async function importDocument(db: Kysely<Database>, doc: InterchangeDocument, o: ImportOptions): Promise<ImportResult> {
  // Every image is read and checked before anything is written.
  // Each is encoded by the same pipeline as an upload (one at a time), outside the transaction.
  const images = new Map<string, PreparedImage>();
  const wanted: { src: string; field: string; caption: string; credit: string }[] = [];
  doc.articles.forEach((a, i) => {
    if (a.image) wanted.push({ src: a.image.src, field: `articles[${i}].image.src`, caption: a.image.caption, credit: a.image.credit });
    a.blocks.forEach((b, j) => { if (b.type === 'image') wanted.push({ src: b.src, field: `articles[${i}].blocks[${j}].src`, caption: b.caption, credit: b.credit }); });
  });
  for (const w of wanted) {
    if (!images.has(w.src)) images.set(w.src, await prepareImage(db, path.resolve(o.baseDir, w.src), w.field, o.imageFormats));
  }
  const now = nowIso(o.now?.() ?? new Date());

  return db.transaction().execute(async (trx) => {
    const imageIds = new Map<string, string>();
    // the first caption and credit a new image comes with become its library defaults
    for (const [src, img] of images) {
      const first = wanted.find((w) => w.src === src)!;
      imageIds.set(src, await storeImage(trx, o.dataDir, img, { caption: first.caption, credit: first.credit }));
    }
    const sectionIds = new Map<string, string>();
    const maxPos = await trx.selectFrom('sections').select((eb) => eb.fn.max('position').as('p')).executeTakeFirst();
    let position = Number(maxPos?.p ?? 0);
    const result: ImportResult = { created: 0, updated: 0, slugs: [] };
    // the pages showing any imported article before or after: its page, the front, old and new section and authors, feeds, sitemaps
    const changed = new Set<string>();

    for (const a of doc.articles) {
      let sectionId = sectionIds.get(a.section);
      if (!sectionId) {
        const s = await trx.selectFrom('sections').select('id').where('slug', '=', a.section).executeTakeFirst();
        sectionId = s?.id ?? newId();
        if (!s) {
          await trx.insertInto('sections').values({ id: sectionId, slug: a.section, name: SECTION_NAMES[a.section] ?? a.section[0]!.toUpperCase() + a.section.slice(1), position: ++position, description: '' }).execute();
          changed.add('nav'); // a new section in the navigation of every page
        }
        sectionIds.set(a.section, sectionId);
      }
      const blocks: Block[] = a.blocks.map((b) => {
        if (b.type !== 'image') return b;
        const img = images.get(b.src)!;
        return { type: 'image', imageId: imageIds.get(b.src)!, width: img.width, height: img.height, caption: b.caption, credit: b.credit };
      });
      const publishedAt = new Date(a.publishedAt).toISOString();
      const existing = await trx.selectFrom('articles').select('id').where('slug', '=', a.slug).executeTakeFirst();
      const id = existing?.id ?? newId();
      if (existing) {
        const before = await getArticleBySlug(trx, a.slug, { includeScheduled: true });
        if (before) for (const k of articleSurrogateKeys(before)) changed.add(k);
      }
      const values = {
        section_id: sectionId, kicker: a.kicker, headline: a.headline, teaser: a.teaser, access: a.access,
        paywall_after: a.access === 'free' ? blocks.length : (a.paywallAfter ?? 0),
        blocks_json: JSON.stringify(blocks),
        image_id: a.image ? imageIds.get(a.image.src)! : null, image_caption: a.image?.caption ?? '', image_credit: a.image?.credit ?? '',
        published_at: publishedAt,
        // A new article was last changed when it appeared; re-importing one changes it now.
        updated_at: a.updatedAt ? new Date(a.updatedAt).toISOString() : existing ? now : publishedAt,
      };
      if (existing) {
        await trx.updateTable('articles').set(values).where('id', '=', id).execute();
        await trx.deleteFrom('article_authors').where('article_id', '=', id).execute();
        result.updated++;
      } else {
        await trx.insertInto('articles').values({ id, slug: a.slug, created_at: now, ...values }).execute();
        result.created++;
      }
      for (const [pos, name] of a.authors.entries()) {
        const slug = slugify(name);
        let author = await trx.selectFrom('authors').select('id').where('slug', '=', slug).executeTakeFirst();
        if (!author) {
          author = { id: newId() };
          await trx.insertInto('authors').values({ id: author.id, slug, name, bio: '' }).execute();
        }
        await trx.insertInto('article_authors').values({ article_id: id, author_id: author.id, position: pos }).onConflict((oc) => oc.doNothing()).execute();
      }
      const after = (await getArticleBySlug(trx, a.slug, { includeScheduled: true }))!;
      await indexArticle(trx, after);
      for (const k of articleSurrogateKeys(after)) changed.add(k);
      result.slugs.push(a.slug);
    }
    await recordContentChange(trx, [...changed]);
    return result;
  });
}
