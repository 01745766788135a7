// /verlag/institutionen over HTTP on every engine: who may read and change, form problems named per field, create/edit/revoke, seats, usage from the daily rollups, CSV.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { testEngines } from '../../db/test-stores.ts';
import { berlinDate } from '../../berlin-time.ts';
import { createTestApp, type TestApp } from '../../testing/test-app.ts';
import { TestBrowser } from '../../testing/test-browser.ts';
import { loggedInAs } from '../../testing/test-accounts.ts';
import { addDaysTo } from './date-range.ts';

const FORM = { name: 'Stadtbibliothek Brackenau', kind: 'library', seats: '25', endsOn: '2099-07-31', networks: '192.0.2.0/24\n2001:db8:7::/48', domains: 'stadtbibliothek-brackenau.example' };

for (const engine of testEngines()) {
  describe(`/verlag/institutionen on ${engine}`, () => {
    let t: TestApp;
    let admin: TestBrowser;
    before(async () => {
      t = await createTestApp(engine);
      admin = (await loggedInAs(t, 'admin', 'admin@example.de')).browser;
    });
    after(async () => { await t.close(); });

    const create = async (fields: Record<string, string>) => {
      await admin.get('/verlag/institutionen/neu');
      return admin.post('/verlag/institutionen', fields);
    };
    const count = async () => (await t.store.db.selectFrom('institutions').select('id').execute()).length;

    test('guests go to the login, readers and editors get 403; the publisher role reads but cannot change anything', async () => {
      const made = await create({ ...FORM, name: 'Lesbar für den Verlag', domains: 'lesbar.example' });
      const id = made.location!.split('/').pop()!.split('?')[0]!;
      const guest = await new TestBrowser(t.app).get('/verlag/institutionen');
      assert.equal(guest.status, 303);
      assert.equal(guest.location, '/anmelden?weiter=%2Fverlag%2Finstitutionen');
      for (const role of ['reader', 'editor'] as const) {
        const b = (await loggedInAs(t, role, `${role}-inst@example.de`)).browser;
        assert.equal((await b.get('/verlag/institutionen')).status, 403, role);
        assert.equal((await b.get(`/verlag/institutionen/${id}`)).status, 403, role);
      }
      const publisher = (await loggedInAs(t, 'publisher', 'verlag@example.de')).browser;
      const list = await publisher.get('/verlag/institutionen');
      assert.equal(list.status, 200);
      assert.match(list.text, /Lesbar für den Verlag/);
      assert.doesNotMatch(list.text, /Neue Institution<\/a>/);
      const detail = await publisher.get(`/verlag/institutionen/${id}`);
      assert.equal(detail.status, 200);
      assert.doesNotMatch(detail.text, /Platz freigeben|Zugang widerrufen/, 'no admin actions');
      assert.equal((await publisher.get('/verlag/institutionen/neu')).status, 403);
      assert.equal((await publisher.get(`/verlag/institutionen/${id}/bearbeiten`)).status, 403);
      const before = await count();
      assert.equal((await publisher.post('/verlag/institutionen', { ...FORM, name: 'Vom Verlag', domains: 'vom-verlag.example' })).status, 403);
      assert.equal((await publisher.post(`/verlag/institutionen/${id}/widerrufen`, {})).status, 403);
      assert.equal(await count(), before);
      assert.equal((await t.store.db.selectFrom('institutions').select('revoked_at').where('id', '=', id).executeTakeFirstOrThrow()).revoked_at, null);
    });

    test('a bad CIDR is a 400 naming the field and the line, and nothing is saved', async () => {
      const before = await count();
      const r = await create({ ...FORM, networks: '192.0.2.0/24\n192.0.2/24', domains: 'cidr-fehler.example' });
      assert.equal(r.status, 400);
      assert.match(r.text, /<a href="#f-networks">Netzwerke<\/a>: Zeile 2: „192\.0\.2“ ist keine IP-Adresse/);
      assert.match(r.text, /aria-invalid="true"[^>]*aria-describedby="networks-hint networks-error"|id="networks-error"/);
      assert.match(r.text, /192\.0\.2\/24/, 'what was typed stays in the form');
      for (const networks of ['10.0.0.0/8', '0.0.0.0/0', '192.0.2.0/40']) {
        const bad = await create({ ...FORM, networks, domains: 'cidr-fehler.example' });
        assert.equal(bad.status, 400, networks);
        assert.match(bad.text, /Netzwerke<\/a>: Zeile 1/);
      }
      assert.equal(await count(), before);
    });

    test('bad domains, seats, dates and an empty access are named; a freemail domain is refused', async () => {
      const cases: [Record<string, string>, string, RegExp][] = [
        [{ domains: 'gmx.de' }, 'domains', /freier E-Mail-Anbieter/],
        [{ domains: 'leser@schule.example' }, 'domains', /keine E-Mail-Domain/],
        [{ seats: 'viele' }, 'seats', /ganze Zahl ab 1/],
        [{ seats: '0' }, 'seats', /ganze Zahl ab 1/],
        [{ endsOn: '2020-01-01' }, 'endsOn', /Vergangenheit/],
        [{ endsOn: '31.07.2027' }, 'endsOn', /als Datum/],
        [{ name: ' ' }, 'name', /Namen der Institution/],
        [{ kind: 'verein' }, 'kind', /Bitte wählen Sie die Art/],
        [{ networks: '', domains: '' }, 'networks', /mindestens ein Netzwerk oder eine E-Mail-Domain/],
      ];
      for (const [fields, field, message] of cases) {
        const r = await create({ ...FORM, domains: 'pruefung.example', ...fields });
        assert.equal(r.status, 400, JSON.stringify(fields));
        assert.match(r.text, new RegExp(`id="${field}-error">[^<]*`), field);
        assert.match(r.text, message, field);
      }
    });

    test('a domain of another institution is a 409 naming it', async () => {
      assert.equal((await create({ ...FORM, name: 'Realschule Nord', kind: 'school', domains: 'realschule-nord.example', networks: '' })).status, 303);
      const r = await create({ ...FORM, name: 'Realschule Süd', kind: 'school', domains: 'realschule-nord.example', networks: '' });
      assert.equal(r.status, 409);
      assert.match(r.text, /Die Domain „realschule-nord\.example“ gehört schon zu „Realschule Nord“/);
    });

    test('create, see, edit and revoke: the list shows status, seats used, end date and the unlocks of the range from the rollups', async () => {
      const made = await create({ ...FORM, name: 'Stadtbibliothek Musterstadt', networks: '198.51.100.17/24', domains: 'musterstadt.example' });
      assert.equal(made.status, 303);
      const id = made.location!.split('/').pop()!.split('?')[0]!;
      const detail = await admin.get(made.location!);
      assert.match(detail.text, /Die Institution wurde gespeichert/);
      assert.match(detail.text, /<code>198\.51\.100\.0\/24<\/code>/, 'normalised');
      assert.match(detail.text, /<code>@musterstadt\.example<\/code>/);
      assert.match(detail.text, /31\.07\.2099 \(einschließlich\)/);

      const today = berlinDate(new Date());
      const rollup = (day: string, count: number) => ({ day, kind: 'institution_unlock', article_id: `a-${day}`, offer_id: '', variant_id: '', institution_id: id, detail: 'network', section_id: '', count });
      await t.store.db.insertInto('analytics_daily').values([rollup(today, 7), rollup(addDaysTo(today, -3), 5), rollup(addDaysTo(today, -40), 100)]).execute();
      const list = await admin.get('/verlag/institutionen?zeitraum=30t');
      const row = /<tr><td data-label="Institution"><div><a href="\/verlag\/institutionen\/[^"]+">Stadtbibliothek Musterstadt<\/a>.*?<\/tr>/s.exec(list.text)?.[0] ?? '';
      assert.match(row, /status--ok">aktiv/);
      assert.match(row, /31\.07\.2099/);
      assert.match(row, /0 von 25/);
      assert.match(row, /class="num">12<\/td>/, '7 + 5 in the last 30 days; the day 40 days ago is outside');
      assert.match((await admin.get('/verlag/institutionen?zeitraum=90t')).text, /class="num">112<\/td>/);

      const csv = await admin.get('/verlag/institutionen?zeitraum=30t&format=csv');
      assert.equal(csv.status, 200);
      assert.match(csv.headers.get('content-type') ?? '', /^text\/csv/);
      assert.match(csv.text, /"Stadtbibliothek Musterstadt";"Bibliothek";"active";"2099-07-31";"0";"25";"198\.51\.100\.0\/24";"musterstadt\.example";"12"/);

      await admin.get(`/verlag/institutionen/${id}/bearbeiten`);
      const edited = await admin.post(`/verlag/institutionen/${id}`, { ...FORM, name: 'Stadtbibliothek Musterstadt', seats: '', networks: '2001:db8:9::/48', domains: 'musterstadt.example\nmusterstadt-schulen.example' });
      assert.equal(edited.status, 303);
      const after = await admin.get(`/verlag/institutionen/${id}`);
      assert.match(after.text, /2001:db8:9::\/48/);
      assert.doesNotMatch(after.text, /198\.51\.100\.0\/24/);
      assert.match(after.text, /@musterstadt-schulen\.example/);
      assert.match(after.text, /0 \(unbegrenzt\)/);

      assert.equal((await admin.post(`/verlag/institutionen/${id}/widerrufen`, {})).status, 303);
      const revoked = await admin.get(`/verlag/institutionen/${id}`);
      assert.match(revoked.text, /status--warn">widerrufen/);
      assert.doesNotMatch(revoked.text, /Zugang widerrufen<\/button>/);
      assert.equal((await admin.get(`/verlag/institutionen/${id}/bearbeiten`)).status, 409);
    });

    test('an access ending within 30 days says how soon; one ending later does not', async () => {
      const today = berlinDate(new Date());
      assert.equal((await create({ ...FORM, name: 'Endet heute', networks: '203.0.113.32/28', domains: '', endsOn: today })).status, 303);
      assert.equal((await create({ ...FORM, name: 'Endet bald', networks: '203.0.113.48/28', domains: '', endsOn: addDaysTo(today, 12) })).status, 303);
      const list = (await admin.get('/verlag/institutionen')).text;
      const row = (name: string) => new RegExp(`>${name}</a>.*?</tr>`, 's').exec(list)?.[0] ?? '';
      assert.match(row('Endet heute'), /heute letzter Tag/);
      assert.match(row('Endet bald'), /noch 12 Tage/);
      assert.doesNotMatch(row('Stadtbibliothek Musterstadt'), /institutions__soon/);
    });

    test('unknown ranges, formats and ids are answered in German, naming the parameter', async () => {
      const range = await admin.get('/verlag/institutionen?zeitraum=5j');
      assert.equal(range.status, 400);
      assert.match(range.text, /„zeitraum“/);
      const format = await admin.get('/verlag/institutionen?format=xlsx');
      assert.equal(format.status, 400);
      assert.match(format.text, /„format“/);
      assert.equal((await admin.get('/verlag/institutionen/gibt-es-nicht')).status, 404);
      assert.equal((await admin.get('/verlag/institutionen/..%2F..%2Fetc')).status, 404);
    });

    test('a POST without the CSRF token, or from another site, changes nothing', async () => {
      const before = await count();
      const noToken = await admin.post('/verlag/institutionen', { ...FORM, _csrf: '', domains: 'csrf.example' });
      assert.equal(noToken.status, 403);
      await admin.get('/verlag/institutionen/neu');
      const crossSite = await admin.post('/verlag/institutionen', { ...FORM, domains: 'csrf.example' }, { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' });
      assert.equal(crossSite.status, 403);
      assert.equal(await count(), before);
    });
  });
}
