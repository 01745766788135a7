// Content changes: recorded with the transaction, read by each process's feed in order, late commits caught up, old rows deleted, one purge claim.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { openTestStore, testEngines, type TestStore } from '../db/test-stores.ts';
import { claimContentChangesForPurge, ContentChangeFeed, recordContentChange, surrogateKeyList, type ContentChange } from './content-changes.ts';

test('surrogate keys are checked and given once each: no space or comma can split one', () => {
  assert.deepEqual(surrogateKeyList(['front', 'article:Ab_1-x', 'front', 'section:stadt']), ['front', 'article:Ab_1-x', 'section:stadt']);
  for (const bad of ['', 'a b', 'a,b', 'front\n', 'x'.repeat(201)]) assert.throws(() => surrogateKeyList([bad]), /not a surrogate key/, JSON.stringify(bad));
});

for (const engine of testEngines()) {
  describe(`content changes on ${engine}`, () => {
    let store: TestStore;
    before(async () => { store = await openTestStore(engine); });
    after(async () => { await store.close(); });

    /** A feed that only reads when asked (no timer, no announcements, no local nudges) and collects what it reads. */
    const quietFeed = () => {
      const seen: ContentChange[] = [];
      let resets = 0;
      const feed = new ContentChangeFeed({
        store: { db: store.db }, onChanges: (c) => { seen.push(...c); }, onReset: () => { resets++; },
        pollMs: 3600_000, followLocalWrites: false,
      });
      return { feed, seen, resets: () => resets };
    };

    test('a feed starts at the newest change and then reads each committed change once, in order; a rolled-back one never', async () => {
      await recordContentChange(store.db, ['front', 'article:vorher']);
      const { feed, seen, resets } = quietFeed();
      await feed.start();
      try {
        assert.equal(resets(), 1, 'the start says everything kept may be stale');
        assert.equal(seen.length, 0, 'what was recorded before the start is not replayed');
        await store.db.transaction().execute((trx) => recordContentChange(trx, ['article:a', 'front', 'section:stadt', 'front']));
        await assert.rejects(store.db.transaction().execute(async (trx) => {
          await recordContentChange(trx, ['article:zurueckgerollt']);
          throw new Error('abgebrochen');
        }));
        await recordContentChange(store.db, ['offers']);
        assert.equal(await feed.poll(), 2);
        assert.deepEqual(seen.map((c) => c.keys), [['article:a', 'front', 'section:stadt'], ['offers']]);
        assert.ok(seen[0]!.seq < seen[1]!.seq);
        assert.equal(await feed.poll(), 0, 'nothing twice');
        await recordContentChange(store.db, []);
        assert.equal(await feed.poll(), 0, 'a change naming no keys records nothing');
      } finally { await feed.stop(); }
    });

    test('a poll asked for while one runs runs again after it, so a change committed before the call is seen', async () => {
      const { feed, seen } = quietFeed();
      await feed.start();
      try {
        const first = feed.poll();
        await recordContentChange(store.db, ['article:spaet']);
        const second = feed.poll();
        await Promise.all([first, second]);
        assert.deepEqual(seen.map((c) => c.keys), [['article:spaet']]);
      } finally { await feed.stop(); }
    });

    test('rows older than the retention are deleted, newer ones stay', async () => {
      const { feed } = quietFeed();
      await recordContentChange(store.db, ['article:alt'], { now: new Date(Date.now() - 2 * 24 * 3600_000) });
      await recordContentChange(store.db, ['article:neu']);
      const deleted = await feed.cleanup();
      assert.ok(deleted >= 1);
      const left = await store.db.selectFrom('content_changes').select('keys').execute();
      assert.ok(left.some((r) => r.keys === 'article:neu'));
      assert.ok(!left.some((r) => r.keys === 'article:alt'));
    });

    test('of several processes claiming the same changes for the purge hook, exactly one gets each', async () => {
      await recordContentChange(store.db, ['article:p1']);
      await recordContentChange(store.db, ['article:p2']);
      const seqs = (await store.db.selectFrom('content_changes').select('seq').where('keys', 'in', ['article:p1', 'article:p2']).execute()).map((r) => Number(r.seq));
      const [one, two] = await Promise.all([claimContentChangesForPurge(store.db, seqs), claimContentChangesForPurge(store.db, seqs)]);
      assert.deepEqual([...one, ...two].sort(), [...seqs].sort());
      assert.deepEqual(await claimContentChangesForPurge(store.db, seqs), []);
    });

    // SQLite has one writer: a second transaction waits for the first, so seqs commit in order there.
    test('a change that took its seq first but committed last is still read (PostgreSQL)', { skip: engine !== 'postgres' && 'SQLite commits in seq order' }, async () => {
      const { feed, seen } = quietFeed();
      await feed.start();
      try {
        let release!: () => void;
        const held = new Promise<void>((r) => { release = r; });
        let recorded!: () => void;
        const hasSeq = new Promise<void>((r) => { recorded = r; });
        const slow = store.db.transaction().execute(async (trx) => {
          await recordContentChange(trx, ['article:langsam']);
          recorded();
          await held;
        });
        await hasSeq;
        await recordContentChange(store.db, ['article:schnell']);
        await feed.poll();
        assert.deepEqual(seen.map((c) => c.keys[0]), ['article:schnell'], 'the slow one is not committed yet');
        release();
        await slow;
        await feed.poll();
        assert.deepEqual(seen.map((c) => c.keys[0]), ['article:schnell', 'article:langsam'], 'the gap it left is asked for again');
      } finally { await feed.stop(); }
    });
  });
}
