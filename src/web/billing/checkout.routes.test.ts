// The checkout over HTTP on both engines: inline login/registration, the order with its refusals, double submits, CSRF, thank-you page, gift codes.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { testEngines } from '../../db/test-stores.ts';
import { DEMO_OFFERS, ensureOffers, updateOffer } from '../../billing/index.ts';
import { createTestApp, type TestApp } from '../../testing/test-app.ts';
import { TestBrowser } from '../../testing/test-browser.ts';
import { loggedInAs } from '../../testing/test-accounts.ts';

const IBAN = 'DE89370400440532013000';
const hidden = (html: string, name: string): string => new RegExp(`name="${name}" value="([^"]*)"`).exec(html)?.[1] ?? '';

/** The fields the page rendered, plus a valid SEPA order; `over` changes or removes (undefined) fields. */
function orderFields(html: string, over: Record<string, string | undefined> = {}): Record<string, string> {
  const base: Record<string, string | undefined> = {
    priceKey: hidden(html, 'priceKey'), orderKey: hidden(html, 'orderKey'), next: hidden(html, 'next'), method: 'sepa',
    holderName: 'Ina Beispiel', iban: IBAN, bic: '', mandate: 'on', consent: 'on',
  };
  const gift = hidden(html, 'giftMonths');
  if (gift) base.giftMonths = gift;
  return Object.fromEntries(Object.entries({ ...base, ...over }).filter((e): e is [string, string] => e[1] !== undefined));
}

for (const engine of testEngines()) {
  describe(`checkout routes (${engine})`, () => {
    let t: TestApp;
    const clock = { now: new Date('2026-11-20T10:00:00Z') };
    const subscriptions = async () => Number((await t.store.db.selectFrom('subscriptions').select((e) => e.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
    const mailsTo = async (to: string, subject: RegExp) => (await t.store.db.selectFrom('mail_outbox').selectAll().where('recipient', '=', to).execute()).filter((m) => subject.test(m.subject));
    let n = 0;
    const reader = async () => loggedInAs(t, 'reader', `leser-${++n}-${engine}@example.de`);

    before(async () => {
      t = await createTestApp(engine, { now: () => clock.now });
      await ensureOffers(t.store.db, DEMO_OFFERS, clock.now);
    });
    after(async () => { await t.close(); });

    test('a guest gets login and registration forms on the checkout page, keeping next, and no order button', async () => {
      const r = await new TestBrowser(t.app).get('/abo/bestellen/plus-digital?next=/artikel/haushalt-in-not');
      assert.equal(r.status, 200);
      assert.match(r.text, /action="\/abo\/bestellen\/plus-digital\/anmelden\?next=%2Fartikel%2Fhaushalt-in-not"/);
      assert.match(r.text, /action="\/abo\/bestellen\/plus-digital\/registrieren\?next=%2Fartikel%2Fhaushalt-in-not"/);
      assert.match(r.text, /1,00\u00a0€ im ersten Monat, danach 9,99\u00a0€ monatlich/);
      assert.doesNotMatch(r.text, /zahlungspflichtig bestellen/);
    });

    test('a foreign next is dropped; registering inline logs in and returns to the checkout with next kept', async () => {
      const b = new TestBrowser(t.app);
      const evil = await b.get('/abo/bestellen/plus-digital?next=https://boese.example/x');
      assert.doesNotMatch(evil.text, /boese\.example/);
      await b.get('/abo/bestellen/plus-digital?next=/artikel/haushalt-in-not');
      const reg = await b.post('/abo/bestellen/plus-digital/registrieren?next=%2Fartikel%2Fhaushalt-in-not', {
        newEmail: `neu-${engine}@example.de`, newPassword: 'Regenbogen-Fahrrad-7', acceptTerms: 'on', acceptPrivacy: 'on',
      });
      assert.equal(reg.status, 303, reg.text.slice(0, 300));
      assert.equal(reg.location, '/abo/bestellen/plus-digital?next=%2Fartikel%2Fhaushalt-in-not');
      const page = await b.get(reg.location!);
      assert.match(page.text, /zahlungspflichtig bestellen/);
      assert.equal(hidden(page.text, 'next'), '/artikel/haushalt-in-not');
      assert.equal((await mailsTo(`neu-${engine}@example.de`, /bestätigen/)).length, 1);
    });

    test('a wrong password at the inline login re-renders the checkout with the problem (401)', async () => {
      const { browser } = await reader();
      const guest = new TestBrowser(t.app);
      await guest.get('/abo/bestellen/plus-digital');
      const r = await guest.post('/abo/bestellen/plus-digital/anmelden', { email: `leser-${n}-${engine}@example.de`, password: 'falsch-falsch-falsch' });
      assert.equal(r.status, 401);
      assert.match(r.text, /Ich bin neu hier/);
      void browser;
    });

    test('the logged-in page has the summary above the button, the unticked consent and the hidden fields', async () => {
      const { browser } = await reader();
      const r = await browser.get('/abo/bestellen/plus-digital');
      assert.equal(r.status, 200);
      const summary = r.text.indexOf('order-summary');
      const button = r.text.indexOf('zahlungspflichtig bestellen</button>');
      assert.ok(summary > 0 && button > summary, 'summary comes before the button');
      assert.match(r.text, /Erste Zahlung/);
      assert.match(r.text, /Nächste Zahlung<\/dt><dd>9,99\u00a0€ am 20\.12\.2026/);
      assert.match(r.text, /Verträge hier kündigen/);
      assert.match(r.text, /<details class="checkout__withdrawal"><summary>Widerrufsbelehrung/);
      assert.match(r.text, /<input id="f-consent" name="consent" type="checkbox"\/?>/, 'consent unticked');
      assert.match(r.text, /DE98ZZZ09999999999/);
      assert.match(hidden(r.text, 'orderKey'), /^[A-Za-z0-9_-]{24}$/);
      assert.ok(hidden(r.text, 'priceKey'));
      assert.doesNotMatch(r.text, /über Stripe/, 'no Stripe without Stripe configured');
    });

    test('a bad IBAN is a 400 naming the problem at the IBAN field; nothing is created, the IBAN only in its input', async () => {
      const { browser } = await reader();
      const page = await browser.get('/abo/bestellen/plus-digital');
      const before = await subscriptions();
      const bad = 'DE89370400440532013001';
      const r = await browser.post('/abo/bestellen/plus-digital', orderFields(page.text, { iban: bad }));
      assert.equal(r.status, 400);
      assert.match(r.text, /id="iban-error">[^<]*Prüfziffer/);
      assert.equal(r.text.split(bad).length - 1, 1, 'the IBAN appears once: in its input');
      assert.match(r.text, new RegExp(`name="iban" type="text" value="${bad}"`));
      assert.equal(await subscriptions(), before);
    });

    test('without the consent the order is refused (400) and nothing is created', async () => {
      const { browser } = await reader();
      const page = await browser.get('/abo/bestellen/plus-digital');
      const before = await subscriptions();
      const r = await browser.post('/abo/bestellen/plus-digital', orderFields(page.text, { consent: undefined }));
      assert.equal(r.status, 400);
      assert.match(r.text, /id="consent-error">[^<]*Widerrufsrecht/);
      assert.doesNotMatch(r.text, /id="iban-error"/);
      assert.equal(await subscriptions(), before);
      const both = await browser.post('/abo/bestellen/plus-digital', orderFields(page.text, { consent: undefined, iban: 'DE00370400440532013000' }));
      assert.equal(both.status, 400);
      assert.match(both.text, /id="consent-error"/);
      assert.match(both.text, /id="iban-error">[^<]*Prüfziffer/, 'the IBAN problem is shown in the same round');
    });

    test('unknown and inactive offers have no order page (404)', async () => {
      const { browser } = await reader();
      assert.equal((await browser.get('/abo/bestellen/gibt-es-nicht')).status, 404);
      await updateOffer(t.store.db, 'plus-digital-jahr', { active: false }, clock.now);
      try {
        assert.equal((await browser.get('/abo/bestellen/plus-digital-jahr')).status, 404);
      } finally {
        await updateOffer(t.store.db, 'plus-digital-jahr', { active: true }, clock.now);
      }
      assert.equal((await browser.get('/abo/bestellen/geschenk-abo?monate=5')).status, 400);
    });

    test('a price change between page and order is refused with the new summary, and nothing is created', async () => {
      const { browser } = await reader();
      const page = await browser.get('/abo/bestellen/plus-digital-jahr');
      await updateOffer(t.store.db, 'plus-digital-jahr', { priceCents: 10900 }, clock.now);
      try {
        const before = await subscriptions();
        const r = await browser.post('/abo/bestellen/plus-digital-jahr', orderFields(page.text));
        assert.equal(r.status, 400);
        assert.match(r.text, /Preis oder Bedingungen dieses Angebots haben sich gerade geändert/);
        assert.match(r.text, /109,00\u00a0€ jährlich/);
        assert.notEqual(hidden(r.text, 'priceKey'), hidden(page.text, 'priceKey'));
        assert.equal(await subscriptions(), before);
      } finally {
        await updateOffer(t.store.db, 'plus-digital-jahr', { priceCents: 9900 }, clock.now);
      }
    });

    test('the same order sent twice makes one subscription and one confirmation mail, and both answers lead to the same page', async () => {
      const { browser } = await reader();
      const email = `leser-${n}-${engine}@example.de`;
      const page = await browser.get('/abo/bestellen/plus-digital?next=/artikel/haushalt-in-not');
      const fields = orderFields(page.text);
      const before = await subscriptions();
      const first = await browser.post('/abo/bestellen/plus-digital', fields);
      const second = await browser.post('/abo/bestellen/plus-digital', fields);
      assert.equal(first.status, 303, first.text.slice(0, 500));
      assert.match(first.location!, /^\/abo\/danke\?abo=[A-Z0-9-]+&next=%2Fartikel%2Fhaushalt-in-not$/);
      assert.equal(second.location, first.location);
      assert.equal(await subscriptions(), before + 1);
      const mails = await mailsTo(email, /Ihre Bestellung/);
      assert.equal(mails.length, 1);
      assert.match(mails[0]!.text_body, /Widerruf/);
      assert.match(mails[0]!.text_body, /Vorabankündigung/);

      const thanks = await browser.get(first.location!);
      assert.equal(thanks.status, 200);
      assert.match(thanks.text, /Plus Digital/);
      assert.match(thanks.text, /Erste Abbuchung<\/dt><dd>1,00\u00a0€ am 22\.11\.2026/);
      assert.match(thanks.text, /href="\/artikel\/haushalt-in-not" data-continue="true">Weiterlesen/);
      assert.doesNotMatch(thanks.text, new RegExp(IBAN));

      // someone else's number is not shown
      const other = await reader();
      assert.equal((await other.browser.get(first.location!)).status, 404);
      // a second running Plus subscription is refused
      const again = await browser.get('/abo/bestellen/plus-digital');
      const conflict = await browser.post('/abo/bestellen/plus-digital', orderFields(again.text));
      assert.equal(conflict.status, 409);
      assert.match(conflict.text, /bereits ein laufendes Plus-Abo/);
    });

    test('posts without a CSRF token are refused (403) and create nothing', async () => {
      const { browser } = await reader();
      const page = await browser.get('/abo/bestellen/plus-digital');
      const before = await subscriptions();
      const r = await browser.post('/abo/bestellen/plus-digital', { ...orderFields(page.text), _csrf: '' });
      assert.equal(r.status, 403);
      assert.equal((await browser.post('/abo/einloesen', { code: 'ABCDEFGHJKLM', _csrf: '' })).status, 403);
      assert.equal(await subscriptions(), before);
    });

    test('without Stripe configured the webhook does not exist (404)', async () => {
      const r = await t.app.request('/api/stripe/webhook', { method: 'POST', body: '{}', headers: { 'content-type': 'application/json', 'stripe-signature': 't=1,v1=00' } });
      assert.equal(r.status, 404);
    });

    test('a gift is bought, its code comes by mail only, and another reader redeems it once', async () => {
      const buyer = await reader();
      const buyerEmail = `leser-${n}-${engine}@example.de`;
      const page = await buyer.browser.get('/abo/bestellen/geschenk-abo?monate=6');
      assert.match(page.text, /6 Monate für 59,94\u00a0€/);
      const r = await buyer.browser.post('/abo/bestellen/geschenk-abo', orderFields(page.text));
      assert.equal(r.status, 303, r.text.slice(0, 400));
      const mail = (await mailsTo(buyerEmail, /Ihre Bestellung/))[0]!;
      const code = /Ihr Geschenk-Code: ([A-Z0-9]{12})/.exec(mail.text_body)![1]!;
      const thanks = await buyer.browser.get(r.location!);
      assert.equal(thanks.status, 200);
      assert.doesNotMatch(thanks.text, new RegExp(code));
      assert.match(thanks.text, /nur per E-Mail/);

      const friend = await reader();
      assert.equal((await friend.browser.get('/abo/einloesen')).status, 200);
      const wrong = await friend.browser.post('/abo/einloesen', { code: 'FALSCH000000' });
      assert.equal(wrong.status, 400);
      assert.match(wrong.text, /id="code-error"/);
      const ok = await friend.browser.post('/abo/einloesen', { code: code.toLowerCase().replace(/(.{4})/g, '$1 ') });
      assert.equal(ok.status, 200);
      assert.match(ok.text, /Eingelöst: Ihr Geschenk-Abo läuft bis einschließlich 19\.05\.2027/);
      const sub = await t.store.db.selectFrom('subscriptions').selectAll().where('user_id', '=', friend.userId).executeTakeFirstOrThrow();
      assert.equal(sub.state, 'active');
      const third = await reader();
      assert.equal((await third.browser.post('/abo/einloesen', { code })).status, 400, 'a code works once');
    });
  });
}
