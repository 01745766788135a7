// Mein Konto through HTTP on every engine: login required, profile, email and password change, sessions, export, deletion, outbox, /api/me.
import { grantSubscription } from '../../billing/index.ts';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestApp, type TestApp } from '../../testing/test-app.ts';
import { TestBrowser, linkIn } from '../../testing/test-browser.ts';
import { loggedInAs, logInAs, registerAndLogIn, TEST_PASSWORD } from '../../testing/test-accounts.ts';
import { testEngines } from '../../db/test-stores.ts';

async function withApp(engine: string, fn: (t: TestApp) => Promise<void>) {
  const t = await createTestApp(engine);
  try { await fn(t); } finally { await t.close(); }
}
const lastMailTo = (t: TestApp, to: string) => t.store.db.selectFrom('mail_outbox').selectAll().where('recipient', '=', to).orderBy('created_at', 'desc').executeTakeFirstOrThrow();

for (const engine of testEngines()) {
  test(`[${engine}] /konto sends strangers to the login and back; its POSTs need a login`, () => withApp(engine, async (t) => {
    const b = new TestBrowser(t.app);
    assert.equal((await b.get('/konto')).location, '/anmelden?weiter=/konto');
    await b.get('/anmelden');
    const r = await b.post('/konto/profil', { displayName: 'x' });
    assert.equal(r.status, 401);
  }));

  test(`[${engine}] /api/me tells who is logged in, with a CSRF token, never cached`, () => withApp(engine, async (t) => {
    const anon = await new TestBrowser(t.app).get('/api/me');
    assert.equal(anon.headers.get('cache-control'), 'private, no-store');
    assert.deepEqual(JSON.parse(anon.text), { user: null });
    const b = await registerAndLogIn(t);
    const me = await b.get('/api/me');
    const body = JSON.parse(me.text) as { user: Record<string, string>; csrfToken: string };
    assert.deepEqual(body.user, { displayName: 'ina', email: 'ina@example.de', role: 'reader' });
    assert.equal(me.headers.get('cache-control'), 'private, no-store');
    const viaHeader = await b.request('/konto/profil', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-klartext-csrf': body.csrfToken }, body: 'displayName=Ina' });
    assert.equal(viaHeader.status, 303, 'the token works as x-klartext-csrf header');
  }));

  test(`[${engine}] public pages do not read the session: same bytes, no cookie, for readers and strangers`, () => withApp(engine, async (t) => {
    const b = await registerAndLogIn(t);
    const stranger = await new TestBrowser(t.app).get('/impressum');
    const reader = await b.get('/impressum');
    assert.equal(reader.text, stranger.text);
    assert.equal(reader.headers.getSetCookie().length, 0);
    assert.doesNotMatch(reader.text, /ina@example\.de/);
    assert.equal((await b.get('/anmelden')).headers.get('cache-control'), 'private, no-store');
  }));

  test(`[${engine}] profile changes are saved; a bad name is shown at the field`, () => withApp(engine, async (t) => {
    const b = await registerAndLogIn(t);
    assert.equal((await b.post('/konto/profil', { displayName: 'Ina Beispiel', newsletter: 'on' })).location, '/konto?ok=profil');
    const page = await b.get('/konto?ok=profil');
    assert.match(page.text, /Ihr Profil ist gespeichert/);
    assert.match(page.text, /Guten Tag, Ina Beispiel/);
    const bad = await b.post('/konto/profil', { displayName: '<b>' });
    assert.equal(bad.status, 400);
    assert.match(bad.text, /id="displayName-error">/);
  }));

  test(`[${engine}] an email change is confirmed at the new address with a button, not by opening the link`, () => withApp(engine, async (t) => {
    const b = await registerAndLogIn(t);
    const r = await b.post('/konto/email', { newEmail: 'neu@example.de', password: TEST_PASSWORD });
    assert.equal(r.location, '/konto?ok=email');
    assert.match((await lastMailTo(t, 'ina@example.de')).subject, /soll geändert werden/);
    const link = linkIn((await lastMailTo(t, 'neu@example.de')).text_body, '/konto/email/bestaetigen');
    const confirm = await b.get(link);
    assert.match(confirm.text, /neu@example\.de/);
    assert.equal((await t.store.db.selectFrom('users').select('email').executeTakeFirstOrThrow()).email, 'ina@example.de', 'opening the link changes nothing');
    const done = await b.post('/konto/email/bestaetigen', { token: new URL(link, 'http://x').searchParams.get('token')! });
    assert.equal(done.location, '/konto?ok=neue-email');
    assert.match((await b.get('/konto')).text, /Angemeldet als <strong>neu@example.de<\/strong>/);
  }));

  test(`[${engine}] an email change with the wrong password is refused at the password field`, () => withApp(engine, async (t) => {
    const b = await registerAndLogIn(t);
    const r = await b.post('/konto/email', { newEmail: 'neu@example.de', password: 'falsch-falsch-1' });
    assert.equal(r.status, 400);
    assert.match(r.text, /id="password-error">Das Passwort stimmt nicht/);
    assert.match(r.text, /value="neu@example.de"/);
  }));

  test(`[${engine}] a password change logs out the other devices and keeps this one`, () => withApp(engine, async (t) => {
    const b = await registerAndLogIn(t);
    const phone = await logInAs(t, 'ina@example.de', TEST_PASSWORD);
    const weak = await b.post('/konto/passwort', { currentPassword: TEST_PASSWORD, newPassword: 'kurz' });
    assert.equal(weak.status, 400);
    assert.match(weak.text, /id="newPassword-error">Das Passwort ist zu kurz/);
    assert.equal((await b.post('/konto/passwort', { currentPassword: TEST_PASSWORD, newPassword: 'Neues-Passwort-am-Deich' })).location, '/konto?ok=passwort');
    assert.equal((await b.get('/konto')).status, 200);
    assert.equal((await phone.get('/konto')).status, 303);
    assert.match((await lastMailTo(t, 'ina@example.de')).subject, /Passwort .* wurde geändert/);
  }));

  test(`[${engine}] the sessions list shows every device; one can end another, but not someone else's`, () => withApp(engine, async (t) => {
    const b = await registerAndLogIn(t);
    const phone = await logInAs(t, 'ina@example.de', TEST_PASSWORD);
    const page = await b.get('/konto');
    const ids = [...page.text.matchAll(/name="session" value="([0-9a-f]{64})"/g)].map((m) => m[1]!);
    assert.equal(ids.length, 1, 'one other device to end');
    assert.match(page.text, /dieses Gerät/);
    const stranger = await registerAndLogIn(t, 'bob@example.de');
    assert.equal((await stranger.post('/konto/sitzungen/beenden', { session: ids[0]! })).status, 404);
    assert.equal((await phone.get('/konto')).status, 200);
    assert.equal((await b.post('/konto/sitzungen/beenden', { session: ids[0]! })).location, '/konto?ok=sitzung#geraete');
    assert.equal((await phone.get('/konto')).status, 303);
  }));

  test(`[${engine}] the data export is a JSON download of my data, without secrets`, () => withApp(engine, async (t) => {
    const b = await registerAndLogIn(t);
    const r = await b.get('/konto/daten.json');
    assert.equal(r.status, 200);
    assert.match(r.headers.get('content-disposition')!, /attachment/);
    assert.equal(r.headers.get('cache-control'), 'private, no-store');
    const data = JSON.parse(r.text) as { account: { email: string } };
    assert.equal(data.account.email, 'ina@example.de');
    assert.doesNotMatch(r.text, /argon2/);
  }));

  test(`[${engine}] deleting the account needs the password and CSRF; afterwards the login is gone and subscriptions stay unlinked`, () => withApp(engine, async (t) => {
    const b = await registerAndLogIn(t);
    const user = await t.store.db.selectFrom('users').select('id').executeTakeFirstOrThrow();
    await grantSubscription(t.store.db, { userId: user.id, days: 30, now: new Date() });
    assert.equal((await b.post('/konto/loeschen', { password: TEST_PASSWORD, _csrf: 'falsch' })).status, 403);
    const wrong = await b.post('/konto/loeschen', { password: 'falsch-falsch-1' });
    assert.equal(wrong.status, 400);
    assert.match(wrong.text, /id="password-error">Das Passwort stimmt nicht/);
    const done = await b.post('/konto/loeschen', { password: TEST_PASSWORD });
    assert.equal(done.location, '/anmelden?hinweis=deleted');
    assert.equal(b.cookies.has('klartext_session'), false);
    assert.equal((await t.store.db.selectFrom('users').selectAll().execute()).length, 0);
    assert.equal((await t.store.db.selectFrom('subscriptions').select('user_id').executeTakeFirstOrThrow()).user_id, null);
    const again = new TestBrowser(t.app);
    await again.get('/anmelden');
    assert.equal((await again.post('/anmelden', { email: 'ina@example.de', password: TEST_PASSWORD })).status, 401);
  }));

  test(`[${engine}] an unverified reader can ask for a new verification mail`, () => withApp(engine, async (t) => {
    const b = new TestBrowser(t.app);
    await b.get('/registrieren');
    await b.post('/registrieren', { email: 'ina@example.de', password: TEST_PASSWORD, acceptTerms: 'on', acceptPrivacy: 'on' });
    const logged = await logInAs(t, 'ina@example.de', TEST_PASSWORD);
    assert.match((await logged.get('/konto')).text, /noch nicht bestätigt/);
    assert.equal((await logged.post('/konto/bestaetigung', {})).location, '/konto?ok=bestaetigung');
    const mails = await t.store.db.selectFrom('mail_outbox').selectAll().where('subject', 'like', 'Bitte bestätigen%').orderBy('created_at').execute();
    assert.equal(mails.length, 2);
    await logged.get(linkIn(mails.at(-1)!.text_body, '/registrieren/bestaetigen'));
    assert.doesNotMatch((await logged.get('/konto')).text, /noch nicht bestätigt/);
  }));

  test(`[${engine}] the outbox is for admins only and links are clickable`, () => withApp(engine, async (t) => {
    const reader = await registerAndLogIn(t);
    assert.equal((await reader.get('/konto/postausgang')).status, 403);
    assert.equal((await new TestBrowser(t.app).get('/konto/postausgang')).location, '/anmelden?weiter=/konto/postausgang');
    const { browser: admin } = await loggedInAs(t, 'admin');
    assert.match((await admin.get('/konto')).text, /href="\/konto\/postausgang"/);
    const page = await admin.get('/konto/postausgang');
    assert.equal(page.status, 200);
    assert.match(page.text, /<a href="http:\/\/localhost\/registrieren\/bestaetigen\?token=[A-Za-z0-9_-]+">/);
  }));
}
