// The demo paper's two years of history (decision 033): an archive, readers, orders and contracts with their history and charges, first-party events with their rollups, an ended offer experiment and a city library.
import { sql, type Transaction } from 'kysely';
import type {
  AnalyticsDailyRow, ChargeRow, Database, DialectCapabilities, ExperimentRow, ExperimentVariantRow, InstitutionNetworkRow, InstitutionRow, Store, SubscriptionEventRow,
  SubscriptionRow, UserRow,
} from '../db/index.ts';
import { sha256 } from '../db/index.ts';
import { recordContentChange } from '../content/index.ts';
import { rebuildSummaries } from '../analytics/index.ts';
import {
  addDays, addMonths, berlinDate, berlinMidnight, earliestEnd, endToEndId, findOffer, newSubscriptionRow, periodMonths, planChange,
  type ApplyOptions, type LifecycleEvent, type Offer,
} from '../billing/index.ts';
import { FIRST_NAMES, LAST_NAMES, asciiName, generatedId, pick, rowRng, weighted } from './generate-text.ts';
import { contractNumber, generatedArticle, type GeneratedArticle } from './generate-paper.ts';
import { ARTICLE_COLUMNS, USER_COLUMNS, SUBSCRIPTION_COLUMNS, articleRow, multiRowInserts, pgArrayInserts, pickColumns, writeSearchDocuments, type PutRows, type Value } from './generate.ts';

/** Fixed, so every site gets the same history for the same "now" (the rows count back from it). */
export const HISTORY_SEED = 20_261_128;
/** Two years of daily rollups; raw events for the last 90 days (the default retention). */
export const HISTORY_DAYS = 730;
export const RAW_DAYS = 90;
/** History readers cannot log in: no argon2 hash matches this (verifyPassword answers false). */
export const NO_LOGIN = '!demo-history';

const STREAM = { day: 21, reader: 22, contract: 23, experiment: 24, variant: 25, institution: 26, network: 27, line: 28, charge: 29, archive: 30, popularity: 31 } as const;
const DAY = 86_400_000;
const HOUR = 3_600_000;
const MINUTE = 60_000;

/** The ended A/B test's and the library's ids: the marker that the history is there (a second seed adds nothing). */
export const HISTORY_EXPERIMENT_ID = generatedId(HISTORY_SEED, STREAM.experiment, 0);
export const HISTORY_INSTITUTION_ID = generatedId(HISTORY_SEED, STREAM.institution, 0);
export const LIBRARY_NETWORKS = ['198.51.100.0/24', '2001:db8:4b::/48'] as const;

// --- the model: every figure here is a plain number a reader of the code can check against the dashboard ---
/** Article views a day at the end of the two years (the paper grew by a quarter over them). */
const VIEWS_PER_DAY = 750;
const WEEKDAY = [0.72, 1.08, 1.05, 1.02, 1.0, 0.96, 0.8]; // Sunday … Saturday: weekdays busier
const MONTH = [1.08, 1.04, 1.0, 0.98, 0.96, 0.92, 0.84, 0.85, 0.98, 1.02, 1.05, 0.95]; // summer holidays lower, January high
/** News spikes (days ago → traffic factors of that day and the next ones); the first archive article of the day is the story. */
const SPIKES: readonly { ago: number; factors: readonly number[] }[] = [{ ago: 301, factors: [3.2, 1.9, 1.3] }, { ago: 52, factors: [2.4, 1.5] }];
/** A price campaign ("Aktionswochen": Plus for 1 € the first month, advertised): more offer clicks and better checkout. */
const CAMPAIGN = { fromAgo: 395, toAgo: 382, clicks: 2.0, orders: 1.2 } as const;
/** The ended A/B test of the offer box, inside the raw window so raw events carry its variant ids; B is a bit better. */
const EXPERIMENT = { fromAgo: 82, toAgo: 26, clicksB: 1.2, ordersB: 1.3 } as const;
/** The city library's access began this many days ago. */
const LIBRARY_SINCE_AGO = 240;
/** Share of a Plus article's viewers who meet the paywall (the others are subscribers, library users, meter unlocks). */
const PLUS_PAYWALL = 0.68;
const REGISTERED_PAYWALL = 0.45;
const PAYWALL_DETAILS: readonly [string, number][] = [['guest', 64], ['meter-used', 14], ['meter-left', 10], ['no-meter', 7], ['verify', 5]];
const OFFER_CLICK = 0.04;
const CHECKOUT = 0.45;
const ORDER = 0.42;
type OfferKey = 'monthly' | 'yearly' | 'gift';
const BOX_OFFERS: readonly [OfferKey, number][] = [['monthly', 72], ['yearly', 18], ['gift', 10]];
const DIRECT_OFFERS: readonly [OfferKey, number][] = [['monthly', 60], ['yearly', 30], ['gift', 10]];
/** Contracts from before the two years (Plus existed already): no order events, no attribution. */
const LEGACY_CONTRACTS = 160;
const COMP_CONTRACTS = 24;
/** Monthly contracts: cancelled in the intro month, then a monthly churn; yearly: the share that leaves after year one. */
const INTRO_CANCEL = 0.24;
const MONTHLY_CHURN = 0.032;
const YEARLY_LEAVE = 0.22;
const PAYMENT_FAILS = 0.03;
const PAYMENT_RECOVERS = 0.6;
const EXTRAORDINARY = 0.03;
/** Contracts forced into "payment open" right now, so the revenue page shows every state on any day. */
const FORCED_PAST_DUE = 2;

export interface HistoryOptions { now: Date; graceMs: number }
export interface HistoryReport {
  archiveArticles: number; readers: number; subscriptions: number; subscriptionEvents: number; charges: number; rawEvents: number; rollupRows: number;
  /** wall time, and the CPU time of this process (the engine's too on SQLite): on a busy machine the second is the fairer figure */
  seconds: number; cpuSeconds: number;
}
const cpuSeconds = (u: NodeJS.CpuUsage): number => (u.user + u.system) / 1e6;
export type HistoryResult = ({ added: true } & HistoryReport) | { added: false; reason: string };

interface Art { id: string; access: 'free' | 'registered' | 'plus'; sectionId: string; pub: number; dayIndex: number; pop: number }
interface Paper {
  articles: { id: string; access: 'free' | 'registered' | 'plus'; section_id: string; published_at: string }[];
  sections: Map<string, string>;
  /** ids and slugs, by slug */
  authors: { id: string; slug: string }[];
  offers: Record<OfferKey, Offer>;
}

/**
 * Adds the history to the demo paper in one transaction (multi-row inserts; on PostgreSQL one array per column). Nothing is added when the
 * history is there already, or when the site has insights data of its own (real events are never mixed with invented ones).
 */
export async function seedDemoHistory(store: Store, o: HistoryOptions): Promise<HistoryResult> {
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  return store.db.transaction().execute(async (trx): Promise<HistoryResult> => {
    if (await trx.selectFrom('experiments').select('id').where('id', '=', HISTORY_EXPERIMENT_ID).executeTakeFirst()) return { added: false, reason: 'Der Demo-Verlauf ist schon eingespielt.' };
    const own = await trx.selectFrom('analytics_rollup_days').select('day').limit(1).executeTakeFirst()
      ?? await trx.selectFrom('analytics_events').select('day').limit(1).executeTakeFirst();
    if (own) return { added: false, reason: 'Die Datenbank hat schon eigene Auswertungsdaten; der Demo-Verlauf kommt nur in eine Website ohne sie.' };
    const paper = await readPaper(trx);
    if (!paper) return { added: false, reason: 'Ohne Demo-Zeitung (Ressorts, Artikel, Angebote) gibt es keinen Demo-Verlauf.' };
    const plan = planHistory(paper, o);
    await writeHistory(trx, store.caps, paper, plan, o.now);
    return {
      added: true, archiveArticles: plan.archive.length, readers: plan.users.length, subscriptions: plan.subscriptions.length, subscriptionEvents: plan.lines.length,
      charges: plan.charges.length, rawEvents: plan.raw.length, rollupRows: plan.daily.length, seconds: (performance.now() - t0) / 1000,
      cpuSeconds: cpuSeconds(process.cpuUsage(cpu0)),
    };
  });
}

async function readPaper(trx: Transaction<Database>): Promise<Paper | null> {
  const articles = await trx.selectFrom('articles').select(['id', 'access', 'section_id', 'published_at']).where('live', '=', 1)
    .orderBy('published_at').orderBy('slug').execute();
  const sections = new Map((await trx.selectFrom('sections').select(['id', 'slug']).orderBy('position').execute()).map((s) => [s.slug, s.id]));
  const authors = await trx.selectFrom('authors').select(['id', 'slug']).orderBy('slug').execute();
  const [monthly, yearly, gift] = await Promise.all(['plus-digital', 'plus-digital-jahr', 'geschenk-abo'].map((slug) => findOffer(trx, slug)));
  if (!sections.size || !articles.length || !monthly || !yearly || !gift) return null;
  return { articles, sections, authors, offers: { monthly, yearly, gift } };
}

export interface HistoryPlan {
  archive: { article: GeneratedArticle; sectionId: string; authorIds: string[] }[];
  users: UserRow[];
  subscriptions: SubscriptionRow[];
  lines: SubscriptionEventRow[];
  charges: ChargeRow[];
  /** raw events as rows of EVENT_COLUMNS (a hundred thousand objects fewer for the garbage collector) */
  raw: Value[][];
  daily: AnalyticsDailyRow[];
  rollupDays: { day: string; rolled_up_at: string; final: number }[];
  experiment: ExperimentRow;
  variants: ExperimentVariantRow[];
  institution: InstitutionRow;
  networks: InstitutionNetworkRow[];
}

const iso = (t: number): string => new Date(t).toISOString();
/** Berlin midnights and dates, remembered: the history asks Intl about the same few hundred days many thousand times. */
const midnights = new Map<string, number>();
const midnight = (day: string): number => {
  let t = midnights.get(day);
  if (t === undefined) { t = berlinMidnight(day).getTime(); midnights.set(day, t); }
  return t;
};
const dates = new Map<number, string>();
const dayOf = (t: number): string => {
  const hour = Math.floor(t / HOUR);
  let d = dates.get(hour);
  if (d === undefined) { d = berlinDate(new Date(t)); dates.set(hour, d); }
  return d;
};
/** The daily billing run (05:00 Berlin) at or after t: when dunning steps and ends happen. */
const runAtOrAfter = (t: number): number => {
  const day = dayOf(t);
  const run = midnight(day) + 5 * HOUR;
  return run >= t ? run : midnight(addDays(day, 1)) + 5 * HOUR;
};

/** A binomial draw: exact for small counts, the normal approximation above (rounded, clamped). */
function binom(r: () => number, n: number, p: number): number {
  if (n <= 0 || p <= 0) return 0;
  if (n < 60) { let k = 0; for (let i = 0; i < n; i++) if (r() < p) k++; return k; }
  const g = Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());
  return Math.max(0, Math.min(n, Math.round(n * p + g * Math.sqrt(n * p * (1 - p)))));
}

/** The whole history as rows: a pure function of the paper and `now` (same input, same rows). */
export function planHistory(paper: Paper, o: HistoryOptions): HistoryPlan {
  const now = o.now.getTime();
  const today = dayOf(now);
  const firstDay = addDays(today, -(HISTORY_DAYS - 1));
  const rawFrom = addDays(today, -(RAW_DAYS - 1));
  const dayIndex = (day: string) => Math.round((Date.parse(`${day}T00:00:00Z`) - Date.parse(`${firstDay}T00:00:00Z`)) / DAY);
  const agoDay = (ago: number) => addDays(today, -ago);

  // --- the archive: about one article a day before the demo paper's own (which stay the newest), in the demo's sections ---
  const oldestDemo = paper.articles[0] ? dayOf(Date.parse(paper.articles[0].published_at)) : today;
  const archive: HistoryPlan['archive'] = [];
  const arts: Art[] = [];
  const spikeDays = new Set(SPIKES.map((s) => agoDay(s.ago)));
  const sectionIds = [...paper.sections.values()];
  const plan = { seed: HISTORY_SEED, articles: 1000, readers: 0, subscriptions: 0, now: o.now };
  for (let i = 0, n = 0; i < HISTORY_DAYS; i++) {
    const day = addDays(firstDay, i);
    if (day >= oldestDemo) break;
    const r = rowRng(HISTORY_SEED, STREAM.archive, i);
    const weekday = new Date(`${day}T12:00:00Z`).getUTCDay();
    let count = weekday === 0 || weekday === 6 ? (r() < 0.5 ? 1 : 0) : r() < 0.35 ? 2 : 1;
    if (spikeDays.has(day)) count = Math.max(count, 1);
    for (let c = 0; c < count; c++, n++) {
      const published = midnight(day) + 6 * HOUR + Math.floor(r() * 13 * HOUR);
      const g = generatedArticle(plan, n);
      const article = { ...g, publishedAt: iso(published), updatedAt: iso(published) };
      const sectionId = paper.sections.get(g.section) ?? paper.sections.get(SECTION_STAND_INS[g.section] ?? '') ?? sectionIds[n % sectionIds.length]!;
      const authorIds = paper.authors.length ? [...new Set(g.authorIndexes.map((k) => paper.authors[k % paper.authors.length]!.id))] : [];
      archive.push({ article, sectionId, authorIds });
      const pop = (0.4 + 1.6 * r()) * (c === 0 && spikeDays.has(day) ? 8 : 1);
      arts.push({ id: article.id, access: article.access, sectionId, pub: published, dayIndex: i, pop });
    }
  }
  for (const [k, a] of paper.articles.entries()) {
    const pub = Date.parse(a.published_at);
    if (pub > now) continue;
    const r = rowRng(HISTORY_SEED, STREAM.popularity, k);
    arts.push({ id: a.id, access: a.access, sectionId: a.section_id, pub, dayIndex: dayIndex(dayOf(pub)), pop: 0.6 + 1.8 * r() });
  }
  arts.sort((a, b) => a.pub - b.pub);

  // --- the experiment and the library ---
  const expStart = midnight(agoDay(EXPERIMENT.fromAgo));
  const expEnd = midnight(agoDay(EXPERIMENT.toAgo - 1));
  const variantA = generatedId(HISTORY_SEED, STREAM.variant, 0);
  const variantB = generatedId(HISTORY_SEED, STREAM.variant, 1);
  const experiment: ExperimentRow = {
    id: HISTORY_EXPERIMENT_ID, name: 'Angebotsbox: Lokaljournalismus statt Preis', state: 'ended', created_by: null,
    created_at: iso(expStart - 2 * DAY + 10 * HOUR), started_at: iso(expStart), ended_at: iso(expEnd),
  };
  const variants: ExperimentVariantRow[] = [
    { id: variantA, experiment_id: experiment.id, key: 'A', headline: 'Weiterlesen mit Plus', body: 'Alle Plus-Artikel im Klartext, auf allen Geräten – im ersten Monat für 1 €.', offer_id: null, share: 50, position: 0 },
    { id: variantB, experiment_id: experiment.id, key: 'B', headline: 'Lokaljournalismus aus Brackenau braucht Sie', body: 'Unsere Redaktion ist jeden Tag vor Ort. Lesen Sie alles, was hier passiert – im ersten Monat für 1 €.', offer_id: null, share: 50, position: 1 },
  ];
  const librarySince = midnight(agoDay(LIBRARY_SINCE_AGO)) + 9 * HOUR;
  const institution: InstitutionRow = {
    id: HISTORY_INSTITUTION_ID, name: 'Stadtbibliothek Brackenau', kind: 'library', seats: null, ends_on: `${Number(today.slice(0, 4)) + 1}-12-31`,
    created_at: iso(librarySince - 3 * DAY), updated_at: iso(librarySince - 3 * DAY), revoked_at: null,
  };
  const networks = LIBRARY_NETWORKS.map((cidr, k) => ({ id: generatedId(HISTORY_SEED, STREAM.network, k), institution_id: institution.id, cidr }));

  // --- events: a day at a time; raw days keep every event, older days only their counts ---
  const raw: Value[][] = [];
  const daily = new Map<string, AnalyticsDailyRow>();
  const count = (day: string, kind: string, a: Art | null, offer: string | null, variant: string | null, inst: string | null, detail: string | null, n: number) => {
    const key = `${day}|${kind}|${a?.id ?? ''}|${offer ?? ''}|${variant ?? ''}|${inst ?? ''}|${detail ?? ''}`;
    const row = daily.get(key);
    if (row) row.count += n;
    else daily.set(key, { day, kind, article_id: a?.id ?? '', offer_id: offer ?? '', variant_id: variant ?? '', institution_id: inst ?? '', detail: detail ?? '', section_id: a?.sectionId ?? '', count: n });
  };
  /** n events of one kind at random instants in [lo, hi) of `day`. */
  const emit = (r: () => number, day: string, kind: string, n: number, lo: number, hi: number, a: Art | null, offer: string | null = null, variant: string | null = null, inst: string | null = null, detail: string | null = null) => {
    if (n <= 0) return;
    count(day, kind, a, offer, variant, inst, detail, n);
    if (day < rawFrom) return;
    for (let j = 0; j < n; j++) {
      raw.push([iso(lo + Math.floor(r() * (hi - lo))), day, kind, a?.id ?? null, offer, variant, inst, detail]);
    }
  };

  interface Order { at: number; offer: OfferKey; articleId: string | null; variantId: string | null }
  const orders: Order[] = [];
  const registrations: number[] = [];
  const offerId = (k: OfferKey) => paper.offers[k].id;
  let oldest = 0;
  let newest = 0;
  for (let i = 0; i < HISTORY_DAYS; i++) {
    const day = addDays(firstDay, i);
    const ago = HISTORY_DAYS - 1 - i;
    const start = midnight(day);
    const fullEnd = midnight(addDays(day, 1));
    const end = Math.min(fullEnd, now);
    if (end <= start) continue;
    const r = rowRng(HISTORY_SEED, STREAM.day, i);
    const date = new Date(`${day}T12:00:00Z`);
    let traffic = WEEKDAY[date.getUTCDay()]! * MONTH[date.getUTCMonth()]! * (0.78 + 0.22 * i / (HISTORY_DAYS - 1)) * (0.92 + 0.16 * r());
    if (day.slice(5) >= '12-24' && day.slice(5) <= '12-26') traffic *= 0.65;
    for (const s of SPIKES) if (ago <= s.ago && ago > s.ago - s.factors.length) traffic *= s.factors[s.ago - ago]!;
    traffic *= (end - start) / (fullEnd - start);
    const campaign = ago <= CAMPAIGN.fromAgo && ago >= CAMPAIGN.toAgo;
    const testing = start >= expStart && start < expEnd;
    const library = start >= midnight(dayOf(librarySince));
    const weekend = date.getUTCDay() === 0 || date.getUTCDay() === 6;

    // the articles read today: published in the last two weeks, the newest most
    while (newest < arts.length && arts[newest]!.pub < end) newest++;
    while (oldest < newest && arts[oldest]!.dayIndex < i - 14) oldest++;
    const read = arts.slice(oldest, newest);
    const weights = read.map((a) => a.pop * (0.5 ** (i - a.dayIndex) + 0.02));
    const total = weights.reduce((s, w) => s + w, 0);
    for (const [k, a] of read.entries()) {
      const lo = Math.max(start, a.pub);
      const views = Math.round(VIEWS_PER_DAY * traffic * weights[k]! / total * (0.85 + 0.3 * r()));
      emit(r, day, 'view', views, lo, end, a, null, null, null, a.access);
      if (a.access === 'registered') {
        const walls = binom(r, views, REGISTERED_PAYWALL);
        emit(r, day, 'paywall', walls, lo, end, a, null, null, null, 'guest');
        for (let j = binom(r, walls, 0.03); j > 0; j--) { const t = lo + Math.floor(r() * (end - lo)); registrations.push(t); emit(r, day, 'registration', 1, t, t + 1, a); }
        continue;
      }
      if (a.access !== 'plus') continue;
      emit(r, day, 'meter_unlock', binom(r, views, 0.035), lo, end, a);
      emit(r, day, 'gift_open', binom(r, views, 0.005), lo, end, a);
      if (library) emit(r, day, 'institution_unlock', binom(r, views, weekend ? 0.004 : 0.014), lo, end, a, null, null, institution.id);
      const walls = binom(r, views, PLUS_PAYWALL);
      const groups: [string | null, number][] = testing ? (() => { const wa = binom(r, walls, 0.5); return [[variantA, wa], [variantB, walls - wa]]; })() : [[null, walls]];
      for (const [variant, n] of groups) {
        let left = n;
        let weightLeft = PAYWALL_DETAILS.reduce((s, [, w]) => s + w, 0);
        let guests = 0;
        for (const [detail, w] of PAYWALL_DETAILS) {
          const m = weightLeft === w ? left : binom(r, left, w / weightLeft);
          emit(r, day, 'paywall', m, lo, end, a, null, variant, null, detail);
          if (detail === 'guest') guests = m;
          left -= m;
          weightLeft -= w;
        }
        for (let j = binom(r, guests, 0.006); j > 0; j--) { const t = lo + Math.floor(r() * (end - lo)); registrations.push(t); emit(r, day, 'registration', 1, t, t + 1, a); }
        const better = variant === variantB;
        const clicks = binom(r, n, OFFER_CLICK * (better ? EXPERIMENT.clicksB : 1) * (campaign ? CAMPAIGN.clicks : 1));
        for (let j = 0; j < clicks; j++) {
          const offer = weighted(r, BOX_OFFERS);
          const t = lo + Math.floor(r() * (end - lo));
          emit(r, day, 'offer_click', 1, t, t + 1, a, offerId(offer), variant);
          if (r() >= CHECKOUT) continue;
          const tc = Math.min(end - 1, t + MINUTE + Math.floor(r() * 4 * MINUTE));
          emit(r, day, 'checkout', 1, tc, tc + 1, a, offerId(offer), variant);
          if (r() >= ORDER * (better ? EXPERIMENT.ordersB : 1) * (campaign ? CAMPAIGN.orders : 1)) continue;
          const to = Math.min(end - 1, tc + 2 * MINUTE + Math.floor(r() * 10 * MINUTE));
          emit(r, day, 'order', 1, to, to + 1, a, offerId(offer), variant);
          orders.push({ at: to, offer, articleId: a.id, variantId: variant });
        }
      }
    }
    // orders from the offer page itself (a link, a newsletter, word of mouth): no article to credit
    for (let j = binom(r, Math.round(3 * traffic), 0.3); j > 0; j--) {
      const offer = weighted(r, DIRECT_OFFERS);
      const t = start + Math.floor(r() * (end - start));
      emit(r, day, 'checkout', 1, t, t + 1, null, offerId(offer));
      if (r() >= 0.5) continue;
      const to = Math.min(end - 1, t + 2 * MINUTE + Math.floor(r() * 10 * MINUTE));
      emit(r, day, 'order', 1, to, to + 1, null, offerId(offer));
      orders.push({ at: to, offer, articleId: null, variantId: null });
    }
  }

  // --- readers and contracts, each replayed through the billing lifecycle ---
  const users: UserRow[] = [];
  const newReader = (created: number, verified: boolean): UserRow => {
    const n = users.length;
    const r = rowRng(HISTORY_SEED, STREAM.reader, n);
    const firstName = pick(r, FIRST_NAMES);
    const lastName = pick(r, LAST_NAMES);
    const confirmed = verified || r() < 0.9 ? iso(created + Math.floor(r() * HOUR)) : null;
    const u: UserRow = {
      id: generatedId(HISTORY_SEED, STREAM.reader, n), email: `${asciiName(firstName)}.${asciiName(lastName)}.${n + 1}@leserpost.example`, password_hash: NO_LOGIN,
      role: 'reader', display_name: `${firstName} ${lastName}`, email_verified_at: confirmed, newsletter_opt_in: r() < 0.3 ? 1 : 0,
      terms_accepted_at: iso(created), privacy_accepted_at: iso(created), created_at: iso(created), updated_at: confirmed ?? iso(created),
    };
    users.push(u);
    return u;
  };
  for (const t of registrations) newReader(t, false);

  const subscriptions: SubscriptionRow[] = [];
  const lines: SubscriptionEventRow[] = [];
  const charges: ChargeRow[] = [];
  const cancellations: { at: number; offerId: string | null; detail: string }[] = [];
  let forced = 0;
  const lastRun = runAtOrAfter(now) > now ? runAtOrAfter(now - DAY) : runAtOrAfter(now);

  const replay = (k: number, first: { at: number; offer: OfferKey; articleId: string | null; variantId: string | null } | { comp: true; at: number }) => {
    const r = rowRng(HISTORY_SEED, STREAM.contract, k);
    const id = generatedId(HISTORY_SEED, STREAM.contract, k);
    const number = contractNumber(HISTORY_SEED, k);
    const sublines: { at: string; event: string; from: string | null; to: string; cause: string; actor: string }[] = [];
    let chargeNo = 0;
    const charge = (c: Omit<ChargeRow, 'id' | 'subscription_id' | 'end_to_end_id' | 'external_id' | 'batch_id' | 'return_reason' | 'sequence_type' | 'created_at' | 'updated_at' | 'due_on'> & { at: number; reason?: string }) => {
      chargeNo++;
      const invoice = `in_demo${id}_${chargeNo}`;
      const { at, reason, ...rest } = c;
      charges.push({
        id: generatedId(HISTORY_SEED, STREAM.charge, charges.length), subscription_id: id, ...rest, due_on: dayOf(at),
        sequence_type: rest.provider === 'sepa' ? 'FRST' : null, end_to_end_id: rest.provider === 'sepa' ? endToEndId(number, chargeNo) : `stripe-${invoice}`,
        batch_id: null, external_id: rest.provider === 'sepa' ? null : invoice, return_reason: reason ?? null, created_at: iso(at), updated_at: iso(at),
      });
    };
    let row: SubscriptionRow;
    const step = (e: LifecycleEvent, o: ApplyOptions) => {
      const { values, line } = planChange(row, e, o);
      row = { ...row, ...values };
      sublines.push(line);
    };
    const finish = () => {
      subscriptions.push(row);
      for (const [seq, l] of sublines.entries()) {
        lines.push({ id: generatedId(HISTORY_SEED, STREAM.line, lines.length), subscription_id: id, at: l.at, event: l.event, from_state: l.from, to_state: l.to, cause: l.cause, actor: l.actor, seq: seq + 1 });
      }
    };
    const graceMs = o.graceMs;
    const system = { actor: 'system:billing-run', graceMs } as const;

    if ('comp' in first) {
      // a free subscription for a year (staff, partners, a jury): granted on the command line, ended by the billing run
      const reader = newReader(first.at - DAY, true);
      const endAt = first.at + 365 * DAY;
      row = newSubscriptionRow({
        id, number, user_id: reader.id, kind: 'comp', provider: 'none', state: 'active', starts_at: iso(first.at), access_until: iso(endAt),
        current_period_start: iso(first.at), current_period_end: iso(endAt), periods_paid: 1, offer_name: 'Plus (Freiabo)', price_cents: 0, period: 'month',
        created_at: iso(first.at), updated_at: iso(first.at),
      });
      sublines.push({ at: iso(first.at), event: 'grant', from: null, to: 'active', cause: 'Freiabo für 365 Tage', actor: 'cli' });
      const over = runAtOrAfter(endAt);
      if (over <= now) step({ type: 'expire', at: iso(over), reason: 'comp-over' }, { ...system, cause: 'Laufzeit zu Ende' });
      return finish();
    }

    const offer = paper.offers[first.offer];
    const buyer = newReader(first.at - 10 * MINUTE - Math.floor(r() * 3 * DAY), true);
    const anchor = dayOf(first.at);
    const attribution = { attributed_article_id: first.articleId, experiment_variant_id: first.variantId };

    if (first.offer === 'gift') {
      // bought by SEPA debit (one debit, no mandate kept for it here), started when the recipient redeems the code
      const months = weighted(r, [[3, 40], [6, 35], [12, 25]] as const);
      row = newSubscriptionRow({
        id, number, user_id: null, offer_id: offer.id, kind: 'gift', provider: 'sepa', state: 'pending', starts_at: iso(first.at), offer_name: offer.name,
        price_cents: offer.priceCents, period: offer.period, min_term_months: offer.minTermMonths, notice_months: offer.noticeMonths, gift_months: months,
        holder_name: buyer.display_name, buyer_email: buyer.email, gift_code_hash: sha256(`klartext-demo-history-gift:${k}`),
        created_at: iso(first.at), updated_at: iso(first.at), ...attribution,
      });
      sublines.push({ at: iso(first.at), event: 'order', from: null, to: 'pending', cause: `Bestellung ${offer.name} (SEPA-Lastschrift)`, actor: `reader:${buyer.id}` });
      charge({ kind: 'gift', amount_cents: offer.priceCents * months, period_start: iso(first.at), period_end: iso(midnight(addMonths(anchor, months))), state: 'submitted', provider: 'sepa', at: first.at });
      const redeemed = first.at + DAY + Math.floor(r() * 24 * DAY);
      if (redeemed > now) return finish();
      const recipient = newReader(redeemed - 20 * MINUTE, true);
      const endAt = midnight(addMonths(dayOf(redeemed), months));
      row = { ...row, user_id: recipient.id };
      step({ type: 'start', at: iso(redeemed), periodEnd: iso(endAt) }, { cause: 'Geschenk-Code eingelöst', actor: `reader:${recipient.id}`, graceMs });
      const remind = runAtOrAfter(endAt - 7 * DAY);
      if (remind <= now) row = { ...row, reminder_sent_at: iso(remind) };
      const over = runAtOrAfter(endAt);
      if (over <= now) step({ type: 'expire', at: iso(over), reason: 'gift-over' }, { ...system, cause: 'Laufzeit zu Ende' });
      return finish();
    }

    // a paid contract, paid through Stripe (card, PayPal): no SEPA mandate to seal, renewals as Stripe reports them
    const pm = periodMonths(offer.period);
    row = newSubscriptionRow({
      id, number, user_id: buyer.id, offer_id: offer.id, kind: 'paid', provider: 'stripe', state: 'pending', starts_at: iso(first.at), offer_name: offer.name,
      intro_price_cents: offer.introPriceCents, intro_months: offer.introMonths, price_cents: offer.priceCents, period: offer.period,
      min_term_months: offer.minTermMonths, notice_months: offer.noticeMonths, min_term_end: iso(midnight(addMonths(anchor, offer.minTermMonths))),
      buyer_email: buyer.email, external_ref: `sub_demo${id}`, external_customer: `cus_demo${buyer.id}`, external_version: 1,
      created_at: iso(first.at), updated_at: iso(first.at), ...attribution,
    });
    sublines.push({ at: iso(first.at), event: 'order', from: null, to: 'pending', cause: `Bestellung ${offer.name} (Stripe)`, actor: `reader:${buyer.id}` });
    const started = first.at + MINUTE + Math.floor(r() * 2 * MINUTE);
    if (started > now) return finish();
    const stripe = { actor: 'stripe:demo', graceMs } as const;
    const intro = offer.introPriceCents !== null && offer.introMonths > 0;
    charge({ kind: intro ? 'intro' : 'regular', amount_cents: intro ? offer.introPriceCents! : offer.priceCents, period_start: iso(first.at), period_end: iso(midnight(addMonths(anchor, pm))), state: 'paid', provider: 'stripe', at: started });
    step({ type: 'start', at: iso(started), periodEnd: iso(midnight(addMonths(anchor, pm))) }, { ...stripe, cause: 'Stripe: erste Zahlung eingegangen' });
    let p = 1;
    // when (if ever) the reader cancels
    let cancelAt = Infinity;
    if (pm === 1) {
      if (intro && r() < INTRO_CANCEL) cancelAt = started + Math.floor(r() * (midnight(addMonths(anchor, 1)) - started - 2 * HOUR));
      else {
        let months = 1;
        while (r() >= MONTHLY_CHURN && months < 120) months++;
        cancelAt = midnight(addMonths(anchor, months)) - Math.floor((1 + r() * 20) * DAY);
      }
    } else if (r() < YEARLY_LEAVE) cancelAt = midnight(addMonths(anchor, 12)) - Math.floor((35 + r() * 200) * DAY);
    else if (r() < 0.3) cancelAt = midnight(addMonths(anchor, 24)) - Math.floor((35 + r() * 200) * DAY);
    const extraordinary = r() < EXTRAORDINARY;

    for (;;) {
      const renewAt = Date.parse(row.current_period_end!);
      if (row.cancel_effective_at !== null && Date.parse(row.cancel_effective_at) <= renewAt) {
        const over = runAtOrAfter(Date.parse(row.cancel_effective_at));
        if (over <= now) step({ type: 'expire', at: iso(over), reason: 'cancelled' }, { ...system, cause: 'Kündigung wirksam' });
        break;
      }
      if (row.cancel_effective_at === null && cancelAt < renewAt && cancelAt <= now) {
        cancellations.push({ at: cancelAt, offerId: offer.id, detail: extraordinary ? 'extraordinary' : 'ordinary' });
        if (extraordinary) {
          // an extraordinary cancellation waits in the queue until someone at the publisher decides; here: granted two days later
          const decided = cancelAt + 2 * DAY;
          if (decided <= now) step({ type: 'terminate', at: iso(decided), reason: 'terminated' }, { actor: 'admin:demo', graceMs: 0, cause: 'Sofort beendet durch den Verlag: außerordentliche Kündigung (Umzug ins Ausland)' });
          break;
        }
        step({ type: 'cancel', at: iso(cancelAt), effectiveAt: earliestEnd(row, new Date(cancelAt)) }, { actor: `reader:${buyer.id}`, graceMs, cause: 'Kündigung in Mein Konto' });
        continue;
      }
      if (renewAt > now) break;
      const nextEnd = midnight(addMonths(anchor, (p + 1) * pm));
      const amount = offer.introPriceCents !== null && p * pm < offer.introMonths ? offer.introPriceCents : offer.priceCents;
      let failAt: number | null = null;
      if (renewAt >= now - 2 * DAY && forced < FORCED_PAST_DUE && Math.max(renewAt, lastRun) + 10 * MINUTE <= now - MINUTE) {
        forced++;
        failAt = Math.max(renewAt, lastRun) + 10 * MINUTE;
      } else if (r() < PAYMENT_FAILS) failAt = renewAt + 2 * HOUR + Math.floor(r() * 14 * HOUR);
      // a failure Stripe would report only after now: the period is paid as far as anyone knows yet
      if (failAt !== null && failAt > now) failAt = null;
      if (failAt === null) {
        charge({ kind: amount === offer.priceCents ? 'regular' : 'intro', amount_cents: amount, period_start: iso(renewAt), period_end: iso(nextEnd), state: 'paid', provider: 'stripe', at: renewAt });
        step({ type: 'renew', at: iso(renewAt), periodStart: iso(renewAt), periodEnd: iso(nextEnd) }, { ...stripe, cause: 'Stripe: Zeitraum bezahlt' });
        p++;
        continue;
      }
      charge({ kind: 'regular', amount_cents: amount, period_start: iso(failAt), period_end: iso(failAt), state: 'failed', provider: 'stripe', at: failAt, reason: 'card_declined' });
      step({ type: 'payment-failed', at: iso(failAt), reason: 'card_declined' }, { ...stripe, cause: 'Stripe: Zahlung fehlgeschlagen (card_declined)' });
      // dunning as the daily run does it: three reminders over fourteen days, then the end — unless the money arrives first
      const recoveredAt = r() < PAYMENT_RECOVERS ? failAt + DAY + Math.floor(r() * 5 * DAY) : Infinity;
      let due = failAt;
      let outcome: 'open' | 'recovered' | 'unpaid' = 'open';
      for (let attempt = 1; attempt <= 4; attempt++) {
        const run = runAtOrAfter(due);
        if (recoveredAt < run) { outcome = recoveredAt <= now ? 'recovered' : 'open'; break; }
        if (run > now) break;
        if (attempt === 4) { step({ type: 'expire', at: iso(run), reason: 'unpaid' }, { ...system, cause: 'Zahlung nach drei Versuchen nicht eingegangen' }); outcome = 'unpaid'; break; }
        const nextAt = attempt >= 3 ? failAt + 14 * DAY : Math.max(run + DAY, failAt + attempt * 7 * DAY);
        step({ type: 'dunning-step', at: iso(run), nextAt: iso(nextAt) }, { ...system, cause: `Zahlungserinnerung ${attempt} von 3` });
        due = nextAt;
      }
      if (outcome !== 'recovered') break;
      charge({ kind: 'regular', amount_cents: amount, period_start: iso(renewAt), period_end: iso(nextEnd), state: 'paid', provider: 'stripe', at: recoveredAt });
      step({ type: 'payment-recovered', at: iso(recoveredAt), periodEnd: iso(nextEnd) }, { ...stripe, cause: 'Stripe: Zahlung eingegangen' });
      p++;
    }
    return finish();
  };

  let k = 0;
  // contracts from before the two years: the paper sold Plus already
  for (let j = 0; j < LEGACY_CONTRACTS; j++, k++) {
    const r = rowRng(HISTORY_SEED, STREAM.contract, 1_000_000 + j);
    const at = midnight(addDays(firstDay, -1 - Math.floor(r() * 2 * 365))) + 7 * HOUR + Math.floor(r() * 14 * HOUR);
    replay(k, { at, offer: r() < 0.7 ? 'monthly' : 'yearly', articleId: null, variantId: null });
  }
  for (let j = 0; j < COMP_CONTRACTS; j++, k++) {
    const r = rowRng(HISTORY_SEED, STREAM.contract, 2_000_000 + j);
    replay(k, { comp: true, at: midnight(addDays(firstDay, Math.floor(r() * (HISTORY_DAYS - 10)))) + 10 * HOUR + Math.floor(r() * 6 * HOUR) });
  }
  for (const order of orders) replay(k++, order);

  for (const c of cancellations) {
    const day = dayOf(c.at);
    if (day < firstDay) continue;
    const r = rowRng(HISTORY_SEED, STREAM.day, 10_000 + Math.floor(c.at / MINUTE));
    emit(r, day, 'cancellation', 1, c.at, c.at + 1, null, c.offerId, null, null, c.detail);
  }
  const rollupDays = [];
  for (let i = 0; i < HISTORY_DAYS; i++) {
    const day = addDays(firstDay, i);
    const done = Math.min(midnight(addDays(day, 1)) + 15 * MINUTE, now);
    rollupDays.push({ day, rolled_up_at: iso(done), final: day === today ? 0 : 1 });
  }
  return { archive, users, subscriptions, lines, charges, raw, daily: [...daily.values()], rollupDays, experiment, variants, institution, networks };
}

/** The generator's sections the demo paper does not have, and where their articles go instead. */
const SECTION_STAND_INS: Record<string, string> = { politik: 'region', meinung: 'stadt' };

const LINE_COLUMNS = ['id', 'subscription_id', 'at', 'event', 'from_state', 'to_state', 'cause', 'actor', 'seq'] as const;
const CHARGE_COLUMNS = ['id', 'subscription_id', 'kind', 'amount_cents', 'period_start', 'period_end', 'due_on', 'state', 'provider', 'sequence_type', 'end_to_end_id',
  'batch_id', 'external_id', 'return_reason', 'created_at', 'updated_at'] as const;
/** analytics_events, in the order of the raw rows */
const EVENT_COLUMNS = ['at', 'day', 'kind', 'article_id', 'offer_id', 'variant_id', 'institution_id', 'detail'] as const;
const DAILY_COLUMNS = ['day', 'kind', 'article_id', 'offer_id', 'variant_id', 'institution_id', 'detail', 'section_id', 'count'] as const;

async function writeHistory(trx: Transaction<Database>, caps: DialectCapabilities, paper: Paper, plan: HistoryPlan, now: Date): Promise<void> {
  const put: PutRows = caps.name === 'postgres' ? pgArrayInserts(trx) : multiRowInserts(trx);
  const sqlite = caps.name !== 'postgres';
  const created = now.toISOString();
  const rows = <T extends object>(list: readonly T[], columns: readonly string[]) => function* (): Generator<Value[]> { for (const x of list) yield pickColumns(x, columns); };
  await put('articles', ARTICLE_COLUMNS, function* () { for (const a of plan.archive) yield articleRow(a.article, a.sectionId, created); });
  await put('article_authors', ['article_id', 'author_id', 'position'], function* () {
    for (const a of plan.archive) for (const [pos, author] of a.authorIds.entries()) yield [a.article.id, author, pos];
  });
  await writeSearchDocuments(trx, put, plan.archive.map((a) => [a.article.id, a.article.freeText, a.article.premiumText]), caps.fullText === 'fts5');
  await put('users', USER_COLUMNS, rows(plan.users, USER_COLUMNS));
  await put('subscriptions', [...SUBSCRIPTION_COLUMNS, 'attributed_article_id', 'experiment_variant_id'], rows(plan.subscriptions, [...SUBSCRIPTION_COLUMNS, 'attributed_article_id', 'experiment_variant_id']));
  await put('subscription_events', LINE_COLUMNS, rows(plan.lines, LINE_COLUMNS));
  await put('charges', CHARGE_COLUMNS, rows(plan.charges, CHARGE_COLUMNS));
  await trx.insertInto('experiments').values(plan.experiment).execute();
  await trx.insertInto('experiment_variants').values(plan.variants).execute();
  await trx.insertInto('institutions').values(plan.institution).execute();
  await trx.insertInto('institution_networks').values(plan.networks).execute();
  // in index order: appending to a B-tree is cheaper than inserting all over it
  plan.raw.sort((x, y) => (x[0]! < y[0]! ? -1 : x[0]! > y[0]! ? 1 : 0));
  plan.daily.sort(compareDaily);
  await withoutSecondaryIndexes(trx, sqlite, 'analytics_events', () => put('analytics_events', EVENT_COLUMNS, () => plan.raw));
  await withoutSecondaryIndexes(trx, sqlite, 'analytics_daily', () => put('analytics_daily', DAILY_COLUMNS, rows(plan.daily, DAILY_COLUMNS)));
  await put('analytics_rollup_days', ['day', 'rolled_up_at', 'final'], rows(plan.rollupDays, ['day', 'rolled_up_at', 'final']));
  // the dashboard reads long ranges from the summaries (migration 015): the rollups were written past the rollup job
  if (plan.rollupDays.length) await rebuildSummaries(trx, plan.rollupDays[0]!.day, plan.rollupDays.at(-1)!.day);
  // the archive shows up in sections, feeds and sitemaps of running processes once this commits
  if (!plan.archive.length) return;
  const sectionSlugs = new Map([...paper.sections].map(([slug, id]) => [id, slug]));
  const authorSlugs = new Map(paper.authors.map((a) => [a.id, a.slug]));
  await recordContentChange(trx, ['front', 'nav', 'feeds', 'sitemaps', ...new Set(plan.archive.flatMap((a) => [
    `section:${sectionSlugs.get(a.sectionId)}`, ...a.authorIds.map((id) => `author:${authorSlugs.get(id)}`),
  ]))], { now });
}

const DAILY_KEY = ['day', 'kind', 'article_id', 'offer_id', 'variant_id', 'institution_id', 'detail'] as const;
function compareDaily(a: AnalyticsDailyRow, b: AnalyticsDailyRow): number {
  for (const k of DAILY_KEY) if (a[k] !== b[k]) return a[k] < b[k] ? -1 : 1;
  return 0;
}

/**
 * SQLite: an empty table's secondary indexes are dropped for the bulk insert and built again after it, in the same
 * transaction (one sorted build instead of a hundred thousand inserts into each). PostgreSQL keeps them: DROP INDEX
 * would lock the table against a running site's event writer until the commit.
 */
async function withoutSecondaryIndexes(trx: Transaction<Database>, sqlite: boolean, table: string, work: () => Promise<unknown>): Promise<void> {
  if (!sqlite) { await work(); return; }
  const indexes = (await sql<{ name: string; sql: string }>`select name, sql from sqlite_master where type = 'index' and tbl_name = ${table} and sql is not null`.execute(trx)).rows;
  for (const i of indexes) await sql`drop index ${sql.id(i.name)}`.execute(trx);
  await work();
  for (const i of indexes) await sql.raw(i.sql).execute(trx);
}
