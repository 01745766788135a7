// Password reset through HTTP on every engine: same answer for every address, single-use and expiring links, weak passwords.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestApp, type TestApp } from '../../testing/test-app.ts';
import { TestBrowser, linkIn } from '../../testing/test-browser.ts';
import { registerAndLogIn, TEST_PASSWORD } from '../../testing/test-accounts.ts';
import { testEngines } from '../../db/test-stores.ts';

async function withApp(engine: string, fn: (t: TestApp) => Promise<void>) {
  const t = await createTestApp(engine);
  try { await fn(t); } finally { await t.close(); }
}
const resetMail = (t: TestApp) => t.store.db.selectFrom('mail_outbox').selectAll().where('subject', 'like', 'Neues Passwort%').orderBy('created_at', 'desc').executeTakeFirst();

for (const engine of testEngines()) {
  test(`[${engine}] forgot password → mail → new password → login; the old session is gone`, () => withApp(engine, async (t) => {
    const old = await registerAndLogIn(t);
    const b = new TestBrowser(t.app);
    await b.get('/passwort-vergessen');
    const sent = await b.post('/passwort-vergessen', { email: 'INA@example.de' });
    assert.equal(sent.status, 200);
    assert.match(sent.text, /Schauen Sie in Ihr Postfach/);
    const link = linkIn((await resetMail(t))!.text_body, '/passwort-vergessen/neu');
    const form = await b.get(link);
    assert.equal(form.status, 200);
    assert.match(form.text, /Neues Passwort festlegen/);
    const done = await b.post('/passwort-vergessen/neu', { token: new URL(link, 'http://x').searchParams.get('token')!, password: 'Neues-Passwort-am-Deich' });
    assert.equal(done.status, 303);
    assert.equal(done.location, '/anmelden?hinweis=reset');
    assert.equal((await old.get('/konto')).status, 303, 'every session ended');
    await b.get('/anmelden');
    assert.equal((await b.post('/anmelden', { email: 'ina@example.de', password: 'Neues-Passwort-am-Deich' })).status, 303);
    const other = new TestBrowser(t.app);
    await other.get('/anmelden');
    assert.equal((await other.post('/anmelden', { email: 'ina@example.de', password: TEST_PASSWORD })).status, 401, 'the old password is gone');
  }));

  test(`[${engine}] a reset request answers a known and an unknown address with the same body`, () => withApp(engine, async (t) => {
    await registerAndLogIn(t);
    const b = new TestBrowser(t.app);
    await b.get('/passwort-vergessen');
    const known = await b.post('/passwort-vergessen', { email: 'ina@example.de' });
    const unknownRes = await b.post('/passwort-vergessen', { email: 'nie@example.de' });
    assert.equal(known.status, unknownRes.status);
    assert.equal(known.text.replace('ina@example.de', 'X'), unknownRes.text.replace('nie@example.de', 'X'));
    const recipients = (await t.store.db.selectFrom('mail_outbox').select('recipient').where('subject', 'like', 'Neues Passwort%').execute()).map((m) => m.recipient);
    assert.deepEqual(recipients, ['ina@example.de'], 'no mail to an address without account');
  }));

  test(`[${engine}] a reset link works once; the second use is a 400 page saying so`, () => withApp(engine, async (t) => {
    await registerAndLogIn(t);
    const b = new TestBrowser(t.app);
    await b.get('/passwort-vergessen');
    await b.post('/passwort-vergessen', { email: 'ina@example.de' });
    const link = linkIn((await resetMail(t))!.text_body, '/passwort-vergessen/neu');
    const token = new URL(link, 'http://x').searchParams.get('token')!;
    await b.get(link);
    assert.equal((await b.post('/passwort-vergessen/neu', { token, password: 'Neues-Passwort-am-Deich' })).status, 303);
    const reused = await b.get(link);
    assert.equal(reused.status, 400);
    assert.match(reused.text, /schon benutzt/);
    const repost = await b.post('/passwort-vergessen/neu', { token, password: 'Noch-ein-Passwort-42' });
    assert.equal(repost.status, 400);
  }));

  test(`[${engine}] a password change in the account settings ends an outstanding reset link; opening it says why`, () => withApp(engine, async (t) => {
    const reader = await registerAndLogIn(t);
    const stranger = new TestBrowser(t.app);
    await stranger.get('/passwort-vergessen');
    await stranger.post('/passwort-vergessen', { email: 'ina@example.de' });
    const link = linkIn((await resetMail(t))!.text_body, '/passwort-vergessen/neu');
    const token = new URL(link, 'http://x').searchParams.get('token')!;
    assert.equal((await reader.post('/konto/passwort', { currentPassword: TEST_PASSWORD, newPassword: 'Neues-Passwort-am-Deich' })).location, '/konto?ok=passwort');
    const opened = await stranger.get(link);
    assert.equal(opened.status, 400);
    assert.match(opened.text, /Dieser Link gilt nicht mehr: Inzwischen wurde das Passwort des Kontos geändert/);
    const posted = await stranger.post('/passwort-vergessen/neu', { token, password: 'Ein-fremdes-Passwort-9' });
    assert.equal(posted.status, 400);
    await stranger.get('/anmelden');
    assert.equal((await stranger.post('/anmelden', { email: 'ina@example.de', password: 'Ein-fremdes-Passwort-9' })).status, 401, 'the old link set nothing');
  }));

  test(`[${engine}] an expired or forged reset link is refused with the reason`, () => withApp(engine, async (t) => {
    await registerAndLogIn(t);
    const b = new TestBrowser(t.app);
    await b.get('/passwort-vergessen');
    await b.post('/passwort-vergessen', { email: 'ina@example.de' });
    const link = linkIn((await resetMail(t))!.text_body, '/passwort-vergessen/neu');
    await t.store.db.updateTable('account_tokens').set({ expires_at: '2000-01-01T00:00:00.000Z' }).where('kind', '=', 'reset-password').execute();
    const expired = await b.get(link);
    assert.equal(expired.status, 400);
    assert.match(expired.text, /abgelaufen/);
    const forged = await b.get('/passwort-vergessen/neu?token=nope');
    assert.equal(forged.status, 400);
    assert.match(forged.text, /ungültig/);
  }));

  test(`[${engine}] a weak new password comes back inline and the link stays usable`, () => withApp(engine, async (t) => {
    await registerAndLogIn(t);
    const b = new TestBrowser(t.app);
    await b.get('/passwort-vergessen');
    await b.post('/passwort-vergessen', { email: 'ina@example.de' });
    const link = linkIn((await resetMail(t))!.text_body, '/passwort-vergessen/neu');
    const token = new URL(link, 'http://x').searchParams.get('token')!;
    await b.get(link);
    const weak = await b.post('/passwort-vergessen/neu', { token, password: 'qwertzuiop' });
    assert.equal(weak.status, 400);
    assert.match(weak.text, /id="password-error">Dieses Passwort gehört zu den häufigsten/);
    assert.equal((await b.post('/passwort-vergessen/neu', { token, password: 'Neues-Passwort-am-Deich' })).status, 303);
  }));

  test(`[${engine}] an invalid address in the reset form is named; too many requests from one IP get 429`, () => withApp(engine, async (t) => {
    const b = new TestBrowser(t.app);
    await b.get('/passwort-vergessen');
    const bad = await b.post('/passwort-vergessen', { email: 'kein at' });
    assert.equal(bad.status, 400);
    assert.match(bad.text, /id="email-error"/);
    let last = 0;
    for (let i = 0; i < 11; i++) last = (await b.post('/passwort-vergessen', { email: `x${i}@example.de` })).status;
    assert.equal(last, 429);
  }));
}
