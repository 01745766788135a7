// The rows of a generated big paper: archive articles in every section, bylines, readers and subscriptions — each row a pure function of the seed and its number.
import argon2 from 'argon2';
import { blocksPlainText, freeBlocks, premiumBlocks, slugify, type Block } from '../content/index.ts';
import { addMonths, berlinDate as berlinDateOf, berlinMidnight as berlinMidnightOf, newSubscriptionRow, sealPaymentData, type Offer } from '../billing/index.ts';
import type { SubscriptionRow, SepaMandateRow, UserRow } from '../db/index.ts';
import {
  FIRST_NAMES, LAST_NAMES, SECTION_SLUGS, articleText, asciiName, generatedId, mix, paragraph, pick, rowRng, weighted,
} from './generate-text.ts';
import { sha256 } from '../db/index.ts';

/** The documented login of every generated reader (README, decision 026): one argon2id hash shared by all of them. */
export const GENERATED_PASSWORD = 'Brackenau-liest-2026';
/** Reader n (from 1) logs in as leser<n>@klartext.example; reader 1 has an active Plus subscription. */
export const generatedReaderEmail = (n: number): string => `leser${n}@klartext.example`;

/** Streams of the row generator: a row's randomness depends on its stream and number only. */
const STREAM = { article: 1, author: 2, user: 3, subscription: 4, mandate: 5, section: 6 } as const;

export const SECTION_NAMES: Record<string, string> = { stadt: 'Stadt', region: 'Region', wirtschaft: 'Wirtschaft', sport: 'Sport', kultur: 'Kultur', politik: 'Politik', meinung: 'Meinung' };
const SECTION_WEIGHTS: [string, number][] = [['stadt', 25], ['region', 20], ['wirtschaft', 12], ['sport', 18], ['kultur', 10], ['politik', 10], ['meinung', 5]];
/** Roughly a third Plus, as regional papers with a metered paywall report; a few for registered readers. */
export const ACCESS_WEIGHTS: [SubscriptionAccess, number][] = [['free', 55], ['registered', 10], ['plus', 35]];
type SubscriptionAccess = 'free' | 'registered' | 'plus';
/** A regional paper publishes about this many articles a year: the archive reaches back articles / this many years. */
export const ARTICLES_PER_YEAR = 10_000;

export interface PaperPlan {
  seed: number;
  articles: number;
  readers: number;
  subscriptions: number;
  /** the newest article is an hour older than this; readers and contracts are dated before it */
  now: Date;
}

export interface GeneratedArticle {
  id: string; slug: string; section: string; kicker: string; headline: string; teaser: string; access: SubscriptionAccess; paywallAfter: number;
  blocks: Block[]; publishedAt: string; updatedAt: string; authorIndexes: number[];
  freeText: string; premiumText: string;
}

const DAY = 86_400_000;
const YEAR = 365.25 * DAY;

/** How many bylines a paper of this size has: one per thousand articles, at least 8, at most 150. */
export const authorCount = (articles: number): number => Math.max(8, Math.min(150, Math.ceil(articles / 1000)));

export function generatedAuthor(plan: PaperPlan, i: number): { id: string; slug: string; name: string; bio: string } {
  // first and last names walk the lists at different speeds, so the first 1,000 pairs never repeat
  const name = `${FIRST_NAMES[i % FIRST_NAMES.length]} ${LAST_NAMES[(i * 7 + Math.floor(i / FIRST_NAMES.length)) % LAST_NAMES.length]}`;
  const r = rowRng(plan.seed, STREAM.author, i);
  return { id: generatedId(plan.seed, STREAM.author, i), slug: `${slugify(name)}-${i + 1}`, name, bio: `Redakteur${r() < 0.5 ? 'in' : ''} im Ressort ${SECTION_NAMES[pick(r, SECTION_SLUGS)]}.` };
}

export function generatedArticle(plan: PaperPlan, n: number): GeneratedArticle {
  const r = rowRng(plan.seed, STREAM.article, n);
  const section = weighted(r, SECTION_WEIGHTS);
  const access = weighted(r, ACCESS_WEIGHTS);
  const text = articleText(r, section);
  const blocks: Block[] = [];
  const paragraphs = 4 + Math.floor(r() * 6);
  for (let i = 0; i < paragraphs; i++) {
    if (i === 3 && r() < 0.3) blocks.push({ type: 'subheading', text: `${pick(r, ['Wie es weitergeht', 'Was Anwohner sagen', 'Die Kosten', 'Der Hintergrund', 'Kritik aus der Opposition'])}` });
    if (i === 2 && r() < 0.15) blocks.push({ type: 'quote', text: paragraph(r, section).split('. ')[0]!.replace(/\.?$/, '.'), by: `${pick(r, FIRST_NAMES)} ${pick(r, LAST_NAMES)}` });
    blocks.push({ type: 'paragraph', text: paragraph(r, section) });
  }
  const paywallAfter = access === 'free' ? blocks.length : 1 + Math.floor(r() * 2);
  // newest first: article 0 an hour before `now`, the archive spread evenly (with jitter) over articles / ARTICLES_PER_YEAR years
  const span = Math.max(plan.articles / ARTICLES_PER_YEAR, 1 / 12) * YEAR;
  const step = span / Math.max(plan.articles, 1);
  const published = plan.now.getTime() - 3_600_000 - Math.floor((n + r() * 0.9) * step);
  const updated = r() < 0.1 ? published + Math.floor(r() * DAY) : published;
  const authors = authorCount(plan.articles);
  const first = Math.floor(r() * authors);
  const authorIndexes = r() < 0.15 && authors > 1 ? [first, (first + 1 + Math.floor(r() * (authors - 1))) % authors] : [first];
  const view = { access, blocks, paywallAfter };
  return {
    id: generatedId(plan.seed, STREAM.article, n),
    slug: `${slugify(text.headline).slice(0, 70).replace(/-$/, '')}-${n.toString(36)}`,
    section, ...text, access, paywallAfter, blocks,
    publishedAt: new Date(published).toISOString(), updatedAt: new Date(Math.min(updated, plan.now.getTime())).toISOString(), authorIndexes,
    // exactly what indexArticle writes, so a re-index of a generated article changes nothing
    freeText: [text.kicker, text.headline, text.teaser, blocksPlainText(freeBlocks(view))].join('\n'),
    premiumText: blocksPlainText(premiumBlocks(view)),
  };
}

/** Readers, created over the last eight years; most confirmed their address (the meter counts confirmed addresses). */
export function generatedReader(plan: PaperPlan, n: number, passwordHash: string): UserRow {
  const r = rowRng(plan.seed, STREAM.user, n);
  const first = pick(r, FIRST_NAMES);
  const last = pick(r, LAST_NAMES);
  const created = new Date(plan.now.getTime() - 2 * DAY - Math.floor(r() * 8 * YEAR)).toISOString();
  const verified = r() < 0.93 ? new Date(Date.parse(created) + Math.floor(r() * 3_600_000)).toISOString() : null;
  return {
    id: generatedId(plan.seed, STREAM.user, n), email: generatedReaderEmail(n + 1), password_hash: passwordHash, role: 'reader',
    display_name: r() < 0.8 ? `${first} ${last}` : asciiName(first) + Math.floor(r() * 100), email_verified_at: verified,
    newsletter_opt_in: r() < 0.25 ? 1 : 0, terms_accepted_at: created, privacy_accepted_at: created, created_at: created, updated_at: verified ?? created,
  };
}

const NUMBER_ALPHABET = '23456789ABCDEFGHJKLMNPQRSTUVWXYZ';
/** KT-XXXX-XXXX like newSubscriptionNumber, unique among generated ones: 40 bits, a bijection of the contract's number in the low 32. */
export function contractNumber(seed: number, k: number): string {
  let x = (k ^ mix(seed, STREAM.subscription)) >>> 0;
  x = Math.imul(x, 0x2c1b3c6d | 1) >>> 0;
  x = (x ^ (x >>> 15)) >>> 0;
  let v = BigInt(x) + (BigInt(mix(seed, 99) & 0xff) << 32n);
  let s = '';
  for (let i = 0; i < 8; i++) { s = NUMBER_ALPHABET[Number(v & 31n)] + s; v >>= 5n; }
  return `KT-${s.slice(0, 4)}-${s.slice(4)}`;
}

export interface OfferTerms { monthly: Offer; yearly: Offer; gift: Offer }
export interface GeneratedContract { subscription: SubscriptionRow; mandate: SepaMandateRow | null }

type Kind = 'paid' | 'gift' | 'comp';
const KIND_WEIGHTS: [Kind, number][] = [['paid', 88], ['gift', 7], ['comp', 5]];
type PaidState = 'active' | 'intro' | 'cancelled' | 'past_due' | 'dunning' | 'ended' | 'pending';
/** Of the paid contracts: most running, a quarter ended (churn over the years), a few with a payment outstanding. */
const PAID_STATES: [PaidState, number][] = [['active', 60], ['cancelled', 7], ['intro', 3], ['past_due', 1.5], ['dunning', 1], ['ended', 26.5], ['pending', 1]];

const iso = (t: number) => new Date(t).toISOString();

/**
 * The billing calendar's functions, remembered: they go through Intl for the Berlin offset, and 200,000 contracts ask
 * them about a few thousand distinct days (a Berlin date changes at most once within a UTC hour, so the hour is the key).
 */
const dates = new Map<number, string>();
const midnights = new Map<string, number>();
function berlinDate(at: Date): string {
  const hour = Math.floor(at.getTime() / 3_600_000);
  let d = dates.get(hour);
  if (d === undefined) { d = berlinDateOf(at); dates.set(hour, d); }
  return d;
}
function berlinMidnight(date: string): Date {
  let t = midnights.get(date);
  if (t === undefined) { t = berlinMidnightOf(date).getTime(); midnights.set(date, t); }
  return new Date(t);
}
/** The end of period k counted from the anchor day (billing-calendar's periodEnd, through the remembered midnights). */
const periodEnd = (anchor: string, k: number, monthsPerPeriod: number): Date => berlinMidnight(addMonths(anchor, k * monthsPerPeriod));
const IBANS = ['DE89370400440532013000', 'DE02120300000000202051', 'DE02500105170137075030', 'DE12500105170648489890'];

/**
 * Contract k belongs to reader k (contracts ≤ readers): reader 1 (k = 0) always has a running monthly SEPA subscription,
 * so the documented demo login is a subscriber. Dates follow the billing calendar (Berlin days, periods from the anchor)
 * and access_until is what the state machine would have written.
 */
export function generatedContract(plan: PaperPlan, k: number, reader: UserRow, offers: OfferTerms, graceMs: number, paymentKey: Buffer): GeneratedContract {
  const r = rowRng(plan.seed, STREAM.subscription, k);
  const now = plan.now.getTime();
  const kind: Kind = k === 0 ? 'paid' : weighted(r, KIND_WEIGHTS);
  const id = generatedId(plan.seed, STREAM.subscription, k);
  const number = contractNumber(plan.seed, k);
  const base = { id, number, user_id: reader.id, holder_name: reader.display_name, buyer_email: reader.email };

  if (kind === 'comp') {
    const start = berlinMidnight(berlinDate(new Date(now - Math.floor(r() * 2 * YEAR)))).getTime();
    const end = periodEnd(berlinDate(new Date(start)), 1, 12).getTime();
    const ended = end <= now;
    return {
      subscription: newSubscriptionRow({
        ...base, kind, provider: 'none', state: ended ? 'ended' : 'active', starts_at: iso(start), offer_name: 'Freiabo', price_cents: 0, period: 'month',
        current_period_start: iso(start), current_period_end: iso(end), access_until: iso(end), ended_at: ended ? iso(end) : null, end_reason: ended ? 'comp-over' : null,
        created_at: iso(start), updated_at: iso(ended ? end : start),
      }),
      mandate: null,
    };
  }
  if (kind === 'gift') {
    const months = pick(r, [3, 6, 12]);
    const start = berlinMidnight(berlinDate(new Date(now - Math.floor(r() * 3 * YEAR)))).getTime();
    const end = periodEnd(berlinDate(new Date(start)), 1, months).getTime();
    const ended = end <= now;
    const g = offers.gift;
    return {
      subscription: newSubscriptionRow({
        ...base, kind, provider: 'sepa', state: ended ? 'ended' : 'active', starts_at: iso(start), offer_id: g.id, offer_name: g.name, price_cents: g.priceCents * months,
        period: 'month', gift_months: months, periods_paid: 1, current_period_start: iso(start), current_period_end: iso(end), access_until: iso(end),
        ended_at: ended ? iso(end) : null, end_reason: ended ? 'gift-over' : null, reminder_sent_at: end - 7 * DAY <= now ? iso(end - 7 * DAY) : null,
        gift_code_hash: sha256(`generated-gift:${plan.seed}:${k}`), buyer_email: `schenker${k}@klartext.example`, created_at: iso(start - DAY), updated_at: iso(ended ? end : start),
      }),
      mandate: null,
    };
  }

  const yearly = k !== 0 && r() < 0.25;
  const offer = yearly ? offers.yearly : offers.monthly;
  const pm = yearly ? 12 : 1;
  const drawn: PaidState = k === 0 ? 'active' : weighted(r, PAID_STATES);
  // a contract in its first month is in the intro state only when its offer has an intro price (the yearly one has none)
  const state: PaidState = drawn === 'intro' && offer.introPriceCents === null ? 'active' : drawn;
  const fresh = drawn === 'intro';
  // intro contracts began within the last month; the others up to six years ago (at least two months, so past the intro)
  const age = fresh ? Math.floor(r() * 25 * DAY) : state === 'pending' ? Math.floor(r() * 3 * DAY) : 62 * DAY + Math.floor(r() * 6 * YEAR);
  const created = now - age;
  const anchor = berlinDate(new Date(created + (state === 'pending' ? 0 : DAY)));
  const start = berlinMidnight(anchor).getTime();
  const provider = k === 0 || r() < 0.65 ? 'sepa' : 'stripe';
  const terms = {
    offer_id: offer.id, offer_name: offer.name, price_cents: offer.priceCents, period: offer.period, intro_price_cents: offer.introPriceCents, intro_months: offer.introMonths,
    min_term_months: offer.minTermMonths, notice_months: offer.noticeMonths, min_term_end: iso(berlinMidnight(addMonths(anchor, offer.minTermMonths)).getTime()),
    ...(provider === 'stripe' ? { external_ref: `sub_gen${id}`, external_customer: `cus_gen${reader.id}`, external_version: 1 } : {}),
  };
  const common = { ...base, ...terms, kind, provider, starts_at: iso(start), created_at: iso(created) } as const;
  const mandate = provider === 'sepa' ? {
    id: generatedId(plan.seed, STREAM.mandate, k), subscription_id: id, reference: `${number}-M1`,
    holder_sealed: sealPaymentData(reader.display_name, paymentKey, 'holder'), iban_sealed: sealPaymentData(IBANS[k % IBANS.length]!, paymentKey, 'iban'),
    iban_masked: `${IBANS[k % IBANS.length]!.slice(0, 4)} **** ${IBANS[k % IBANS.length]!.slice(-4)}`, bic: null, signed_on: berlinDate(new Date(created)),
    first_collected_at: state === 'pending' ? null : iso(start), revoked_at: null, created_at: iso(created),
  } satisfies SepaMandateRow : null;

  if (state === 'pending') {
    return { subscription: newSubscriptionRow({ ...common, state: 'pending', updated_at: iso(created) }), mandate };
  }
  // the period running now (periods counted from the anchor), or for ended contracts the one in which they ended
  const endAt = state === 'ended' ? created + Math.floor(r() * (age - DAY)) + DAY : now;
  let periods = Math.max(1, Math.floor(monthsBetween(anchor, endAt) / pm) + 1);
  while (periodEnd(anchor, periods, pm).getTime() <= endAt) periods++;
  while (periods > 1 && periodEnd(anchor, periods - 1, pm).getTime() > endAt) periods--;
  const periodStart = periodEnd(anchor, periods - 1, pm).getTime();
  const periodEndAt = periodEnd(anchor, periods, pm).getTime();
  const period = { current_period_start: iso(periodStart), current_period_end: iso(periodEndAt), periods_paid: periods };

  if (state === 'ended') {
    const reason = r() < 0.85 ? 'cancelled' : 'dunning';
    return {
      subscription: newSubscriptionRow({
        ...common, ...period, state: 'ended', ended_at: iso(endAt), end_reason: reason, access_until: iso(endAt),
        ...(reason === 'cancelled' ? { cancel_requested_at: iso(endAt - 30 * DAY), cancel_effective_at: iso(endAt) } : { dunning_attempts: 3 }),
        updated_at: iso(endAt),
      }),
      mandate,
    };
  }
  if (state === 'past_due' || state === 'dunning') {
    const since = now - Math.floor(r() * 9 * DAY) - 3_600_000;
    const attempts = state === 'dunning' ? 1 + Math.floor(r() * 2) : 0;
    return {
      subscription: newSubscriptionRow({
        ...common, ...period, state, past_due_since: iso(since), dunning_attempts: attempts, next_dunning_at: iso(since + (attempts + 1) * 5 * DAY),
        access_until: iso(since + graceMs), updated_at: iso(since),
      }),
      mandate,
    };
  }
  const cancelled = state === 'cancelled';
  // a cancellation takes effect at the end of the running period (never before the minimum term)
  const effective = cancelled ? Math.max(periodEndAt, Date.parse(terms.min_term_end)) : null;
  return {
    subscription: newSubscriptionRow({
      ...common, ...period, state: state === 'intro' ? 'intro' : 'active',
      access_until: iso(effective !== null ? Math.min(effective, periodEndAt) : periodEndAt),
      ...(cancelled ? { cancel_requested_at: iso(now - Math.floor(r() * 20 * DAY) - DAY), cancel_effective_at: iso(effective!) } : {}),
      updated_at: iso(Math.max(created, periodStart)),
    }),
    mandate,
  };
}

function monthsBetween(anchor: string, t: number): number {
  const [y, m] = anchor.split('-').map(Number) as [number, number];
  const d = new Date(t);
  return (d.getUTCFullYear() - y) * 12 + (d.getUTCMonth() + 1 - m);
}


/**
 * The hash every generated reader shares: argon2id of GENERATED_PASSWORD at the given cost, its salt taken from the seed
 * so the rows stay the same for the same seed. One hash instead of a million (each costs 64 MiB and ~0.1 s).
 */
export async function generatedPasswordHash(seed: number, h: { memoryCost: number; timeCost: number; parallelism: number }): Promise<string> {
  const salt = Buffer.from(sha256(`klartext-generated-paper:${seed}`).slice(0, 32), 'hex');
  return argon2.hash(GENERATED_PASSWORD, { type: argon2.argon2id, memoryCost: h.memoryCost, timeCost: h.timeCost, parallelism: h.parallelism, salt });
}

/** A section the generator creates: an opaque id like the others, the same for the same seed. */
export const generatedSectionId = (seed: number, slug: string): string => generatedId(seed, STREAM.section, SECTION_SLUGS.indexOf(slug));
