// The daily cleanup on every engine: what goes (expired sessions, spent tokens, old throttle events, old keyless/past-daily done jobs), what stays, and twice is once.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createUser, TEST_HASHING } from '../accounts/index.ts';
import { newId } from '../db/index.ts';
import { openTestStore, testEngines } from '../db/test-stores.ts';
import { doneJobMayGo, runDailyCleanup } from './cleanup.job.ts';

const NOW = new Date('2026-11-28T03:30:00.000Z');
const ago = (days: number) => new Date(NOW.getTime() - days * 24 * 3600_000).toISOString();

test('a done job may go when its key cannot matter again: no key, or a daily key of a past Berlin day', () => {
  const today = '2026-11-28';
  assert.equal(doneJobMayGo({ kind: 'x', unique_key: null }, today), true);
  assert.equal(doneJobMayGo({ kind: 'billing-run', unique_key: 'billing-run:2026-10-01' }, today), true);
  assert.equal(doneJobMayGo({ kind: 'billing-run', unique_key: 'billing-run:2026-11-28' }, today), false, "today's key still keeps today's run from happening twice");
  assert.equal(doneJobMayGo({ kind: 'dunning-mail', unique_key: 'dunning:INV-1:2' }, today), false, 'a domain key stays');
  assert.equal(doneJobMayGo({ kind: 'billing-run', unique_key: 'other-kind:2026-10-01' }, today), false, 'a day key of another kind is not a daily key');
  assert.equal(doneJobMayGo({ kind: 'newsroom-publish', unique_key: 'newsroom-publish:a1:3:2026-10-01T08:00:00.000Z' }, today), false);
});

for (const engine of testEngines()) {
  test(`[${engine}] the cleanup deletes what nobody needs and keeps the rest; a second run deletes nothing`, async () => {
    const store = await openTestStore(engine);
    try {
      const db = store.db;
      const { user } = await createUser(db, { email: 'ina@example.de', role: 'reader', password: 'Regenbogen-Fahrrad-7' }, { hashing: TEST_HASHING });
      const session = (id: string, expires: string) => ({ id, user_id: user.id, csrf_secret: 's', persistent: 0, user_agent: 'ua', ip: '192.0.2.1', created_at: ago(40), last_seen_at: ago(1), expires_at: expires });
      await db.insertInto('sessions').values([session('expired', ago(1)), session('live', ago(-10))]).execute();
      const token = (id: string, expires: string, used: string | null) => ({ id, user_id: user.id, kind: 'reset-password' as const, new_email: null, created_at: ago(30), expires_at: expires, used_at: used });
      await db.insertInto('account_tokens').values([
        token('used-long-ago', ago(-1), ago(8)), token('expired-long-ago', ago(8), null), token('expired-recently', ago(2), null), token('open', ago(-1), null),
      ]).execute();
      await db.insertInto('throttle_events').values([{ key: 'login:ip:alt', at: ago(1) }, { key: 'login:ip:neu', at: new Date(NOW.getTime() - 30_000).toISOString() }]).execute();
      const job = (id: string, state: 'done' | 'failed' | 'queued', kind: string, key: string | null, finished: string | null) => ({
        id, kind, unique_key: key, payload_json: 'null', state, run_at: finished ?? ago(0), attempts: 1, max_attempts: 5, created_at: finished ?? ago(0), updated_at: finished ?? ago(0), finished_at: finished,
      });
      await db.insertInto('jobs').values([
        job('old-keyless', 'done', 'mail', null, ago(31)),
        job('recent-keyless', 'done', 'mail', null, ago(5)),
        job('old-daily', 'done', 'billing-run', 'billing-run:2026-10-27', ago(31)),
        job('old-domain-key', 'done', 'dunning-mail', 'dunning:INV-7:2', ago(31)),
        job('old-failed', 'failed', 'billing-run', 'billing-run:2026-09-01', ago(60)),
        job('waiting', 'queued', 'mail', null, null),
      ]).execute();
      // more done jobs than one batch, so the batching is walked through
      await db.insertInto('jobs').values(Array.from({ length: 620 }, (_, i) => job(`bulk-${String(i).padStart(4, '0')}-${newId()}`, 'done', 'mail', null, ago(40)))).execute();

      const report = await runDailyCleanup(db, NOW);
      assert.deepEqual(report, { accountTokens: 2, doneJobs: 622 });
      assert.deepEqual((await db.selectFrom('sessions').select('id').execute()).map((r) => r.id), ['live']);
      assert.deepEqual((await db.selectFrom('account_tokens').select('id').orderBy('id').execute()).map((r) => r.id), ['expired-recently', 'open']);
      assert.deepEqual((await db.selectFrom('throttle_events').select('key').execute()).map((r) => r.key), ['login:ip:neu']);
      assert.deepEqual((await db.selectFrom('jobs').select('id').orderBy('id').execute()).map((r) => r.id), ['old-domain-key', 'old-failed', 'recent-keyless', 'waiting']);

      assert.deepEqual(await runDailyCleanup(db, NOW), { accountTokens: 0, doneJobs: 0 }, 'idempotent');
    } finally {
      await store.close();
    }
  });
}
