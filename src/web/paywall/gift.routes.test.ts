// Gift links through app.request(): who may give, ten a month, the link opens one article for 14 days (clock moved, not slept), revocation, CSRF.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createGiftLink } from '../../access/index.ts';
import { grantSubscription, revokeSubscriptions } from '../../billing/index.ts';
import { testEngines } from '../../db/test-stores.ts';
import { TestBrowser } from '../../testing/test-browser.ts';
import { createPaywallTestApp, EXTRA_PLUS_SLUGS, FREE_SLUG, PLUS_SLUG, type PaywallTestApp } from '../../testing/paywall-fixtures.ts';

const DAY = 24 * 3600_000;

for (const engine of testEngines()) {
  describe(`gift links on ${engine}`, () => {
    let t: PaywallTestApp;
    before(async () => { t = await createPaywallTestApp(engine); });
    after(async () => { await t.close(); });

    async function give(browser: TestBrowser, slug = PLUS_SLUG): Promise<{ status: number; token?: string; id?: string }> {
      await browser.get(`/artikel/${slug}/verschenken`);
      const r = await browser.post(`/artikel/${slug}/verschenken`, {});
      if (r.status !== 303) return { status: r.status };
      const id = new URL(r.location!, 'http://localhost').searchParams.get('neu')!;
      const list = await browser.get(r.location!);
      const token = new RegExp(`/artikel/${slug}\\?geschenk=([A-Za-z0-9_-]{43})`).exec(list.text)![1]!;
      return { status: 303, token, id };
    }

    test('guests are sent to login; readers without subscription and free articles are refused', async () => {
      const guest = await new TestBrowser(t.app).get(`/artikel/${PLUS_SLUG}/verschenken`);
      assert.equal(guest.status, 303);
      assert.equal(guest.location, `/anmelden?weiter=%2Fartikel%2F${PLUS_SLUG}%2Fverschenken`);
      const { browser } = await t.reader('reader');
      const refused = await browser.get(`/artikel/${PLUS_SLUG}/verschenken`);
      assert.equal(refused.status, 403);
      // A 403 alone could be any guard; the reason must be the missing subscription.
      assert.match(refused.text, /Artikel verschenken können Abonnentinnen und Abonnenten/);
      const sub = await t.reader('subscriber');
      assert.equal((await sub.browser.get(`/artikel/${FREE_SLUG}/verschenken`)).status, 400);
    });

    test('a subscriber makes a link; a stranger unlocks that article with it, not another one, and a reader spends no meter on it', async () => {
      const { browser } = await t.reader('subscriber');
      const page = await browser.get(`/artikel/${PLUS_SLUG}/verschenken`);
      assert.match(page.text, /noch <strong>10 von 10<\/strong>/);
      assert.equal(page.headers.get('cache-control'), 'private, no-store');
      const { token } = await give(browser);
      const { articleId, keyId } = await t.page(PLUS_SLUG);
      const stranger = await t.unlock(null, articleId, { keyId, gift: token });
      assert.equal(stranger.status, 200);
      assert.equal(stranger.json.reason, 'gift');
      const other = await t.page(EXTRA_PLUS_SLUGS[0]!);
      const wrongArticle = await t.unlock(null, other.articleId, { keyId: other.keyId, gift: token });
      assert.equal(wrongArticle.status, 403);
      assert.equal(wrongArticle.json.gift, 'unknown');
      const metered = await t.reader('reader');
      const r = await t.unlock(metered.browser, articleId, { keyId, gift: token });
      assert.equal(r.json.reason, 'gift');
      const rows = await t.store.db.selectFrom('meter_unlocks').selectAll().where('user_id', '=', metered.userId).execute();
      assert.equal(rows.length, 0);
    });

    test('the link expires after 14 days: 403 with a message and the offer', async () => {
      const { browser } = await t.reader('subscriber');
      const { token } = await give(browser);
      const { articleId, keyId } = await t.page(PLUS_SLUG);
      const saved = t.clock.now;
      try {
        t.clock.now = new Date(saved.getTime() + 14 * DAY - 60_000);
        assert.equal((await t.unlock(null, articleId, { keyId, gift: token })).status, 200, 'still valid a minute before');
        t.clock.now = new Date(saved.getTime() + 14 * DAY + 60_000);
        const late = await t.unlock(null, articleId, { keyId, gift: token });
        assert.equal(late.status, 403);
        assert.equal(late.json.gift, 'expired');
        assert.match(String(late.json.message), /abgelaufen/);
        assert.ok(late.json.offer);
      } finally {
        t.clock.now = saved;
      }
    });

    test('revoking: the link stops working at once, is shown as withdrawn, and nobody else can revoke it', async () => {
      const giver = await t.reader('subscriber');
      const { token, id } = await give(giver.browser);
      const { articleId, keyId } = await t.page(PLUS_SLUG);
      const intruder = await t.reader('subscriber');
      await intruder.browser.get('/konto/geschenke');
      assert.equal((await intruder.browser.post(`/konto/geschenke/${id}/widerrufen`, {})).status, 404);
      assert.equal((await t.unlock(null, articleId, { keyId, gift: token })).status, 200);
      await giver.browser.get('/konto/geschenke');
      const noCsrf = await giver.browser.post(`/konto/geschenke/${id}/widerrufen`, { _csrf: '' });
      assert.equal(noCsrf.status, 403);
      assert.match(noCsrf.text, /CSRF/);
      assert.equal((await t.unlock(null, articleId, { keyId, gift: token })).status, 200, 'a refused revocation leaves the link working');
      const revoked = await giver.browser.post(`/konto/geschenke/${id}/widerrufen`, {});
      assert.equal(revoked.status, 303);
      const r = await t.unlock(null, articleId, { keyId, gift: token });
      assert.equal(r.status, 403);
      assert.equal(r.json.gift, 'revoked');
      assert.match(String(r.json.message), /zurückgezogen/);
      const list = await giver.browser.get('/konto/geschenke');
      assert.match(list.text, /zurückgezogen/);
      assert.doesNotMatch(list.text, new RegExp(`value="[^"]*${token}`), 'a revoked link is no longer offered for copying');
    });

    test('ten gift links per Berlin month, the eleventh is refused; the next month there are ten again', async () => {
      const { browser, userId } = await t.reader('subscriber');
      for (let i = 0; i < 10; i++) assert.equal((await give(browser, [PLUS_SLUG, ...EXTRA_PLUS_SLUGS][i % 4])).status, 303, `link ${i + 1}`);
      const eleventh = await give(browser);
      assert.equal(eleventh.status, 429);
      const count = await t.store.db.selectFrom('gift_links').selectAll().where('user_id', '=', userId).execute();
      assert.equal(count.length, 10);
      const saved = t.clock.now;
      try {
        t.clock.now = new Date(Date.UTC(saved.getUTCFullYear(), saved.getUTCMonth() + 1, 1, 12));
        assert.equal((await give(browser)).status, 303);
      } finally {
        t.clock.now = saved;
      }
    });

    test('an unconfirmed subscriber cannot make gift links: the page and the form say so, and the service refuses too', async () => {
      const fresh = await t.unconfirmed();
      await grantSubscription(t.store.db, { userId: fresh.userId, days: 30, now: t.clock.now });
      const page = await fresh.browser.get(`/artikel/${PLUS_SLUG}/verschenken`);
      assert.equal(page.status, 403);
      assert.match(page.text, /bestätigen Sie zuerst Ihre E-Mail-Adresse/);
      assert.equal((await fresh.browser.post(`/artikel/${PLUS_SLUG}/verschenken`, {})).status, 403);
      const { articleId } = await t.page(PLUS_SLUG);
      await assert.rejects(createGiftLink(t.store.db, { userId: fresh.userId, articleId, now: t.clock.now }), { code: 'forbidden' });
      const links = await t.store.db.selectFrom('gift_links').selectAll().where('user_id', '=', fresh.userId).execute();
      assert.equal(links.length, 0);
      const confirmed = await fresh.confirm();
      assert.equal((await give(confirmed)).status, 303, 'confirmed, the subscriber may give');
    });

    test('a gift link stops working when the giver\'s subscription is revoked, says so, and works again with a new one', async () => {
      const giver = await t.reader('subscriber');
      const { token } = await give(giver.browser);
      const { articleId, keyId } = await t.page(PLUS_SLUG);
      assert.equal((await t.unlock(null, articleId, { keyId, gift: token })).status, 200);
      // what `klartext subscription revoke --email …` does
      assert.equal(await revokeSubscriptions(t.store.db, { userId: giver.userId, now: t.clock.now }), 1);
      const lapsed = await t.unlock(null, articleId, { keyId, gift: token });
      assert.equal(lapsed.status, 403);
      assert.equal(lapsed.json.gift, 'lapsed');
      assert.match(String(lapsed.json.message), /^Dieser Geschenk-Link gilt nicht mehr\./);
      assert.equal(lapsed.json.key, undefined);
      const noJs = await t.app.request(`/artikel/${PLUS_SLUG}/klartext?geschenk=${token}`);
      assert.equal(noJs.status, 403);
      assert.match(await noJs.text(), /Dieser Geschenk-Link gilt nicht mehr/);
      const list = await giver.browser.get('/konto/geschenke');
      assert.match(list.text, /gilt nicht mehr/);
      await grantSubscription(t.store.db, { userId: giver.userId, days: 30, now: t.clock.now });
      assert.equal((await t.unlock(null, articleId, { keyId, gift: token })).status, 200, 'the link lasts as long as the giver may read Plus');
    });

    test('a link whose giver has no confirmed address (made before confirming was required) does not open', async () => {
      const giver = await t.reader('subscriber');
      const { token } = await give(giver.browser);
      await t.store.db.updateTable('users').set({ email_verified_at: null }).where('id', '=', giver.userId).execute();
      const { articleId, keyId } = await t.page(PLUS_SLUG);
      const r = await t.unlock(null, articleId, { keyId, gift: token });
      assert.equal(r.status, 403);
      assert.equal(r.json.gift, 'lapsed');
    });

    test('making a link needs the CSRF token', async () => {
      const { browser } = await t.reader('subscriber');
      await browser.get(`/artikel/${PLUS_SLUG}/verschenken`);
      const before = (await t.store.db.selectFrom('gift_links').selectAll().execute()).length;
      const r = await browser.post(`/artikel/${PLUS_SLUG}/verschenken`, { _csrf: '' });
      assert.equal(r.status, 403);
      assert.match(r.text, /CSRF/);
      assert.equal((await t.store.db.selectFrom('gift_links').selectAll().execute()).length, before, 'no link was made');
    });
  });
}
