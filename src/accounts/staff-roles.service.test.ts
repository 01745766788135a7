// Staff roles on every engine: the last admin stays an admin even when two admins step down at the same moment.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openTestStore, testEngines } from '../db/test-stores.ts';
import { TEST_HASHING } from './password.rules.ts';
import { createUser } from './account-settings.service.ts';
import { listRoleChanges, listStaff, setUserRole } from './staff-roles.service.ts';
import { DomainError } from '../domain-error.ts';

for (const engine of testEngines()) {
  test(`[${engine}] two admins demoting each other at once: one succeeds, the other is refused, one admin is left`, async () => {
    const store = await openTestStore(engine);
    try {
      const a = (await createUser(store.db, { email: 'a@example.de', role: 'admin', password: 'Regenbogen-Fahrrad-7' }, { hashing: TEST_HASHING })).user;
      const b = (await createUser(store.db, { email: 'b@example.de', role: 'admin', password: 'Regenbogen-Fahrrad-7' }, { hashing: TEST_HASHING })).user;
      for (let round = 0; round < 3; round++) {
        const results = await Promise.allSettled([
          setUserRole(store.db, { email: 'b@example.de', role: 'editor' }, { actorId: a.id }),
          setUserRole(store.db, { email: 'a@example.de', role: 'editor' }, { actorId: b.id }),
        ]);
        const refused = results.filter((r) => r.status === 'rejected');
        assert.equal(refused.length, 1, `round ${round}: exactly one is refused`);
        assert.ok((refused[0] as PromiseRejectedResult).reason instanceof DomainError);
        assert.equal((await listStaff(store.db)).filter((u) => u.role === 'admin').length, 1);
        // back to two admins for the next round
        const left = (await listStaff(store.db)).find((u) => u.role === 'admin')!;
        await setUserRole(store.db, { email: left.email === 'a@example.de' ? 'b@example.de' : 'a@example.de', role: 'admin' }, { actorId: left.id });
      }
      assert.equal((await listRoleChanges(store.db, { limit: 50 })).length, 6, 'every change logged, refusals not');
      assert.equal(await setUserRole(store.db, { email: 'a@example.de', role: 'admin' }, { actorId: null }), null, 'the same role again changes nothing');
    } finally {
      await store.close();
    }
  });
}
