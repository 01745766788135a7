// The insight summaries (migration 015) on every engine: equal to a re-aggregation of analytics_daily after rollups (a
// day rolled up again, an article moved to another section mid-month) and after the demo history; the dashboard's
// queries give what a plain query over analytics_daily gives, for ranges that cut months anywhere.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Kysely } from 'kysely';
import { openTestStore, testEngines } from '../db/test-stores.ts';
import type { AnalyticsDailyRow, Database } from '../db/index.ts';
import { seedDemo } from '../cli/seed.ts';
import { eventRow, type AnalyticsEvent } from './events.ts';
import { rollUpDay } from './rollup.service.ts';
import { monthPlan, rebuildSummaries } from './summaries.ts';
import { articleInsights, authorInsights, dailyCounts, sectionInsights, topArticlesByOrders, type DaySpan } from './insights.queries.ts';
import { insertInsightPaper, insertRollupHistory } from './insights.fixtures.ts';

const num = (v: unknown): number => Number(v);
const MONTH_KINDS: Record<string, string> = { view: 'views', paywall: 'paywalls', offer_click: 'clicks', checkout: 'checkouts', order: 'orders', registration: 'registrations' };

/** The summaries as they should be, summed in JavaScript from every row of analytics_daily, next to what the tables hold. */
async function summariesAndExpected(db: Kysely<Database>) {
  const daily = await db.selectFrom('analytics_daily').selectAll().execute();
  const totals = new Map<string, number>();
  const months = new Map<string, Record<string, number>>();
  for (const r of daily) {
    const key = [r.day, r.kind, r.detail, r.article_id === '' ? 0 : 1].join('|');
    totals.set(key, (totals.get(key) ?? 0) + num(r.count));
    const column = MONTH_KINDS[r.kind];
    if (!column || r.article_id === '') continue;
    const m = [r.day.slice(0, 7), r.article_id, r.section_id].join('|');
    const row = months.get(m) ?? { views: 0, paywalls: 0, clicks: 0, checkouts: 0, orders: 0, registrations: 0 };
    row[column]! += num(r.count);
    months.set(m, row);
  }
  const sorted = <T>(m: Map<string, T>) => [...m].sort(([a], [b]) => (a < b ? -1 : 1));
  const actualTotals = (await db.selectFrom('analytics_day_totals').selectAll().execute())
    .map((r) => [[r.day, r.kind, r.detail, num(r.attributed)].join('|'), num(r.count)] as [string, number]);
  const actualMonths = (await db.selectFrom('analytics_article_months').selectAll().execute()).map((r) => [[r.month, r.article_id, r.section_id].join('|'), {
    views: num(r.views), paywalls: num(r.paywalls), clicks: num(r.clicks), checkouts: num(r.checkouts), orders: num(r.orders), registrations: num(r.registrations),
  }] as [string, Record<string, number>]);
  return {
    expected: { totals: sorted(totals), months: sorted(months) },
    actual: { totals: sorted(new Map(actualTotals)), months: sorted(new Map(actualMonths)) },
    rows: daily.length,
  };
}

async function assertSummariesMatch(db: Kysely<Database>, message: string): Promise<number> {
  const { expected, actual, rows } = await summariesAndExpected(db);
  assert.deepEqual(actual.totals, expected.totals, `${message}: day totals`);
  assert.deepEqual(actual.months, expected.months, `${message}: article months`);
  return rows;
}

test('monthPlan: whole months from the summary, at most half a month of days at each end, the rest by subtraction', () => {
  assert.deepEqual(monthPlan({ from: '2026-10-01', to: '2026-11-30' }), { months: { from: '2026-10', to: '2026-11' }, days: [] });
  // 30 days ending the 28th: two days of October, November minus the two days still to come
  assert.deepEqual(monthPlan({ from: '2026-10-30', to: '2026-11-28' }), {
    months: { from: '2026-11', to: '2026-11' },
    days: [{ from: '2026-10-30', to: '2026-10-31', sign: 1 }, { from: '2026-11-29', to: '2026-11-30', sign: -1 }],
  });
  // 24 months ending the 28th: February of a leap year on the way, November 2024 from its last two days
  assert.deepEqual(monthPlan({ from: '2024-11-29', to: '2026-11-28' }).months, { from: '2024-12', to: '2026-11' });
  // the 3rd to the 2nd: September minus two days, October's first two days
  assert.deepEqual(monthPlan({ from: '2026-09-03', to: '2026-10-02' }), {
    months: { from: '2026-09', to: '2026-09' },
    days: [{ from: '2026-09-01', to: '2026-09-02', sign: -1 }, { from: '2026-10-01', to: '2026-10-02', sign: 1 }],
  });
  // inside one month: a short stretch as days; most of the month as the month minus both ends
  assert.deepEqual(monthPlan({ from: '2026-02-10', to: '2026-02-12' }), { months: null, days: [{ from: '2026-02-10', to: '2026-02-12', sign: 1 }] });
  assert.deepEqual(monthPlan({ from: '2026-02-02', to: '2026-02-27' }), {
    months: { from: '2026-02', to: '2026-02' },
    days: [{ from: '2026-02-01', to: '2026-02-01', sign: -1 }, { from: '2026-02-28', to: '2026-02-28', sign: -1 }],
  });
});

const at = (iso: string) => new Date(iso);
const events = (day: string, article: string | null, n: Partial<Record<string, number>>): AnalyticsEvent[] =>
  Object.entries(n).flatMap(([kind, k]) => Array.from({ length: k ?? 0 }, (_, i) => ({
    kind: kind as AnalyticsEvent['kind'], at: at(`${day}T${String(8 + (i % 10)).padStart(2, '0')}:00:00.000Z`), articleId: article,
    offerId: kind === 'order' || kind === 'checkout' || kind === 'offer_click' ? 'plus' : null, detail: kind === 'view' ? 'plus' : kind === 'paywall' ? 'guest' : null,
  })));

for (const engine of testEngines()) {
  test(`[${engine}] summaries follow the rollup job: a day rolled up again, an article moved mid-month, a day emptied`, async () => {
    const s = await openTestStore(engine);
    try {
      await insertInsightPaper(s.db);
      const now = at('2026-11-28T09:00:00.000Z');
      const write = (list: AnalyticsEvent[]) => s.db.insertInto('analytics_events').values(list.map((e) => eventRow(e, now))).execute();
      await write([...events('2026-10-30', 'art-haushalt', { view: 12, paywall: 5, offer_click: 2, order: 1 }), ...events('2026-10-30', null, { order: 2, checkout: 3 })]);
      await write(events('2026-11-02', 'art-stadion', { view: 7, paywall: 3, registration: 1, meter_unlock: 4 }));
      for (const day of ['2026-10-30', '2026-11-02']) await rollUpDay(s.db, day, now);
      await assertSummariesMatch(s.db, 'after the first rollups');
      // more events arrive for a rolled-up day (today's partial rollup runs every few minutes): rolled up again
      await write(events('2026-11-02', 'art-stadion', { view: 5, order: 2 }));
      await rollUpDay(s.db, '2026-11-02', now, { again: true });
      await rollUpDay(s.db, '2026-11-02', now, { again: true });
      assert.deepEqual((await s.db.selectFrom('analytics_article_months').select(['views', 'orders']).where('month', '=', '2026-11').execute()).map((r) => [num(r.views), num(r.orders)]),
        [[12, 2]], 'twice is once');
      // the article moves to another section: its later days count there, the earlier ones stay where they were
      await s.db.updateTable('articles').set({ section_id: 'sec-stadt' }).where('id', '=', 'art-stadion').execute();
      await write(events('2026-11-20', 'art-stadion', { view: 4, paywall: 1 }));
      await rollUpDay(s.db, '2026-11-20', now);
      const rows = await s.db.selectFrom('analytics_article_months').select(['section_id', 'views']).where('month', '=', '2026-11').orderBy('section_id').execute();
      assert.deepEqual(rows.map((r) => [r.section_id, num(r.views)]), [['sec-sport', 12], ['sec-stadt', 4]]);
      await assertSummariesMatch(s.db, 'after rolling up again and a move');
      // a day whose events are gone (test of the edge: rolled up again with nothing) leaves no zero rows behind
      await s.db.deleteFrom('analytics_events').where('day', '=', '2026-10-30').execute();
      await rollUpDay(s.db, '2026-10-30', now, { again: true });
      assert.equal((await s.db.selectFrom('analytics_article_months').select('month').where('month', '=', '2026-10').execute()).length, 0);
      assert.equal((await s.db.selectFrom('analytics_day_totals').select('day').where('day', '=', '2026-10-30').execute()).length, 0);
      await assertSummariesMatch(s.db, 'after emptying a day');
    } finally {
      await s.close();
    }
  });

  test(`[${engine}] rollups of the same day at the same moment (PostgreSQL: on four connections) leave the summaries right`, async () => {
    const s = await openTestStore(engine);
    try {
      await insertInsightPaper(s.db);
      const now = at('2026-11-28T09:00:00.000Z');
      const write = (list: AnalyticsEvent[]) => s.db.insertInto('analytics_events').values(list.map((e) => eventRow(e, now))).execute();
      await write(events('2026-11-02', 'art-stadion', { view: 7, paywall: 3, order: 1 }));
      await rollUpDay(s.db, '2026-11-02', now);
      for (let round = 0; round < 3; round++) {
        await write(events('2026-11-02', 'art-haushalt', { view: 2 + round, paywall: 1 }));
        await Promise.all(Array.from({ length: 4 }, () => rollUpDay(s.db, '2026-11-02', now, { again: true })));
        await assertSummariesMatch(s.db, `after concurrent rollups, round ${round + 1}`);
      }
    } finally {
      await s.close();
    }
  });

  test(`[${engine}] summaries after the demo history equal a re-aggregation of its rollups`, async () => {
    const s = await openTestStore(engine);
    const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'klartext-summaries-'));
    try {
      const r = await seedDemo(s, { dataDir, billingGraceDays: 3 }, at('2026-11-28T09:30:00.000Z'));
      assert.equal(r.history.added, true);
      const rows = await assertSummariesMatch(s.db, 'after the history seed');
      assert.ok(rows > 10_000, `the history has rollups (${rows})`);
    } finally {
      await s.close();
      await fs.rm(dataDir, { recursive: true, force: true });
    }
  });

  test(`[${engine}] every dashboard query gives what a plain query over analytics_daily gives, for ranges that cut months`, async () => {
    const s = await openTestStore(engine);
    try {
      await insertInsightPaper(s.db);
      await insertRollupHistory(s.db, { today: '2026-11-20', days: 130 });
      // a section move in the middle of October: the article's rows of that month are in two sections
      await s.db.updateTable('analytics_daily').set({ section_id: 'sec-stadt' }).where('article_id', '=', 'art-stadion').where('day', '>=', '2026-10-16').execute();
      await rebuildSummaries(s.db, '2026-10-01', '2026-10-31');
      await rebuildSummaries(s.db, '2026-11-01', '2026-11-30');
      const authors = await s.db.selectFrom('article_authors').select(['article_id', 'author_id']).execute();
      const spans: DaySpan[] = [
        { from: '2026-07-14', to: '2026-11-20' }, { from: '2026-09-03', to: '2026-10-02' }, { from: '2026-09-05', to: '2026-10-25' },
        { from: '2026-10-10', to: '2026-10-20' }, { from: '2026-10-02', to: '2026-10-30' }, { from: '2026-10-01', to: '2026-10-31' },
        { from: '2026-08-31', to: '2026-11-28' }, { from: '2026-11-21', to: '2026-11-25' },
      ];
      for (const span of spans) {
        const plain = await plainCounts(s.db, span);
        const label = `${span.from} … ${span.to}`;
        const table = await articleInsights(s.db, span, { sort: 'aufrufe', direction: 'ab', limit: 1000, offset: 0 });
        const byArticle = (list: { articleId?: string; id?: string; views: number; paywall: number; orders: number; registrations: number }[]) =>
          Object.fromEntries(list.map((r) => [r.articleId ?? r.id, [r.views, r.paywall, r.orders, r.registrations]]));
        assert.deepEqual(byArticle(table.rows), plain.articles, `${label}: per article`);
        assert.equal(table.total, Object.keys(plain.articles).length, `${label}: total`);
        const sport = await articleInsights(s.db, span, { sectionId: 'sec-sport', sort: 'aufrufe', direction: 'ab', limit: 1000, offset: 0 });
        assert.deepEqual(byArticle(sport.rows), plain.sportArticles, `${label}: one section`);
        const ina = await articleInsights(s.db, span, { authorId: 'au-ina', sort: 'aufrufe', direction: 'ab', limit: 1000, offset: 0 });
        assert.deepEqual(byArticle(ina.rows), Object.fromEntries(Object.entries(plain.articles).filter(([id]) => authors.some((a) => a.article_id === id && a.author_id === 'au-ina'))), `${label}: one author`);
        assert.deepEqual(byArticle(await sectionInsights(s.db, span)), plain.sections, `${label}: per section`);
        const perAuthor: Record<string, number[]> = {};
        for (const a of authors) {
          const c = plain.articles[a.article_id];
          if (c) perAuthor[a.author_id] = (perAuthor[a.author_id] ?? [0, 0, 0, 0]).map((x, i) => x + c[i]!);
        }
        assert.deepEqual(byArticle(await authorInsights(s.db, span)), perAuthor, `${label}: per author`);
        const top = await topArticlesByOrders(s.db, span, 3);
        const expectedTop = Object.entries(plain.articles).filter(([, c]) => c[2]! > 0).sort(([a, x], [b, y]) => y[2]! - x[2]! || (a < b ? -1 : 1)).slice(0, 3).map(([id]) => id);
        assert.deepEqual(top.map((t) => t.articleId), expectedTop, `${label}: top articles`);
        const days = await dailyCounts(s.db, span);
        assert.deepEqual(days.map((d) => [d.day, d.kind, d.total, d.funnel]), plain.days, `${label}: daily counts`);
      }
    } finally {
      await s.close();
    }
  });
}

/** The dashboard's figures the straightforward way: every analytics_daily row of the span, summed in JavaScript. */
async function plainCounts(db: Kysely<Database>, span: DaySpan) {
  const rows: AnalyticsDailyRow[] = await db.selectFrom('analytics_daily').selectAll().where('day', '>=', span.from).where('day', '<=', span.to).execute();
  const reach = ['view', 'paywall', 'order', 'registration'];
  const articles: Record<string, number[]> = {};
  const sportArticles: Record<string, number[]> = {};
  const sections: Record<string, number[]> = {};
  const add = (m: Record<string, number[]>, key: string, r: AnalyticsDailyRow) => {
    const c = m[key] ?? [0, 0, 0, 0];
    c[reach.indexOf(r.kind)]! += num(r.count);
    m[key] = c;
  };
  const days = new Map<string, [number, number]>();
  for (const r of rows) {
    if (r.article_id !== '' && reach.includes(r.kind)) {
      add(articles, r.article_id, r);
      add(sections, r.section_id, r);
      if (r.section_id === 'sec-sport') add(sportArticles, r.article_id, r);
    }
    const funnel = (r.kind === 'view' && r.detail === 'plus') || r.kind === 'paywall' || r.kind === 'offer_click' || ((r.kind === 'checkout' || r.kind === 'order') && r.article_id !== '');
    const d = days.get(`${r.day}|${r.kind}`) ?? [0, 0];
    days.set(`${r.day}|${r.kind}`, [d[0] + num(r.count), d[1] + (funnel ? num(r.count) : 0)]);
  }
  return {
    articles, sportArticles, sections,
    days: [...days].sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, [total, funnel]]) => [...k.split('|'), total, funnel]),
  };
}
