// The schema a saved working copy must satisfy: the interchange block model (one definition, in content) with images by
// id and empty texts allowed while writing. German messages, each naming the path (`blocks[3].speaker`).
import { z } from 'zod';
import { ARTICLE_LIMITS as L, BLOCK_TYPES, blockSchemaOf, jsonPath, type FieldError } from '../content/index.ts';
import type { DraftDocument } from './draft-document.ts';

/** Hard limits of the SEO fields (the editor hints at 60 / 160, search engines cut there). */
export const SEO_LIMITS = Object.freeze({ title: 200, description: 500, titleHint: 60, descriptionHint: 160 });

const tooLong = (max: number) => `höchstens ${max.toLocaleString('de-DE')} Zeichen`;
const str = (max: number) => z.string({ error: 'muss ein Text sein' }).max(max, tooLong(max));
/** '' while undecided, otherwise a slug */
const slugOrEmpty = z.string({ error: 'muss ein Text sein' }).max(120, tooLong(120))
  .regex(/^(?:[a-z0-9]+(?:-[a-z0-9]+)*)?$/, 'nur Kleinbuchstaben, Ziffern und einzelne Bindestriche');
const imageId = z.string({ error: 'muss eine Bild-ID sein' }).min(1, 'kein Bild gewählt').max(64, tooLong(64));

const imageFields = { imageId, caption: str(L.caption), credit: str(L.credit) };

export const draftBlock = blockSchemaOf({
  text: str,
  tooLong,
  image: imageFields,
  unknownType: `Unbekannter Blocktyp: erlaubt sind ${BLOCK_TYPES.join(', ')}`,
});

export const draftDocumentSchema = z.strictObject({
  slug: slugOrEmpty,
  kicker: str(L.kicker),
  headline: str(L.headline),
  teaser: str(L.teaser),
  section: slugOrEmpty,
  authors: z.array(slugOrEmpty.min(1, 'darf nicht leer sein'), { error: 'muss eine Liste sein' }).max(L.authors, `höchstens ${L.authors} Autorinnen und Autoren`),
  access: z.enum(['free', 'registered', 'plus'], { error: 'muss free, registered oder plus sein' }),
  paywallAfter: z.number({ error: 'muss eine Zahl sein' }).int('muss eine ganze Zahl sein').min(0, 'darf nicht negativ sein').max(L.paywallAfter),
  seoTitle: str(SEO_LIMITS.title),
  seoDescription: str(SEO_LIMITS.description),
  image: z.strictObject(imageFields).nullable(),
  speakers: z.array(str(L.speaker), { error: 'muss eine Liste sein' }).max(50, 'höchstens 50 Sprecher'),
  blocks: z.array(draftBlock, { error: 'muss eine Liste sein' }).max(L.blocks, `höchstens ${L.blocks} Blöcke`),
}, { error: (iss) => iss.code === 'invalid_type' && iss.path?.length === 0 ? 'Das Dokument muss ein Objekt sein.' : undefined })
  .superRefine((d, ctx) => {
    if (d.paywallAfter > d.blocks.length) ctx.addIssue({ code: 'custom', path: ['paywallAfter'], message: `höchstens die Zahl der Blöcke (${d.blocks.length})` });
  });

/** One German line per problem, naming the path. */
export function describeDraftIssues(issues: readonly z.core.$ZodIssue[]): FieldError[] {
  return issues.flatMap((i): FieldError[] => {
    if (i.code === 'unrecognized_keys') return i.keys.map((k) => ({ path: jsonPath([...i.path, k]), message: 'unbekanntes Feld' }));
    if (i.code === 'invalid_type' && /received undefined/.test(i.message)) return [{ path: jsonPath(i.path), message: 'fehlt' }];
    return [{ path: jsonPath(i.path), message: i.message }];
  });
}

export type DraftParse = { ok: true; doc: DraftDocument } | { ok: false; problems: FieldError[] };

/** Checks the structure of a working copy (not its completeness: empty texts are fine in a draft). */
export function parseDraftDocument(input: unknown): DraftParse {
  const r = draftDocumentSchema.safeParse(input);
  if (!r.success) return { ok: false, problems: describeDraftIssues(r.error.issues) };
  return { ok: true, doc: r.data as DraftDocument };
}
