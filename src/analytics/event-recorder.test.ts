// The event recorder on every engine: batched multi-row inserts, a bounded buffer that drops (and counts) instead of growing, nothing lost on flush.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Kysely } from 'kysely';
import { openTestStore, testEngines } from '../db/test-stores.ts';
import type { Database } from '../db/index.ts';
import { localMetricsText } from '../metrics/metrics.ts';
import { createEventRecorder } from './event-recorder.ts';

const NOW = new Date('2026-11-28T10:00:00.000Z');

/** Counts the statements the recorder sends (each comes back once, whether compiled now or reused). */
function countInserts(db: Kysely<Database>): { db: Kysely<Database>; inserts: () => number } {
  let n = 0;
  const counted = db.withPlugin({
    transformQuery(args) { return args.node; },
    async transformResult(args) { n++; return args.result; },
  });
  return { db: counted, inserts: () => n };
}

async function droppedSoFar(): Promise<number> {
  const m = /klartext_analytics_events_total\{outcome="dropped"\} (\d+)/.exec(await localMetricsText());
  return m ? Number(m[1]) : 0;
}

for (const engine of testEngines()) {
  test(`[${engine}] events are written in batches of the batch size, not one insert each`, async () => {
    const store = await openTestStore(engine);
    try {
      const { db, inserts } = countInserts(store.db);
      const recorder = createEventRecorder({ db, now: () => NOW, timer: false, batchSize: 100 });
      for (let i = 0; i < 250; i++) recorder.record({ kind: 'view', articleId: `a${i % 7}`, detail: i % 3 ? 'plus' : null, offerId: i % 5 ? null : 'o1' });
      await recorder.flush();
      assert.equal(inserts(), 3, '250 events: two full batches of 100 and one of 50');
      // the reused statement of a full batch wrote each row's own values
      const byArticle = await store.db.selectFrom('analytics_events').select(['article_id', 'detail', 'offer_id']).execute();
      const expected = Array.from({ length: 250 }, (_, i) => ({ article_id: `a${i % 7}`, detail: i % 3 ? 'plus' : null, offer_id: i % 5 ? null : 'o1' }));
      const key = (r: { article_id: string | null; detail: string | null; offer_id: string | null }) => `${r.article_id}|${r.detail}|${r.offer_id}`;
      assert.deepEqual(byArticle.map(key).sort(), expected.map(key).sort());
      const { n } = await store.db.selectFrom('analytics_events').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      assert.equal(Number(n), 250);
      const one = await store.db.selectFrom('analytics_events').selectAll().where('article_id', '=', 'a3').where('detail', '=', 'plus').where('offer_id', 'is', null).executeTakeFirstOrThrow();
      assert.deepEqual(one, { at: NOW.toISOString(), day: '2026-11-28', kind: 'view', article_id: 'a3', offer_id: null, variant_id: null, institution_id: null, detail: 'plus' });
      await recorder.close();
    } finally {
      await store.close();
    }
  });

  test(`[${engine}] a full buffer drops further events and counts them; memory stays at the limit`, async () => {
    const store = await openTestStore(engine);
    try {
      const before = await droppedSoFar();
      // batch size above the limit: nothing is written until flush, so the buffer fills
      const recorder = createEventRecorder({ db: store.db, now: () => NOW, timer: false, batchSize: 1000, bufferLimit: 40 });
      for (let i = 0; i < 100; i++) recorder.record({ kind: 'paywall', articleId: 'x', detail: 'guest' });
      assert.equal(await droppedSoFar() - before, 60);
      await recorder.flush();
      const { n } = await store.db.selectFrom('analytics_events').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      assert.equal(Number(n), 40, 'the first 40 are kept and written');
      await recorder.close();
    } finally {
      await store.close();
    }
  });
}

test('a failed write loses that batch only, reports it, and never throws into record or flush', async () => {
  const store = await openTestStore('sqlite');
  try {
    const lost: number[] = [];
    const recorder = createEventRecorder({ db: store.db, now: () => NOW, timer: false, onError: (_e, n) => lost.push(n) });
    await store.db.schema.alterTable('analytics_events').renameTo('analytics_events_away').execute();
    recorder.record({ kind: 'view', articleId: 'a' });
    await recorder.flush();
    assert.deepEqual(lost, [1]);
    await store.db.schema.alterTable('analytics_events_away').renameTo('analytics_events').execute();
    recorder.record({ kind: 'view', articleId: 'b' });
    await recorder.close();
    const rows = await store.db.selectFrom('analytics_events').select('article_id').execute();
    assert.deepEqual(rows, [{ article_id: 'b' }]);
  } finally {
    await store.close();
  }
});

test('events recorded while a batch is being written are written by the same flush', async () => {
  const store = await openTestStore('sqlite');
  try {
    const recorder = createEventRecorder({ db: store.db, now: () => NOW, timer: false, batchSize: 2 });
    recorder.record({ kind: 'view', articleId: '1' });
    recorder.record({ kind: 'view', articleId: '2' }); // starts a write
    recorder.record({ kind: 'view', articleId: '3' }); // waits in the buffer
    await recorder.flush();
    const rows = await store.db.selectFrom('analytics_events').select('article_id').orderBy('article_id').execute();
    assert.deepEqual(rows.map((r) => r.article_id), ['1', '2', '3']);
    await recorder.close();
  } finally {
    await store.close();
  }
});
