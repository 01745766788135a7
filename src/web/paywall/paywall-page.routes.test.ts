// The paywall in pages: the markup contract, one page for every reader, verified and spoofed crawlers, the no-JS reading page, /abo.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { PREMIUM_SENTENCES } from '../../content/content.fixtures.ts';
import { testEngines } from '../../db/test-stores.ts';
import { DEMO_OFFERS, ensureOffers, updateOffer } from '../../billing/index.ts';
import { TestBrowser } from '../../testing/test-browser.ts';
import { fromAddress } from '../../testing/remote-address.ts';
import {
  createPaywallTestApp, GOOGLEBOT_IP, GOOGLEBOT_UA, PLUS_SLUG, REGISTERED_SLUG, SPOOFER_IP, type PaywallTestApp,
} from '../../testing/paywall-fixtures.ts';

const leaks = (html: string): string[] => PREMIUM_SENTENCES.filter((s) => html.includes(s.slice(0, 50)));

for (const engine of testEngines()) {
  describe(`paywall pages on ${engine}`, () => {
    let t: PaywallTestApp;
    before(async () => { t = await createPaywallTestApp(engine); });
    after(async () => { await t.close(); });

    test('a Plus page carries the markup contract: note, decoy, hidden text region, offer box, ciphertext — and no premium text', async () => {
      const { html, articleId, keyId } = await t.page(PLUS_SLUG);
      assert.match(keyId, /^[A-Za-z0-9_-]{10}$/);
      assert.match(html, new RegExp(`<div id="premium" class="premium" data-article-id="${articleId}" data-key-id="${keyId}" data-unlock-url="/api/unlock/${articleId}">`));
      assert.match(html, /<p class="premium-note">Abonnentinnen und Abonnenten lesen diesen Artikel im Klartext/);
      assert.match(html, /<div class="premium-decoy" aria-hidden="true"><p>/);
      assert.match(html, /<div class="premium-text" hidden="" aria-live="polite"><\/div>/);
      assert.match(html, /1,00\u00a0€<\/strong> im ersten Monat/);
      assert.match(html, /danach 9,99\u00a0€ monatlich · monatlich kündbar/);
      assert.match(html, /href="\/anmelden\?weiter=%2Fartikel%2Fhaushalt-in-not"/);
      assert.match(html, /href="\/registrieren\?weiter=%2Fartikel%2Fhaushalt-in-not"/);
      assert.match(html, /data-paywall-message/);
      assert.match(html, /data-meter-status/);
      assert.match(html, /<noscript>.*href="\/artikel\/haushalt-in-not\/klartext"/s);
      assert.match(html, /<template id="premium-ciphertext">[A-Za-z0-9_-]{100,}<\/template>/);
      assert.deepEqual(leaks(html), []);
    });

    test('a registered article says it opens after login', async () => {
      const { html } = await t.page(REGISTERED_SLUG);
      assert.match(html, /Kostenlos weiterlesen nach Anmeldung/);
      assert.match(html, /Kostenlos registrieren/);
      assert.doesNotMatch(html, /Für die Mitglieder gibt es ab sofort einen eigenen Kraftraum/);
    });

    test('the page is byte-identical for a guest, a subscriber, a gift link and a spoofed Googlebot, and publicly cacheable', async () => {
      const { browser } = await t.reader('subscriber');
      const guest = await t.app.request(`/artikel/${PLUS_SLUG}`);
      const guestBody = await guest.text();
      assert.match(guest.headers.get('cache-control') ?? '', /^public/);
      const sub = await browser.get(`/artikel/${PLUS_SLUG}`);
      const gift = await t.app.request(`/artikel/${PLUS_SLUG}?geschenk=${'A'.repeat(43)}`);
      const spoofed = await t.app.request(`/artikel/${PLUS_SLUG}`, { headers: { 'user-agent': GOOGLEBOT_UA } }, fromAddress(SPOOFER_IP));
      assert.equal(sub.text, guestBody);
      assert.equal(await gift.text(), guestBody);
      assert.equal(await spoofed.text(), guestBody);
      assert.equal(sub.headers.get('etag'), guest.headers.get('etag'));
      assert.equal(sub.headers.get('set-cookie'), null);
    });

    test('a verified Googlebot gets the text in plain HTML on a private answer that is never cached for others', async () => {
      const crawler = await t.app.request(`/artikel/${PLUS_SLUG}`, { headers: { 'user-agent': GOOGLEBOT_UA } }, fromAddress(GOOGLEBOT_IP));
      assert.equal(crawler.status, 200);
      assert.match(crawler.headers.get('cache-control') ?? '', /private/);
      const html = await crawler.text();
      assert.equal(leaks(html).length, PREMIUM_SENTENCES.length, 'all premium text is there');
      assert.doesNotMatch(html, /premium-ciphertext/);
      const guest = await (await t.app.request(`/artikel/${PLUS_SLUG}`)).text();
      assert.deepEqual(leaks(guest), []);
    });

    test('no JavaScript: a guest gets 403 with the offer, private and noindex', async () => {
      const r = await t.app.request(`/artikel/${PLUS_SLUG}/klartext`);
      assert.equal(r.status, 403);
      assert.equal(r.headers.get('cache-control'), 'private, no-store');
      assert.equal(r.headers.get('x-robots-tag'), 'noindex');
      const html = await r.text();
      assert.match(html, /<meta name="robots" content="noindex"/);
      assert.match(html, /1,00\u00a0€/);
      assert.match(html, /Im Rathaus wird seit Wochen über den Haushalt gestritten/, 'the free lead is there');
      assert.deepEqual(leaks(html), []);
    });

    test('no JavaScript: a subscriber reads the plain text, private, uncached, noindex, with "Artikel verschenken"', async () => {
      const { browser } = await t.reader('subscriber');
      const r = await browser.get(`/artikel/${PLUS_SLUG}/klartext`);
      assert.equal(r.status, 200);
      assert.equal(r.headers.get('cache-control'), 'private, no-store');
      assert.equal(r.headers.get('x-robots-tag'), 'noindex');
      assert.equal(leaks(r.text).length, PREMIUM_SENTENCES.length);
      assert.match(r.text, /href="\/artikel\/haushalt-in-not\/verschenken"/);
      const guestAfter = await t.app.request(`/artikel/${PLUS_SLUG}/klartext`);
      assert.equal(guestAfter.status, 403, 'nothing of the subscriber answer was kept for the next one');
    });

    test('no JavaScript: a metered reader confirms with a POST (a link alone counts nothing), then reads', async () => {
      const { browser, userId } = await t.reader('reader');
      const rows = async () => (await t.store.db.selectFrom('meter_unlocks').selectAll().where('user_id', '=', userId).execute()).length;
      const ask = await browser.get(`/artikel/${PLUS_SLUG}/klartext`);
      assert.equal(ask.status, 200);
      assert.match(ask.text, /noch 3 von 3 Plus-Artikeln/);
      assert.deepEqual(leaks(ask.text), []);
      assert.equal(await rows(), 0);
      const forged = await browser.post(`/artikel/${PLUS_SLUG}/klartext`, { _csrf: 'x'.repeat(86) });
      assert.equal(forged.status, 403);
      assert.equal(await rows(), 0);
      const confirmed = await browser.post(`/artikel/${PLUS_SLUG}/klartext`, {});
      assert.equal(confirmed.status, 303);
      assert.equal(await rows(), 1);
      const read = await browser.get(confirmed.location!);
      assert.equal(leaks(read.text).length, PREMIUM_SENTENCES.length);
      assert.match(read.text, /Noch 2 Plus-Artikel frei in diesem Monat/);
      await browser.post(`/artikel/${PLUS_SLUG}/klartext`, {});
      assert.equal(await rows(), 1, 'confirming twice counts once');
    });

    test('no JavaScript: an unconfirmed reader is asked to confirm the address, with a button that sends the mail again; no meter page, nothing counted', async () => {
      const fresh = await t.unconfirmed();
      const rows = async () => (await t.store.db.selectFrom('meter_unlocks').selectAll().where('user_id', '=', fresh.userId).execute()).length;
      const page = await fresh.browser.get(`/artikel/${PLUS_SLUG}/klartext`);
      assert.equal(page.status, 403);
      assert.equal(page.headers.get('cache-control'), 'private, no-store');
      assert.match(page.text, /Bitte bestätigen Sie Ihre E-Mail-Adresse/);
      assert.doesNotMatch(page.text, /Artikel jetzt freischalten/, 'no meter confirmation');
      assert.deepEqual(leaks(page.text), []);
      const form = /<form method="post" action="\/konto\/bestaetigung"[^>]*>\s*<input type="hidden" name="_csrf" value="([^"]+)"/.exec(page.text);
      assert.ok(form, 'a resend form with the CSRF token');
      const posted = await fresh.browser.post(`/artikel/${PLUS_SLUG}/klartext`, {});
      assert.equal(posted.status, 303);
      assert.equal(await rows(), 0, 'posting the meter form directly counts nothing either');
      const mailsBefore = (await t.store.db.selectFrom('mail_outbox').select('id').where('recipient', '=', fresh.email).execute()).length;
      const resent = await fresh.browser.post('/konto/bestaetigung', { _csrf: form[1]! });
      assert.equal(resent.status, 303);
      assert.equal(resent.location, '/konto?ok=bestaetigung');
      const mailsAfter = (await t.store.db.selectFrom('mail_outbox').select('id').where('recipient', '=', fresh.email).execute()).length;
      assert.equal(mailsAfter, mailsBefore + 1, 'the confirmation mail was sent again');
      const confirmed = await fresh.confirm();
      const ask = await confirmed.get(`/artikel/${PLUS_SLUG}/klartext`);
      assert.equal(ask.status, 200);
      assert.match(ask.text, /noch 3 von 3 Plus-Artikeln/);
      assert.equal((await confirmed.post(`/artikel/${PLUS_SLUG}/klartext`, {})).status, 303);
      assert.equal(await rows(), 1);
    });

    test('no JavaScript: a gift link opens the plain text through ?geschenk= and through the page it came from', async () => {
      const { browser } = await t.reader('subscriber');
      await browser.get(`/artikel/${PLUS_SLUG}/verschenken`);
      const made = await browser.post(`/artikel/${PLUS_SLUG}/verschenken`, {});
      const list = await browser.get(made.location!);
      const token = /\?geschenk=([A-Za-z0-9_-]{43})/.exec(list.text)![1]!;
      const direct = await t.app.request(`/artikel/${PLUS_SLUG}/klartext?geschenk=${token}`);
      assert.equal(direct.status, 200);
      assert.equal(leaks(await direct.text()).length, PREMIUM_SENTENCES.length);
      const viaReferer = await t.app.request(`/artikel/${PLUS_SLUG}/klartext`, { headers: { referer: `http://localhost/artikel/${PLUS_SLUG}?geschenk=${token}` } });
      assert.equal(viaReferer.status, 200);
      const foreignReferer = await t.app.request(`/artikel/${PLUS_SLUG}/klartext`, { headers: { referer: `https://boese.example/artikel/${PLUS_SLUG}?geschenk=${token}` } });
      assert.equal(foreignReferer.status, 403);
    });

    test('/abo lists the active offers from the database with both prices and order links, keeps a safe next, and is cacheable', async () => {
      await ensureOffers(t.store.db, DEMO_OFFERS, t.clock.now);
      await updateOffer(t.store.db, 'plus-digital-jahr', { active: false }, t.clock.now);
      t.klartext.pageCache.clear();
      const r = await t.app.request('/abo');
      assert.equal(r.status, 200);
      assert.match(r.headers.get('cache-control') ?? '', /^public/);
      const html = await r.text();
      assert.match(html, /1,00\u00a0€ im ersten Monat, danach 9,99\u00a0€ monatlich/);
      assert.match(html, /href="\/abo\/bestellen\/plus-digital"/);
      assert.match(html, /href="\/abo\/bestellen\/geschenk-abo\?monate=6"/);
      assert.doesNotMatch(html, /plus-digital-jahr/, 'inactive offers are not listed');
      assert.doesNotMatch(html, /Bestellung in Kürze/);
      const withNext = await (await t.app.request(`/abo?next=/artikel/${PLUS_SLUG}`)).text();
      assert.match(withNext, new RegExp(`href="/abo/bestellen/plus-digital\\?next=/artikel/${PLUS_SLUG}"`));
      const foreign = await (await t.app.request('/abo?next=//boese.example/x')).text();
      assert.doesNotMatch(foreign, /boese/);
    });

    test('the offer box on a Plus article orders Plus Digital and comes back to the article', async () => {
      const { html } = await t.page(PLUS_SLUG);
      assert.match(html, new RegExp(`href="/abo/bestellen/plus-digital\\?next=/artikel/${PLUS_SLUG}" data-order-link`));
    });

    test('a guest without cookies never gets a cookie from a Plus page', async () => {
      const b = new TestBrowser(t.app);
      const r = await b.get(`/artikel/${PLUS_SLUG}`);
      assert.equal(r.headers.get('set-cookie'), null);
    });
  });
}
