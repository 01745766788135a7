// `klartext export`: all articles in the interchange format, with their images copied beside the JSON.
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { InterchangeArticle, InterchangeBlock, InterchangeDocument } from './interchange.schema.ts';
import { getArticleBySlug } from './article.queries.ts';
import { imageFile, IMAGE_WIDTHS } from './image.store.ts';

const LARGEST = IMAGE_WIDTHS[IMAGE_WIDTHS.length - 1]!;

/**
 * Builds the document; with `imageDir`, copies each image there and refers to it by file name. Live articles only
 * (scheduled ones included): newsroom drafts and unpublished articles are not articles of the interchange format,
 * and importing them would publish them.
 */
export async function exportDocument(db: Kysely<Database>, o: { dataDir: string; imageDir?: string }): Promise<InterchangeDocument> {
  const slugs = await db.selectFrom('articles').select('slug').where('live', '=', 1).orderBy('published_at').orderBy('slug').execute();
  const copied = new Set<string>();
  const src = async (imageId: string): Promise<string> => {
    const name = `${imageId}.jpg`;
    if (o.imageDir && !copied.has(name)) {
      await fs.mkdir(o.imageDir, { recursive: true });
      await fs.copyFile(imageFile(o.dataDir, imageId, LARGEST), path.join(o.imageDir, name));
      copied.add(name);
    }
    return name;
  };
  const articles: InterchangeArticle[] = [];
  for (const { slug } of slugs) {
    const a = (await getArticleBySlug(db, slug, { includeScheduled: true }))!;
    const blocks: InterchangeBlock[] = [];
    for (const b of a.blocks) {
      blocks.push(b.type === 'image' ? { type: 'image', src: await src(b.imageId), caption: b.caption, credit: b.credit } : b);
    }
    articles.push({
      slug: a.slug, section: a.section.slug, kicker: a.kicker, headline: a.headline, teaser: a.teaser, access: a.access,
      paywallAfter: a.paywallAfter, publishedAt: a.publishedAt, updatedAt: a.updatedAt, authors: a.authors.map((x) => x.name),
      ...(a.image ? { image: { src: await src(a.image.imageId), caption: a.image.caption, credit: a.image.credit } } : {}),
      blocks,
    });
  }
  return { articles };
}
