// The cancellation button through HTTP on every engine: guests cancel with number and address, strangers learn nothing, bad input stores nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { testEngines } from '../../db/test-stores.ts';
import { createBillingTestApp, type BillingTestApp } from '../../testing/billing-app.ts';
import { registerAndLogIn } from '../../testing/test-accounts.ts';
import { TestBrowser } from '../../testing/test-browser.ts';
import { findSubscription } from '../../billing/index.ts';

async function withApp(engine: string, fn: (t: BillingTestApp) => Promise<void>) {
  const t = await createBillingTestApp(engine);
  try { await fn(t); } finally { await t.close(); }
}

const submitKeyOf = (html: string) => /name="submitKey" value="([^"]+)"/.exec(html)![1]!;
const cancellations = (t: BillingTestApp) => t.store.db.selectFrom('cancellations').selectAll().execute();
const mailsTo = (t: BillingTestApp, to: string) => t.store.db.selectFrom('mail_outbox').selectAll().where('recipient', '=', to).where('subject', 'like', 'Eingangsbestätigung%').execute();

/** A guest opens the form and sends it; returns the answer to the POST and the browser (to follow the redirect). */
async function cancelAsGuest(t: BillingTestApp, fields: Record<string, string>, b = new TestBrowser(t.app)) {
  const form = await b.get('/kuendigen');
  assert.equal(form.status, 200);
  const r = await b.post('/kuendigen', { kind: 'ordinary', name: 'Ina Beispiel', submitKey: submitKeyOf(form.text), ...fields });
  return { r, b };
}

/** A reader with a running monthly SEPA subscription, ordered on 31 Jan 2027 (its first month ends with 27 Feb: 31 Jan + 1 month is 28 Feb, exclusive). */
async function subscriber(t: BillingTestApp, email = 'ina@example.de') {
  const browser = await registerAndLogIn(t, email);
  const user = await t.store.db.selectFrom('users').select(['id', 'email']).where('email', '=', email).executeTakeFirstOrThrow();
  const { subscription } = await t.order(user);
  return { browser, user, subscription };
}

/** The receipt page with what differs between two submissions (time, receipt number, echoed input) blanked out. */
const shape = (html: string, ...echo: string[]) => echo.reduce((s, e) => s.replaceAll(e, 'ECHO'), html)
  .replace(/KD-\d{8}-\d{6}/g, 'NUMMER').replace(/\d{2}\.\d{2}\.\d{4}, \d{2}:\d{2}:\d{2} Uhr/g, 'ZEIT').replace(/name="_csrf" value="[^"]+"/g, '');

for (const engine of testEngines()) {
  test(`[${engine}] the footer of every page links to the cancellation form, which needs no login and ends with "jetzt kündigen"`, () => withApp(engine, async (t) => {
    for (const path of ['/', '/impressum', '/gibt-es-nicht']) assert.match((await new TestBrowser(t.app).get(path)).text, /<a class="site-footer__cancel" href="\/kuendigen">Verträge hier kündigen<\/a>/, path);
    const page = await new TestBrowser(t.app).get('/kuendigen');
    assert.equal(page.status, 200);
    assert.match(page.text, /<button[^>]*type="submit">jetzt kündigen<\/button>\s*<\/form>/);
    for (const name of ['kind', 'reason', 'name', 'email', 'contract', 'date', 'submitKey', '_csrf']) assert.match(page.text, new RegExp(`name="${name}"`), name);
    assert.match(page.text, /value="ordinary" checked/);
  }));

  test(`[${engine}] a guest cancels with number and order address: applied, receipt with time of receipt and end date, mail sent`, () => withApp(engine, async (t) => {
    const { subscription } = await subscriber(t);
    const { r, b } = await cancelAsGuest(t, { email: 'ina@example.de', contract: subscription.number.toLowerCase() });
    assert.equal(r.status, 303);
    assert.match(r.location!, /^\/kuendigen\/bestaetigung\/KD-20270131-\d{6}\?k=[A-Za-z0-9_-]+$/);
    const receipt = await b.get(r.location!);
    assert.equal(receipt.status, 200);
    assert.match(receipt.text, /<dd data-received="true">31\.01\.2027, 11:00:00 Uhr<\/dd>/, 'date and time of receipt, Berlin time');
    assert.match(receipt.text, /<dd data-end="true"><strong>27\.02\.2027<\/strong> \(einschließlich\)<\/dd>/);
    assert.match(receipt.text, new RegExp(`Abo ${subscription.number}`));
    assert.equal((await findSubscription(t.store.db, subscription.id))!.cancel_effective_at, '2027-02-27T23:00:00.000Z');
    const [row] = await cancellations(t);
    assert.equal(row!.state, 'applied');
    const mails = await mailsTo(t, 'ina@example.de');
    assert.equal(mails.length, 1);
    assert.match(mails[0]!.text_body, /31\.01\.2027, 11:00:00 Uhr/);
    assert.match(mails[0]!.text_body, /27\.02\.2027 \(einschließlich\)/);
    // the receipt needs its key: the number alone opens nothing
    assert.equal((await new TestBrowser(t.app).get(r.location!.replace(/\?k=.*/, ''))).status, 404);
    assert.equal((await new TestBrowser(t.app).get(r.location!.replace(/k=.{4}/, 'k=AAAA'))).status, 404);
  }));

  test(`[${engine}] an unknown number and the right number with another address get the same receipt, queued, nothing revealed`, () => withApp(engine, async (t) => {
    const { subscription } = await subscriber(t);
    const unknown = await cancelAsGuest(t, { email: 'fremd@example.de', contract: 'KT-ZZZZ-ZZZZ' });
    assert.equal(unknown.r.status, 303);
    const unknownPage = await unknown.b.get(unknown.r.location!);
    assert.equal(unknownPage.status, 200);
    const wrongMail = await cancelAsGuest(t, { email: 'fremd@example.de', contract: subscription.number });
    const wrongMailPage = await wrongMail.b.get(wrongMail.r.location!);
    assert.match(wrongMailPage.text, /Sobald wir sie Ihrem Vertrag zugeordnet haben, bestätigen wir Ihnen das Vertragsende per E-Mail/);
    assert.doesNotMatch(wrongMailPage.text, /Vertragsende<\/dt>|data-end/);
    assert.equal(shape(unknownPage.text, 'KT-ZZZZ-ZZZZ'), shape(wrongMailPage.text, subscription.number), 'same page for an unknown number and a foreign one');
    const rows = await cancellations(t);
    assert.deepEqual(rows.map((r) => r.state), ['queued', 'queued']);
    assert.ok(rows.every((r) => r.subscription_id === null));
    const sub = (await findSubscription(t.store.db, subscription.id))!;
    assert.equal(sub.cancel_effective_at, null, 'a stranger with the right number cannot cancel');
    assert.equal(sub.state, 'intro');
    assert.equal((await mailsTo(t, 'ina@example.de')).length, 0, 'the owner gets no receipt for an unmatched cancellation');
  }));

  test(`[${engine}] without name or address the form comes back 400 naming the field, and nothing is stored`, () => withApp(engine, async (t) => {
    const noName = await cancelAsGuest(t, { name: '', email: 'ina@example.de', contract: 'KT-ABCD-EFGH' });
    assert.equal(noName.r.status, 400);
    assert.match(noName.r.text, /id="name-error">Bitte geben Sie Ihren Namen an\./);
    assert.match(noName.r.text, /value="KT-ABCD-EFGH"/, 'what was typed stays');
    const noMail = await cancelAsGuest(t, { email: '', contract: 'KT-ABCD-EFGH' });
    assert.equal(noMail.r.status, 400);
    assert.match(noMail.r.text, /id="email-error">Bitte geben Sie eine gültige E-Mail-Adresse/);
    assert.equal((await cancellations(t)).length, 0);
    assert.equal((await t.store.db.selectFrom('mail_outbox').select('id').where('subject', 'like', 'Eingangsbestätigung%').execute()).length, 0);
  }));

  test(`[${engine}] the same form sent twice is one cancellation with one mail and the same receipt`, () => withApp(engine, async (t) => {
    const b = new TestBrowser(t.app);
    const form = await b.get('/kuendigen');
    const fields = { kind: 'ordinary', name: 'Ina Beispiel', email: 'ina@example.de', contract: 'KT-ABCD-EFGH', submitKey: submitKeyOf(form.text) };
    const first = await b.post('/kuendigen', fields);
    const second = await b.post('/kuendigen', fields);
    assert.equal(first.status, 303);
    assert.equal(second.location, first.location);
    assert.equal((await cancellations(t)).length, 1);
    assert.equal((await mailsTo(t, 'ina@example.de')).length, 1);
  }));

  test(`[${engine}] the cancellation POST needs the form's CSRF token, for guests too`, () => withApp(engine, async (t) => {
    const b = new TestBrowser(t.app);
    const form = await b.get('/kuendigen');
    assert.ok(b.cookies.has('klartext_csrf'), 'guests get the anonymous CSRF cookie with the form');
    const fields = { kind: 'ordinary', name: 'Ina Beispiel', email: 'ina@example.de', contract: 'KT-ABCD-EFGH', submitKey: submitKeyOf(form.text) };
    assert.equal((await b.post('/kuendigen', { ...fields, _csrf: 'x'.repeat(86) })).status, 403);
    assert.equal((await new TestBrowser(t.app).post('/kuendigen', { ...fields, _csrf: b.csrf })).status, 403, 'a token without its cookie');
    assert.equal((await cancellations(t)).length, 0);
  }));

  test(`[${engine}] a logged-in reader finds the form filled in with name, address and subscription number`, () => withApp(engine, async (t) => {
    const { browser, subscription } = await subscriber(t);
    const page = await browser.get('/kuendigen');
    assert.match(page.text, /name="name" type="text" value="ina"/);
    assert.match(page.text, /name="email" type="email" value="ina@example.de"/);
    assert.match(page.text, new RegExp(`name="contract" type="text" value="${subscription.number}"`));
    const r = await browser.post('/kuendigen', { kind: 'ordinary', name: 'ina', email: 'ina@example.de', contract: subscription.number, submitKey: submitKeyOf(page.text) });
    assert.equal(r.status, 303);
    assert.notEqual((await findSubscription(t.store.db, subscription.id))!.cancel_effective_at, null);
  }));
}
