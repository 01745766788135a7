// For tests of the insights: a small paper (sections, bylines, articles) and daily rollups written straight into analytics_daily.
import type { Kysely } from 'kysely';
import type { Database } from '../db/index.ts';
import type { AnalyticsDailyRow } from '../db/index.ts';

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

/** Rollup rows; the section is the article's (as the rollup job takes it) unless given. */
export async function insertRollups(db: Kysely<Database>, rows: RollupInput[]): Promise<void> {
  const sectionOf = new Map<string, string>(Object.values(INSIGHT_ARTICLES).map((a) => [a.id, a.section]));
  if (rows.length === 0) return;
  await db.insertInto('analytics_daily').values(rows.map((r) => ({
    day: r.day, kind: r.kind, count: r.count, article_id: r.article_id ?? '', offer_id: r.offer_id ?? '', variant_id: r.variant_id ?? '',
    institution_id: r.institution_id ?? '', detail: r.detail ?? '', section_id: r.section_id ?? sectionOf.get(r.article_id ?? '') ?? '',
  }))).execute();
}
