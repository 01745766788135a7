// POST /api/beacon on every engine: valid events are stored with what the server knows; junk, oversized, forged, replayed, opted-out and flooding beacons are dropped; always 204; no IP, user agent or cookie kept.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { testEngines } from '../../db/test-stores.ts';
import { createPaywallTestApp, FREE_SLUG, PLUS_SLUG, REGISTERED_SLUG, type PaywallTestApp } from '../../testing/paywall-fixtures.ts';
import { fromAddress } from '../../testing/remote-address.ts';
import { localMetricsText } from '../../metrics/metrics.ts';
import { BeaconRateLimit, ReplayMemory } from './beacon-guard.ts';

const PV = 'AbCdEfGhIjKlMnOpQr';
const SAME_ORIGIN = { origin: 'http://localhost', 'sec-fetch-site': 'same-origin', 'content-type': 'text/plain;charset=UTF-8' };

async function beacon(t: PaywallTestApp, body: unknown, headers: Record<string, string> = {}, env?: object) {
  const res = await t.app.request('/api/beacon', {
    method: 'POST', body: typeof body === 'string' ? body : JSON.stringify(body), headers: { ...SAME_ORIGIN, ...headers },
  }, env);
  return { status: res.status, text: await res.text(), cookie: res.headers.get('set-cookie'), cache: res.headers.get('cache-control') };
}

async function stored(t: PaywallTestApp) {
  await t.klartext.analytics.flush();
  return t.store.db.selectFrom('analytics_events').selectAll().orderBy('kind').orderBy('article_id').execute();
}

const ids = async (t: PaywallTestApp) => ({ plus: (await t.page(PLUS_SLUG)).articleId, free: (await t.page(FREE_SLUG)).articleId, registered: (await t.page(REGISTERED_SLUG)).articleId });

test('the replay memory stays within two generations whatever arrives, and recognises a repeat', () => {
  const m = new ReplayMemory({ windowMs: 60_000, maxEntries: 100 });
  assert.equal(m.firstTime('a', 0), true);
  assert.equal(m.firstTime('a', 1000), false);
  for (let i = 0; i < 10_000; i++) m.firstTime(`k${i}`, 2000);
  assert.ok(m.size <= 200, `${m.size} entries`);
  const w = new ReplayMemory({ windowMs: 60_000, maxEntries: 100 });
  w.firstTime('b', 0);
  assert.equal(w.firstTime('b', 59_000), false, 'within the window');
  w.firstTime('c', 61_000); // a new generation starts
  assert.equal(w.firstTime('b', 62_000), false, 'still known from the previous generation');
  w.expire(121_000);
  assert.equal(w.size, 1, 'after a second window only the newer generation is left');
  w.expire(185_000);
  assert.equal(w.size, 0, 'nothing stays longer than two windows, even without new beacons');
});

test('the rate limit gives each connection its burst, then its rate; other connections are not affected', () => {
  const limit = new BeaconRateLimit({ burst: 3, perSecond: 2 });
  const a = {};
  const b = {};
  assert.deepEqual([1, 2, 3, 4].map(() => limit.take(a, 0)), [true, true, true, false]);
  assert.equal(limit.take(b, 0), true);
  assert.equal(limit.take(a, 500), true, 'half a second at 2/s refills one');
  assert.equal(limit.take(a, 500), false);
  assert.equal(limit.take('192.0.2.1', 0), true, 'behind a proxy: by client address');
});

for (const engine of testEngines()) {
  test(`[${engine}] a beacon from the page is stored with what the server knows, and answered 204 without a body`, async () => {
    const t = await createPaywallTestApp(engine);
    try {
      const { plus, free } = await ids(t);
      // the page claims "free" for the Plus article's view: the server writes the article's real access level
      const r = await beacon(t, { pv: PV, events: [{ k: 'view', a: plus, d: 'free' }, { k: 'paywall', a: plus, d: 'meter-used' }, { k: 'offer_click', a: plus, o: 'plus-digital' }, { k: 'view', a: free }] });
      assert.deepEqual(r, { status: 204, text: '', cookie: null, cache: 'private, no-store' });
      const offer = await t.store.db.selectFrom('offers').select('id').where('slug', '=', 'plus-digital').executeTakeFirstOrThrow();
      const rows = (await stored(t)).map((e) => [e.kind, e.article_id, e.offer_id, e.variant_id, e.detail]);
      assert.deepEqual(rows.sort(), [
        ['offer_click', plus, offer.id, null, null], ['paywall', plus, null, null, 'meter-used'], ['view', free, null, null, 'free'], ['view', plus, null, null, 'plus'],
      ].sort());
    } finally {
      await t.close();
    }
  });

  test(`[${engine}] junk is dropped with 204: not JSON, wrong type, unknown kind or key, bad page-view id, too many events, oversized`, async () => {
    const t = await createPaywallTestApp(engine);
    try {
      const { plus } = await ids(t);
      const view = { k: 'view', a: plus };
      const junk: [string, unknown, Record<string, string>?][] = [
        ['not JSON', '{"pv": '],
        ['an array', [view]],
        ['form-encoded', `pv=${PV}`, { 'content-type': 'application/x-www-form-urlencoded' }],
        ['unknown kind', { pv: PV, events: [{ k: 'order', a: plus }] }],
        ['unknown event key', { pv: PV, events: [{ ...view, ip: '1.2.3.4' }] }],
        ['unknown top-level key', { pv: PV, events: [view], user: 'x' }],
        ['short page-view id', { pv: 'abc', events: [view] }],
        ['page-view id with odd characters', { pv: 'AbCdEfGhIjKlMnOp<>', events: [view] }],
        ['no events', { pv: PV, events: [] }],
        ['eleven events', { pv: PV, events: Array.from({ length: 11 }, () => view) }],
        ['article id not an id', { pv: PV, events: [{ k: 'view', a: '../../etc' }] }],
        // valid JSON of a valid beacon, padded with whitespace past 4 KB: only the size limit drops it
        ['oversized', `{"pv": "${PV}", "events": [${JSON.stringify(view)}]${' '.repeat(5000)}}`],
        ['a declared body over the app limit', 'x', { 'content-length': String(2 * 1024 * 1024) }],
      ];
      for (const [why, body, headers] of junk) {
        const r = await beacon(t, body, headers);
        assert.equal(r.status, 204, why);
        assert.equal(r.text, '', why);
      }
      assert.deepEqual(await stored(t), []);
      assert.match(await localMetricsText(), /klartext_beacons_total\{outcome="junk"\} \d+/);
      assert.match(await localMetricsText(), /klartext_beacons_total\{outcome="oversized"\} \d+/);
    } finally {
      await t.close();
    }
  });

  test(`[${engine}] events naming what does not exist for readers are dropped: unknown article, paywall on a free or registered article, unknown offer, variant or meter state`, async () => {
    const t = await createPaywallTestApp(engine);
    try {
      const { plus, free, registered } = await ids(t);
      for (const events of [
        [{ k: 'view', a: 'GibtEsNicht123' }],
        [{ k: 'paywall', a: free, d: 'guest' }],
        [{ k: 'paywall', a: registered, d: 'guest' }],
        [{ k: 'paywall', a: plus, d: 'made-up' }],
        [{ k: 'offer_click', a: plus, o: 'gibt-es-nicht' }],
        [{ k: 'offer_click', a: plus }],
        [{ k: 'paywall', a: plus, d: 'guest', v: 'UnbekannteVariante' }],
      ]) {
        const r = await beacon(t, { pv: PV, events });
        assert.equal(r.status, 204, JSON.stringify(events));
      }
      assert.deepEqual(await stored(t), []);
      // an existing variant is accepted
      const at = new Date().toISOString();
      await t.store.db.insertInto('experiments').values({ id: 'exp1', name: 'Box-Test', state: 'running', created_by: null, created_at: at, started_at: at, ended_at: null }).execute();
      await t.store.db.insertInto('experiment_variants').values({ id: 'varB', experiment_id: 'exp1', key: 'B', headline: 'B', body: '', offer_id: null, share: 50, position: 1 }).execute();
      t.clock.now = new Date(t.clock.now.getTime() + 61_000); // the known variants are re-read once a minute
      await beacon(t, { pv: PV, events: [{ k: 'paywall', a: plus, d: 'guest', v: 'varB' }] });
      assert.deepEqual((await stored(t)).map((e) => [e.kind, e.variant_id, e.detail]), [['paywall', 'varB', 'guest']]);
    } finally {
      await t.close();
    }
  });

  test(`[${engine}] a replayed beacon counts once; another page view counts again`, async () => {
    const t = await createPaywallTestApp(engine);
    try {
      const { plus } = await ids(t);
      const body = { pv: PV, events: [{ k: 'view', a: plus }, { k: 'paywall', a: plus, d: 'guest' }] };
      for (let i = 0; i < 3; i++) assert.equal((await beacon(t, body)).status, 204);
      assert.equal((await stored(t)).length, 2);
      await beacon(t, { ...body, pv: 'ZyXwVuTsRqPoNmLkJi' });
      assert.equal((await stored(t)).length, 4);
    } finally {
      await t.close();
    }
  });

  test(`[${engine}] beacons from another site, or with Global Privacy Control or Do Not Track, are dropped`, async () => {
    const t = await createPaywallTestApp(engine);
    try {
      const { plus } = await ids(t);
      let n = 0;
      const body = () => ({ pv: `PageView${String(++n).padStart(10, '0')}`, events: [{ k: 'view', a: plus }] });
      const forged: Record<string, string>[] = [
        { origin: 'https://boese.example' },
        { origin: 'http://localhost.boese.example' },
        { 'sec-fetch-site': 'cross-site' },
        { 'sec-fetch-site': 'same-site' },
        { 'sec-gpc': '1' },
        { dnt: '1' },
      ];
      for (const headers of forged) {
        assert.equal((await beacon(t, body(), headers)).status, 204, JSON.stringify(headers));
      }
      assert.deepEqual(await stored(t), []);
      // the same beacon without those headers is stored (the drops above are the headers' doing)
      await beacon(t, body());
      assert.equal((await stored(t)).length, 1);
    } finally {
      await t.close();
    }
  });

  test(`[${engine}] a flood over one connection is cut at its burst and rate; another connection still counts`, async () => {
    const t = await createPaywallTestApp(engine, { beacon: { rateLimit: { burst: 5, perSecond: 1 } } });
    try {
      const { plus } = await ids(t);
      const flooder = fromAddress('198.51.100.7');
      for (let i = 0; i < 40; i++) assert.equal((await beacon(t, { pv: `Flood${String(i).padStart(13, '0')}`, events: [{ k: 'view', a: plus }] }, {}, flooder)).status, 204);
      assert.equal((await stored(t)).length, 5);
      await beacon(t, { pv: 'AnotherConnection1', events: [{ k: 'view', a: plus }] }, {}, fromAddress('198.51.100.7'));
      assert.equal((await stored(t)).length, 6, 'a new connection has its own bucket');
      t.clock.now = new Date(t.clock.now.getTime() + 2000);
      for (let i = 40; i < 45; i++) await beacon(t, { pv: `Flood${String(i).padStart(13, '0')}`, events: [{ k: 'view', a: plus }] }, {}, flooder);
      assert.equal((await stored(t)).length, 8, 'two seconds at 1/s: two more');
    } finally {
      await t.close();
    }
  });

  test(`[${engine}] a beacon keeps no IP, user agent, cookie or session, and sets no cookie`, async () => {
    const t = await createPaywallTestApp(engine, { env: { KLARTEXT_TRUST_PROXY: '1' } });
    try {
      const { plus } = await ids(t);
      const { browser } = await t.reader('reader', 'leserin@example.de');
      const cookie = [...browser.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
      assert.ok(cookie.length > 10, 'a signed-in reader sends a session cookie');
      const r = await beacon(t, { pv: PV, events: [{ k: 'view', a: plus }] }, {
        'user-agent': 'Mozilla/5.0 UniqueAgent/4711', 'x-forwarded-for': '203.0.113.77', cookie,
      }, fromAddress('192.0.2.55'));
      assert.equal(r.status, 204);
      assert.equal(r.cookie, null);
      const rows = await stored(t);
      assert.equal(rows.length, 1);
      const written = JSON.stringify(rows);
      for (const secret of ['203.0.113.77', '192.0.2.55', 'UniqueAgent', 'leserin', [...browser.cookies.values()][0]!.slice(0, 12)]) {
        assert.ok(!written.includes(secret), `${secret} must not be stored`);
      }
      assert.deepEqual(Object.keys(rows[0]!).sort(), ['article_id', 'at', 'day', 'detail', 'institution_id', 'kind', 'offer_id', 'variant_id']);
    } finally {
      await t.close();
    }
  });
}
