// Scheduled publishing with several server processes on one database: two processes run the due newsroom-publish jobs
// at once — each scheduled article, whose job also exists twice more (as after a lost lease), is published exactly once.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { testEngines } from '../db/test-stores.ts';
import { openSharedStore, startRaceWorker } from '../testing/race-harness.ts';
import { getArticleBySlug } from '../content/index.ts';
import { enqueueJob } from '../jobs/index.ts';
import { createDraft, listAudit, NEWSROOM_PUBLISH_JOB, saveDraft, schedulePublish } from './index.ts';
import { completeDoc, importFixture, makeStaff } from './newsroom.fixtures.ts';

const WORKER = fileURLToPath(new URL('./publish-race.worker.ts', import.meta.url));
const ARTICLES = 15;
const DUPLICATES = 2;
const SCHEDULED = new Date('2026-11-28T06:00:00.000Z');
const BEFORE = new Date('2026-11-28T05:00:00.000Z');

for (const engine of testEngines()) {
  test(`${engine}, two processes running scheduled publications at once: each of ${ARTICLES} articles is published exactly once`, async (t) => {
    const { store, where, cleanup } = await openSharedStore(engine);
    t.after(cleanup);
    try {
      const imageId = (await importFixture(store.db, BEFORE)).imageIds[0]!;
      const editor = await makeStaff(store.db, 'editor');
      const slugs: string[] = [];
      for (let i = 0; i < ARTICLES; i++) {
        const wc = await createDraft(store.db, editor, {}, { now: BEFORE });
        const saved = await saveDraft(store.db, editor, wc.articleId, { baseVersion: 1, doc: completeDoc(imageId, { slug: `geplant-${i}` }) }, { now: BEFORE });
        await schedulePublish(store.db, editor, wc.articleId, saved.version, SCHEDULED, { now: BEFORE });
        // the same publication asked for again, as a re-run after a lost lease would
        for (let d = 0; d < DUPLICATES; d++) {
          await enqueueJob(store.db, { kind: NEWSROOM_PUBLISH_JOB, payload: { articleId: wc.articleId, version: saved.version, scheduledAt: SCHEDULED.toISOString(), by: editor.id }, runAt: SCHEDULED, now: BEFORE });
        }
        slugs.push(`geplant-${i}`);
      }
      const workers = await Promise.all(['p1', 'p2'].map((workerId) => startRaceWorker(WORKER, { ...where, workerId, now: SCHEDULED.toISOString() })));
      for (const w of workers) w.go();
      const [first, second] = await Promise.all(workers.map((w) => w.result));
      assert.deepEqual([first!.error, second!.error], [null, null]);
      assert.equal(first!.handled.length + second!.handled.length, ARTICLES * (1 + DUPLICATES), 'every job ran');
      const publishes = await listAudit(store.db, { action: 'publish', limit: 500 });
      assert.equal(publishes.length, ARTICLES, 'one publish audit row per article');
      assert.equal(new Set(publishes.map((p) => p.articleId)).size, ARTICLES);
      assert.equal((await listAudit(store.db, { action: 'republish' })).length, 0);
      for (const slug of slugs) {
        const a = await getArticleBySlug(store.db, slug, { now: SCHEDULED });
        assert.equal(a?.publishedAt, SCHEDULED.toISOString(), `${slug} is live from its time on`);
      }
      const states = await store.db.selectFrom('jobs').select((eb) => ['state', eb.fn.countAll<number>().as('n')]).groupBy('state').execute();
      assert.deepEqual(states.map((s) => [s.state, Number(s.n)]), [['done', ARTICLES * (1 + DUPLICATES)]]);
      console.log(`${engine}: process 1 ran ${first!.handled.length} jobs, process 2 ${second!.handled.length}`);
    } finally {
      await store.close();
    }
  });
}
