// A working copy as the site would show it: the content Article with section and author names and image sizes, for
// the preview and for the publish step that writes it into the article row.
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/index.ts';
import { DomainError } from '../domain-error.ts';
import type { Article, Block, StoredImage } from '../content/index.ts';
import type { DraftDocument } from './draft-document.ts';

type Db = Kysely<Database> | Transaction<Database>;

/** Used while an image row is missing (a preview of a draft whose image was removed); publishing refuses it. */
const FALLBACK_SIZE = { width: 1200, height: 675 };

export interface ResolvedDraft {
  article: Article;
  sectionId: string | null;
  /** author ids in byline order (unknown slugs left out) */
  authorIds: string[];
  unknownAuthors: number[];
  missingImages: string[];
}

/** Looks up names, ids and image sizes the document refers to. */
export async function resolveDraft(db: Db, articleId: string, doc: DraftDocument, o: { now?: Date } = {}): Promise<ResolvedDraft> {
  const row = await db.selectFrom('articles').innerJoin('sections', 'sections.id', 'articles.section_id')
    .leftJoin('article_drafts as d', 'd.article_id', 'articles.id')
    .select(['articles.slug', 'articles.published_at', 'articles.live', 'sections.slug as section_slug', 'sections.name as section_name', 'd.published_version', 'd.version'])
    .where('articles.id', '=', articleId).executeTakeFirst();
  if (!row) throw new DomainError('not-found', 'Diesen Artikel gibt es nicht.');
  const section = doc.section
    ? await db.selectFrom('sections').select(['id', 'slug', 'name']).where('slug', '=', doc.section).executeTakeFirst()
    : undefined;
  const authors = doc.authors.length === 0 ? [] : await db.selectFrom('authors').select(['id', 'slug', 'name']).where('slug', 'in', doc.authors).execute();
  const imageIds = [...new Set([...(doc.image ? [doc.image.imageId] : []), ...doc.blocks.flatMap((b) => (b.type === 'image' ? [b.imageId] : []))])];
  const images = new Map((imageIds.length === 0 ? [] : await db.selectFrom('images').select(['id', 'width', 'height']).where('id', 'in', imageIds).execute())
    .map((i) => [i.id, { width: Number(i.width), height: Number(i.height) }]));
  const stored = (imageId: string, caption: string, credit: string): StoredImage => ({ imageId, ...(images.get(imageId) ?? FALLBACK_SIZE), caption, credit });
  const blocks: Block[] = doc.blocks.map((b) => (b.type === 'image' ? { type: 'image', ...stored(b.imageId, b.caption, b.credit) } : b));
  // A never-published article (an imported one counts as published) would appear now; a published one keeps its date.
  const everPublished = row.version === null || row.published_version !== null;
  const now = (o.now ?? new Date()).toISOString();
  const article: Article = {
    id: articleId,
    slug: doc.slug || row.slug,
    section: section ? { slug: section.slug, name: section.name } : { slug: row.section_slug, name: row.section_name },
    kicker: doc.kicker, headline: doc.headline, teaser: doc.teaser, access: doc.access,
    image: doc.image ? stored(doc.image.imageId, doc.image.caption, doc.image.credit) : null,
    publishedAt: everPublished ? row.published_at : now,
    updatedAt: now,
    paywallAfter: doc.access === 'free' ? blocks.length : Math.min(doc.paywallAfter, blocks.length),
    blocks,
    authors: doc.authors.flatMap((slug) => authors.filter((a) => a.slug === slug).map((a) => ({ slug: a.slug, name: a.name }))),
    seoTitle: doc.seoTitle, seoDescription: doc.seoDescription,
  };
  return {
    article,
    sectionId: section?.id ?? null,
    authorIds: doc.authors.flatMap((slug) => authors.filter((a) => a.slug === slug).map((a) => a.id)),
    unknownAuthors: doc.authors.flatMap((slug, i) => (authors.some((a) => a.slug === slug) ? [] : [i])),
    missingImages: imageIds.filter((id) => !images.has(id)),
  };
}

/** The article the site would show for this working copy (preview): names resolved, images with their sizes. */
export async function draftToArticle(db: Db, articleId: string, doc: DraftDocument, o: { now?: Date } = {}): Promise<Article> {
  return (await resolveDraft(db, articleId, doc, o)).article;
}
