// TEMPORARY until h/nr-domain delivers draftToArticle: a stand-in with the spec's signature. Removed after the merge.
import type { Kysely } from 'kysely';
import { listSections, type Article, type Block, type StoredImage } from '../../content/index.ts';
import type { Database } from '../../db/index.ts';
import type { DraftDocument } from '../../newsroom/index.ts';

export async function draftToArticle(db: Kysely<Database>, articleId: string, doc: DraftDocument): Promise<Article> {
  const row = await db.selectFrom('articles').select(['slug', 'published_at', 'updated_at', 'live']).where('id', '=', articleId).executeTakeFirstOrThrow();
  const section = (await listSections(db)).find((s) => s.slug === doc.section);
  const authors = doc.authors.length ? await db.selectFrom('authors').select(['slug', 'name']).where('slug', 'in', doc.authors).execute() : [];
  const imageIds = [doc.image?.imageId, ...doc.blocks.map((b) => (b.type === 'image' ? b.imageId : undefined))].filter((x): x is string => !!x);
  const dims = new Map((imageIds.length ? await db.selectFrom('images').select(['id', 'width', 'height']).where('id', 'in', imageIds).execute() : []).map((i) => [i.id, i]));
  const image = (i: { imageId: string; caption: string; credit: string }): StoredImage => ({ ...i, width: dims.get(i.imageId)?.width ?? 1200, height: dims.get(i.imageId)?.height ?? 675 });
  const now = new Date().toISOString();
  return {
    id: articleId, slug: doc.slug || row.slug, section: section ? { slug: section.slug, name: section.name } : { slug: '', name: '' },
    kicker: doc.kicker, headline: doc.headline, teaser: doc.teaser, access: doc.access, image: doc.image ? image(doc.image) : null,
    publishedAt: Number(row.live) === 1 ? row.published_at : now, updatedAt: now, paywallAfter: doc.paywallAfter,
    blocks: doc.blocks.map((b): Block => (b.type === 'image' ? { type: 'image', ...image(b) } : b)),
    authors: doc.authors.map((slug) => authors.find((a) => a.slug === slug)).filter((a) => !!a),
    seoTitle: doc.seoTitle, seoDescription: doc.seoDescription,
  };
}
