// Server-side insight events and order attribution on every engine: checkout, order (attributed to a checked Plus article and variant), registration from a paywall, meter unlock, gift link opened, cancellation — and forged attribution fields ignored.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { testEngines } from '../../db/test-stores.ts';
import { createPaywallTestApp, FREE_SLUG, PLUS_SLUG, type PaywallTestApp } from '../../testing/paywall-fixtures.ts';
import { TestBrowser } from '../../testing/test-browser.ts';
import { createGiftLink } from '../../access/index.ts';

const IBAN = 'DE89370400440532013000';
const hidden = (html: string, name: string): string => new RegExp(`name="${name}" value="([^"]*)"`).exec(html)?.[1] ?? '';

async function events(t: PaywallTestApp, kind?: string) {
  await t.klartext.analytics.flush();
  let q = t.store.db.selectFrom('analytics_events').select(['kind', 'article_id', 'offer_id', 'variant_id', 'detail']);
  if (kind) q = q.where('kind', '=', kind);
  return q.execute();
}

async function withApp(engine: string, fn: (t: PaywallTestApp, ids: { plus: string; free: string; offer: string; variant: string }) => Promise<void>) {
  const t = await createPaywallTestApp(engine);
  try {
    const at = t.clock.now.toISOString();
    await t.store.db.insertInto('experiments').values({ id: 'exp1', name: 'Box-Test', state: 'running', created_by: null, created_at: at, started_at: at, ended_at: null }).execute();
    await t.store.db.insertInto('experiment_variants').values({ id: 'varB', experiment_id: 'exp1', key: 'B', headline: 'B', body: '', offer_id: null, share: 50, position: 1 }).execute();
    const offer = await t.store.db.selectFrom('offers').select('id').where('slug', '=', 'plus-digital').executeTakeFirstOrThrow();
    await fn(t, { plus: (await t.page(PLUS_SLUG)).articleId, free: (await t.page(FREE_SLUG)).articleId, offer: offer.id, variant: 'varB' });
  } finally {
    await t.close();
  }
}

/** Opens the order page (with the query the page script adds) and orders by SEPA with the form's own fields, `over` replacing some. */
async function order(browser: TestBrowser, query: string, over: Record<string, string> = {}) {
  const page = await browser.get(`/abo/bestellen/plus-digital${query}`);
  assert.equal(page.status, 200);
  const r = await browser.post('/abo/bestellen/plus-digital', {
    priceKey: hidden(page.text, 'priceKey'), orderKey: hidden(page.text, 'orderKey'), next: hidden(page.text, 'next'),
    herkunft: hidden(page.text, 'herkunft'), variante: hidden(page.text, 'variante'),
    method: 'sepa', holderName: 'Ina Beispiel', iban: IBAN, mandate: 'on', consent: 'on', ...over,
  });
  assert.equal(r.status, 303, r.text.slice(0, 400));
  return page;
}

for (const engine of testEngines()) {
  test(`[${engine}] checkout and order carry the attribution: the subscription stores the Plus article and the variant`, async () => {
    await withApp(engine, async (t, ids) => {
      const { browser, userId } = await t.reader('reader');
      const page = await order(browser, `?next=/artikel/${PLUS_SLUG}&herkunft=${ids.plus}&variante=${ids.variant}`);
      assert.equal(hidden(page.text, 'herkunft'), ids.plus, 'the checked article is in the order form');
      assert.equal(hidden(page.text, 'variante'), ids.variant);
      const sub = await t.store.db.selectFrom('subscriptions').selectAll().where('user_id', '=', userId).executeTakeFirstOrThrow();
      assert.equal(sub.attributed_article_id, ids.plus);
      assert.equal(sub.experiment_variant_id, ids.variant);
      assert.deepEqual(await events(t, 'checkout'), [{ kind: 'checkout', article_id: ids.plus, offer_id: ids.offer, variant_id: ids.variant, detail: null }]);
      assert.deepEqual(await events(t, 'order'), [{ kind: 'order', article_id: ids.plus, offer_id: ids.offer, variant_id: ids.variant, detail: null }]);
    });
  });

  test(`[${engine}] a forged herkunft (a free or unknown article) or variante is ignored, not an error; the order goes through unattributed`, async () => {
    await withApp(engine, async (t, ids) => {
      for (const [herkunft, variante] of [[ids.free, 'GibtEsNicht'], ['GibtEsNicht123', ''], ['<script>', '../x']] as const) {
        const { browser, userId } = await t.reader('reader');
        const page = await order(browser, `?herkunft=${encodeURIComponent(herkunft)}&variante=${encodeURIComponent(variante)}`, { herkunft, variante });
        assert.equal(hidden(page.text, 'herkunft'), '', 'not echoed into the form');
        assert.doesNotMatch(page.text, /<script>/);
        const sub = await t.store.db.selectFrom('subscriptions').selectAll().where('user_id', '=', userId).executeTakeFirstOrThrow();
        assert.equal(sub.attributed_article_id, null, herkunft);
        assert.equal(sub.experiment_variant_id, null, variante);
      }
      const orders = await events(t, 'order');
      assert.equal(orders.length, 3);
      assert.ok(orders.every((e) => e.article_id === null && e.variant_id === null));
    });
  });

  test(`[${engine}] the attribution survives registering at checkout, which counts as a registration from that paywall`, async () => {
    await withApp(engine, async (t, ids) => {
      const b = new TestBrowser(t.app);
      const start = await b.get(`/abo/bestellen/plus-digital?next=/artikel/${PLUS_SLUG}&herkunft=${ids.plus}`);
      assert.equal(start.status, 200);
      assert.deepEqual(await events(t, 'checkout'), [], 'a guest at the login step has not started the order form yet');
      const reg = await b.post(`/abo/bestellen/plus-digital/registrieren?next=%2Fartikel%2F${PLUS_SLUG}&herkunft=${ids.plus}`, {
        newEmail: `neu-${engine}@example.de`, newPassword: 'Regenbogen-Fahrrad-7', acceptTerms: 'on', acceptPrivacy: 'on',
      });
      assert.equal(reg.status, 303);
      assert.match(reg.location!, new RegExp(`herkunft=${ids.plus}`));
      await order(b, reg.location!.replace('/abo/bestellen/plus-digital', ''));
      const sub = await t.store.db.selectFrom('subscriptions').selectAll().where('buyer_email', '=', `neu-${engine}@example.de`).executeTakeFirstOrThrow();
      assert.equal(sub.attributed_article_id, ids.plus);
      assert.deepEqual(await events(t, 'registration'), [{ kind: 'registration', article_id: ids.plus, offer_id: null, variant_id: null, detail: null }]);
    });
  });

  test(`[${engine}] /registrieren from a paywall counts with its article; from a free article or nowhere it does not`, async () => {
    await withApp(engine, async (t, ids) => {
      let n = 0;
      const registerFrom = async (weiter: string | null) => {
        const b = new TestBrowser(t.app, {}, { incoming: { socket: { remoteAddress: `198.51.100.${++n}`, remoteFamily: 'IPv4', remotePort: 1 } } });
        const form = await b.get(`/registrieren${weiter ? `?weiter=${encodeURIComponent(weiter)}` : ''}`);
        if (weiter?.includes(PLUS_SLUG)) assert.equal(hidden(form.text, 'weiter'), weiter);
        const r = await b.post('/registrieren', { email: `r${n}-${engine}@example.de`, password: 'Regenbogen-Fahrrad-7', acceptTerms: 'on', acceptPrivacy: 'on', weiter: hidden(form.text, 'weiter') });
        assert.equal(r.status, 200);
      };
      await registerFrom(`/artikel/${PLUS_SLUG}`);
      await registerFrom(`/artikel/${FREE_SLUG}`);
      await registerFrom(null);
      await registerFrom('https://boese.example/artikel/x');
      assert.deepEqual(await events(t, 'registration'), [{ kind: 'registration', article_id: ids.plus, offer_id: null, variant_id: null, detail: null }]);
    });
  });

  test(`[${engine}] a meter unlock is counted when it uses up a free article, not when the article is read again; an opened gift link is counted`, async () => {
    await withApp(engine, async (t, ids) => {
      const { browser } = await t.reader('reader');
      const { keyId } = await t.page(PLUS_SLUG);
      assert.equal((await t.unlock(browser, ids.plus, { keyId })).json.reason, 'meter');
      assert.equal((await t.unlock(browser, ids.plus, { keyId })).json.reason, 'meter');
      assert.deepEqual(await events(t, 'meter_unlock'), [{ kind: 'meter_unlock', article_id: ids.plus, offer_id: null, variant_id: null, detail: null }]);
      const giver = await t.reader('subscriber');
      const gift = await createGiftLink(t.store.db, { userId: giver.userId, articleId: ids.plus, now: t.clock.now });
      assert.equal((await t.unlock(null, ids.plus, { keyId, gift: gift.token })).json.reason, 'gift');
      assert.deepEqual(await events(t, 'gift_open'), [{ kind: 'gift_open', article_id: ids.plus, offer_id: null, variant_id: null, detail: null }]);
      // a subscriber's read is neither
      await t.unlock(giver.browser, ids.plus, { keyId });
      assert.equal((await events(t)).filter((e) => e.kind === 'meter_unlock' || e.kind === 'gift_open').length, 2);
    });
  });

  test(`[${engine}] a cancellation in Mein Konto and by the cancellation button is counted once, with the offer and its kind`, async () => {
    await withApp(engine, async (t, ids) => {
      const { browser } = await t.reader('reader', 'kuendigt@example.de');
      await order(browser, '');
      const konto = await browser.get('/konto/abo');
      const abo = hidden(konto.text, 'abo');
      assert.ok(abo, 'the subscription card has its cancel form');
      assert.equal((await browser.post('/konto/abo/kuendigen', { abo })).status, 303);
      assert.equal((await browser.post('/konto/abo/kuendigen', { abo })).status, 409, 'cancelled already: refused, and not counted again');
      const form = await new TestBrowser(t.app).get('/kuendigen');
      const submitKey = /name="submitKey" value="([^"]+)"/.exec(form.text)![1]!;
      const guest = new TestBrowser(t.app);
      await guest.get('/kuendigen');
      const fields = { kind: 'extraordinary', reason: 'Umzug ins Ausland', name: 'Ina Beispiel', email: 'fremd@example.de', contract: 'unbekannt', submitKey };
      assert.equal((await guest.post('/kuendigen', fields)).status, 303);
      assert.equal((await guest.post('/kuendigen', fields)).status, 303, 'the same form again');
      const counted = (await events(t, 'cancellation')).map((e) => [e.offer_id, e.detail]);
      assert.deepEqual(counted.sort(), [[ids.offer, 'ordinary'], [null, 'extraordinary']].sort());
    });
  });
}
