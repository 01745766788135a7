// Registering, verifying, logging in, throttling and resetting on every engine: the rules without the web.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openTestStore, testEngines, type TestStore } from '../db/test-stores.ts';
import { DomainError } from '../domain-error.ts';
import {
  register, verifyEmail, logIn, requestPasswordReset, requestEmailChange, confirmEmailChange, resetPassword, checkResetToken, resolveSession, createSession, ThrottledError, TEST_HASHING,
  HashGate, type AccountNotice,
} from './index.ts';

const hashing = TEST_HASHING;
const requester = { ip: '203.0.113.7', userAgent: 'Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0' };
const good = { email: 'Ina@Example.DE', password: 'Regenbogen-Fahrrad-7', acceptTerms: true, acceptPrivacy: true, newsletter: false };

const tokenOf = (n: AccountNotice | null): string => (n && 'token' in n ? n.token : assert.fail(`no token in ${JSON.stringify(n)}`));
const fieldsOf = (e: unknown): string[] => (e instanceof DomainError ? e.fields.map((f) => f.path) : []);

async function withStore(engine: string, fn: (s: TestStore) => Promise<void>) {
  const s = await openTestStore(engine);
  try { await fn(s); } finally { await s.close(); }
}

for (const engine of testEngines()) {
  test(`[${engine}] register creates one unverified reader with consents and a verification link`, () => withStore(engine, async ({ db }) => {
    const { notice } = await register(db, { ...good, newsletter: true }, { hashing, requester });
    assert.equal(notice.kind, 'verify-email');
    assert.equal(notice.to, 'ina@example.de');
    const u = await db.selectFrom('users').selectAll().executeTakeFirstOrThrow();
    assert.equal(u.email, 'ina@example.de');
    assert.equal(u.role, 'reader');
    assert.equal(u.email_verified_at, null);
    assert.equal(u.newsletter_opt_in, 1);
    assert.ok(u.terms_accepted_at && u.privacy_accepted_at);
    assert.match(u.password_hash, /^\$argon2id\$/);
    assert.equal((await db.selectFrom('account_tokens').selectAll().execute()).length, 1);
  }));

  test(`[${engine}] registering a known address creates nothing and tells its owner instead`, () => withStore(engine, async ({ db }) => {
    await register(db, good, { hashing, requester });
    const { notice } = await register(db, { ...good, email: ' INA@example.de ', password: 'Ganz-anderes-Passwort-9' }, { hashing, requester });
    assert.deepEqual(notice, { kind: 'already-registered', to: 'ina@example.de' });
    assert.equal((await db.selectFrom('users').selectAll().execute()).length, 1);
  }));

  test(`[${engine}] bad registration input names every field and creates nothing`, () => withStore(engine, async ({ db }) => {
    const err = await register(db, { email: 'keine-adresse', password: 'passwort123', acceptTerms: false, acceptPrivacy: false, newsletter: true }, { hashing, requester }).catch((e: unknown) => e);
    assert.ok(err instanceof DomainError && err.code === 'invalid-input');
    assert.deepEqual(fieldsOf(err), ['email', 'password', 'acceptTerms', 'acceptPrivacy']);
    const short = await register(db, { ...good, password: 'kurz' }, { hashing, requester }).catch((e: unknown) => e);
    assert.match((short as DomainError).message, /mindestens 10 Zeichen/);
    assert.equal((await db.selectFrom('users').selectAll().execute()).length, 0);
    assert.equal((await db.selectFrom('account_tokens').selectAll().execute()).length, 0);
  }));

  test(`[${engine}] a verification link confirms the address once; a second use is refused`, () => withStore(engine, async ({ db }) => {
    const token = tokenOf((await register(db, good, { hashing, requester })).notice);
    const user = await verifyEmail(db, token);
    assert.equal(user.emailVerified, true);
    await assert.rejects(verifyEmail(db, token), /schon benutzt/);
    await assert.rejects(verifyEmail(db, 'x'.repeat(43)), /ungültig/);
  }));

  test(`[${engine}] an expired verification link is refused and leaves the address unconfirmed`, () => withStore(engine, async ({ db }) => {
    const token = tokenOf((await register(db, good, { hashing, requester })).notice);
    await db.updateTable('account_tokens').set({ expires_at: '2000-01-01T00:00:00.000Z' }).execute();
    await assert.rejects(verifyEmail(db, token), /abgelaufen/);
    assert.equal((await db.selectFrom('users').select('email_verified_at').executeTakeFirstOrThrow()).email_verified_at, null);
  }));

  test(`[${engine}] login opens a new session each time and the cookie token resolves to the reader`, () => withStore(engine, async ({ db }) => {
    await register(db, good, { hashing, requester });
    const a = await logIn(db, { email: 'ina@example.de', password: good.password, persistent: true }, { hashing, requester });
    const b = await logIn(db, { email: 'INA@example.de', password: good.password, persistent: false }, { hashing, requester });
    assert.notEqual(a.session.token, b.session.token);
    assert.equal(a.session.maxAgeSeconds, 30 * 24 * 3600);
    assert.equal(b.session.maxAgeSeconds, undefined);
    const resolved = await resolveSession(db, a.session.token);
    assert.equal(resolved?.reader.user.email, 'ina@example.de');
    assert.equal(resolved?.reader.user.emailVerified, false);
    const stored = await db.selectFrom('sessions').select('id').execute();
    assert.ok(stored.every((s) => s.id !== a.session.token), 'the token itself is never stored');
  }));

  test(`[${engine}] wrong password and unknown address get the same answer`, () => withStore(engine, async ({ db }) => {
    await register(db, good, { hashing, requester });
    const wrong = await logIn(db, { email: 'ina@example.de', password: 'falsch-falsch-1', persistent: false }, { hashing, requester }).catch((e: unknown) => e);
    const unknown = await logIn(db, { email: 'nie@example.de', password: 'falsch-falsch-1', persistent: false }, { hashing, requester }).catch((e: unknown) => e);
    assert.ok(wrong instanceof DomainError && unknown instanceof DomainError);
    assert.equal(wrong.message, unknown.message);
    assert.equal(wrong.code, 'unauthenticated');
  }));

  test(`[${engine}] the 6th wrong password for one account within a minute is refused as throttled, even when correct`, () => withStore(engine, async ({ db }) => {
    await register(db, good, { hashing, requester });
    for (let i = 1; i <= 5; i++) {
      const e = await logIn(db, { email: 'ina@example.de', password: `falsch-${i}-xxxxx`, persistent: false }, { hashing, requester }).catch((x: unknown) => x);
      assert.ok(e instanceof DomainError && e.code === 'unauthenticated', `attempt ${i}`);
    }
    const sixth = await logIn(db, { email: 'ina@example.de', password: good.password, persistent: false }, { hashing, requester }).catch((x: unknown) => x);
    assert.ok(sixth instanceof ThrottledError, 'the 6th attempt is throttled');
    assert.ok(sixth.retryAfterSeconds > 0);
    assert.ok((await db.selectFrom('throttle_events').select('key').execute()).every((r) => !r.key.includes('ina@')), 'no address in clear');
  }));

  test(`[${engine}] a correct password clears the failures of that account`, () => withStore(engine, async ({ db }) => {
    await register(db, good, { hashing, requester });
    const wrongTimes = async (round: number) => {
      for (let i = 1; i <= 4; i++) {
        const e = await logIn(db, { email: 'ina@example.de', password: 'falsch-falsch-1', persistent: false }, { hashing, requester }).catch((x: unknown) => x);
        // 'unauthenticated', not 'rate-limited': without the clearing, the 1st wrong password of round 2 is the 6th failure and throttled.
        assert.ok(e instanceof DomainError && e.code === 'unauthenticated', `round ${round}, wrong password ${i}: ${String(e)}`);
      }
    };
    await wrongTimes(1);
    assert.ok((await logIn(db, { email: 'ina@example.de', password: good.password, persistent: false }, { hashing, requester })).session.token);
    await wrongTimes(2);
    assert.ok((await logIn(db, { email: 'ina@example.de', password: good.password, persistent: false }, { hashing, requester })).session.token);
  }));

  test(`[${engine}] a reset link sets a new password once, confirms the address and ends every session`, () => withStore(engine, async ({ db }) => {
    await register(db, good, { hashing, requester });
    const { session } = await logIn(db, { email: 'ina@example.de', password: good.password, persistent: false }, { hashing, requester });
    const token = tokenOf((await requestPasswordReset(db, 'ina@example.de', { requester })).notice);
    await checkResetToken(db, token);
    await resetPassword(db, { token, password: 'Neues-Passwort-am-Deich' }, { hashing });
    assert.equal(await resolveSession(db, session.token), null);
    await logIn(db, { email: 'ina@example.de', password: 'Neues-Passwort-am-Deich', persistent: false }, { hashing, requester });
    await assert.rejects(logIn(db, { email: 'ina@example.de', password: good.password, persistent: false }, { hashing, requester }), /stimmen nicht/);
    assert.notEqual((await db.selectFrom('users').select('email_verified_at').executeTakeFirstOrThrow()).email_verified_at, null);
    await assert.rejects(resetPassword(db, { token, password: 'Noch-ein-Passwort-42' }, { hashing }), /schon benutzt/);
  }));

  test(`[${engine}] completing a reset ends the other reset links and a pending email change of the account`, () => withStore(engine, async ({ db }) => {
    await register(db, good, { hashing, requester });
    const { user } = await logIn(db, { email: 'ina@example.de', password: good.password, persistent: false }, { hashing, requester });
    const change = tokenOf((await requestEmailChange(db, user.id, { newEmail: 'neu@example.de', password: good.password }, { hashing }))[0] ?? null);
    const first = tokenOf((await requestPasswordReset(db, 'ina@example.de', { requester })).notice);
    const second = tokenOf((await requestPasswordReset(db, 'ina@example.de', { requester })).notice);
    await resetPassword(db, { token: second, password: 'Neues-Passwort-am-Deich' }, { hashing });
    await assert.rejects(resetPassword(db, { token: first, password: 'Noch-ein-Passwort-42' }, { hashing }), /gilt nicht mehr/);
    await assert.rejects(confirmEmailChange(db, change), /gilt nicht mehr/);
  }));

  test(`[${engine}] a reset with a weak password changes nothing and keeps the link usable`, () => withStore(engine, async ({ db }) => {
    await register(db, good, { hashing, requester });
    const token = tokenOf((await requestPasswordReset(db, 'ina@example.de', { requester })).notice);
    await assert.rejects(resetPassword(db, { token, password: 'passwort123' }, { hashing }), (e: unknown) => e instanceof DomainError && e.field === 'password');
    await resetPassword(db, { token, password: 'Neues-Passwort-am-Deich' }, { hashing });
  }));

  test(`[${engine}] reset requests for unknown addresses send nothing; per account at most 3 mails per quarter hour`, () => withStore(engine, async ({ db }) => {
    await register(db, good, { hashing, requester });
    assert.equal((await requestPasswordReset(db, 'nie@example.de', { requester })).notice, null);
    const notices = [];
    for (let i = 0; i < 4; i++) notices.push((await requestPasswordReset(db, 'ina@example.de', { requester: { ...requester, ip: `198.51.100.${i}` } })).notice);
    assert.deepEqual(notices.map((n) => n?.kind ?? null), ['reset-password', 'reset-password', 'reset-password', null]);
  }));

  test(`[${engine}] an expired reset link is refused`, () => withStore(engine, async ({ db }) => {
    await register(db, good, { hashing, requester });
    const token = tokenOf((await requestPasswordReset(db, 'ina@example.de', { requester })).notice);
    await db.updateTable('account_tokens').set({ expires_at: '2000-01-01T00:00:00.000Z' }).where('kind', '=', 'reset-password').execute();
    await assert.rejects(checkResetToken(db, token), /abgelaufen/);
    await assert.rejects(resetPassword(db, { token, password: 'Neues-Passwort-am-Deich' }, { hashing }), /abgelaufen/);
  }));

  test(`[${engine}] an expired session resolves to nobody and is deleted`, () => withStore(engine, async ({ db }) => {
    await register(db, good, { hashing, requester });
    const user = await db.selectFrom('users').select('id').executeTakeFirstOrThrow();
    const s = await createSession(db, user.id, { persistent: false, userAgent: '', ip: '' });
    await db.updateTable('sessions').set({ expires_at: '2000-01-01T00:00:00.000Z' }).execute();
    assert.equal(await resolveSession(db, s.token), null);
    assert.equal((await db.selectFrom('sessions').selectAll().execute()).length, 0);
  }));

  test(`[${engine}] registrations from one IP are limited`, () => withStore(engine, async ({ db }) => {
    for (let i = 0; i < 10; i++) await register(db, { ...good, email: `leser${i}@example.de` }, { hashing, requester });
    await assert.rejects(register(db, { ...good, email: 'leser99@example.de' }, { hashing, requester }), (e: unknown) => e instanceof ThrottledError);
  }));

  test(`[${engine}] a login for an unknown address waits in the hashing gate exactly like a wrong password for a known one`, () => withStore(engine, async ({ db }) => {
    const slept: number[] = [];
    const gate = new HashGate({ concurrency: 2, queue: 16, perSecond: 1000, sleep: async (ms) => { slept.push(ms); } });
    const gated = { ...TEST_HASHING, gate };
    await register(db, good, { hashing: gated, requester });
    const slots = async (email: string) => {
      const before = { ...gate.counts };
      await assert.rejects(logIn(db, { email, password: 'falsch-falsch-1', persistent: false }, { hashing: gated, requester }), /stimmen nicht/);
      return { hash: gate.counts.hash - before.hash, verify: gate.counts.verify - before.verify, refused: gate.counts.refused - before.refused };
    };
    const known = await slots('ina@example.de');
    assert.deepEqual(known, { hash: 0, verify: 1, refused: 0 });
    assert.deepEqual(await slots('nie@example.de'), known, 'the same slots, so the same queueing and the same refusals under load');
    assert.equal(gate.counts.imitated, 1, 'the unknown address did not hash');
    assert.equal(slept.length, 1);
    assert.ok(gate.recentVerifyMs().includes(slept[0]!), 'it waited as long as a real verify of a known address took');
  }));

  test(`[${engine}] registering a known address does the same hashing work as a new one`, () => withStore(engine, async ({ db }) => {
    const gate = new HashGate({ concurrency: 2, queue: 16, perSecond: 1000 });
    const gated = { ...TEST_HASHING, gate };
    const work = async (email: string) => {
      const before = { ...gate.counts };
      await register(db, { ...good, email }, { hashing: gated, requester });
      return { hash: gate.counts.hash - before.hash, verify: gate.counts.verify - before.verify };
    };
    const fresh = await work('ina@example.de');
    assert.deepEqual(fresh, { hash: 1, verify: 0 });
    assert.deepEqual(await work('INA@example.de'), fresh);
  }));
}
