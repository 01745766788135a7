// The article interchange format of docs/product.md as one strict schema; every error names the JSON path of the field.
// The block model (fields and limits) is defined once here; the newsroom's draft schema is built from the same pieces.
import { z } from 'zod';

/** Limits of the block model and the article fields, shared by import and the newsroom. */
export const ARTICLE_LIMITS = Object.freeze({
  kicker: 80, headline: 300, teaser: 1000, authorName: 120, authors: 10, blocks: 500, paywallAfter: 1000,
  paragraph: 10000, subheading: 300, question: 3000, answer: 10000, speaker: 100, quote: 2000, quoteBy: 200,
  caption: 500, credit: 200,
});

export const BLOCK_TYPES = ['paragraph', 'subheading', 'question', 'answer', 'quote', 'image'] as const;

/** How one block schema family spells its strings: required texts, optional texts, the image reference fields. */
export interface BlockFlavour<Img extends z.ZodRawShape> {
  /** a text the block is made of (interchange: non-empty; draft: may be empty while writing) */
  text: (max: number) => z.ZodType<string>;
  /** the message for a text over its limit (also used for the optional quote's `by`) */
  tooLong: (max: number) => string;
  /** how an image is referenced (interchange: src; draft: imageId) plus caption and credit */
  image: Img;
  /** message for an unknown block type */
  unknownType: string;
}

/** The block union of the interchange format, spelled by a flavour. */
export function blockSchemaOf<Img extends z.ZodRawShape>(f: BlockFlavour<Img>) {
  const L = ARTICLE_LIMITS;
  return z.discriminatedUnion('type', [
    z.strictObject({ type: z.literal('paragraph'), text: f.text(L.paragraph) }),
    z.strictObject({ type: z.literal('subheading'), text: f.text(L.subheading) }),
    z.strictObject({ type: z.literal('question'), text: f.text(L.question) }),
    z.strictObject({ type: z.literal('answer'), speaker: f.text(L.speaker), text: f.text(L.answer) }),
    z.strictObject({ type: z.literal('quote'), text: f.text(L.quote), by: z.string().max(L.quoteBy, f.tooLong(L.quoteBy)).optional() }),
    z.strictObject({ type: z.literal('image'), ...f.image }),
  ], { error: (iss) => iss.code === 'invalid_union' ? f.unknownType : undefined });
}

const text = (max: number) => z.string().trim().min(1, 'must not be empty').max(max, `at most ${max} characters`);
const slug = z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'lower-case letters, digits and single dashes').max(120);
const imageSrc = z.string().min(1).max(500).regex(/^[^\0]+\.(jpe?g|png|webp)$/i, 'a .jpg, .png or .webp file').refine((s) => !s.includes('..') && !s.startsWith('/'), 'a path relative to the JSON file, without ".."');

const imageFields = {
  src: imageSrc,
  caption: z.string().max(ARTICLE_LIMITS.caption).default(''),
  credit: z.string().max(ARTICLE_LIMITS.credit).default(''),
};
const imageRef = z.strictObject(imageFields);

export const interchangeBlock = blockSchemaOf({
  text,
  tooLong: (max) => `at most ${max} characters`,
  image: imageFields,
  unknownType: `type must be one of ${BLOCK_TYPES.join(', ')}`,
});

export const interchangeArticle = z.strictObject({
  slug,
  section: slug,
  kicker: z.string().trim().max(ARTICLE_LIMITS.kicker).default(''),
  headline: text(ARTICLE_LIMITS.headline),
  teaser: z.string().trim().max(ARTICLE_LIMITS.teaser).default(''),
  access: z.enum(['free', 'registered', 'plus']).default('free'),
  paywallAfter: z.number().int().min(0).max(ARTICLE_LIMITS.paywallAfter).optional(),
  publishedAt: z.iso.datetime({ offset: true, message: 'an ISO 8601 date and time such as 2026-11-20T08:00:00Z' }),
  updatedAt: z.iso.datetime({ offset: true, message: 'an ISO 8601 date and time' }).optional(),
  authors: z.array(text(ARTICLE_LIMITS.authorName)).max(ARTICLE_LIMITS.authors).default([]),
  image: imageRef.optional(),
  blocks: z.array(interchangeBlock).min(1, 'at least one block').max(ARTICLE_LIMITS.blocks),
}).superRefine((a, ctx) => {
  if (a.paywallAfter !== undefined && a.paywallAfter > a.blocks.length) {
    ctx.addIssue({ code: 'custom', path: ['paywallAfter'], message: `at most the number of blocks (${a.blocks.length})` });
  }
  if (a.access !== 'free' && (a.paywallAfter ?? 0) >= a.blocks.length) {
    ctx.addIssue({ code: 'custom', path: ['paywallAfter'], message: 'a registered or plus article needs at least one block after the paywall position' });
  }
});

export const interchangeDocument = z.strictObject({
  articles: z.array(interchangeArticle).max(5000),
}).superRefine((doc, ctx) => {
  const seen = new Map<string, number>();
  doc.articles.forEach((a, i) => {
    if (seen.has(a.slug)) ctx.addIssue({ code: 'custom', path: ['articles', i, 'slug'], message: `duplicate slug, also at articles[${seen.get(a.slug)}]` });
    seen.set(a.slug, i);
  });
});

export type InterchangeDocument = z.infer<typeof interchangeDocument>;
export type InterchangeArticle = z.infer<typeof interchangeArticle>;
export type InterchangeBlock = z.infer<typeof interchangeBlock>;

/** `articles[3].blocks[2].speaker` */
export function jsonPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((acc, p) => (typeof p === 'number' ? `${acc}[${p}]` : acc ? `${acc}.${String(p)}` : String(p)), '') || '(document)';
}

export interface FieldError { path: string; message: string }

/** One readable line per problem: the unknown field itself is named, a missing one is "required". */
export function describeIssues(issues: readonly z.core.$ZodIssue[]): FieldError[] {
  return issues.flatMap((i): FieldError[] => {
    if (i.code === 'unrecognized_keys') return i.keys.map((k) => ({ path: jsonPath([...i.path, k]), message: 'unknown field' }));
    if (i.code === 'invalid_value') return [{ path: jsonPath(i.path), message: `must be one of ${i.values.map((v) => JSON.stringify(v)).join(', ')}` }];
    if (i.code === 'invalid_type' && /received undefined/.test(i.message)) return [{ path: jsonPath(i.path), message: 'is required' }];
    if (i.code === 'invalid_type') return [{ path: jsonPath(i.path), message: `must be ${i.expected === 'array' ? 'a list' : i.expected === 'object' ? 'an object' : `a ${i.expected}`}` }];
    return [{ path: jsonPath(i.path), message: i.message }];
  });
}
