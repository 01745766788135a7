// /verlag/experimente through HTTP on every engine: who may read and who may change, form problems (400), CSRF, start/stop, results page and CSV.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEMO_OFFERS, ensureOffers, findOffer } from '../../billing/index.ts';
import { createTestApp, type TestApp } from '../../testing/test-app.ts';
import { TestBrowser } from '../../testing/test-browser.ts';
import { loggedInAs, registerAndLogIn } from '../../testing/test-accounts.ts';
import { testEngines } from '../../db/test-stores.ts';

async function withApp(engine: string, fn: (t: TestApp) => Promise<void>) {
  const t = await createTestApp(engine);
  try {
    await ensureOffers(t.store.db, DEMO_OFFERS, new Date());
    await fn(t);
  } finally { await t.close(); }
}

const FORM = { name: 'Preis in der Überschrift', headline_A: 'Alle Artikel im Klartext mit Plus Digital', share_A: '50', headline_B: 'Für 1 € im ersten Monat weiterlesen', body_B: 'Danach 9,99 € im Monat, monatlich kündbar.', share_B: '50' };

/** Creates an experiment through the form as the given admin and returns its id. */
async function created(admin: TestBrowser, fields: Record<string, string> = FORM): Promise<string> {
  await admin.get('/verlag/experimente/neu');
  const r = await admin.post('/verlag/experimente', fields);
  assert.equal(r.status, 303, r.text.slice(0, 400));
  const id = /^\/verlag\/experimente\/([A-Za-z0-9_-]+)\?ok=angelegt$/.exec(r.location ?? '')?.[1];
  assert.ok(id, r.location ?? '');
  return id;
}

const stateOf = async (t: TestApp, id: string) => (await t.store.db.selectFrom('experiments').select('state').where('id', '=', id).executeTakeFirstOrThrow()).state;

for (const engine of testEngines()) {
  test(`[${engine}] experiments: guests go to the login, readers get 403; the publisher role reads pages and CSV but changes nothing`, () => withApp(engine, async (t) => {
    const { browser: admin } = await loggedInAs(t, 'admin');
    const id = await created(admin);
    const guest = await new TestBrowser(t.app).get('/verlag/experimente');
    assert.equal(guest.status, 303);
    assert.equal(guest.location, '/anmelden?weiter=%2Fverlag%2Fexperimente');
    const reader = await registerAndLogIn(t);
    assert.equal((await reader.get('/verlag/experimente')).status, 403);
    assert.equal((await reader.get(`/verlag/experimente/${id}`)).status, 403);
    assert.equal((await reader.post(`/verlag/experimente/${id}/starten`, {})).status, 403);

    const { browser: publisher } = await loggedInAs(t, 'publisher');
    const list = await publisher.get('/verlag/experimente');
    assert.equal(list.status, 200);
    assert.match(list.text, /Preis in der Überschrift/);
    assert.doesNotMatch(list.text, /Neues Experiment/, 'no button for what the role may not do');
    const detail = await publisher.get(`/verlag/experimente/${id}`);
    assert.equal(detail.status, 200);
    assert.doesNotMatch(detail.text, /Experiment starten/);
    assert.equal((await publisher.get(`/verlag/experimente/${id}?format=csv`)).status, 200);
    assert.equal((await publisher.get('/verlag/experimente/neu')).status, 403);
    // a publisher posting with a valid token of her own session still may not change anything
    await publisher.get('/konto');
    assert.ok(publisher.csrf);
    assert.equal((await publisher.post('/verlag/experimente', FORM)).status, 403);
    assert.equal((await publisher.post(`/verlag/experimente/${id}/starten`, {})).status, 403);
    assert.equal(await stateOf(t, id), 'draft');
    assert.equal((await t.store.db.selectFrom('experiments').select('id').execute()).length, 1);
  }));

  test(`[${engine}] a new experiment with problems is refused with 400 and German messages at the fields; nothing is written`, () => withApp(engine, async (t) => {
    const { browser: admin } = await loggedInAs(t, 'admin');
    await admin.get('/verlag/experimente/neu');
    const sum = await admin.post('/verlag/experimente', { ...FORM, share_B: '40' });
    assert.equal(sum.status, 400);
    assert.match(sum.text, /Die Anteile ergeben zusammen 90\u00a0%; sie müssen genau 100\u00a0% ergeben\./);
    assert.match(sum.text, /value="Für 1 € im ersten Monat weiterlesen"/, 'what was typed stays in the form');
    const many = await admin.post('/verlag/experimente', { ...FORM, name: '', headline_B: '', share_A: 'fünfzig' });
    assert.equal(many.status, 400);
    assert.match(many.text, /Bitte geben Sie dem Experiment einen Namen\./);
    assert.match(many.text, /Bitte geben Sie für Variante B eine Überschrift an\./);
    assert.match(many.text, /Der Anteil von Variante A muss eine ganze Zahl von 1 bis 99 \(Prozent\) sein\./);
    assert.match(many.text, /href="#f-share_A">Anteil \(Variante A\)/, 'the summary links to the field');
    const gift = (await findOffer(t.store.db, 'geschenk-abo'))!;
    const offer = await admin.post('/verlag/experimente', { ...FORM, offer_B: gift.id });
    assert.equal(offer.status, 400);
    assert.match(offer.text, /Das Angebot von Variante B gibt es nicht oder es ist nicht als Abo bestellbar\./);
    const notForm = await admin.request('/verlag/experimente', { method: 'POST', body: JSON.stringify(FORM), headers: { 'content-type': 'application/json', 'x-csrf-token': admin.csrf } });
    assert.ok(notForm.status === 400 || notForm.status === 403, String(notForm.status));
    assert.doesNotMatch(many.text + sum.text, /at \w+ \(|node_modules|Error:/, 'no stack trace');
    assert.equal((await t.store.db.selectFrom('experiments').select('id').execute()).length, 0);
    assert.equal((await t.store.db.selectFrom('experiment_variants').select('id').execute()).length, 0);
    // a third variant counts once anything is typed into it; then the shares must fit again
    const third = await admin.post('/verlag/experimente', { ...FORM, share_C: '10' });
    assert.equal(third.status, 400);
    assert.match(third.text, /Bitte geben Sie für Variante C eine Überschrift an\./);
  }));

  test(`[${engine}] creating, starting and stopping need the session's CSRF token; a forged one changes nothing`, () => withApp(engine, async (t) => {
    const { browser: admin } = await loggedInAs(t, 'admin');
    await admin.get('/verlag/experimente/neu');
    assert.equal((await admin.post('/verlag/experimente', { ...FORM, _csrf: 'gefaelscht' })).status, 403);
    assert.equal((await t.store.db.selectFrom('experiments').select('id').execute()).length, 0);
    const id = await created(admin);
    assert.equal((await admin.post(`/verlag/experimente/${id}/starten`, { _csrf: '' })).status, 403);
    assert.equal((await admin.post(`/verlag/experimente/${id}/starten`, { _csrf: 'gefaelscht' })).status, 403);
    assert.equal(await stateOf(t, id), 'draft');
    await admin.get(`/verlag/experimente/${id}`);
    assert.equal((await admin.post(`/verlag/experimente/${id}/starten`, {})).status, 303);
    assert.equal(await stateOf(t, id), 'running');
    assert.equal((await admin.post(`/verlag/experimente/${id}/beenden`, { _csrf: 'gefaelscht' })).status, 403);
    assert.equal(await stateOf(t, id), 'running');
  }));

  test(`[${engine}] start and stop: a second running experiment is refused with 409 on its page; results, verdict and CSV show the rollups`, () => withApp(engine, async (t) => {
    const { browser: admin } = await loggedInAs(t, 'admin');
    const first = await created(admin);
    const second = await created(admin, { ...FORM, name: 'Zweites Experiment' });
    const detail = await admin.get(`/verlag/experimente/${first}?ok=angelegt`);
    assert.match(detail.text, /Das Experiment ist angelegt/);
    assert.match(detail.text, /<form class="experiments__action" method="post" action="\/verlag\/experimente\/[^"]+\/starten">\s*<input type="hidden" name="_csrf" value="[^"]+"/);
    const started = await admin.post(`/verlag/experimente/${first}/starten`, {});
    assert.equal(started.location, `/verlag/experimente/${first}?ok=gestartet`);
    await admin.get(`/verlag/experimente/${second}`);
    const refused = await admin.post(`/verlag/experimente/${second}/starten`, {});
    assert.equal(refused.status, 409);
    assert.match(refused.text, /Es läuft bereits ein Experiment \(„Preis in der Überschrift“\)\. Beenden Sie es, bevor Sie ein weiteres starten\./);
    assert.equal(await stateOf(t, second), 'draft');

    const variants = await t.store.db.selectFrom('experiment_variants').select(['id', 'key']).where('experiment_id', '=', first).orderBy('key').execute();
    const row = (kind: string, variant: string, count: number) => ({ day: '2026-11-20', kind, article_id: 'a', offer_id: '', variant_id: variant, institution_id: '', detail: 'guest', section_id: '', count });
    await t.store.db.insertInto('analytics_daily').values([
      row('paywall', variants[0]!.id, 2000), row('offer_click', variants[0]!.id, 90), row('order', variants[0]!.id, 40),
      row('paywall', variants[1]!.id, 2000), row('offer_click', variants[1]!.id, 130), row('order', variants[1]!.id, 60),
    ]).execute();
    const results = await admin.get(`/verlag/experimente/${first}`);
    assert.match(results.text, /Variante B verkauft besser als die Kontrolle: 3,0\u00a0% statt 2,0\u00a0% der Einblendungen führen zu einer Bestellung\. Der Unterschied ist statistisch gesichert \(p = 0,043\)\./);
    assert.match(results.text, /2\.000/);
    assert.match(results.text, /Experiment beenden/);
    const list = await admin.get('/verlag/experimente');
    assert.match(list.text, /4\.000/, 'the list sums the impressions of all variants');
    const hostile = await created(admin, { ...FORM, name: '<img src=x onerror=alert(1)>', headline_B: '=HYPERLINK("http://x")' });
    const hostilePage = await admin.get(`/verlag/experimente/${hostile}`);
    assert.doesNotMatch(hostilePage.text, /<img src=x/);
    assert.match(hostilePage.text, /&lt;img src=x onerror=alert\(1\)&gt;/);
    assert.match((await admin.get(`/verlag/experimente/${hostile}?format=csv`)).text, /"B";"'=HYPERLINK\(""http:\/\/x""\)"/, 'a formula is defused in the CSV');

    const csv = await admin.get(`/verlag/experimente/${first}?format=csv`);
    assert.equal(csv.status, 200);
    assert.match(csv.headers.get('content-type') ?? '', /^text\/csv; charset=utf-8/);
    assert.match(csv.headers.get('content-disposition') ?? '', /attachment; filename="experiment-[A-Za-z0-9_-]+\.csv"/);
    const lines = csv.text.replace(/^\uFEFF/, '').trim().split('\r\n');
    assert.equal(lines[0], '"Variante";"Überschrift";"Anteil (%)";"Einblendungen";"Klicks";"Klickrate";"Bestellungen";"Conversion";"z";"p";"Urteil"');
    assert.match(lines[2]!, /^"B";"Für 1 € im ersten Monat weiterlesen";"50";"2000";"130";"6,5\u00a0%";"60";"3,0\u00a0%";"2,03";"0,043";"Variante B verkauft besser/);
    const listCsv = await admin.get('/verlag/experimente?format=csv');
    assert.match(listCsv.text, /"Preis in der Überschrift";"läuft"/);
    for (const path of [`/verlag/experimente/${first}?format=xlsx`, '/verlag/experimente?format=pdf']) {
      const bad = await admin.get(path);
      assert.equal(bad.status, 400, path);
      assert.match(bad.text, /Der Parameter format kennt nur „csv“/);
    }

    assert.equal((await admin.post(`/verlag/experimente/${first}/beenden`, {})).location, `/verlag/experimente/${first}?ok=beendet`);
    assert.equal(await stateOf(t, first), 'ended');
    assert.equal((await admin.post(`/verlag/experimente/${first}/starten`, {})).status, 409, 'an ended experiment does not start again');
    assert.equal((await admin.post(`/verlag/experimente/${second}/starten`, {})).status, 303, 'now the second may run');
    assert.equal((await admin.get('/verlag/experimente/gibt-es-nicht')).status, 404);
    assert.equal((await admin.post('/verlag/experimente/gibt-es-nicht/starten', {})).status, 404);
  }));
}
