// For route tests: readers and staff that are logged in, as browsers that keep their session cookie and CSRF token.
import assert from 'node:assert/strict';
import { createUser, TEST_HASHING, type Role } from '../accounts/index.ts';
import type { TestApp } from './test-app.ts';
import { TestBrowser, linkIn } from './test-browser.ts';

export const TEST_PASSWORD = 'Regenbogen-Fahrrad-7';

/** Registers through the forms, opens the mailed verification link and logs in. */
export async function registerAndLogIn(t: TestApp, email = 'ina@example.de', o: { persistent?: boolean } = {}): Promise<TestBrowser> {
  const b = new TestBrowser(t.app);
  await b.get('/registrieren');
  await b.post('/registrieren', { email, password: TEST_PASSWORD, acceptTerms: 'on', acceptPrivacy: 'on' });
  const mail = await t.store.db.selectFrom('mail_outbox').selectAll().where('recipient', '=', email).orderBy('created_at', 'desc').executeTakeFirstOrThrow();
  await b.get(linkIn(mail.text_body, '/registrieren/bestaetigen'));
  return logInAs(t, email, TEST_PASSWORD, o);
}

/** An account with the given role, made directly in the database, logged in through the form. */
export async function loggedInAs(t: TestApp, role: Role, email = `${role}@example.de`): Promise<{ browser: TestBrowser; userId: string }> {
  const { user } = await createUser(t.store.db, { email, role, password: TEST_PASSWORD }, { hashing: TEST_HASHING });
  return { browser: await logInAs(t, email, TEST_PASSWORD), userId: user.id };
}

export async function logInAs(t: TestApp, email: string, password: string, o: { persistent?: boolean } = {}): Promise<TestBrowser> {
  const b = new TestBrowser(t.app);
  await b.get('/anmelden');
  const r = await b.post('/anmelden', { email, password, ...(o.persistent ? { persistent: 'on' } : {}) });
  assert.equal(r.status, 303, `login of ${email} failed with ${r.status}`);
  await b.get('/konto');
  return b;
}
