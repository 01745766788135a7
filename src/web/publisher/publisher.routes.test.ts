// /verlag through HTTP on every engine: admins only, list and search, detail with history, comp grant, CSV export, offer form problems.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { newId } from '../../db/index.ts';
import { subscriptionHistory } from '../../billing/index.ts';
import { newSubscriptionRow } from '../../billing/subscription.store.ts';
import { createTestApp, type TestApp } from '../../testing/test-app.ts';
import { TestBrowser } from '../../testing/test-browser.ts';
import { loggedInAs, registerAndLogIn } from '../../testing/test-accounts.ts';
import { testEngines } from '../../db/test-stores.ts';
import { csvCell } from './csv.ts';

async function withApp(engine: string, fn: (t: TestApp) => Promise<void>) {
  const t = await createTestApp(engine);
  try { await fn(t); } finally { await t.close(); }
}

/** A paid SEPA contract written straight into the table, with the names the tests search for. */
async function contract(t: TestApp, v: { number: string; holder: string; email: string; offerName?: string }) {
  const at = new Date().toISOString();
  await t.store.db.insertInto('subscriptions').values(newSubscriptionRow({
    id: newId(), number: v.number, user_id: null, kind: 'paid', provider: 'sepa', state: 'active', starts_at: at, offer_name: v.offerName ?? 'Plus Digital',
    price_cents: 999, period: 'month', holder_name: v.holder, buyer_email: v.email, access_until: '2099-01-01T00:00:00.000Z', created_at: at, updated_at: at,
  })).execute();
}

test('CSV cells that a spreadsheet would run as formulas are defused, quotes doubled', () => {
  assert.equal(csvCell('=HYPERLINK("http://x")'), `"'=HYPERLINK(""http://x"")"`);
  for (const s of ['+1', '-2', '@SUM(A1)', '\tx']) assert.ok(csvCell(s).startsWith(`"'`), s);
  assert.equal(csvCell('KT-ABCD-EFGH'), '"KT-ABCD-EFGH"');
});

for (const engine of testEngines()) {
  test(`[${engine}] /verlag is for admins: guests go to the login, readers and editors get 403, also for POSTs`, () => withApp(engine, async (t) => {
    const guest = await new TestBrowser(t.app).get('/verlag/abos');
    assert.equal(guest.status, 303);
    assert.equal(guest.location, '/anmelden?weiter=%2Fverlag%2Fabos');
    const reader = await registerAndLogIn(t);
    assert.equal((await reader.get('/verlag/abos')).status, 403);
    assert.equal((await reader.get('/verlag/abos.csv')).status, 403);
    assert.equal((await reader.post('/verlag/abos/freiabo', { email: 'ina@example.de', days: '30' })).status, 403);
    assert.equal((await reader.post('/verlag/angebote', { slug: 'x' })).status, 403);
    const { browser: editor } = await loggedInAs(t, 'editor');
    assert.equal((await editor.get('/verlag/kuendigungen')).status, 403);
    assert.equal((await editor.get('/verlag')).status, 403);
  }));

  test(`[${engine}] an admin sees the list and finds a contract by number, name or email; the detail shows its history`, () => withApp(engine, async (t) => {
    await contract(t, { number: 'KT-AAAA-2222', holder: 'Erika Mustermann', email: 'erika@example.de' });
    await contract(t, { number: 'KT-BBBB-3333', holder: 'Max Power', email: 'max@example.de' });
    const { browser: admin } = await loggedInAs(t, 'admin');
    const all = await admin.get('/verlag/abos');
    assert.equal(all.status, 200);
    assert.match(all.text, /KT-AAAA-2222/);
    assert.match(all.text, /KT-BBBB-3333/);
    const byNumber = await admin.get('/verlag/abos?q=kt-bbbb');
    assert.match(byNumber.text, /KT-BBBB-3333/);
    assert.doesNotMatch(byNumber.text, /KT-AAAA-2222/);
    const byName = await admin.get('/verlag/abos?q=MUSTER');
    assert.match(byName.text, /KT-AAAA-2222/);
    assert.doesNotMatch(byName.text, /KT-BBBB-3333/);
    assert.doesNotMatch((await admin.get('/verlag/abos?q=%25')).text, /KT-AAAA-2222/, 'a % in the search is literal');
    assert.doesNotMatch((await admin.get('/verlag/abos?status=ended')).text, /KT-AAAA-2222/);
    const detail = await admin.get('/verlag/abos/KT-AAAA-2222');
    assert.equal(detail.status, 200);
    assert.match(detail.text, /Erika Mustermann/);
    assert.equal((await admin.get('/verlag/abos/KT-ZZZZ-9999')).status, 404);
  }));

  test(`[${engine}] a comp grant by an admin lands in the history with the admin's id; cancel and terminate are recorded too`, () => withApp(engine, async (t) => {
    await registerAndLogIn(t, 'leserin@example.de');
    const { browser: admin, userId: adminId } = await loggedInAs(t, 'admin');
    await admin.get('/verlag/abos');
    const unknown = await admin.post('/verlag/abos/freiabo', { email: 'niemand@example.de', days: '30' });
    assert.equal(unknown.status, 400);
    assert.match(unknown.text, /kein Konto mit der Adresse niemand@example.de/);
    const badDays = await admin.post('/verlag/abos/freiabo', { email: 'leserin@example.de', days: 'viele' });
    assert.equal(badDays.status, 400);
    assert.match(badDays.text, /ganze Zahl von 1 bis 3660/);
    const r = await admin.post('/verlag/abos/freiabo', { email: 'leserin@example.de', days: '30' });
    assert.equal(r.status, 303);
    const number = /\/verlag\/abos\/([A-Z0-9-]+)\?ok=freiabo/.exec(r.location ?? '')?.[1];
    assert.ok(number, r.location ?? '');
    const page = await admin.get(r.location!);
    assert.match(page.text, new RegExp(`admin:${adminId}`));
    const sub = await t.store.db.selectFrom('subscriptions').select('id').where('number', '=', number).executeTakeFirstOrThrow();
    assert.deepEqual((await subscriptionHistory(t.store.db, sub.id)).map((h) => [h.event, h.actor]), [['grant', `admin:${adminId}`]]);

    const missingReason = await admin.post(`/verlag/abos/${number}/beenden`, { reason: '' });
    assert.equal(missingReason.status, 400);
    assert.match(missingReason.text, /Bitte geben Sie einen Grund an/);
    assert.equal((await admin.post(`/verlag/abos/${number}/beenden`, { reason: 'Test beendet' })).status, 303);
    const history = await subscriptionHistory(t.store.db, sub.id);
    assert.deepEqual(history.at(-1), { ...history.at(-1)!, event: 'terminate', to: 'ended', actor: `admin:${adminId}` });

    // an ordinary cancellation entered for a reader, and the termination, count in the insights like the reader's own (no person in them)
    await contract(t, { number: 'KT-CCCC-4444', holder: 'Clara', email: 'clara@example.de' });
    assert.equal((await admin.post('/verlag/abos/KT-CCCC-4444/kuendigen', {})).status, 303);
    await t.klartext.analytics.flush();
    const events = await t.store.db.selectFrom('analytics_events').select(['kind', 'detail', 'article_id']).where('kind', '=', 'cancellation').orderBy('detail').execute();
    assert.deepEqual(events, [{ kind: 'cancellation', detail: 'extraordinary', article_id: null }, { kind: 'cancellation', detail: 'ordinary', article_id: null }]);
  }));

  test(`[${engine}] a refund books a refund charge, a credit note with negative amounts and a history line with the admin`, () => withApp(engine, async (t) => {
    await contract(t, { number: 'KT-DDDD-5555', holder: 'Erika', email: 'erika@example.de' });
    const sub = await t.store.db.selectFrom('subscriptions').select('id').where('number', '=', 'KT-DDDD-5555').executeTakeFirstOrThrow();
    const at = new Date().toISOString();
    const chargeId = newId();
    await t.store.db.insertInto('charges').values({
      id: chargeId, subscription_id: sub.id, kind: 'regular', amount_cents: 999, period_start: at, period_end: at, due_on: at.slice(0, 10), state: 'paid', provider: 'sepa',
      sequence_type: 'RCUR', end_to_end_id: 'KT-DDDD-5555-1', batch_id: null, external_id: null, return_reason: null, created_at: at, updated_at: at,
    }).execute();
    const { browser: admin, userId: adminId } = await loggedInAs(t, 'admin');
    await admin.get('/verlag/abos/KT-DDDD-5555');
    const tooMuch = await admin.post('/verlag/abos/KT-DDDD-5555/erstatten', { charge: chargeId, amount: '10,00' });
    assert.equal(tooMuch.status, 400);
    assert.match(tooMuch.text, /zwischen 0,01\s€ und 9,99\s€/);
    assert.equal((await admin.post('/verlag/abos/KT-DDDD-5555/erstatten', { charge: chargeId, amount: '4,5' })).status, 303);
    const refund = await t.store.db.selectFrom('charges').selectAll().where('subscription_id', '=', sub.id).where('kind', '=', 'refund').executeTakeFirstOrThrow();
    assert.equal(refund.amount_cents, 450);
    const note = await t.store.db.selectFrom('invoices').selectAll().where('charge_id', '=', refund.id).executeTakeFirstOrThrow();
    assert.equal(note.gross_cents, -450);
    assert.match(note.description, /^Erstattung: /);
    assert.deepEqual((await subscriptionHistory(t.store.db, sub.id)).map((h) => [h.event, h.actor]), [['refund', `admin:${adminId}`]]);
    await admin.get('/verlag/abos/KT-DDDD-5555');
    const twice = await admin.post('/verlag/abos/KT-DDDD-5555/erstatten', { charge: chargeId, amount: '1' });
    assert.equal(twice.status, 409);
    assert.match(twice.text, /schon erstattet/);
  }));

  test(`[${engine}] a POST without the CSRF token is refused`, () => withApp(engine, async (t) => {
    const { browser: admin } = await loggedInAs(t, 'admin');
    await admin.get('/verlag/abos');
    assert.equal((await admin.post('/verlag/abos/freiabo', { _csrf: 'falsch', email: 'admin@example.de', days: '3' })).status, 403);
  }));

  test(`[${engine}] the CSV export lists the contracts with formula cells defused`, () => withApp(engine, async (t) => {
    await contract(t, { number: 'KT-CCCC-4444', holder: 'Eve', email: '=cmd|calc@example.de', offerName: '@SUM(1+1)' });
    const { browser: admin } = await loggedInAs(t, 'admin');
    const csv = await admin.get('/verlag/abos.csv');
    assert.equal(csv.status, 200);
    assert.match(csv.headers.get('content-type') ?? '', /^text\/csv/);
    assert.match(csv.headers.get('content-disposition') ?? '', /attachment/);
    const line = csv.text.split('\r\n').find((l) => l.includes('KT-CCCC-4444'));
    assert.ok(line, csv.text);
    assert.match(line, /^"KT-CCCC-4444";"active";"'@SUM\(1\+1\)";"'=cmd\|calc@example.de";/);
    assert.doesNotMatch(csv.text, /;"[=@+-]/);
  }));

  test(`[${engine}] an offer with a bad price is refused with 400 and the problem at the price field; a good one is stored`, () => withApp(engine, async (t) => {
    const { browser: admin } = await loggedInAs(t, 'admin');
    await admin.get('/verlag/angebote/neu');
    const fields = { slug: 'plus-test', name: 'Plus Test', kind: 'recurring', period: 'month', minTermMonths: '1', noticeMonths: '0', method_sepa: 'on', active: 'on' };
    const zero = await admin.post('/verlag/angebote', { ...fields, priceCents: '0' });
    assert.equal(zero.status, 400);
    assert.match(zero.text, /<p class="field__error" id="priceCents-error">Der Preis muss größer als 0 sein\.<\/p>/);
    const comma = await admin.post('/verlag/angebote', { ...fields, priceCents: '9,99' });
    assert.equal(comma.status, 400);
    assert.match(comma.text, /id="priceCents-error">Bitte eine ganze Zahl angeben/);
    const ok = await admin.post('/verlag/angebote', { ...fields, priceCents: '799' });
    assert.equal(ok.status, 303);
    const list = await admin.get('/verlag/angebote');
    assert.match(list.text, /Plus Test/);
    assert.match(list.text, /7,99\s€ monatlich/);
    await admin.get('/verlag/angebote/plus-test');
    assert.equal((await admin.post('/verlag/angebote/plus-test', { ...fields, priceCents: '899', active: '' })).status, 303);
    assert.match((await admin.get('/verlag/angebote')).text, /8,99\s€ monatlich[\s\S]*inaktiv/);
  }));
}
