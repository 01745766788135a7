// Domain types of published content, as the rest of Klartext sees them (rows are mapped at the query boundary).
export type AccessLevel = 'free' | 'registered' | 'plus';

export interface StoredImage { imageId: string; width: number; height: number; caption: string; credit: string }

export type Block =
  | { type: 'paragraph' | 'subheading' | 'question'; text: string }
  | { type: 'answer'; speaker: string; text: string }
  | { type: 'quote'; text: string; by?: string }
  | ({ type: 'image' } & StoredImage);

export interface SectionRef { slug: string; name: string }
export interface AuthorRef { slug: string; name: string }

export interface ArticleSummary {
  id: string;
  slug: string;
  section: SectionRef;
  kicker: string;
  headline: string;
  teaser: string;
  access: AccessLevel;
  image: StoredImage | null;
  publishedAt: string;
  updatedAt: string;
}

export interface Article extends ArticleSummary {
  paywallAfter: number;
  /** All blocks. Only `freeBlocks()` may be shown without an entitlement. */
  blocks: Block[];
  authors: AuthorRef[];
  /** for the page head and search results ('' = use headline / teaser) */
  seoTitle: string;
  seoDescription: string;
}

export interface Section { id: string; slug: string; name: string; description: string; position: number }
export interface Author { id: string; slug: string; name: string; bio: string }

/** Blocks every reader sees: for free articles all of them, otherwise those before the paywall position. */
export function freeBlocks(article: Pick<Article, 'access' | 'blocks' | 'paywallAfter'>): Block[] {
  return article.access === 'free' ? article.blocks : article.blocks.slice(0, article.paywallAfter);
}

/** Blocks only entitled readers see. */
export function premiumBlocks(article: Pick<Article, 'access' | 'blocks' | 'paywallAfter'>): Block[] {
  return article.access === 'free' ? [] : article.blocks.slice(article.paywallAfter);
}

/** Plain text of blocks, for search and excerpts (markup of the inline subset removed). */
export function blocksPlainText(blocks: Block[]): string {
  return blocks.map((b) => ('text' in b ? stripInline(b.text) : b.caption)).join('\n');
}

export function stripInline(text: string): string {
  return text.replace(/\[([^\]]*)\]\([^)]*\)/g, '$1').replace(/\*\*([^*]+)\*\*/g, '$1').replace(/\*([^*]+)\*/g, '$1');
}

export function slugify(name: string): string {
  return name.toLowerCase().replace(/ä/g, 'ae').replace(/ö/g, 'oe').replace(/ü/g, 'ue').replace(/ß/g, 'ss')
    .normalize('NFKD').replace(/[\u0300-\u036f]/g, '').replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'x';
}
