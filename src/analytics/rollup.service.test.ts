// Rollups on every engine: a day's rollup equals the raw counts, is idempotent, finalises missed days, and retention deletes only rolled-up raw days.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Kysely } from 'kysely';
import { openTestStore, testEngines } from '../db/test-stores.ts';
import type { AnalyticsEventRow, Database } from '../db/index.ts';
import { eventRow, type AnalyticsEvent } from './events.ts';
import { addDays, daysToFinalize, pruneRawEvents, rollUpDay, runAnalyticsRollup } from './rollup.service.ts';

/** 10:00 in Berlin on 2026-11-28 */
const NOW = new Date('2026-11-28T09:00:00.000Z');

async function addArticles(db: Kysely<Database>): Promise<void> {
  await db.insertInto('sections').values([
    { id: 's-stadt', slug: 'stadt', name: 'Stadt', position: 1, description: '' },
    { id: 's-sport', slug: 'sport', name: 'Sport', position: 2, description: '' },
  ]).execute();
  const article = (id: string, section: string) => ({
    id, slug: id, section_id: section, kicker: '', headline: id, teaser: '', access: 'plus' as const, paywall_after: 1, blocks_json: '[]',
    image_id: null, image_caption: '', image_credit: '', published_at: '2026-01-01T00:00:00.000Z', updated_at: '2026-01-01T00:00:00.000Z', created_at: '2026-01-01T00:00:00.000Z',
  });
  await db.insertInto('articles').values([article('a1', 's-stadt'), article('a2', 's-sport')]).execute();
}

/** A deterministic mix of events over three Berlin days, including the hour around midnight (UTC 23:xx is the next Berlin day). */
function sampleEvents(): AnalyticsEvent[] {
  const events: AnalyticsEvent[] = [];
  const kinds = ['view', 'view', 'paywall', 'offer_click', 'checkout', 'order'] as const;
  for (let i = 0; i < 600; i++) {
    const at = new Date(Date.parse('2026-11-25T22:30:00.000Z') + i * 9 * 60_000); // every 9 minutes, from 23:30 Berlin on the 25th
    const kind = kinds[i % kinds.length]!;
    events.push({
      kind, at, articleId: i % 5 === 0 ? null : i % 2 ? 'a1' : 'a2', offerId: kind === 'order' || kind === 'offer_click' ? 'plus' : null,
      variantId: i % 3 === 0 ? 'vB' : null, detail: kind === 'paywall' ? (i % 4 ? 'guest' : 'meter-used') : kind === 'view' ? 'plus' : null,
    });
  }
  // an article that no longer exists: no section, still counted
  events.push({ kind: 'view', at: new Date('2026-11-26T10:00:00.000Z'), articleId: 'gone', detail: 'plus' });
  return events;
}

async function insertEvents(db: Kysely<Database>, events: AnalyticsEvent[]): Promise<AnalyticsEventRow[]> {
  const rows = events.map((e) => eventRow(e, NOW));
  for (let i = 0; i < rows.length; i += 200) await db.insertInto('analytics_events').values(rows.slice(i, i + 200)).execute();
  return rows;
}

/** The counts computed here in JavaScript from the raw rows, the way the dashboard means them. */
function expectedCounts(rows: AnalyticsEventRow[], day: string): Map<string, number> {
  const m = new Map<string, number>();
  for (const r of rows.filter((x) => x.day === day)) {
    const key = [r.kind, r.article_id ?? '', r.offer_id ?? '', r.variant_id ?? '', r.institution_id ?? '', r.detail ?? ''].join('|');
    m.set(key, (m.get(key) ?? 0) + 1);
  }
  return m;
}

async function rolledCounts(db: Kysely<Database>, day: string): Promise<Map<string, number>> {
  const rows = await db.selectFrom('analytics_daily').selectAll().where('day', '=', day).execute();
  return new Map(rows.map((r) => [[r.kind, r.article_id, r.offer_id, r.variant_id, r.institution_id, r.detail].join('|'), Number(r.count)]));
}

test('addDays counts Berlin calendar days across the summer-time change and month ends', () => {
  assert.equal(addDays('2026-03-28', 1), '2026-03-29');
  assert.equal(addDays('2026-03-29', 1), '2026-03-30');
  assert.equal(addDays('2026-10-25', 1), '2026-10-26');
  assert.equal(addDays('2026-03-01', -1), '2026-02-28');
  assert.equal(addDays('2026-11-28', -90), '2026-08-30');
});

for (const engine of testEngines()) {
  test(`[${engine}] a day's rollup equals the raw counts, with the article's section; twice is once`, async () => {
    const store = await openTestStore(engine);
    try {
      const db = store.db;
      await addArticles(db);
      const rows = await insertEvents(db, sampleEvents());
      const days = [...new Set(rows.map((r) => r.day))].sort();
      assert.deepEqual(days, ['2026-11-25', '2026-11-26', '2026-11-27', '2026-11-28', '2026-11-29'].slice(0, days.length));
      for (const day of days) {
        await rollUpDay(db, day, NOW);
        assert.deepEqual(await rolledCounts(db, day), expectedCounts(rows, day), day);
        await rollUpDay(db, day, NOW, { again: true });
        assert.deepEqual(await rolledCounts(db, day), expectedCounts(rows, day), `${day}, rolled up twice`);
      }
      const total = await db.selectFrom('analytics_daily').select((eb) => eb.fn.sum<number>('count').as('n')).executeTakeFirstOrThrow();
      assert.equal(Number(total.n), rows.length, 'every raw event is in exactly one rollup row');
      const sections = await db.selectFrom('analytics_daily').select(['article_id', 'section_id']).distinct().orderBy('article_id').execute();
      assert.deepEqual(sections, [{ article_id: '', section_id: '' }, { article_id: 'a1', section_id: 's-stadt' }, { article_id: 'a2', section_id: 's-sport' }, { article_id: 'gone', section_id: '' }]);
    } finally {
      await store.close();
    }
  });

  test(`[${engine}] the job finalises every missed day, rolls up today partially, and a final day is not recomputed`, async () => {
    const store = await openTestStore(engine);
    try {
      const db = store.db;
      await addArticles(db);
      const rows = await insertEvents(db, sampleEvents().filter((e) => e.at! < NOW));
      assert.deepEqual(await daysToFinalize(db, '2026-11-28'), ['2026-11-25', '2026-11-26', '2026-11-27']);
      const report = await runAnalyticsRollup(db, NOW, { retentionDays: 90 });
      assert.deepEqual(report.finalized, ['2026-11-25', '2026-11-26', '2026-11-27']);
      const marks = await db.selectFrom('analytics_rollup_days').select(['day', 'final']).orderBy('day').execute();
      assert.deepEqual(marks.map((m) => [m.day, Number(m.final)]), [['2026-11-25', 1], ['2026-11-26', 1], ['2026-11-27', 1], ['2026-11-28', 0]]);
      for (const day of ['2026-11-25', '2026-11-26', '2026-11-27', '2026-11-28']) assert.deepEqual(await rolledCounts(db, day), expectedCounts(rows, day), day);
      assert.deepEqual(await daysToFinalize(db, '2026-11-28'), []);
      // the next day: today becomes final, the final days are left alone even if their raw events are gone
      await db.deleteFrom('analytics_events').where('day', '=', '2026-11-26').execute();
      const next = await runAnalyticsRollup(db, new Date('2026-11-29T09:00:00.000Z'));
      assert.deepEqual(next.finalized, ['2026-11-28']);
      assert.deepEqual(await rolledCounts(db, '2026-11-26'), expectedCounts(rows, '2026-11-26'), 'the rollup kept forever was not wiped');
    } finally {
      await store.close();
    }
  });

  test(`[${engine}] retention deletes raw events older than the window, only for final days`, async () => {
    const store = await openTestStore(engine);
    try {
      const db = store.db;
      const old = (day: string): AnalyticsEvent => ({ kind: 'view', at: new Date(`${day}T10:00:00.000Z`), articleId: 'a1' });
      await insertEvents(db, [old('2026-08-01'), old('2026-08-01'), old('2026-08-29'), old('2026-08-30'), old('2026-11-27')]);
      // 2026-08-01 rolled up for good, 2026-08-29 only partially (never finished): its events stay
      await rollUpDay(db, '2026-08-01', NOW);
      await db.insertInto('analytics_rollup_days').values({ day: '2026-08-29', rolled_up_at: '2026-08-29T12:00:00.000Z', final: 0 }).execute();
      assert.equal(await pruneRawEvents(db, NOW, 90), 2);
      const left = await db.selectFrom('analytics_events').select('day').orderBy('day').execute();
      assert.deepEqual(left.map((r) => r.day), ['2026-08-29', '2026-08-30', '2026-11-27']);
      assert.deepEqual(await rolledCounts(db, '2026-08-01'), new Map([['view|a1||||', 2]]), 'the rollup stays');
      // the job finalises 08-29 first, then it may go; 08-30 is inside the 90 days
      await runAnalyticsRollup(db, NOW, { retentionDays: 90 });
      const after = await db.selectFrom('analytics_events').select('day').orderBy('day').execute();
      assert.deepEqual(after.map((r) => r.day), ['2026-08-30', '2026-11-27']);
    } finally {
      await store.close();
    }
  });
}
