// Mein Konto rules on every engine: email change, password change, export, deletion, accounts made by an admin.
import { grantSubscription } from '../billing/index.ts';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openTestStore, testEngines, type TestStore } from '../db/test-stores.ts';
import { newId, nowIso } from '../db/index.ts';
import { DomainError } from '../domain-error.ts';
import {
  register, logIn, resolveSession, requestEmailChange, confirmEmailChange, pendingEmailChange, changePassword, exportUserData, deleteAccount,
  createUser, updateProfile, requestPasswordReset, checkResetToken, resetPassword, TEST_HASHING, HashGate, HashingBusyError, type AccountNotice,
} from './index.ts';

const hashing = TEST_HASHING;
const requester = { ip: '203.0.113.7', userAgent: 'test' };
const PW = 'Regenbogen-Fahrrad-7';

async function withReader(engine: string, fn: (s: TestStore, userId: string, sessionId: string) => Promise<void>) {
  const s = await openTestStore(engine);
  try {
    await register(s.db, { email: 'ina@example.de', password: PW, acceptTerms: true, acceptPrivacy: true, newsletter: false }, { hashing, requester });
    const { user, session } = await logIn(s.db, { email: 'ina@example.de', password: PW, persistent: false }, { hashing, requester });
    await fn(s, user.id, session.sessionId);
  } finally {
    await s.close();
  }
}
const tokenOf = (n: AccountNotice | undefined): string => (n && 'token' in n ? n.token : assert.fail('no token'));

for (const engine of testEngines()) {
  test(`[${engine}] an email change takes effect only when confirmed at the new address; the old address is told`, () => withReader(engine, async ({ db }, userId) => {
    const notices = await requestEmailChange(db, userId, { newEmail: 'Neu@Example.de', password: PW }, { hashing });
    assert.deepEqual(notices.map((n) => [n.kind, n.to]), [['confirm-new-email', 'neu@example.de'], ['email-change-requested', 'ina@example.de']]);
    const token = tokenOf(notices[0]);
    assert.equal((await db.selectFrom('users').select('email').executeTakeFirstOrThrow()).email, 'ina@example.de');
    assert.equal(await pendingEmailChange(db, token), 'neu@example.de');
    const user = await confirmEmailChange(db, token);
    assert.equal(user.email, 'neu@example.de');
    assert.equal(user.emailVerified, true);
    await assert.rejects(confirmEmailChange(db, token), /schon benutzt/);
  }));

  test(`[${engine}] an email change needs the right password and a different, valid address`, () => withReader(engine, async ({ db }, userId) => {
    await assert.rejects(requestEmailChange(db, userId, { newEmail: 'neu@example.de', password: 'falsch-falsch-1' }, { hashing }), (e: unknown) => e instanceof DomainError && e.field === 'password');
    await assert.rejects(requestEmailChange(db, userId, { newEmail: 'kaputt@', password: PW }, { hashing }), (e: unknown) => e instanceof DomainError && e.field === 'newEmail');
    await assert.rejects(requestEmailChange(db, userId, { newEmail: 'INA@example.de', password: PW }, { hashing }), /bereits Ihre/);
    assert.equal((await db.selectFrom('account_tokens').selectAll().where('kind', '=', 'change-email').execute()).length, 0);
  }));

  test(`[${engine}] changing to an address of another account only tells that address`, () => withReader(engine, async ({ db }, userId) => {
    await createUser(db, { email: 'andere@example.de', role: 'reader', password: 'Ein-anderes-Konto-1' }, { hashing });
    const notices = await requestEmailChange(db, userId, { newEmail: 'andere@example.de', password: PW }, { hashing });
    assert.deepEqual(notices, [{ kind: 'email-taken', to: 'andere@example.de' }]);
  }));

  test(`[${engine}] a confirmation link loses when the address was taken in the meantime`, () => withReader(engine, async ({ db }, userId) => {
    const token = tokenOf((await requestEmailChange(db, userId, { newEmail: 'neu@example.de', password: PW }, { hashing }))[0]);
    await createUser(db, { email: 'neu@example.de', role: 'reader', password: 'Ein-anderes-Konto-1' }, { hashing });
    await assert.rejects(confirmEmailChange(db, token), (e: unknown) => e instanceof DomainError && e.code === 'conflict');
    assert.equal((await db.selectFrom('users').select('email').where('id', '=', userId).executeTakeFirstOrThrow()).email, 'ina@example.de');
  }));

  test(`[${engine}] a password change ends every other session and keeps this one`, () => withReader(engine, async ({ db }, userId, sessionId) => {
    const other = await logIn(db, { email: 'ina@example.de', password: PW, persistent: true }, { hashing, requester });
    await assert.rejects(changePassword(db, userId, sessionId, { currentPassword: 'falsch-falsch-1', newPassword: 'Neues-Passwort-am-Deich' }, { hashing }), (e: unknown) => e instanceof DomainError && e.field === 'currentPassword');
    await assert.rejects(changePassword(db, userId, sessionId, { currentPassword: PW, newPassword: 'password123' }, { hashing }), (e: unknown) => e instanceof DomainError && e.field === 'newPassword');
    const notice = await changePassword(db, userId, sessionId, { currentPassword: PW, newPassword: 'Neues-Passwort-am-Deich' }, { hashing });
    assert.equal(notice.kind, 'password-changed');
    assert.equal(await resolveSession(db, other.session.token), null);
    const left = await db.selectFrom('sessions').select('id').execute();
    assert.deepEqual(left.map((s) => s.id), [sessionId]);
  }));

  test(`[${engine}] a password change ends the open reset links and email changes of the account; they say why`, () => withReader(engine, async ({ db }, userId, sessionId) => {
    const reset = tokenOf((await requestPasswordReset(db, 'ina@example.de', { requester })).notice ?? undefined);
    const change = tokenOf((await requestEmailChange(db, userId, { newEmail: 'neu@example.de', password: PW }, { hashing }))[0]);
    await changePassword(db, userId, sessionId, { currentPassword: PW, newPassword: 'Neues-Passwort-am-Deich' }, { hashing });
    await assert.rejects(checkResetToken(db, reset), /gilt nicht mehr: Inzwischen wurde das Passwort des Kontos geändert/);
    await assert.rejects(confirmEmailChange(db, change), /gilt nicht mehr/);
    assert.equal((await db.selectFrom('users').select('email').where('id', '=', userId).executeTakeFirstOrThrow()).email, 'ina@example.de');
  }));

  test(`[${engine}] the profile keeps a trimmed name and the newsletter choice; markup is refused`, () => withReader(engine, async ({ db }, userId) => {
    const u = await updateProfile(db, userId, { displayName: '  Ina   Beispiel ', newsletter: true });
    assert.equal(u.displayName, 'Ina Beispiel');
    assert.equal(u.newsletterOptIn, true);
    await assert.rejects(updateProfile(db, userId, { displayName: '<script>', newsletter: false }), (e: unknown) => e instanceof DomainError && e.field === 'displayName');
  }));

  test(`[${engine}] the export holds the person's data and no secrets`, () => withReader(engine, async ({ db }, userId) => {
    const data = JSON.stringify(await exportUserData(db, userId));
    assert.match(data, /"email":"ina@example.de"/);
    assert.match(data, /"termsAcceptedAt":"/);
    assert.match(data, /"sessions":\[\{/);
    assert.doesNotMatch(data, /argon2|password_hash|csrf/i);
    const hash = (await db.selectFrom('users').select('password_hash').executeTakeFirstOrThrow()).password_hash;
    assert.ok(!data.includes(hash));
  }));

  test(`[${engine}] deleting the account removes the person and keeps subscriptions unlinked`, () => withReader(engine, async ({ db }, userId) => {
    const now = nowIso();
    await grantSubscription(db, { userId, days: 30, now: new Date() });
    await db.insertInto('mail_outbox').values({ id: newId(), recipient: 'ina@example.de', subject: 's', text_body: 't', html_body: 'h', created_at: now }).execute();
    await assert.rejects(deleteAccount(db, userId, 'falsch-falsch-1', { hashing }), (e: unknown) => e instanceof DomainError && e.field === 'password');
    assert.equal((await db.selectFrom('users').selectAll().execute()).length, 1);
    await deleteAccount(db, userId, PW, { hashing });
    assert.equal((await db.selectFrom('users').selectAll().execute()).length, 0);
    assert.equal((await db.selectFrom('sessions').selectAll().execute()).length, 0);
    assert.equal((await db.selectFrom('account_tokens').selectAll().execute()).length, 0);
    assert.equal((await db.selectFrom('mail_outbox').selectAll().execute()).length, 0);
    const subs = await db.selectFrom('subscriptions').selectAll().execute();
    assert.equal(subs.length, 1);
    assert.equal(subs[0]!.user_id, null);
  }));

  test(`[${engine}] the last admin cannot delete their account`, async () => {
    const s = await openTestStore(engine);
    try {
      const { user } = await createUser(s.db, { email: 'chefin@example.de', role: 'admin', password: 'Chefredaktion-2026!' }, { hashing });
      await assert.rejects(deleteAccount(s.db, user.id, 'Chefredaktion-2026!', { hashing }), (e: unknown) => e instanceof DomainError && e.code === 'conflict');
      await createUser(s.db, { email: 'zweite@example.de', role: 'admin' }, { hashing });
      await deleteAccount(s.db, user.id, 'Chefredaktion-2026!', { hashing });
    } finally {
      await s.close();
    }
  });

  test(`[${engine}] accounts made by an admin are confirmed; a generated password works; roles and duplicates are checked`, async () => {
    const s = await openTestStore(engine);
    try {
      const made = await createUser(s.db, { email: 'Redaktion@Example.de', role: 'editor' }, { hashing });
      assert.equal(made.user.role, 'editor');
      assert.equal(made.user.emailVerified, true);
      assert.match(made.generatedPassword!, /^[A-Za-z0-9]{5}(-[A-Za-z0-9]{5}){3}$/);
      await logIn(s.db, { email: 'redaktion@example.de', password: made.generatedPassword!, persistent: false }, { hashing, requester });
      await assert.rejects(createUser(s.db, { email: 'redaktion@example.de', role: 'admin' }, { hashing }), (e: unknown) => e instanceof DomainError && e.code === 'conflict');
      await assert.rejects(createUser(s.db, { email: 'x@example.de', role: 'kaiser' }, { hashing }), /Unbekannte Rolle/);
      await assert.rejects(createUser(s.db, { email: 'y@example.de', role: 'admin', password: 'kurz' }, { hashing }), /mindestens 10/);
    } finally {
      await s.close();
    }
  });

  test(`[${engine}] every password operation waits in the hashing gate: with no slot free each is refused as busy and nothing changes`, () => withReader(engine, async ({ db }, userId, sessionId) => {
    const shut = { ...TEST_HASHING, gate: new HashGate({ concurrency: 0, queue: 0, perSecond: 1 }) };
    const busy = (e: unknown) => e instanceof HashingBusyError && e.code === 'busy';
    const token = tokenOf((await requestPasswordReset(db, 'ina@example.de', { requester })).notice ?? undefined);
    await assert.rejects(register(db, { email: 'neu@example.de', password: PW, acceptTerms: true, acceptPrivacy: true, newsletter: false }, { hashing: shut, requester }), busy, 'register');
    await assert.rejects(logIn(db, { email: 'ina@example.de', password: PW, persistent: false }, { hashing: shut, requester }), busy, 'login');
    await assert.rejects(logIn(db, { email: 'nie@example.de', password: PW, persistent: false }, { hashing: shut, requester }), busy, 'login, unknown address');
    await assert.rejects(resetPassword(db, { token, password: 'Neues-Passwort-am-Deich' }, { hashing: shut }), busy, 'reset');
    await assert.rejects(changePassword(db, userId, sessionId, { currentPassword: PW, newPassword: 'Neues-Passwort-am-Deich' }, { hashing: shut }), busy, 'password change');
    await assert.rejects(requestEmailChange(db, userId, { newEmail: 'neu@example.de', password: PW }, { hashing: shut }), busy, 'email change');
    await assert.rejects(deleteAccount(db, userId, PW, { hashing: shut }), busy, 'deletion');
    assert.equal((await db.selectFrom('users').selectAll().execute()).length, 1);
    await logIn(db, { email: 'ina@example.de', password: PW, persistent: false }, { hashing, requester });
    await resetPassword(db, { token, password: 'Neues-Passwort-am-Deich' }, { hashing });
  }));
}
