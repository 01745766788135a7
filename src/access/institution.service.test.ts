// Institutions on both engines: saving (domains belong to one institution), what a request's address and a reader's domain give, end date, revocation, seats under races, and a table that costs no query per unlock.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Kysely, KyselyPlugin } from 'kysely';
import { testEngines, openTestStore, type TestStore } from '../db/test-stores.ts';
import { newId, nowIso, type Database } from '../db/index.ts';
import { DomainError } from '../domain-error.ts';
import { createInstitutionDirectory } from './institution-directory.ts';
import { parseInstitutionInput } from './institution-input.ts';
import { claimInstitutionSeat, freeSeat, institutionStanding, noteSeatUse, revokeInstitution, saveInstitution } from './institution.service.ts';
import { seatsTaken } from './institution.queries.ts';

const NOW = new Date('2026-11-28T10:00:00Z');
const TODAY = '2026-11-28';

/** A Kysely that counts the statements it runs. */
function counting(db: Kysely<Database>): { db: Kysely<Database>; count(): number } {
  let n = 0;
  const plugin: KyselyPlugin = { transformQuery: (a) => { n++; return a.node; }, transformResult: async (a) => a.result };
  return { db: db.withPlugin(plugin), count: () => n };
}

for (const engine of testEngines()) {
  describe(`institutions on ${engine}`, () => {
    let store: TestStore;
    let db: Kysely<Database>;
    before(async () => { store = await openTestStore(engine); db = store.db; });
    after(async () => { await store.close(); });

    let seq = 0;
    async function user(email: string, verified = true): Promise<{ id: string; email: string; emailVerified: boolean }> {
      const id = newId();
      await db.insertInto('users').values({
        id, email, password_hash: 'x', role: 'reader', display_name: `Leser ${++seq}`, email_verified_at: verified ? nowIso(NOW) : null, newsletter_opt_in: 0,
        terms_accepted_at: null, privacy_accepted_at: null, created_at: nowIso(NOW), updated_at: nowIso(NOW),
      }).execute();
      return { id, email, emailVerified: verified };
    }
    const save = (form: Record<string, string>, id: string | null = null) =>
      saveInstitution(db, id, parseInstitutionInput({ kind: 'library', endsOn: '2027-07-31', ...form }, TODAY), NOW);

    test('a guest inside a range stands on the network, one outside on nothing; IPv6 and mapped addresses too', async () => {
      const lib = await save({ name: 'Stadtbibliothek Netz', networks: '192.0.2.0/25\n2001:db8:10::/48' });
      const dir = createInstitutionDirectory(db);
      const at = (ip: string) => institutionStanding(db, dir, { clientIp: ip, user: null, now: NOW });
      assert.deepEqual(await at('192.0.2.5'), { id: lib.id, name: 'Stadtbibliothek Netz', via: 'network' });
      assert.equal((await at('::ffff:192.0.2.5'))?.id, lib.id);
      assert.equal((await at('2001:db8:10:5::1'))?.id, lib.id);
      assert.equal(await at('192.0.2.200'), null);
      assert.equal(await at('2001:db8:11::1'), null);
      assert.equal(await at('unknown'), null);
    });

    test('the end day counts in full (Berlin); the day after, and after a revocation, nothing is granted', async () => {
      const lib = await save({ name: 'Schule Ende', kind: 'school', networks: '198.51.100.0/28', endsOn: TODAY });
      const dir = createInstitutionDirectory(db);
      const at = (now: Date) => institutionStanding(db, dir, { clientIp: '198.51.100.3', user: null, now });
      assert.equal((await at(new Date('2026-11-28T22:59:59Z')))?.id, lib.id, '23:59:59 in Berlin on the end day');
      assert.equal(await at(new Date('2026-11-28T23:00:00Z')), null, 'midnight in Berlin: the next day');
      await revokeInstitution(db, lib.id, NOW);
      dir.changed();
      assert.equal(await at(NOW), null);
    });

    test('a confirmed address of the domain claims a seat; unconfirmed, a subdomain or another domain get nothing', async () => {
      const co = await save({ name: 'Firma Domain', kind: 'company', domains: 'firma-domain.example', seats: '5' });
      const dir = createInstitutionDirectory(db);
      const standing = async (u: { id: string; email: string; emailVerified: boolean }) => institutionStanding(db, dir, { clientIp: '203.0.113.1', user: u, now: NOW });
      const anna = await user('anna@firma-domain.example');
      assert.equal((await standing(anna))?.via, 'claim');
      assert.equal(await claimInstitutionSeat(db, { institutionId: co.id, user: anna, now: NOW }), 'member');
      assert.deepEqual(await standing(anna), { id: co.id, name: 'Firma Domain', via: 'seat', staleUse: false });
      const tomorrow = new Date(NOW.getTime() + 86_400_000);
      assert.equal((await institutionStanding(db, dir, { user: anna, now: tomorrow }))?.staleUse, true, 'last read yesterday: "zuletzt gelesen" is due');
      await noteSeatUse(db, co.id, anna.id, tomorrow);
      assert.equal((await institutionStanding(db, dir, { user: anna, now: tomorrow }))?.staleUse, false);
      assert.equal(await standing(await user('bert@firma-domain.example', false)), null, 'unconfirmed');
      assert.equal(await standing(await user('carl@mail.firma-domain.example')), null, 'subdomain');
      assert.equal(await standing(await user('dora@firma-domain.example.evil')), null, 'suffix');
      const unconfirmed = await user('emil@firma-domain.example', false);
      assert.equal(await claimInstitutionSeat(db, { institutionId: co.id, user: unconfirmed, now: NOW }), 'ended', 'the claim checks the confirmation itself');
    });

    test('two first uses racing for the last seat: exactly one gets it, the other hears it is full (eight rounds)', async () => {
      // several rounds: one race may happen to run one after the other; eight in a row do not (without the lock this fails on PostgreSQL)
      for (let round = 0; round < 8; round++) {
        const co = await save({ name: `Firma Letzter Platz ${round}`, kind: 'company', domains: `letzter-platz-${round}.example`, seats: '2' });
        const first = await user(`a@letzter-platz-${round}.example`);
        assert.equal(await claimInstitutionSeat(db, { institutionId: co.id, user: first, now: NOW }), 'member');
        const [x, y] = [await user(`x@letzter-platz-${round}.example`), await user(`y@letzter-platz-${round}.example`)];
        const results = await Promise.all([x, y].map((u) => claimInstitutionSeat(db, { institutionId: co.id, user: u, now: NOW })));
        assert.deepEqual([...results].sort(), ['full', 'member'], `round ${round}`);
        assert.equal((await seatsTaken(db, co.id)).get(co.id), 2, `round ${round}`);
      }
    });

    test('twelve readers racing for three seats: three seats, nine refusals, no error; the same reader twice takes one seat', async () => {
      const co = await save({ name: 'Schule Ansturm', kind: 'school', domains: 'ansturm.example', seats: '3' });
      const readers = await Promise.all(Array.from({ length: 12 }, (_, i) => user(`r${i}@ansturm.example`)));
      const results = await Promise.all(readers.map((u) => claimInstitutionSeat(db, { institutionId: co.id, user: u, now: NOW })));
      assert.equal(results.filter((r) => r === 'member').length, 3);
      assert.equal(results.filter((r) => r === 'full').length, 9);
      const holder = readers[results.indexOf('member')]!;
      assert.deepEqual(await Promise.all([1, 2].map(() => claimInstitutionSeat(db, { institutionId: co.id, user: holder, now: NOW }))), ['member', 'member']);
      assert.equal((await seatsTaken(db, co.id)).get(co.id), 3);
    });

    test('a freed seat can be taken by someone else; seats cannot be lowered below those taken', async () => {
      const co = await save({ name: 'Bibliothek Freigabe', domains: 'freigabe.example', seats: '1' });
      const [a, b] = [await user('a@freigabe.example'), await user('b@freigabe.example')];
      assert.equal(await claimInstitutionSeat(db, { institutionId: co.id, user: a, now: NOW }), 'member');
      assert.equal(await claimInstitutionSeat(db, { institutionId: co.id, user: b, now: NOW }), 'full');
      await freeSeat(db, co.id, a.id);
      assert.equal(await claimInstitutionSeat(db, { institutionId: co.id, user: b, now: NOW }), 'member');
      await assert.rejects(freeSeat(db, co.id, a.id), (e: DomainError) => e.code === 'not-found');
      await save({ name: 'Bibliothek Freigabe', domains: 'freigabe.example', seats: '1' }, co.id);
      const more = await save({ name: 'Bibliothek Freigabe', domains: 'freigabe.example', seats: '4' }, co.id);
      assert.equal(more.seats, 4);
      await claimInstitutionSeat(db, { institutionId: co.id, user: a, now: NOW });
      await assert.rejects(save({ name: 'Bibliothek Freigabe', domains: 'freigabe.example', seats: '1' }, co.id),
        (e: DomainError) => e.field === 'seats' && /schon 2 Plätze vergeben/.test(e.message));
    });

    test('a domain belongs to one institution: a second one is refused naming the first, and nothing of it is saved', async () => {
      await save({ name: 'Gymnasium Eins', kind: 'school', domains: 'gymnasium-eins.example' });
      const before = (await db.selectFrom('institutions').select('id').execute()).length;
      await assert.rejects(save({ name: 'Gymnasium Zwei', kind: 'school', networks: '203.0.113.128/25', domains: 'gymnasium-eins.example' }),
        (e: DomainError) => e.code === 'conflict' && e.field === 'domains' && /„gymnasium-eins\.example“ gehört schon zu „Gymnasium Eins“/.test(e.message));
      assert.equal((await db.selectFrom('institutions').select('id').execute()).length, before, 'the transaction left no half institution');
      assert.equal((await db.selectFrom('institution_networks').select('id').where('cidr', '=', '203.0.113.128/25').execute()).length, 0);
    });

    test('the table is read once per refresh: guests outside every range, and readers of other domains, cost no query', async () => {
      await save({ name: 'Bibliothek Zähler', networks: '203.0.113.0/26', domains: 'zaehler.example' });
      let clock = 0;
      const counted = counting(db);
      const dir = createInstitutionDirectory(counted.db, { refreshMs: 5000, monotonicNow: () => clock });
      const other = { id: 'u-1', email: 'x@woanders.example', emailVerified: true };
      await institutionStanding(counted.db, dir, { clientIp: '198.18.0.1', user: null, now: NOW });
      const loaded = counted.count();
      assert.ok(loaded >= 1, 'the first lookup loads the table');
      for (let i = 0; i < 50; i++) {
        await institutionStanding(counted.db, dir, { clientIp: `198.18.0.${i + 2}`, user: i % 2 ? other : null, now: NOW });
        assert.equal((await institutionStanding(counted.db, dir, { clientIp: '203.0.113.9', user: null, now: NOW }))?.via, 'network');
      }
      assert.equal(counted.count(), loaded, 'no query after the load');
      clock = 5001;
      await institutionStanding(counted.db, dir, { clientIp: '198.18.0.1', user: null, now: NOW });
      assert.equal(counted.count(), loaded * 2, 'reloaded after the refresh time');
      dir.changed();
      await institutionStanding(counted.db, dir, { clientIp: '198.18.0.1', user: null, now: NOW });
      assert.equal(counted.count(), loaded * 3, 'reloaded at once after a change');
    });
  });
}
