// /verlag/umsatz through HTTP on every engine: the numbers on the page and in the CSVs are those of a hand-built set of contracts; bad parameters are a 400 naming them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestApp, type TestApp } from '../../testing/test-app.ts';
import { TestBrowser } from '../../testing/test-browser.ts';
import { loggedInAs, registerAndLogIn } from '../../testing/test-accounts.ts';
import { testEngines } from '../../db/test-stores.ts';
import { NOW, insertRevenueFixture } from '../../billing/revenue.fixture.ts';
import { isoWeek } from './revenue.view.tsx';

const PAGE = '/verlag/umsatz?von=2026-11-01&bis=2026-11-28';

async function withApp(engine: string, fn: (t: TestApp) => Promise<void>) {
  const t = await createTestApp(engine, { now: () => NOW });
  try {
    await insertRevenueFixture(t.store.db);
    await fn(t);
  } finally { await t.close(); }
}

/** The text of the page without tags and with collapsed spaces, to find "label … value" in order. */
const textOf = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/&nbsp;|\u00a0|\u202f/g, ' ').replace(/\s+/g, ' ');

test('ISO week numbers: the week with the year\'s first Thursday is week 1', () => {
  assert.equal(isoWeek('2026-11-02'), 45);
  assert.equal(isoWeek('2025-12-29'), 1, '29 Dec 2025 – 4 Jan 2026 holds 1 Jan, a Thursday');
  assert.equal(isoWeek('2026-12-28'), 53, '2026 has 53 weeks');
  assert.equal(isoWeek('2027-01-04'), 1);
});

for (const engine of testEngines()) {
  test(`[${engine}] the revenue page shows the figures of the contracts, compared with the previous range`, () => withApp(engine, async (t) => {
    const { browser: admin } = await loggedInAs(t, 'admin');
    const res = await admin.get(PAGE);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('cache-control') ?? '', /no-store/);
    const text = textOf(res.text);
    assert.match(text, /MRR am Ende des Zeitraums 59,20 € ▲ \+43,6 % vorher 41,22 € je Monat, brutto/);
    assert.match(text, /Zahlende Abos 7 0 % vorher 7 am Ende des Zeitraums/);
    assert.match(text, /Umsatz je zahlendem Abo \(ARPU\) 8,46 €/);
    assert.match(text, /Neue Abos 2 ▼ −33,3 % vorher 3/);
    assert.match(text, /Beendete Abos 2 ▲ \+100 % vorher 1/);
    assert.match(text, /Churn-Rate 28,6 % ▲ \+8,6 Prozentpunkte vorher 20 % 2 von 7 Abos/);
    assert.match(text, /Vom Einführungspreis zum Vollpreis 33,3 % ▼ −66,7 Prozentpunkte vorher 100 % 1 von 3/);
    // weeks: MRR at each week's end and the flows
    assert.match(text, /KW 44 \(ab 26\.10\.2026\) 41,22 € 0 0 0/);
    assert.match(text, /KW 46 \(ab 09\.11\.2026\) 68,19 € 0 1 0/);
    assert.match(text, /KW 48 \(ab 23\.11\.2026\) 59,20 € 0 0 1/);
    assert.match(text, /Plus Digital bezahlt 6 50,95 €/);
    assert.match(text, /Plus verschenken Geschenk \(ohne MRR\) 1 0,00 €/);
    assert.doesNotMatch(res.text, /style=/, 'no inline styles (CSP)');
  }));

  test(`[${engine}] every table of the page comes as CSV with the same numbers`, () => withApp(engine, async (t) => {
    const { browser: admin } = await loggedInAs(t, 'admin');
    const weeks = await admin.get(`${PAGE}&format=csv&tabelle=wochen`);
    assert.equal(weeks.status, 200);
    assert.match(weeks.headers.get('content-type') ?? '', /^text\/csv/);
    assert.match(weeks.headers.get('content-disposition') ?? '', /filename="umsatz-wochen-2026-11-01-bis-2026-11-28\.csv"/);
    assert.deepEqual(weeks.text.replace(/^\uFEFF/, '').trim().split('\r\n'), [
      '"Woche ab (Montag)";"KW";"MRR am Wochenende (Euro)";"Neue Abos";"Kündigungen eingegangen";"Beendete Abos"',
      '"2026-10-26";"44";"41,22";"0";"0";"0"',
      '"2026-11-02";"45";"50,21";"1";"0";"1"',
      '"2026-11-09";"46";"68,19";"0";"1";"0"',
      '"2026-11-16";"47";"69,19";"1";"0";"0"',
      '"2026-11-23";"48";"59,20";"0";"0";"1"',
    ]);
    const figures = (await admin.get(`${PAGE}&format=csv`)).text;
    assert.match(figures, /"MRR am Ende des Zeitraums";"59,20";"41,22";"Euro \(brutto\)"/);
    assert.match(figures, /"Churn-Rate";"28,6";"20,0";"Prozent"/);
    assert.match(figures, /"Kennzahl";"2026-11-01 bis 2026-11-28";"2026-10-04 bis 2026-10-31"/);
    const offers = (await admin.get(`${PAGE}&format=csv&tabelle=angebote`)).text;
    assert.match(offers, /"Plus Jahresabo";"bezahlt";"1";"8,25"/);
    assert.match(offers, /"Freiabo";"Freiabo \(ohne MRR\)";"1";"0,00"/);
  }));

  test(`[${engine}] an offer name that a spreadsheet would run as a formula is defused in the CSV`, () => withApp(engine, async (t) => {
    await t.store.db.updateTable('subscriptions').set({ offer_name: '=HYPERLINK("http://evil.example","Plus")' }).where('offer_name', '=', 'Plus Jahresabo').execute();
    const { browser: admin } = await loggedInAs(t, 'admin');
    const offers = (await admin.get(`${PAGE}&format=csv&tabelle=angebote`)).text;
    assert.match(offers, /\r\n"'=HYPERLINK\(""http:\/\/evil\.example"",""Plus""\)";"bezahlt";"1";"8,25"/);
  }));

  test(`[${engine}] unknown zeitraum, format or tabelle is a 400 that names the parameter`, () => withApp(engine, async (t) => {
    const { browser: admin } = await loggedInAs(t, 'admin');
    const range = await admin.get('/verlag/umsatz?zeitraum=gestern');
    assert.equal(range.status, 400);
    assert.match(range.text, /Unbekannter „zeitraum“/);
    assert.doesNotMatch(range.text, /at .*\.ts:\d+/, 'no stack trace');
    const format = await admin.get('/verlag/umsatz?format=xlsx');
    assert.equal(format.status, 400);
    assert.match(format.text, /Unbekanntes „format“/);
    const table = await admin.get('/verlag/umsatz?format=csv&tabelle=alles');
    assert.equal(table.status, 400);
    assert.match(table.text, /Unbekannte „tabelle“: erlaubt sind kennzahlen, wochen, angebote/);
    const order = await admin.get('/verlag/umsatz?von=2026-11-28&bis=2026-11-01');
    assert.equal(order.status, 400);
    assert.match(order.text, /„von“ muss vor oder auf „bis“ liegen/);
  }));

  test(`[${engine}] revenue is not for guests or readers`, () => withApp(engine, async (t) => {
    const guest = await new TestBrowser(t.app).get('/verlag/umsatz?format=csv');
    assert.equal(guest.status, 303);
    assert.match(guest.location ?? '', /^\/anmelden/);
    const reader = await registerAndLogIn(t);
    assert.equal((await reader.get('/verlag/umsatz')).status, 403);
    const csv = await reader.get('/verlag/umsatz?format=csv&tabelle=wochen');
    assert.equal(csv.status, 403);
    assert.doesNotMatch(csv.text, /59,20/);
  }));
}
