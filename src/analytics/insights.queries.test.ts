// The dashboard's queries on every engine: funnel counts (Plus views only, attributed checkouts/orders only), daily counts,
// per-article sorting and filters, per section and author, institution use — against rollups written by hand.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { testEngines, openTestStore, type TestStore } from '../db/test-stores.ts';
import { articleInsights, authorInsights, dailyCounts, institutionUsage, sectionInsights, topArticlesByOrders, totalsIn } from './insights.queries.ts';
import { INSIGHT_ARTICLES as A, insertInsightPaper, insertRollups, NOVEMBER_ROLLUPS } from './insights.fixtures.ts';

async function withStore(engine: string, fn: (s: TestStore) => Promise<void>) {
  const s = await openTestStore(engine);
  try { await insertInsightPaper(s.db); await fn(s); } finally { await s.close(); }
}

const NOV = { from: '2026-11-01', to: '2026-11-30' };
const OCT = { from: '2026-10-02', to: '2026-10-31' };

const seed = (s: TestStore) => insertRollups(s.db, NOVEMBER_ROLLUPS);

for (const engine of testEngines()) {
  test(`[${engine}] funnel counts: views of Plus articles only, checkouts and orders only with an attributed article; the previous range apart`, () => withStore(engine, async (s) => {
    await seed(s);
    const rows = await dailyCounts(s.db, { from: OCT.from, to: NOV.to });
    assert.ok(rows.every((r) => r.day >= OCT.from && r.day <= NOV.to), 'nothing outside the span');
    const nov = totalsIn(rows, NOV);
    assert.deepEqual(nov.funnel, { view: 3010, paywall: 600, offer_click: 40, checkout: 20, order: 18 });
    assert.equal(nov.totals.view, 8010, 'all views, free ones too');
    assert.equal(nov.totals.order, 21, 'all orders, with and without paywall');
    assert.equal(nov.totals.registration, 12);
    assert.deepEqual(totalsIn(rows, OCT).funnel, { view: 500, paywall: 0, offer_click: 0, checkout: 0, order: 2 });
    const day = rows.filter((r) => r.day === '2026-11-03' && r.kind === 'paywall');
    assert.deepEqual(day.map((r) => [r.total, r.funnel]), [[400, 400]], 'one row per day and kind, meter states summed');
  }));

  test(`[${engine}] per article: counts, conversion = orders ÷ paywall, sorted by any key both ways, filtered by section and author, paged`, () => withStore(engine, async (s) => {
    await seed(s);
    const all = await articleInsights(s.db, NOV, { sort: 'aufrufe', direction: 'ab', limit: 10, offset: 0 });
    assert.equal(all.total, 4);
    assert.deepEqual(all.rows.map((r) => r.articleId), [A.fest.id, A.stadion.id, A.haushalt.id, A.formel.id]);
    const h = all.rows.find((r) => r.articleId === A.haushalt.id)!;
    assert.deepEqual({ views: h.views, paywall: h.paywall, orders: h.orders, registrations: h.registrations, conversion: h.conversion, section: h.sectionName },
      { views: 1000, paywall: 400, orders: 8, registrations: 12, conversion: 0.02, section: 'Stadt' });
    assert.equal(all.rows[0]!.conversion, null, 'no paywall, no conversion rate');

    const byConversion = await articleInsights(s.db, NOV, { sort: 'konversion', direction: 'ab', limit: 10, offset: 0 });
    assert.deepEqual(byConversion.rows.map((r) => r.articleId).slice(0, 2), [A.stadion.id, A.haushalt.id], '5 % before 2 %');
    const up = await articleInsights(s.db, NOV, { sort: 'konversion', direction: 'auf', limit: 10, offset: 0 });
    assert.deepEqual(up.rows.map((r) => r.articleId).slice(0, 2), [A.haushalt.id, A.stadion.id]);
    assert.equal(up.rows.at(-1)!.conversion, null, 'without paywall impressions last, also ascending');
    const byTitle = await articleInsights(s.db, NOV, { sort: 'titel', direction: 'auf', limit: 10, offset: 0 });
    assert.deepEqual(byTitle.rows.map((r) => r.articleId), [A.formel.id, A.stadion.id, A.haushalt.id, A.fest.id]);
    const fewest = await articleInsights(s.db, NOV, { sort: 'bestellungen', direction: 'auf', limit: 1, offset: 0 });
    assert.equal(fewest.rows[0]!.orders, 0);

    const sport = await articleInsights(s.db, NOV, { sectionId: 'sec-sport', sort: 'aufrufe', direction: 'ab', limit: 10, offset: 0 });
    assert.deepEqual(sport.rows.map((r) => r.articleId), [A.stadion.id, A.formel.id]);
    const ole = await articleInsights(s.db, NOV, { authorId: 'au-ole', sort: 'aufrufe', direction: 'ab', limit: 10, offset: 0 });
    assert.deepEqual(ole.rows.map((r) => r.articleId), [A.fest.id, A.stadion.id]);
    const page2 = await articleInsights(s.db, NOV, { sort: 'aufrufe', direction: 'ab', limit: 3, offset: 3 });
    assert.deepEqual([page2.total, page2.rows.map((r) => r.articleId)], [4, [A.formel.id]]);
    const beyond = await articleInsights(s.db, NOV, { sort: 'aufrufe', direction: 'ab', limit: 3, offset: 30 });
    assert.deepEqual([beyond.total, beyond.rows.length], [4, 0]);
    assert.equal((await articleInsights(s.db, OCT, { sort: 'aufrufe', direction: 'ab', limit: 3, offset: 0 })).total, 1);
  }));

  test(`[${engine}] the overview's short list: articles with the most attributed orders, with the same counts as the table`, () => withStore(engine, async (s) => {
    await seed(s);
    const top = await topArticlesByOrders(s.db, NOV, 5);
    assert.deepEqual(top.map((r) => [r.articleId, r.orders]), [[A.stadion.id, 10], [A.haushalt.id, 8]], 'articles without orders are left out');
    const table = await articleInsights(s.db, NOV, { sort: 'bestellungen', direction: 'ab', limit: 2, offset: 0 });
    assert.deepEqual(top, table.rows);
    assert.deepEqual((await topArticlesByOrders(s.db, NOV, 1)).map((r) => r.articleId), [A.stadion.id]);
    assert.deepEqual(await topArticlesByOrders(s.db, { from: '2020-01-01', to: '2020-01-31' }, 5), []);
  }));

  test(`[${engine}] per section and per author (a co-authored article counts for both), institution unlocks per institution`, () => withStore(engine, async (s) => {
    await seed(s);
    await s.db.insertInto('institutions').values({ id: 'inst-1', name: 'Stadtbibliothek Brackenau', kind: 'library', seats: null, ends_on: '2027-12-31', created_at: 'x', updated_at: 'x', revoked_at: null }).execute();
    const sections = await sectionInsights(s.db, NOV);
    assert.deepEqual(sections.map((r) => [r.name, r.views, r.paywall, r.orders, r.conversion]), [['Stadt', 6000, 400, 8, 0.02], ['Sport & Verein', 2010, 200, 10, 0.05]]);
    const authors = await authorInsights(s.db, NOV);
    assert.deepEqual(authors.map((r) => [r.name, r.views, r.orders, r.registrations]), [['Ole Insight', 7000, 10, 0], ['Ina Insight', 3000, 18, 12]]);
    assert.deepEqual(await institutionUsage(s.db, NOV), [{ institutionId: 'inst-1', name: 'Stadtbibliothek Brackenau', unlocks: 9 }]);
    assert.deepEqual(await institutionUsage(s.db, OCT), []);
  }));
}
