// `klartext offer list|create|update`: the offers readers can buy, kept by the publisher from the shell (same rules as the admin page).
import { createOffer, listOffers, priceText, termsText, updateOffer, type OfferInput } from '../billing/index.ts';
import { DomainError } from '../domain-error.ts';
import type { CommandContext } from './main.ts';
import { parseOptions, type OptionSpec } from './cli-options.ts';

export const OFFER_USAGE = `Aufruf: klartext offer list
       klartext offer create --slug KURZNAME --name NAME --price-cents CENT --period month|year [weitere Optionen]
       klartext offer update --slug KURZNAME [Optionen, die sich ändern]

  Optionen: --name NAME  --description TEXT  --kind recurring|gift  --price-cents CENT  --period month|year
            --intro-price-cents CENT  --intro-months MONATE  --min-term-months MONATE  --notice-months MONATE
            --methods sepa,stripe  --gift-months 3,6,12  --active true|false  --position ZAHL
  Preise sind Bruttobeträge in Cent (9,99 € = 999). Ohne --kind ist ein Angebot mit --gift-months ein Geschenk-Abo.`;

const OPTIONS = {
  slug: { type: 'string' }, name: { type: 'string' }, description: { type: 'string' }, kind: { type: 'string' }, 'price-cents': { type: 'string' },
  period: { type: 'string' }, 'intro-price-cents': { type: 'string' }, 'intro-months': { type: 'string' }, 'min-term-months': { type: 'string' },
  'notice-months': { type: 'string' }, methods: { type: 'string' }, 'gift-months': { type: 'string' }, active: { type: 'string' }, position: { type: 'string' },
} satisfies OptionSpec;

/** Offer fields (as parseOfferInput names them) to the option that sets them, so a rule's message names what to fix. */
const OPTION_OF: Record<string, string> = {
  slug: '--slug', name: '--name', description: '--description', kind: '--kind', priceCents: '--price-cents', period: '--period',
  introPriceCents: '--intro-price-cents', introMonths: '--intro-months', minTermMonths: '--min-term-months', noticeMonths: '--notice-months',
  paymentMethods: '--methods', giftMonths: '--gift-months', active: '--active', position: '--position',
};

class OptionProblem extends Error {}

const whole = (option: string, raw: string): number => {
  if (!/^\d+$/.test(raw)) throw new OptionProblem(`${option} muss eine ganze Zahl ≥ 0 sein, nicht „${raw}“`);
  return Number(raw);
};
const list = (raw: string): string[] => raw.split(',').map((s) => s.trim()).filter(Boolean);

/** The options given, as a (partial) offer input; values are checked for form here, for sense by parseOfferInput. */
function inputFrom(v: Record<string, string | boolean | undefined>): Partial<OfferInput> {
  const s = (k: keyof typeof OPTIONS) => v[k] as string | undefined;
  const out: Partial<OfferInput> = {};
  if (s('name') !== undefined) out.name = s('name')!;
  if (s('description') !== undefined) out.description = s('description')!;
  if (s('kind') !== undefined) out.kind = s('kind') as OfferInput['kind'];
  if (s('period') !== undefined) out.period = s('period') as OfferInput['period'];
  if (s('price-cents') !== undefined) out.priceCents = whole('--price-cents', s('price-cents')!);
  const intro = s('intro-price-cents');
  if (intro !== undefined) out.introPriceCents = intro === '' || intro === 'none' ? null : whole('--intro-price-cents', intro);
  if (s('intro-months') !== undefined) out.introMonths = whole('--intro-months', s('intro-months')!);
  if (s('min-term-months') !== undefined) out.minTermMonths = whole('--min-term-months', s('min-term-months')!);
  if (s('notice-months') !== undefined) out.noticeMonths = whole('--notice-months', s('notice-months')!);
  if (s('position') !== undefined) out.position = whole('--position', s('position')!);
  if (s('methods') !== undefined) out.paymentMethods = list(s('methods')!) as OfferInput['paymentMethods'];
  if (s('gift-months') !== undefined) out.giftMonths = list(s('gift-months')!).map((m) => whole('--gift-months', m));
  const active = s('active');
  if (active !== undefined) {
    if (active !== 'true' && active !== 'false') throw new OptionProblem(`--active muss „true“ oder „false“ sein, nicht „${active}“`);
    out.active = active === 'true';
  }
  return out;
}

export async function runOfferCommand({ args, store, io }: CommandContext, now: () => Date = () => new Date()): Promise<number> {
  const [sub, ...rest] = args;
  const usage = (problem: string) => { io.err(`klartext offer${sub ? ` ${sub}` : ''}: ${problem}\n\n${OFFER_USAGE}`); return 2; };
  if (sub === 'list') {
    const parsed = parseOptions(rest, {});
    if (!parsed.ok) return usage(parsed.problem);
    const offers = await listOffers((await store()).db);
    if (offers.length === 0) io.out('Keine Angebote. Anlegen mit „klartext offer create“.');
    for (const o of offers) {
      io.out(`${o.slug}  ${o.name}${o.active ? '' : '  (inaktiv)'}\n  ${priceText(o)}; ${termsText(o)}; Zahlarten: ${o.paymentMethods.join(', ')}`);
    }
    return 0;
  }
  if (sub !== 'create' && sub !== 'update') return usage(sub ? `unbekannter Unterbefehl „${sub}“` : 'Unterbefehl fehlt');
  const parsed = parseOptions(rest, OPTIONS);
  if (!parsed.ok) return usage(parsed.problem);
  const slug = parsed.values.slug as string | undefined;
  if (!slug) return usage('--slug fehlt');
  let input: Partial<OfferInput>;
  try {
    input = inputFrom(parsed.values);
  } catch (e) {
    if (e instanceof OptionProblem) return usage(e.message);
    throw e;
  }
  try {
    const db = (await store()).db;
    if (sub === 'create') {
      if (input.kind === undefined) input.kind = input.giftMonths?.length ? 'gift' : 'recurring';
      const o = await createOffer(db, { ...input, slug } as OfferInput, now());
      io.out(`Angebot angelegt: ${o.slug} (${o.name}), ${priceText(o)}.`);
    } else {
      if (Object.keys(input).length === 0) return usage('nichts zu ändern: mindestens eine Option außer --slug angeben');
      const o = await updateOffer(db, slug, input, now());
      io.out(`Angebot geändert: ${o.slug} (${o.name}), ${priceText(o)}${o.active ? '' : ', inaktiv'}.`);
    }
    return 0;
  } catch (e) {
    // A rule of the offer names its field; the operator needs the option that sets it.
    if (e instanceof DomainError && e.code === 'invalid-input') {
      const field = e.field?.split('.')[0];
      const option = (field && OPTION_OF[field]) ?? (field ? `--${field}` : '');
      io.err(`klartext offer ${sub}: ${option ? `${option}: ` : ''}${e.message}`);
      return 2;
    }
    throw e;
  }
}
