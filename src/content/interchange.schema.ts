// The article interchange format of docs/product.md as one strict schema; every error names the JSON path of the field.
import { z } from 'zod';

const text = (max: number) => z.string().trim().min(1, 'must not be empty').max(max, `at most ${max} characters`);
const slug = z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'lower-case letters, digits and single dashes').max(120);
const imageSrc = z.string().min(1).max(500).regex(/^[^\0]+\.(jpe?g|png|webp)$/i, 'a .jpg, .png or .webp file').refine((s) => !s.includes('..') && !s.startsWith('/'), 'a path relative to the JSON file, without ".."');

const imageRef = z.strictObject({ src: imageSrc, caption: z.string().max(500).default(''), credit: z.string().max(200).default('') });

export const interchangeBlock = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('paragraph'), text: text(10000) }),
  z.strictObject({ type: z.literal('subheading'), text: text(300) }),
  z.strictObject({ type: z.literal('question'), text: text(3000) }),
  z.strictObject({ type: z.literal('answer'), speaker: text(100), text: text(10000) }),
  z.strictObject({ type: z.literal('quote'), text: text(2000), by: z.string().max(200).optional() }),
  z.strictObject({ type: z.literal('image'), src: imageSrc, caption: z.string().max(500).default(''), credit: z.string().max(200).default('') }),
], { error: (iss) => iss.code === 'invalid_union' ? 'type must be one of paragraph, subheading, question, answer, quote, image' : undefined });

export const interchangeArticle = z.strictObject({
  slug,
  section: slug,
  kicker: z.string().trim().max(80).default(''),
  headline: text(300),
  teaser: z.string().trim().max(1000).default(''),
  access: z.enum(['free', 'registered', 'plus']).default('free'),
  paywallAfter: z.number().int().min(0).max(1000).optional(),
  publishedAt: z.iso.datetime({ offset: true, message: 'an ISO 8601 date and time such as 2026-11-20T08:00:00Z' }),
  updatedAt: z.iso.datetime({ offset: true, message: 'an ISO 8601 date and time' }).optional(),
  authors: z.array(text(120)).max(10).default([]),
  image: imageRef.optional(),
  blocks: z.array(interchangeBlock).min(1, 'at least one block').max(500),
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
