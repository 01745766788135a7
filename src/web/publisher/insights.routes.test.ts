// /verlag and /verlag/artikel through HTTP on every engine: who may see them (the `publisher` role: insights only), the funnel and
// tables from rollups, sorting and filters, CSV (formula cells defused), charts as CSP-safe SVG, and 400s naming the parameter.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { testEngines } from '../../db/test-stores.ts';
import { INSIGHT_ARTICLES as A, insertInsightPaper, insertRollups, NOVEMBER_ROLLUPS } from '../../analytics/insights.fixtures.ts';
import { createTestApp, type TestApp } from '../../testing/test-app.ts';
import { TestBrowser } from '../../testing/test-browser.ts';
import { loggedInAs, registerAndLogIn } from '../../testing/test-accounts.ts';

async function withApp(engine: string, fn: (t: TestApp) => Promise<void>) {
  const t = await createTestApp(engine);
  try { await insertInsightPaper(t.store.db); await fn(t); } finally { await t.close(); }
}

const NOV = 'von=2026-11-01&bis=2026-11-30';

const seed = (t: TestApp) => insertRollups(t.store.db, NOVEMBER_ROLLUPS);

const INSIGHTS = ['/verlag', '/verlag?format=csv', `/verlag/artikel?${NOV}`, '/verlag/artikel?format=csv&tabelle=autoren'];
const ADMIN_ONLY = ['/verlag/abos', '/verlag/abos.csv', '/verlag/kuendigungen', '/verlag/angebote', '/verlag/angebote/neu', '/verlag/aufgaben'];

for (const engine of testEngines()) {
  test(`[${engine}] insights: guests go to the login, readers, authors and editors get 403; the publisher role reads insights only; admins everything`, () => withApp(engine, async (t) => {
    const guest = new TestBrowser(t.app);
    for (const path of INSIGHTS) {
      const r = await guest.get(path);
      assert.equal(r.status, 303, path);
      assert.equal(r.location, `/anmelden?weiter=${encodeURIComponent(path.split('?')[0]!)}`);
    }
    const reader = await registerAndLogIn(t);
    const { browser: author } = await loggedInAs(t, 'author');
    const { browser: editor } = await loggedInAs(t, 'editor');
    for (const b of [reader, author, editor]) {
      for (const path of [...INSIGHTS, ...ADMIN_ONLY]) assert.equal((await b.get(path)).status, 403, path);
    }
    const { browser: publisher } = await loggedInAs(t, 'publisher');
    for (const path of INSIGHTS) assert.equal((await publisher.get(path)).status, 200, `publisher may read ${path}`);
    for (const path of ADMIN_ONLY) {
      const r = await publisher.get(path);
      assert.equal(r.status, 403, `publisher may not open ${path}`);
      assert.match(r.text, /Mit der Rolle „Verlag“ sehen Sie die Auswertungen/);
    }
    await publisher.get('/verlag');
    // a form the role does not own: refused before the form (or its CSRF token) is looked at, nothing created
    assert.equal((await publisher.post('/verlag/angebote', { slug: 'heimlich', name: 'Heimlich' })).status, 403);
    assert.equal((await publisher.post('/verlag/abos/freiabo', { email: 'publisher@example.de', days: '30' })).status, 403);
    assert.equal((await publisher.request('/verlag/artikel', { method: 'POST' })).status, 403, 'insights pages are read-only for the role');
    assert.equal(await t.store.db.selectFrom('offers').select('id').where('slug', '=', 'heimlich').executeTakeFirst(), undefined);
    assert.equal((await publisher.get('/redaktion')).status, 403, 'the publisher role is no newsroom role');

    const page = await publisher.get('/verlag');
    assert.doesNotMatch(page.text, /href="\/verlag\/abos"/, 'the publisher is not shown links that answer 403');
    const { browser: admin } = await loggedInAs(t, 'admin');
    for (const path of [...INSIGHTS, ...ADMIN_ONLY]) assert.equal((await admin.get(path)).status, 200, `admin may open ${path}`);
    assert.match((await admin.get('/verlag')).text, /href="\/verlag\/abos"/);
  }));

  test(`[${engine}] an admin makes someone "Verlag" in the newsroom's team page; from the next request they read /verlag`, () => withApp(engine, async (t) => {
    const person = await registerAndLogIn(t, 'verlag@example.de');
    assert.equal((await person.get('/verlag')).status, 403);
    const { browser: admin } = await loggedInAs(t, 'admin');
    const team = await admin.get('/redaktion/verwaltung/team');
    assert.match(team.text, /<option value="publisher"[^>]*>Verlag \(Auswertungen, keine Redaktion\)<\/option>/);
    assert.equal((await admin.post('/redaktion/verwaltung/team/rolle', { email: 'verlag@example.de', role: 'publisher' })).status, 303);
    assert.equal((await person.get('/verlag')).status, 200, 'the same session, the new role');
    assert.equal((await person.get('/verlag/abos')).status, 403);
    assert.equal((await person.get('/redaktion')).status, 403);
    const log = await t.store.db.selectFrom('staff_role_changes').select(['from_role', 'to_role']).execute();
    assert.deepEqual(log.map((l) => [l.from_role, l.to_role]), [['reader', 'publisher']]);
  }));

  test(`[${engine}] the overview: funnel counts and rates against the previous range, charts as SVG without style elements or attributes`, () => withApp(engine, async (t) => {
    await seed(t);
    const { browser: admin } = await loggedInAs(t, 'admin');
    const r = await admin.get(`/verlag?${NOV}`);
    assert.equal(r.status, 200);
    assert.equal(r.headers.get('cache-control'), 'private, no-store');
    const funnelRow = (label: string) => new RegExp(`<th scope="row">${label}</th><td class="num">([^<]+)</td><td class="num">([^<]+)</td><td class="num">([^<]+)</td><td class="num publisher__muted">([^<]+)</td>`).exec(r.text)?.slice(1);
    assert.deepEqual(funnelRow('Aufrufe von Plus-Artikeln'), ['3.010', '–', '100 %', '500']);
    assert.deepEqual(funnelRow('Paywall gezeigt'), ['600', '19,9 %', '19,9 %', '0']);
    assert.deepEqual(funnelRow('Bestellt'), ['18', '90 %', '0,6 %', '2']);
    assert.match(r.text, /Gesamtkonversion: <strong>0,6 %<\/strong>/);
    assert.match(r.text, /davon 18 über die Paywall/);
    const svgs = r.text.match(/<svg[^>]*class="chart__svg"[\s\S]*?<\/svg>/g) ?? [];
    assert.equal(svgs.length, 3, 'the funnel and two time charts');
    for (const svg of svgs) {
      assert.doesNotMatch(svg, /<style|\sstyle=/, 'nothing the CSP (style-src self) would block');
      assert.match(svg, /<(path|rect)\b/, 'something is drawn');
    }
    assert.match(r.text, /<title>Aufrufe, 03\.11\.2026: 6\.000<\/title>/, 'hover figures in German');
    assert.match(r.text, /<div class="visually-hidden"><table class="chart__data"><caption>Artikelaufrufe pro Tag<\/caption>/, 'the numbers as a table for screen readers');
    assert.match(r.text, /Der Haushalt gerät ins Wanken/);
    assert.match(r.text, /aria-current="page">Übersicht/);
    const empty = await admin.get('/verlag?von=2020-01-01&bis=2020-01-31');
    assert.equal(empty.status, 200);
    assert.match(empty.text, /noch keine Ereignisse ausgewertet/);
  }));

  test(`[${engine}] the article table sorts by every key both ways and filters by section and author; markup in a headline stays text`, () => withApp(engine, async (t) => {
    await seed(t);
    const { browser: admin } = await loggedInAs(t, 'admin');
    const order = async (q: string) => [...(await admin.get(`/verlag/artikel?${NOV}&${q}`)).text.matchAll(/<th scope="row" class="insights__article"><a href="\/artikel\/([^"]+)"/g)].map((m) => m[1]);
    assert.deepEqual(await order('sortierung=aufrufe&richtung=ab'), [A.fest.slug, A.stadion.slug, A.haushalt.slug, A.formel.slug]);
    assert.deepEqual(await order('sortierung=aufrufe&richtung=auf'), [A.formel.slug, A.haushalt.slug, A.stadion.slug, A.fest.slug]);
    assert.deepEqual((await order('sortierung=konversion')).slice(0, 2), [A.stadion.slug, A.haushalt.slug]);
    assert.deepEqual((await order('sortierung=registrierungen')).slice(0, 1), [A.haushalt.slug]);
    assert.deepEqual(await order('ressort=sport-brackenau'), [A.stadion.slug, A.formel.slug]);
    assert.deepEqual(await order('autor=ole-insight'), [A.fest.slug, A.stadion.slug]);
    const page = await admin.get(`/verlag/artikel?${NOV}&sortierung=bestellungen&richtung=ab`);
    assert.match(page.text, /aria-sort="descending"><a class="sort" href="[^"]*sortierung=bestellungen&amp;richtung=auf"/);
    assert.match(page.text, /=HYPERLINK\(&quot;http:\/\/evil.example&quot;,&quot;&lt;b&gt;Klick&lt;\/b&gt;&quot;\)/);
    assert.doesNotMatch(page.text, /<b>Klick<\/b>/);
    assert.match(page.text, /<th scope="row"><a href="[^"]*ressort=stadt-brackenau">Stadt<\/a><\/th><td class="num">6.000<\/td>/, 'per section');
    assert.match(page.text, /<th scope="row"><a href="[^"]*autor=ina-insight">Ina Insight<\/a><\/th><td class="num">3.000<\/td>/, 'per author');
  }));

  test(`[${engine}] every table as CSV: the page's range, filter and sort; formula cells defused; numbers with a decimal comma`, () => withApp(engine, async (t) => {
    await seed(t);
    const { browser: admin } = await loggedInAs(t, 'admin');
    const csv = await admin.get(`/verlag/artikel?${NOV}&sortierung=konversion&format=csv`);
    assert.equal(csv.status, 200);
    assert.equal(csv.headers.get('content-type'), 'text/csv; charset=utf-8');
    assert.equal(csv.headers.get('content-disposition'), 'attachment; filename="verlag-artikel-2026-11-01-2026-11-30.csv"');
    assert.equal(csv.headers.get('cache-control'), 'private, no-store');
    const lines = csv.text.replace(/^\uFEFF/, '').trimEnd().split('\r\n');
    assert.equal(lines[0], '"Artikel";"Adresse";"Ressort";"Zugang";"Aufrufe";"Paywall gezeigt";"Bestellungen (zugeordnet)";"Konversion (Bestellungen je Paywall)";"Registrierungen"');
    assert.equal(lines[1], `"Das Stadion wird teurer";"http://localhost/artikel/${A.stadion.slug}";"Sport & Verein";"plus";2000;200;10;0,05;0`);
    assert.equal(lines[2], `"Der Haushalt gerät ins Wanken";"http://localhost/artikel/${A.haushalt.slug}";"Stadt";"plus";1000;400;8;0,02;12`);
    assert.ok(lines.some((l) => l.startsWith(`"'=HYPERLINK(""http://evil.example"",""<b>Klick</b>"")"`)), 'the formula is text with a leading apostrophe');
    assert.equal(lines.length, 5);
    const sport = await admin.get(`/verlag/artikel?${NOV}&ressort=sport-brackenau&format=csv`);
    assert.equal(sport.text.trimEnd().split('\r\n').length, 3);
    const sections = await admin.get(`/verlag/artikel?${NOV}&format=csv&tabelle=ressorts`);
    assert.match(sections.text, /\r\n"Stadt";6000;400;8;0,02;12\r\n/);
    const funnel = await admin.get(`/verlag?${NOV}&format=csv`);
    assert.match(funnel.text, /"Aufrufe von Plus-Artikeln";3010;;1;500;5,02\r\n/);
    assert.match(funnel.text, /"Bestellt";18;0,9;0,006;2;8\r\n/);
    const days = await admin.get(`/verlag?${NOV}&format=csv&tabelle=tage`);
    assert.match(days.text, /^"Tag";"checkout";"institution_unlock";"offer_click";"order";"paywall";"registration";"view"\r\n"2026-11-03";27;0;40;11;400;12;6000\r\n/);
  }));

  test(`[${engine}] unknown ranges, sort keys, filters and formats are a 400 naming the parameter`, () => withApp(engine, async (t) => {
    const { browser: admin } = await loggedInAs(t, 'admin');
    const cases: [string, string][] = [
      ['/verlag?zeitraum=ewig', 'zeitraum'], ['/verlag?von=2026-11-01', 'bis'], ['/verlag?von=2026-13-01&bis=2026-12-01', 'von'],
      ['/verlag?von=2026-11-30&bis=2026-11-01', 'von'], ['/verlag?von=2020-01-01&bis=2026-11-01', 'von'], ['/verlag?format=xlsx', 'format'],
      ['/verlag?format=csv&tabelle=geheim', 'tabelle'], ['/verlag/artikel?sortierung=umsatz', 'sortierung'], ['/verlag/artikel?richtung=seitwaerts', 'richtung'],
      ['/verlag/artikel?ressort=gibtsnicht', 'ressort'], ['/verlag/artikel?autor=%3Cscript%3E', 'autor'], ['/verlag/artikel?seite=0', 'seite'],
      ['/verlag/artikel?format=csv&tabelle=abos', 'tabelle'],
    ];
    for (const [path, param] of cases) {
      const r = await admin.get(path);
      assert.equal(r.status, 400, path);
      assert.match(r.text, new RegExp(`„${param}“`), `${path} names ${param}`);
      assert.doesNotMatch(r.text, /at .*\.ts:\d+/, 'no stack trace');
    }
    assert.doesNotMatch((await admin.get('/verlag/artikel?autor=%3Cscript%3E')).text, /<script>/);
  }));
}
