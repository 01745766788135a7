// Offers: what a reader can buy, its prices (gross cents incl. 7 % VAT) and terms, validated once for the CLI and the admin page.
import { z } from 'zod';
import { DomainError } from '../domain-error.ts';
import { formatEuro } from './money.ts';

export type PaymentMethod = 'sepa' | 'stripe';
export const PAYMENT_METHODS: readonly PaymentMethod[] = ['sepa', 'stripe'];

export interface Offer {
  id: string;
  slug: string;
  name: string;
  description: string;
  /** recurring: renews each period until cancelled; gift: prepaid for giftMonths, ends by itself */
  kind: 'recurring' | 'gift';
  introPriceCents: number | null;
  introMonths: number;
  priceCents: number;
  period: 'month' | 'year';
  minTermMonths: number;
  noticeMonths: number;
  /** the lengths a gift can be bought for; empty for recurring offers */
  giftMonths: number[];
  paymentMethods: PaymentMethod[];
  active: boolean;
  position: number;
}

export const periodMonths = (period: 'month' | 'year'): number => (period === 'year' ? 12 : 1);

export { formatEuro } from './money.ts';

const months = (n: number) => (n === 1 ? 'Monat' : 'Monate');
const perPeriod = (period: 'month' | 'year') => (period === 'year' ? 'jährlich' : 'monatlich');

/** The gift's price for `m` months: the regular monthly price times m (a yearly price is not split). */
export const giftPriceCents = (offer: Offer, m: number): number => offer.priceCents * m;

/**
 * A recurring offer's price in its parts, for layouts that set the first amount apart: "1,00 €" "im ersten Monat"
 * "danach 9,99 € monatlich" (then is null without an intro price). priceText joins the same parts.
 */
export function priceParts(offer: Pick<Offer, 'introPriceCents' | 'introMonths' | 'priceCents' | 'period'>): { amount: string; when: string; then: string | null } {
  if (offer.introPriceCents === null || offer.introMonths === 0) return { amount: formatEuro(offer.priceCents), when: perPeriod(offer.period), then: null };
  const when = offer.introMonths === 1 ? 'im ersten Monat' : `in den ersten ${offer.introMonths} Monaten`;
  return { amount: formatEuro(offer.introPriceCents), when, then: `danach ${formatEuro(offer.priceCents)} ${perPeriod(offer.period)}` };
}

/**
 * The one price text every page, mail and invoice uses, so intro and follow-up price always appear together
 * (PAngV): "1,00 € im ersten Monat, danach 9,99 € monatlich".
 */
export function priceText(offer: Pick<Offer, 'kind' | 'introPriceCents' | 'introMonths' | 'priceCents' | 'period' | 'giftMonths'>, giftMonths?: number): string {
  if (offer.kind === 'gift') {
    const options = giftMonths ? [giftMonths] : offer.giftMonths;
    return options.map((m) => `${m} ${months(m)} für ${formatEuro(offer.priceCents * m)}`).join(', ') + ' (einmalig, endet automatisch)';
  }
  const p = priceParts(offer);
  return p.then ? `${p.amount} ${p.when}, ${p.then}` : `${p.amount} ${p.when}`;
}

/** Term and notice in words: "Mindestlaufzeit 1 Monat, danach monatlich kündbar". */
export function termsText(offer: Pick<Offer, 'kind' | 'minTermMonths' | 'noticeMonths' | 'period'>): string {
  if (offer.kind === 'gift') return 'Keine Kündigung nötig: das Geschenk-Abo endet von selbst.';
  const min = offer.minTermMonths <= periodMonths(offer.period) && offer.period === 'month'
    ? 'monatlich kündbar zum Ende des Abrechnungsmonats'
    : `Mindestlaufzeit ${offer.minTermMonths} ${months(offer.minTermMonths)}, danach jederzeit mit einer Frist von ${offer.noticeMonths || 1} Monat kündbar`;
  return offer.noticeMonths > 0 && offer.period === 'month' ? `${min} (Frist ${offer.noticeMonths} Monat)` : min;
}

const cents = (label: string) => z.number({ error: `${label} fehlt.` }).int(`${label} muss in ganzen Cent angegeben werden.`).min(0, `${label} darf nicht negativ sein.`).max(1_000_000, `${label} ist unrealistisch hoch.`);

export const offerInputSchema = z.object({
  slug: z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'Die Kurzbezeichnung darf nur Kleinbuchstaben, Ziffern und Bindestriche enthalten.').max(60),
  name: z.string().trim().min(2, 'Der Name fehlt.').max(80, 'Der Name ist zu lang (höchstens 80 Zeichen).'),
  description: z.string().trim().max(400, 'Die Beschreibung ist zu lang (höchstens 400 Zeichen).').default(''),
  kind: z.enum(['recurring', 'gift'], { error: 'Art muss „recurring“ (Abo) oder „gift“ (Geschenk) sein.' }),
  introPriceCents: cents('Der Einführungspreis').nullable().default(null),
  introMonths: z.number().int().min(0).max(24, 'Der Einführungszeitraum darf höchstens 24 Monate dauern.').default(0),
  priceCents: cents('Der Preis').refine((n) => n > 0, 'Der Preis muss größer als 0 sein.'),
  period: z.enum(['month', 'year'], { error: 'Zeitraum muss „month“ oder „year“ sein.' }),
  // § 309 Nr. 9 BGB: the first term is at most two years.
  minTermMonths: z.number().int().min(1, 'Die Mindestlaufzeit beträgt mindestens einen Monat.').max(24, 'Die erste Laufzeit darf höchstens 24 Monate betragen (§ 309 Nr. 9 BGB).'),
  // …and after it, notice is at most one month.
  noticeMonths: z.number().int().min(0).max(1, 'Die Kündigungsfrist darf höchstens einen Monat betragen (§ 309 Nr. 9 BGB).'),
  giftMonths: z.array(z.number().int().min(1).max(24)).max(6).default([]),
  paymentMethods: z.array(z.enum(['sepa', 'stripe'], { error: 'Zahlarten: „sepa“ oder „stripe“.' })).min(1, 'Mindestens eine Zahlart auswählen.'),
  active: z.boolean().default(true),
  position: z.number().int().min(0).max(1000).default(0),
}).superRefine((o, ctx) => {
  if (o.kind === 'gift' && o.giftMonths.length === 0) ctx.addIssue({ code: 'custom', path: ['giftMonths'], message: 'Ein Geschenk-Abo braucht mindestens eine Laufzeit (z. B. 3, 6, 12).' });
  if (o.kind === 'gift' && o.paymentMethods.includes('stripe')) ctx.addIssue({ code: 'custom', path: ['paymentMethods'], message: 'Geschenk-Abos können nur per SEPA-Lastschrift bezahlt werden.' });
  if (o.kind === 'recurring' && o.giftMonths.length > 0) ctx.addIssue({ code: 'custom', path: ['giftMonths'], message: 'Laufzeiten gibt es nur beim Geschenk-Abo.' });
  if ((o.introPriceCents === null) !== (o.introMonths === 0)) ctx.addIssue({ code: 'custom', path: ['introMonths'], message: 'Einführungspreis und Einführungszeitraum gehören zusammen: beide angeben oder keinen.' });
  if (o.introPriceCents !== null && o.introPriceCents >= o.priceCents) ctx.addIssue({ code: 'custom', path: ['introPriceCents'], message: 'Der Einführungspreis muss unter dem regulären Preis liegen.' });
  if (o.introMonths > 0 && o.introMonths % periodMonths(o.period) !== 0) ctx.addIssue({ code: 'custom', path: ['introMonths'], message: 'Der Einführungszeitraum muss ganze Abrechnungszeiträume umfassen.' });
  if (o.minTermMonths % periodMonths(o.period) !== 0 && o.minTermMonths < periodMonths(o.period)) ctx.addIssue({ code: 'custom', path: ['minTermMonths'], message: 'Die Mindestlaufzeit muss mindestens einen Abrechnungszeitraum umfassen.' });
});
export type OfferInput = z.input<typeof offerInputSchema>;

/** Parses offer input; a problem becomes a DomainError naming the field. */
export function parseOfferInput(input: unknown): z.output<typeof offerInputSchema> {
  const r = offerInputSchema.safeParse(input);
  if (r.success) return r.data;
  const fields = r.error.issues.map((i) => ({ path: i.path.join('.') || 'offer', message: i.message }));
  throw new DomainError('invalid-input', fields[0]!.message, fields[0]!.path, fields);
}

/** The demo newspaper's offers, made by the same function the CLI uses. */
export const DEMO_OFFERS: readonly OfferInput[] = [
  { slug: 'plus-digital', name: 'Plus Digital', description: 'Alle Plus-Artikel im Klartext, auf allen Geräten, Artikel verschenken.', kind: 'recurring', introPriceCents: 100, introMonths: 1, priceCents: 999, period: 'month', minTermMonths: 1, noticeMonths: 0, paymentMethods: ['sepa', 'stripe'], position: 1 },
  { slug: 'plus-digital-jahr', name: 'Plus Digital Jahr', description: 'Ein Jahr Plus zum Vorteilspreis: zwei Monate geschenkt.', kind: 'recurring', priceCents: 9900, period: 'year', minTermMonths: 12, noticeMonths: 1, paymentMethods: ['sepa', 'stripe'], position: 2 },
  { slug: 'geschenk-abo', name: 'Geschenk-Abo', description: 'Plus verschenken: einmal bezahlt, endet von selbst.', kind: 'gift', priceCents: 999, period: 'month', minTermMonths: 1, noticeMonths: 0, giftMonths: [3, 6, 12], paymentMethods: ['sepa'], position: 3 },
];
