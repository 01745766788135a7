// Institutional access through the unlock endpoint, the no-JS page and search: networks by the client address the platform trusts, seats by confirmed address, end date, revocation, the event and /metrics.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { PREMIUM_SENTENCES } from '../../content/content.fixtures.ts';
import { testEngines } from '../../db/test-stores.ts';
import { metricsText } from '../../metrics/index.ts';
import { sample } from '../../testing/prometheus-sample.ts';
import { fromAddress } from '../../testing/remote-address.ts';
import { loggedInAs } from '../../testing/test-accounts.ts';
import { TestBrowser } from '../../testing/test-browser.ts';
import { createPaywallTestApp, PLUS_SLUG, REGISTERED_SLUG, EXTRA_PLUS_SLUGS, type PaywallTestApp } from '../../testing/paywall-fixtures.ts';

const INSIDE = '192.0.2.44';
const OUTSIDE = '203.0.113.200';
const PROXY = '198.51.100.250';
const leaks = (html: string): string[] => PREMIUM_SENTENCES.filter((s) => html.includes(s.slice(0, 50)));

/** Creates an institution as an admin does, through the form (so the app's table hears of it). */
async function institution(t: PaywallTestApp, admin: TestBrowser, fields: Record<string, string>): Promise<string> {
  await admin.get('/verlag/institutionen/neu');
  const r = await admin.post('/verlag/institutionen', { kind: 'library', endsOn: '2099-12-31', networks: '', domains: '', seats: '', ...fields });
  assert.equal(r.status, 303, r.text.slice(0, 400));
  return /\/verlag\/institutionen\/([^?]+)/.exec(r.location ?? '')![1]!;
}

for (const engine of testEngines()) {
  describe(`institutional access on ${engine}`, () => {
    let t: PaywallTestApp;
    let admin: TestBrowser;
    let libraryId: string;
    before(async () => {
      // no meter: a denial here can only be the institution's
      t = await createPaywallTestApp(engine, { meterPerMonth: 0 });
      admin = (await loggedInAs(t, 'admin', 'admin-inst@example.de')).browser;
      libraryId = await institution(t, admin, { name: 'Stadtbibliothek Brackenau', networks: '192.0.2.0/26\n2001:db8:44::/48' });
    });
    after(async () => { await t.close(); });

    const guestAt = (ip: string, slug = PLUS_SLUG) => t.page(slug).then(({ articleId, keyId }) => t.unlock(null, articleId, { keyId }, {}, ip));

    test('a guest inside the range gets the key and the institution’s name; outside, the same guest gets nothing', async () => {
      const inside = await guestAt(INSIDE);
      assert.equal(inside.status, 200);
      assert.equal(inside.json.reason, 'institution');
      assert.deepEqual(inside.json.institution, { name: 'Stadtbibliothek Brackenau' });
      assert.equal(inside.headers.get('cache-control'), 'private, no-store');
      for (const ip of ['::ffff:192.0.2.44', '2001:db8:44:1::9']) assert.equal((await guestAt(ip)).json.reason, 'institution', ip);
      const outside = await guestAt(OUTSIDE);
      assert.equal(outside.status, 403);
      assert.equal(outside.json.key, undefined);
      assert.equal((await guestAt('192.0.2.64')).status, 403, 'the first address after the /26');
      assert.equal((await guestAt(INSIDE, REGISTERED_SLUG)).json.reason, 'institution', 'registered articles open too');
    });

    test('a forged X-Forwarded-For without a trusted proxy grants nothing', async () => {
      const { articleId, keyId } = await t.page(PLUS_SLUG);
      for (const xff of [INSIDE, `${INSIDE}, ${INSIDE}`, `${OUTSIDE}, ${INSIDE}`]) {
        const r = await t.unlock(null, articleId, { keyId }, { 'x-forwarded-for': xff }, OUTSIDE);
        assert.equal(r.status, 403, xff);
        assert.equal(r.json.key, undefined);
      }
    });

    test('each institution unlock is recorded as an event with article and institution, no address; /metrics counts the reason', async () => {
      const before = await metricsText();
      await t.klartext.analytics.flush();
      const countBefore = (await t.store.db.selectFrom('analytics_events').select('at').where('kind', '=', 'institution_unlock').execute()).length;
      const { articleId } = await t.page(PLUS_SLUG);
      assert.equal((await guestAt(INSIDE)).status, 200);
      assert.equal((await guestAt(OUTSIDE)).status, 403);
      await t.klartext.analytics.flush();
      const rows = await t.store.db.selectFrom('analytics_events').selectAll().where('kind', '=', 'institution_unlock').execute();
      assert.equal(rows.length, countBefore + 1);
      const row = rows.at(-1)!;
      assert.equal(row.article_id, articleId);
      assert.equal(row.institution_id, libraryId);
      assert.equal(row.detail, 'network');
      assert.ok(!JSON.stringify(row).includes(INSIDE), 'no address stored');
      const after = await metricsText();
      assert.equal(sample(after, 'klartext_unlocks_total', { result: 'granted', reason: 'institution' }) - sample(before, 'klartext_unlocks_total', { result: 'granted', reason: 'institution' }), 1);
    });

    test('the guest page is the same bytes inside and outside the range', async () => {
      t.klartext.pageCache.clear();
      const outside = await (await t.app.request(`/artikel/${PLUS_SLUG}`, {}, fromAddress(OUTSIDE))).text();
      t.klartext.pageCache.clear();
      const inside = await (await t.app.request(`/artikel/${PLUS_SLUG}`, {}, fromAddress(INSIDE))).text();
      assert.equal(inside, outside);
      assert.deepEqual(leaks(inside), []);
      assert.doesNotMatch(inside, /Stadtbibliothek Brackenau/);
    });

    test('no JavaScript: a guest inside the range reads the plain text with the institution named; outside, 403', async () => {
      const inside = await new TestBrowser(t.app, {}, fromAddress(INSIDE)).get(`/artikel/${PLUS_SLUG}/klartext`);
      assert.equal(inside.status, 200);
      assert.equal(inside.headers.get('cache-control'), 'private, no-store');
      assert.equal(leaks(inside.text).length, PREMIUM_SENTENCES.length);
      assert.match(inside.text, /<p class="premium-via"><span class="premium-via__label">Freigeschaltet über<\/span> <span class="premium-via__name">Stadtbibliothek Brackenau<\/span><\/p>/);
      const forged = await new TestBrowser(t.app, { 'x-forwarded-for': INSIDE }, fromAddress(OUTSIDE)).get(`/artikel/${PLUS_SLUG}/klartext`);
      assert.equal(forged.status, 403);
      assert.deepEqual(leaks(forged.text), []);
    });

    test('search: a guest inside the range finds words of the premium text, outside not', async () => {
      const q = encodeURIComponent('Mühlgraben');
      assert.match((await new TestBrowser(t.app, {}, fromAddress(INSIDE)).get(`/suche?q=${q}`)).text, /Der Haushalt gerät ins Wanken/);
      assert.match((await new TestBrowser(t.app, { 'x-forwarded-for': INSIDE }, fromAddress(OUTSIDE)).get(`/suche?q=${q}`)).text, /Keine Treffer/);
    });

    test('seats by email domain: a confirmed address takes one, an unconfirmed one of the domain gets nothing, a full institution says so', async () => {
      const id = await institution(t, admin, { name: 'Gymnasium am Park', kind: 'school', domains: 'gymnasium-park.example', seats: '1' });
      const { articleId, keyId } = await t.page(EXTRA_PLUS_SLUGS[0]!);
      const seats = async () => (await t.store.db.selectFrom('institution_members').select('user_id').where('institution_id', '=', id).execute()).map((r) => r.user_id);

      const unconfirmed = await t.unconfirmed('neu@gymnasium-park.example');
      const denied = await t.unlock(unconfirmed.browser, articleId, { keyId }, {}, OUTSIDE);
      assert.equal(denied.status, 403);
      assert.equal(denied.json.key, undefined);
      assert.deepEqual(await seats(), [], 'an unconfirmed address takes no seat');

      const teacher = (await t.reader('reader', 'lehrerin@gymnasium-park.example')).browser;
      const stale = await t.unlock(teacher, articleId, { keyId: 'AAAAAAAAAA' }, {}, OUTSIDE);
      assert.equal(stale.status, 409);
      assert.deepEqual(await seats(), [], 'a stale page takes no seat');

      const granted = await t.unlock(teacher, articleId, { keyId }, {}, OUTSIDE);
      assert.equal(granted.status, 200);
      assert.equal(granted.json.reason, 'institution');
      assert.deepEqual(granted.json.institution, { name: 'Gymnasium am Park' });
      assert.equal((await seats()).length, 1);

      const second = await t.reader('reader', 'schueler@gymnasium-park.example');
      const full = await t.unlock(second.browser, articleId, { keyId }, {}, OUTSIDE);
      assert.equal(full.status, 403);
      assert.equal(full.json.key, undefined);
      assert.match(String(full.json.message), /Alle Plätze von „Gymnasium am Park“ sind vergeben/);
      const page = await second.browser.get(`/artikel/${EXTRA_PLUS_SLUGS[0]}/klartext`);
      assert.equal(page.status, 403);
      assert.match(page.text, /Alle Plätze von „Gymnasium am Park“ sind vergeben/);
      assert.equal((await seats()).length, 1);

      // the admin frees the seat: the second reader takes it
      await admin.get(`/verlag/institutionen/${id}`);
      const freed = await admin.post(`/verlag/institutionen/${id}/plaetze/${(await seats())[0]}/freigeben`, {});
      assert.equal(freed.status, 303);
      assert.equal((await t.unlock(second.browser, articleId, { keyId }, {}, OUTSIDE)).json.reason, 'institution');
      assert.deepEqual(await seats(), [second.userId]);
    });

    test('expired (the day after the end date, Berlin) and revoked institutions grant nothing', async () => {
      const id = await institution(t, admin, { name: 'Firma Befristet', kind: 'company', networks: '192.0.2.128/28' });
      assert.equal((await guestAt('192.0.2.130')).json.reason, 'institution');
      const saved = t.clock.now;
      try {
        t.clock.now = new Date('2100-01-01T00:30:00+01:00');
        assert.equal((await guestAt('192.0.2.130')).status, 403, 'the end day 2099-12-31 has passed in Berlin');
      } finally { t.clock.now = saved; }
      await admin.get(`/verlag/institutionen/${id}`);
      assert.equal((await admin.post(`/verlag/institutionen/${id}/widerrufen`, {})).status, 303);
      const r = await guestAt('192.0.2.130');
      assert.equal(r.status, 403, 'revoked: at once in this process');
      assert.equal(r.json.key, undefined);
    });
  });

  describe(`institutional access behind a trusted proxy on ${engine}`, () => {
    let t: PaywallTestApp;
    before(async () => {
      t = await createPaywallTestApp(engine, { meterPerMonth: 0, env: { KLARTEXT_TRUST_PROXY: PROXY } });
      const admin = (await loggedInAs(t, 'admin', 'admin-proxy@example.de')).browser;
      await institution(t, admin, { name: 'Stadtbibliothek Brackenau', networks: '192.0.2.0/26' });
    });
    after(async () => { await t.close(); });

    test('the address the trusted proxy appended counts; one the client wrote left of it, or sent past the proxy, does not', async () => {
      const { articleId, keyId } = await t.page(PLUS_SLUG);
      const viaProxy = await t.unlock(null, articleId, { keyId }, { 'x-forwarded-for': INSIDE }, PROXY);
      assert.equal(viaProxy.status, 200, 'the proxy saw the library’s address');
      assert.equal(viaProxy.json.reason, 'institution');
      assert.equal((await t.unlock(null, articleId, { keyId }, { 'x-forwarded-for': `${INSIDE}, ${OUTSIDE}` }, PROXY)).status, 403, 'forged left of the real one');
      assert.equal((await t.unlock(null, articleId, { keyId }, { 'x-forwarded-for': INSIDE }, OUTSIDE)).status, 403, 'not from the proxy');
    });
  });
}
