// For tests of the insights: a small paper (sections, bylines, articles) and daily rollups written straight into analytics_daily (with their summaries).
import type { Kysely } from 'kysely';
import type { Database } from '../db/index.ts';
import type { AnalyticsDailyRow } from '../db/index.ts';
import { addDays } from '../berlin-time.ts';
import { rebuildSummaries } from './summaries.ts';

export const INSIGHT_ARTICLES = {
  haushalt: { id: 'art-haushalt', slug: 'haushalt-in-not', headline: 'Der Haushalt gerät ins Wanken', access: 'plus', section: 'sec-stadt', authors: ['au-ina'] },
  stadion: { id: 'art-stadion', slug: 'stadion-wird-teurer', headline: 'Das Stadion wird teurer', access: 'plus', section: 'sec-sport', authors: ['au-ina', 'au-ole'] },
  fest: { id: 'art-fest', slug: 'stadtfest', headline: 'Stadtfest am Wochenende', access: 'free', section: 'sec-stadt', authors: ['au-ole'] },
  // a headline a spreadsheet would run as a formula, and markup: the CSV and the page must defuse both
  formel: { id: 'art-formel', slug: 'formel', headline: '=HYPERLINK("http://evil.example","<b>Klick</b>")', access: 'plus', section: 'sec-sport', authors: [] },
} as const;

export async function insertInsightPaper(db: Kysely<Database>): Promise<void> {
  const at = '2026-01-01T08:00:00.000Z';
  await db.insertInto('sections').values([
    { id: 'sec-stadt', slug: 'stadt-brackenau', name: 'Stadt', position: 90, description: '' },
    { id: 'sec-sport', slug: 'sport-brackenau', name: 'Sport & Verein', position: 91, description: '' },
  ]).execute();
  await db.insertInto('authors').values([
    { id: 'au-ina', slug: 'ina-insight', name: 'Ina Insight', bio: '', user_id: null },
    { id: 'au-ole', slug: 'ole-insight', name: 'Ole Insight', bio: '', user_id: null },
  ]).execute();
  for (const a of Object.values(INSIGHT_ARTICLES)) {
    await db.insertInto('articles').values({
      id: a.id, slug: a.slug, section_id: a.section, kicker: '', headline: a.headline, teaser: '', access: a.access, paywall_after: 1, blocks_json: '[]',
      image_id: null, image_caption: '', image_credit: '', published_at: at, updated_at: at, created_at: at, live: 1,
    }).execute();
    let position = 0;
    for (const author of a.authors) await db.insertInto('article_authors').values({ article_id: a.id, author_id: author, position: position++ }).execute();
  }
}

export type RollupInput = Partial<AnalyticsDailyRow> & Pick<AnalyticsDailyRow, 'day' | 'kind' | 'count'>;

/** Rollup rows; the section is the article's (as the rollup job takes it) unless given. The summaries of their days are rebuilt, as a bulk load must. */
export async function insertRollups(db: Kysely<Database>, rows: RollupInput[]): Promise<void> {
  const sectionOf = new Map<string, string>(Object.values(INSIGHT_ARTICLES).map((a) => [a.id, a.section]));
  if (rows.length === 0) return;
  await db.insertInto('analytics_daily').values(rows.map((r) => ({
    day: r.day, kind: r.kind, count: r.count, article_id: r.article_id ?? '', offer_id: r.offer_id ?? '', variant_id: r.variant_id ?? '',
    institution_id: r.institution_id ?? '', detail: r.detail ?? '', section_id: r.section_id ?? sectionOf.get(r.article_id ?? '') ?? '',
  }))).execute();
  const days = rows.map((r) => r.day).sort();
  await rebuildSummaries(db, days[0]!, days.at(-1)!);
}

const A = INSIGHT_ARTICLES;
/**
 * Two days in November 2026, one in October (the previous range of November), one day outside both; with checkouts and
 * orders without an article (from /abo), which count as orders but not in the funnel.
 */
export const NOVEMBER_ROLLUPS: RollupInput[] = [
  { day: '2026-11-03', kind: 'view', article_id: A.haushalt.id, detail: 'plus', count: 1000 },
  { day: '2026-11-03', kind: 'view', article_id: A.fest.id, detail: 'free', count: 5000 },
  { day: '2026-11-03', kind: 'paywall', article_id: A.haushalt.id, detail: 'guest', count: 300 },
  { day: '2026-11-03', kind: 'paywall', article_id: A.haushalt.id, detail: 'meter-used', count: 100 },
  { day: '2026-11-03', kind: 'offer_click', article_id: A.haushalt.id, offer_id: 'o1', count: 40 },
  { day: '2026-11-03', kind: 'checkout', article_id: A.haushalt.id, offer_id: 'o1', count: 20 },
  { day: '2026-11-03', kind: 'checkout', offer_id: 'o1', count: 7 }, // from /abo, no paywall: not in the funnel
  { day: '2026-11-03', kind: 'order', article_id: A.haushalt.id, offer_id: 'o1', count: 8 },
  { day: '2026-11-03', kind: 'order', offer_id: 'o1', count: 3 },
  { day: '2026-11-03', kind: 'registration', article_id: A.haushalt.id, count: 12 },
  { day: '2026-11-20', kind: 'view', article_id: A.stadion.id, detail: 'plus', count: 2000 },
  { day: '2026-11-20', kind: 'paywall', article_id: A.stadion.id, detail: 'guest', count: 200 },
  { day: '2026-11-20', kind: 'order', article_id: A.stadion.id, offer_id: 'o1', count: 10 },
  { day: '2026-11-20', kind: 'view', article_id: A.formel.id, detail: 'plus', count: 10 },
  { day: '2026-11-20', kind: 'institution_unlock', article_id: A.stadion.id, institution_id: 'inst-1', count: 9 },
  { day: '2026-10-15', kind: 'view', article_id: A.haushalt.id, detail: 'plus', count: 500 },
  { day: '2026-10-15', kind: 'order', article_id: A.haushalt.id, offer_id: 'o1', count: 2 },
  { day: '2026-09-01', kind: 'view', article_id: A.haushalt.id, detail: 'plus', count: 99_999 },
  ];


/**
 * A lively, deterministic history of rollups for the live articles in the database (for the browser test and
 * screenshots): weekday rhythm, slow growth, Plus articles with paywalls, clicks, checkouts and a few orders.
 */
export async function insertRollupHistory(db: Kysely<Database>, o: { today: string; days: number; seed?: number }): Promise<number> {
  const articles = await db.selectFrom('articles').select(['id', 'access', 'section_id']).where('live', '=', 1).orderBy('id').execute();
  let s = (o.seed ?? 7) >>> 0;
  const rnd = () => { s = (s + 0x6d2b79f5) >>> 0; let t = Math.imul(s ^ (s >>> 15), s | 1); t ^= t + Math.imul(t ^ (t >>> 7), t | 61); return ((t ^ (t >>> 14)) >>> 0) / 4294967296; };
  const rows: RollupInput[] = [];
  const weight = articles.map(() => 0.3 + rnd() * 1.7);
  for (let d = o.days - 1; d >= 0; d--) {
    const day = addDays(o.today, -d);
    const weekday = new Date(`${day}T12:00:00Z`).getUTCDay();
    const level = (weekday === 0 || weekday === 6 ? 0.7 : 1) * (1 + (o.days - d) / o.days * 0.35) * (0.85 + rnd() * 0.3);
    articles.forEach((a, i) => {
      const views = Math.round(180 * weight[i]! * level);
      const base = { day, article_id: a.id, section_id: a.section_id };
      rows.push({ ...base, kind: 'view', detail: a.access, count: views });
      if (a.access !== 'plus') return;
      const paywall = Math.round(views * (0.32 + rnd() * 0.08));
      rows.push({ ...base, kind: 'paywall', detail: 'guest', count: Math.round(paywall * 0.7) }, { ...base, kind: 'paywall', detail: 'meter-used', count: paywall - Math.round(paywall * 0.7) });
      const clicks = Math.round(paywall * (0.05 + rnd() * 0.03));
      const checkouts = Math.round(clicks * (0.45 + rnd() * 0.1));
      const orders = Math.round(checkouts * (0.25 + rnd() * 0.3));
      if (clicks) rows.push({ ...base, kind: 'offer_click', offer_id: 'plus-digital', count: clicks });
      if (checkouts) rows.push({ ...base, kind: 'checkout', offer_id: 'plus-digital', count: checkouts });
      if (orders) rows.push({ ...base, kind: 'order', offer_id: 'plus-digital', count: orders });
      const registrations = Math.round(paywall * 0.02 * rnd());
      if (registrations) rows.push({ ...base, kind: 'registration', count: registrations });
    });
    rows.push({ day, kind: 'order', offer_id: 'plus-digital', count: Math.round(2 + 3 * rnd()) });
  }
  for (let i = 0; i < rows.length; i += 500) await insertRollups(db, rows.slice(i, i + 500));
  return rows.length;
}
