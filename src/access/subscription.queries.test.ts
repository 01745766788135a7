// Manual subscriptions: granting starts or extends one, active means started and not ended, revoking ends it now.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createUser, TEST_HASHING } from '../accounts/index.ts';
import { openTestStore, testEngines, type TestStore } from '../db/test-stores.ts';
import { cachedSubscriptionCheck, hasActiveSubscription } from './subscription.queries.ts';
import { grantSubscription, revokeSubscriptions } from '../billing/index.ts';

const DAY = 24 * 3600_000;

for (const engine of testEngines()) {
  describe(`subscriptions on ${engine}`, () => {
    let store: TestStore;
    before(async () => { store = await openTestStore(engine); });
    after(async () => { await store.close(); });
    const user = async (email: string) => (await createUser(store.db, { email, role: 'reader', password: 'Regenbogen-Fahrrad-7' }, { hashing: TEST_HASHING })).user.id;

    test('a grant is active for its days and not after', async () => {
      const id = await user('a@example.de');
      const now = new Date('2026-11-26T10:00:00Z');
      assert.equal(await hasActiveSubscription(store.db, id, now), false);
      const g = await grantSubscription(store.db, { userId: id, days: 30, now });
      assert.equal(g.extended, false);
      assert.equal(await hasActiveSubscription(store.db, id, new Date(now.getTime() + 29 * DAY)), true);
      assert.equal(await hasActiveSubscription(store.db, id, new Date(now.getTime() + 31 * DAY)), false);
    });

    test('granting again extends the running subscription instead of adding one', async () => {
      const id = await user('b@example.de');
      const now = new Date('2026-11-26T10:00:00Z');
      const first = await grantSubscription(store.db, { userId: id, days: 30, now });
      const second = await grantSubscription(store.db, { userId: id, days: 60, now: new Date(now.getTime() + DAY) });
      assert.equal(second.subscriptionId, first.subscriptionId);
      assert.equal(second.extended, true);
      assert.equal(second.endsAt, new Date(now.getTime() + 61 * DAY).toISOString());
      const shorter = await grantSubscription(store.db, { userId: id, days: 1, now });
      assert.equal(shorter.endsAt, second.endsAt, 'a shorter grant never shortens');
      assert.equal((await store.db.selectFrom('subscriptions').selectAll().where('user_id', '=', id).execute()).length, 1);
    });

    test('bad days are refused naming the field; revoke ends it now and a second revoke finds nothing', async () => {
      const id = await user('c@example.de');
      const now = new Date('2026-11-26T10:00:00Z');
      for (const days of [0, -1, 1.5, 100000]) {
        await assert.rejects(grantSubscription(store.db, { userId: id, days, now }), (e: { field?: string }) => e.field === 'days');
      }
      await grantSubscription(store.db, { userId: id, days: 30, now });
      assert.equal(await revokeSubscriptions(store.db, { userId: id, now }), 1);
      assert.equal(await hasActiveSubscription(store.db, id, now), false);
      assert.equal(await revokeSubscriptions(store.db, { userId: id, now }), 0);
    });

    test('the cached check sees a grant at once, keeps a yes for its time only, and never past the end', async () => {
      const id = await user('d@example.de');
      const check = cachedSubscriptionCheck({ ttlMs: 5000 });
      const now = new Date('2026-11-26T10:00:00Z');
      assert.equal(await check(store.db, id, now), false);
      await grantSubscription(store.db, { userId: id, days: 1, now });
      assert.equal(await check(store.db, id, now), true, 'no is not remembered');
      await revokeSubscriptions(store.db, { userId: id, now });
      assert.equal(await check(store.db, id, new Date(now.getTime() + 4000)), true, 'yes is remembered for 5 s');
      assert.equal(await check(store.db, id, new Date(now.getTime() + 6000)), false, 'then the revocation shows');
      await grantSubscription(store.db, { userId: id, days: 1, now });
      assert.equal(await check(store.db, id, now), true);
      assert.equal(await check(store.db, id, new Date(now.getTime() + DAY + 1000)), false, 'not past the end, whatever the memory');
    });
  });
}
