// Offer experiments: what one is (2–4 variants of the Plus offer box with traffic shares) and the rules its input must follow.
import { DomainError } from '../domain-error.ts';

/** 'A' is the control: what readers without script see and what every other variant is compared with. */
export const VARIANT_KEYS = ['A', 'B', 'C', 'D'] as const;
export type VariantKey = (typeof VARIANT_KEYS)[number];
export const MIN_VARIANTS = 2;
export const MAX_VARIANTS = VARIANT_KEYS.length;
export const NAME_MAX = 80;
export const HEADLINE_MAX = 120;
export const BODY_MAX = 400;

export type ExperimentState = 'draft' | 'running' | 'ended';

export interface ExperimentVariant {
  id: string;
  key: VariantKey;
  headline: string;
  /** the copy under the headline; '' for none */
  body: string;
  /** the offer this variant's box sells; null: the featured offer of the day */
  offerId: string | null;
  /** share of page views in whole percent; an experiment's shares add up to 100 */
  share: number;
  position: number;
}

export interface Experiment {
  id: string;
  name: string;
  state: ExperimentState;
  createdBy: string | null;
  createdAt: string;
  startedAt: string | null;
  endedAt: string | null;
  /** in key order, the control first */
  variants: ExperimentVariant[];
}

export interface VariantInput { headline: string; body?: string; offerId?: string | null; share: number }
export interface ExperimentInput { name: string; variants: VariantInput[] }

/** Form field names per variant (`headline_B`): the domain names the field a problem belongs to, the form shows it there. */
export const variantField = (field: 'headline' | 'body' | 'offer' | 'share', key: string): string => `${field}_${key}`;

/** Text as typed, without what a person cannot see or mean: control characters out, runs of spaces folded. */
const cleanText = (s: string): string => s.replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, '').replace(/[ \t]+/g, ' ').trim();

export interface ParsedExperimentInput { name: string; variants: (Required<VariantInput> & { key: VariantKey })[] }

/**
 * Checks everything that needs no database and collects every problem at once (the form shows each at its field):
 * a name, 2–4 variants, each with a headline, copy of bounded length and a whole-percent share of 1–99, the shares
 * adding up to exactly 100. Whether an offer exists and is on sale is checked by `createExperiment`.
 */
export function parseExperimentInput(input: ExperimentInput): ParsedExperimentInput {
  const problems: { path: string; message: string }[] = [];
  const problem = (path: string, message: string) => { problems.push({ path, message }); };
  const name = cleanText(input.name ?? '');
  if (!name) problem('name', 'Bitte geben Sie dem Experiment einen Namen.');
  else if (name.length > NAME_MAX) problem('name', `Der Name ist zu lang (höchstens ${NAME_MAX} Zeichen).`);
  const given = input.variants ?? [];
  if (given.length < MIN_VARIANTS || given.length > MAX_VARIANTS) {
    problem('variants', `Ein Experiment braucht ${MIN_VARIANTS} bis ${MAX_VARIANTS} Varianten (A ist die Kontrolle); angegeben: ${given.length}.`);
  }
  const variants = given.slice(0, MAX_VARIANTS).map((v, i) => {
    const key = VARIANT_KEYS[i]!;
    const headline = cleanText(v.headline ?? '');
    const body = cleanText(v.body ?? '');
    if (!headline) problem(variantField('headline', key), `Bitte geben Sie für Variante ${key} eine Überschrift an.`);
    else if (headline.length > HEADLINE_MAX) problem(variantField('headline', key), `Die Überschrift von Variante ${key} ist zu lang (höchstens ${HEADLINE_MAX} Zeichen).`);
    if (body.length > BODY_MAX) problem(variantField('body', key), `Der Text von Variante ${key} ist zu lang (höchstens ${BODY_MAX} Zeichen).`);
    if (!Number.isInteger(v.share) || v.share < 1 || v.share > 99) {
      problem(variantField('share', key), `Der Anteil von Variante ${key} muss eine ganze Zahl von 1 bis 99 (Prozent) sein.`);
    }
    return { key, headline, body, offerId: v.offerId || null, share: v.share };
  });
  const sharesValid = variants.every((v) => Number.isInteger(v.share) && v.share >= 1 && v.share <= 99);
  const sum = variants.reduce((s, v) => s + v.share, 0);
  if (sharesValid && variants.length >= MIN_VARIANTS && sum !== 100) {
    problem('shares', `Die Anteile ergeben zusammen ${sum}\u00a0%; sie müssen genau 100\u00a0% ergeben.`);
  }
  if (problems.length) throw new DomainError('invalid-input', problems[0]!.message, problems[0]!.path, problems);
  return { name, variants };
}
