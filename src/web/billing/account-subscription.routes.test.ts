// Mein Konto → Abo & Rechnungen through HTTP on every engine: cancel and withdraw, invoice PDFs for their owner only, a new SEPA mandate.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { testEngines } from '../../db/test-stores.ts';
import { createBillingTestApp, type BillingTestApp } from '../../testing/billing-app.ts';
import { registerAndLogIn } from '../../testing/test-accounts.ts';
import { findSubscription, runBilling } from '../../billing/index.ts';

async function withApp(engine: string, fn: (t: BillingTestApp) => Promise<void>) {
  const t = await createBillingTestApp(engine);
  try { await fn(t); } finally { await t.close(); }
}

async function subscriber(t: BillingTestApp, email = 'ina@example.de') {
  const browser = await registerAndLogIn(t, email);
  const user = await t.store.db.selectFrom('users').select(['id', 'email']).where('email', '=', email).executeTakeFirstOrThrow();
  const { subscription } = await t.order(user);
  return { browser, user, subscription };
}

for (const engine of testEngines()) {
  test(`[${engine}] /konto/abo shows offer, state, next payment and the masked IBAN; strangers go to the login`, () => withApp(engine, async (t) => {
    const { browser, subscription } = await subscriber(t);
    assert.match((await browser.get('/konto')).text, /<a href="\/konto\/abo">Abo &amp; Rechnungen<\/a>/);
    const page = await browser.get('/konto/abo');
    assert.equal(page.status, 200);
    assert.match(page.text, new RegExp(subscription.number));
    assert.match(page.text, /Einführungszeitraum/);
    assert.match(page.text, /<dd data-next-payment="true">[^<]*€ am 28\.02\.2027<\/dd>/);
    assert.match(page.text, /<dd data-payment-method="true">SEPA-Lastschrift, Konto DE89 [•\s]+3000<\/dd>/);
    assert.doesNotMatch(page.text, /DE89370400440532013000/, 'never the full IBAN');
    assert.equal((await new (await import('../../testing/test-browser.ts')).TestBrowser(t.app).get('/konto/abo')).location, '/anmelden?weiter=/konto/abo');
  }));

  test(`[${engine}] the reader's data export carries their bank details in full, and only theirs`, () => withApp(engine, async (t) => {
    const { browser } = await subscriber(t);
    const exported = JSON.parse((await browser.get('/konto/daten.json')).text) as { bankDetails: { iban: string; accountHolder: string }[] };
    assert.deepEqual(exported.bankDetails.map((b) => [b.iban, b.accountHolder]), [['DE89370400440532013000', 'Ina Beispiel']]);
    const other = await registerAndLogIn(t, 'ole@example.de');
    assert.deepEqual((JSON.parse((await other.get('/konto/daten.json')).text) as { bankDetails: unknown[] }).bankDetails, []);
  }));

  test(`[${engine}] cancelling in Mein Konto and taking it back leaves the subscription as it was`, () => withApp(engine, async (t) => {
    const { browser, subscription } = await subscriber(t);
    const before = (await findSubscription(t.store.db, subscription.id))!;
    const cancelled = await browser.post('/konto/abo/kuendigen', { abo: subscription.id });
    assert.equal(cancelled.location, '/konto/abo?ok=gekuendigt');
    const page = await browser.get('/konto/abo?ok=gekuendigt');
    assert.match(page.text, /Vertragsende<\/dt><dd>27\.02\.2027 \(einschließlich\)/);
    assert.doesNotMatch(page.text, /data-next-payment/, 'no next payment once cancelled');
    assert.match(page.text, /Kündigung zurücknehmen/);
    assert.equal((await browser.post('/konto/abo/kuendigen', { abo: subscription.id })).status, 409, 'a second cancellation is refused on the page');
    assert.equal((await browser.post('/konto/abo/kuendigung-zuruecknehmen', { abo: subscription.id })).location, '/konto/abo?ok=zurueckgenommen');
    const after = (await findSubscription(t.store.db, subscription.id))!;
    assert.equal(after.state, before.state);
    assert.equal(after.cancel_effective_at, null);
    assert.equal(after.access_until, before.access_until);
    const history = (await browser.get('/konto/abo')).text;
    assert.match(history, /Kündigung in Mein Konto/);
    assert.match(history, /Kündigung zurückgenommen/);
  }));

  test(`[${engine}] another reader can neither cancel nor see the subscription`, () => withApp(engine, async (t) => {
    const { subscription } = await subscriber(t);
    const other = await registerAndLogIn(t, 'tom@example.de');
    assert.equal((await other.post('/konto/abo/kuendigen', { abo: subscription.id })).status, 404);
    assert.doesNotMatch((await other.get('/konto/abo')).text, new RegExp(subscription.number));
    assert.equal((await findSubscription(t.store.db, subscription.id))!.cancel_effective_at, null);
  }));

  test(`[${engine}] the invoice PDF downloads for its owner and is "not found" for another reader`, () => withApp(engine, async (t) => {
    const { browser } = await subscriber(t);
    t.clock.now = new Date('2027-02-02T06:00:00.000Z');
    await runBilling(t.billing, { at: t.clock.now });
    const invoice = await t.store.db.selectFrom('invoices').select('number').executeTakeFirstOrThrow();
    assert.match((await browser.get('/konto/abo')).text, new RegExp(`href="/konto/rechnungen/${invoice.number}.pdf"`));
    const res = await t.app.request(`/konto/rechnungen/${invoice.number}.pdf`, { headers: { cookie: [...browser.cookies].map(([k, v]) => `${k}=${v}`).join('; ') } });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'application/pdf');
    assert.equal(res.headers.get('content-disposition'), `attachment; filename="${invoice.number}.pdf"`);
    assert.equal(Buffer.from(await res.arrayBuffer()).subarray(0, 5).toString(), '%PDF-');
    const other = await registerAndLogIn(t, 'tom@example.de');
    assert.equal((await other.get(`/konto/rechnungen/${invoice.number}.pdf`)).status, 404);
    assert.equal((await other.get('/konto/rechnungen/RE-2027-999999.pdf')).status, 404);
  }));

  test(`[${engine}] a new SEPA mandate replaces the old one and shows the new masked IBAN; bad input is shown at the field`, () => withApp(engine, async (t) => {
    const { browser, subscription } = await subscriber(t);
    await browser.get('/konto/abo');
    const bad = await browser.post('/konto/abo/zahlungsart', { abo: subscription.id, holderName: 'Ina Beispiel', iban: 'DE00 1234', mandate: 'on' });
    assert.equal(bad.status, 400);
    assert.match(bad.text, /id="iban-error">/);
    const noMandate = await browser.post('/konto/abo/zahlungsart', { abo: subscription.id, holderName: 'Ina Beispiel', iban: 'DE02120300000000202051' });
    assert.match(noMandate.text, /id="mandate-error">/);
    assert.equal((await t.store.db.selectFrom('sepa_mandates').select('id').execute()).length, 1, 'nothing changed on bad input');
    // the first debit came back from the bank: the new account gets it presented again
    await t.store.db.updateTable('charges').set({ state: 'returned', return_reason: 'AC04: Konto erloschen' }).execute();
    const ok = await browser.post('/konto/abo/zahlungsart', { abo: subscription.id, holderName: 'Ina Beispiel', iban: 'DE02 1203 0000 0000 2020 51', mandate: 'on' });
    assert.equal(ok.location, '/konto/abo?ok=zahlungsart');
    const page = await browser.get('/konto/abo?ok=zahlungsart');
    assert.match(page.text, /<dd data-payment-method="true">SEPA-Lastschrift, Konto DE02 [•\s]+2051<\/dd>/);
    const mandates = await t.store.db.selectFrom('sepa_mandates').selectAll().orderBy('created_at').execute();
    assert.equal(mandates.length, 2);
    assert.notEqual(mandates.find((m) => m.reference.endsWith('-M1'))!.revoked_at, null);
    assert.equal(mandates.find((m) => m.reference.endsWith('-M2'))!.revoked_at, null);
    const [charge] = await t.store.db.selectFrom('charges').selectAll().execute();
    assert.equal(charge!.state, 'pending');
    assert.equal(charge!.batch_id, null);
    assert.match(charge!.end_to_end_id, /-M2$/, 'presented again under a new end-to-end id');
    const mail = await t.store.db.selectFrom('mail_outbox').selectAll().where('subject', 'like', 'Neue Bankverbindung%').executeTakeFirstOrThrow();
    assert.match(mail.text_body, /Vorabankündigung/);
    assert.match(mail.text_body, /DE02 [•\s]+2051/);
    assert.doesNotMatch(mail.text_body, /DE02120300000000202051/, 'the mail shows the IBAN masked');
  }));
}
