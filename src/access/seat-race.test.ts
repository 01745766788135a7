// Seats with several server processes on one database: two processes, each with ten readers claiming at once, never take more seats than the institution has, and no claim fails.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { testEngines } from '../db/test-stores.ts';
import { openSharedStore, startRaceWorker } from '../testing/race-harness.ts';
import { parseInstitutionInput } from './institution-input.ts';
import { saveInstitution } from './institution.service.ts';

const WORKER = fileURLToPath(new URL('./seat-race.worker.ts', import.meta.url));
const NOW = new Date('2026-11-28T10:00:00Z');
const SEATS = 7;

for (const engine of testEngines()) {
  test(`[${engine}] two processes with ten readers each racing for seven seats: exactly seven seated, no claim fails`, async (t) => {
    const { store, where, cleanup } = await openSharedStore(engine);
    t.after(cleanup);
    try {
      await saveInstitution(store.db, null, parseInstitutionInput({ name: 'Gesamtschule Rennen', kind: 'school', seats: String(SEATS), endsOn: '2027-07-31', domains: 'rennen.example' }, '2026-11-28'), NOW);
      const at = NOW.toISOString();
      for (const p of ['p1', 'p2']) {
        await store.db.insertInto('users').values(Array.from({ length: 10 }, (_, i) => ({
          id: `${p}-${i}`, email: `${p}-${i}@rennen.example`, password_hash: 'x', role: 'reader' as const, display_name: '', email_verified_at: at,
          newsletter_opt_in: 0, terms_accepted_at: null, privacy_accepted_at: null, created_at: at, updated_at: at,
        }))).execute();
      }
      const workers = await Promise.all(['p1', 'p2'].map((workerId) => startRaceWorker(WORKER, { ...where, workerId, now: at })));
      for (const w of workers) w.go();
      const [first, second] = await Promise.all(workers.map((w) => w.result));
      assert.deepEqual([first!.error, second!.error], [null, null]);
      assert.equal(first!.handled.length + second!.handled.length, SEATS);
      const members = await store.db.selectFrom('institution_members').select('user_id').execute();
      assert.deepEqual(members.map((m) => m.user_id).sort(), [...first!.handled, ...second!.handled].sort());
      console.log(`${engine}: process 1 seated ${first!.handled.length}, process 2 ${second!.handled.length}`);
    } finally {
      await store.close();
    }
  });
}
