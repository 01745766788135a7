// The working copy of an article as the newsroom editor sends and the server stores it (the block model of the
// interchange format; images by id instead of file path). The zod schema that checks it lives in draft.schema.ts.
import type { AccessLevel } from '../content/index.ts';

/** Text fields use the interchange format's inline subset: *em*, **strong**, [text](url). */
export type DraftBlock =
  | { type: 'paragraph' | 'subheading' | 'question'; text: string }
  | { type: 'answer'; speaker: string; text: string }
  | { type: 'quote'; text: string; by?: string }
  | { type: 'image'; imageId: string; caption: string; credit: string };

export interface DraftImage { imageId: string; caption: string; credit: string }

export interface DraftDocument {
  /** the URL slug; proposed from the headline, fixed once the article was published */
  slug: string;
  kicker: string;
  headline: string;
  teaser: string;
  /** section slug ('' while undecided) */
  section: string;
  /** byline author slugs, in order */
  authors: string[];
  access: AccessLevel;
  /** the paywall marker: number of blocks before it (ignored for free articles) */
  paywallAfter: number;
  seoTitle: string;
  seoDescription: string;
  /** lead image */
  image: DraftImage | null;
  /** interview speakers remembered for this article (quick switching), in the order offered */
  speakers: string[];
  blocks: DraftBlock[];
}

/** Workflow state of an article in the newsroom. */
export const EDITORIAL_STATES = ['draft', 'review', 'scheduled', 'published', 'unpublished'] as const;
export type EditorialState = (typeof EDITORIAL_STATES)[number];

export const EMPTY_DRAFT: DraftDocument = {
  slug: '', kicker: '', headline: '', teaser: '', section: '', authors: [], access: 'free', paywallAfter: 0,
  seoTitle: '', seoDescription: '', image: null, speakers: [], blocks: [{ type: 'paragraph', text: '' }],
};
