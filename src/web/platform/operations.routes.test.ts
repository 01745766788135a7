// /livez, /readyz and /metrics on every engine: liveness without the database, readiness (database, migrations, draining), the metrics token, what the metrics count.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { testEngines } from '../../db/test-stores.ts';
import { enqueueJob } from '../../jobs/index.ts';
import { createTestApp } from '../../testing/test-app.ts';
import { sample } from '../../testing/prometheus-sample.ts';
import { createPaywallTestApp, FREE_SLUG, PLUS_SLUG, type PaywallTestApp } from '../../testing/paywall-fixtures.ts';

const TOKEN = 'metrics-token-0123456789abcdef';
const auth = (token = TOKEN) => ({ authorization: `Bearer ${token}` });

for (const engine of testEngines()) {
  describe(`health and metrics on ${engine}`, () => {
    test('/livez answers ok without asking the database; /readyz says the database is away (503, JSON reason)', async () => {
      const t = await createTestApp(engine);
      try {
        const live = await t.app.request('/livez');
        assert.equal(live.status, 200);
        assert.equal(await live.text(), 'ok');
        assert.equal(live.headers.get('cache-control'), 'no-store');
        assert.equal((await t.app.request('/readyz')).status, 200);
        await t.store.close();
        assert.equal((await t.app.request('/livez')).status, 200, 'liveness does not depend on the database');
        const ready = await t.app.request('/readyz');
        assert.equal(ready.status, 503);
        assert.equal(ready.headers.get('cache-control'), 'no-store');
        assert.equal(((await ready.json()) as { reason: string }).reason, 'database');
      } finally {
        await t.klartext.close();
      }
    });

    test('/readyz is 503 while a migration of this code is missing from the database, and while draining', async () => {
      const t = await createTestApp(engine);
      try {
        const ok = await t.app.request('/readyz');
        assert.equal(ok.status, 200);
        assert.deepEqual(await ok.json(), { status: 'ready', database: engine === 'sqlite' ? 'sqlite' : 'postgres' });
        const newest = await t.store.db.selectFrom('klartext_migrations' as never).select('name' as never).orderBy('name' as never, 'desc').executeTakeFirstOrThrow() as { name: string };
        await t.store.db.deleteFrom('klartext_migrations' as never).where('name' as never, '=', newest.name as never).execute();
        const behind = await t.app.request('/readyz');
        assert.equal(behind.status, 503);
        const body = await behind.json() as { reason: string; pending: string[] };
        assert.equal(body.reason, 'migrations');
        assert.deepEqual(body.pending, [newest.name]);
        await t.store.db.insertInto('klartext_migrations' as never).values({ name: newest.name, timestamp: new Date().toISOString() } as never).execute();
        assert.equal((await t.app.request('/readyz')).status, 200);
        t.klartext.startDraining();
        const draining = await t.app.request('/readyz');
        assert.equal(draining.status, 503);
        assert.equal(((await draining.json()) as { reason: string }).reason, 'draining');
        assert.equal((await t.app.request('/livez')).status, 200, 'a draining process is still alive');
      } finally {
        await t.close();
      }
    });

    test('health checks answer on any Host (load balancers ask by address); pages still refuse a foreign Host', async () => {
      const t = await createTestApp(engine, { env: { KLARTEXT_METRICS_TOKEN: TOKEN } });
      try {
        const foreign = { host: '10.0.0.7:3000' };
        assert.equal((await t.app.request('http://10.0.0.7:3000/livez', { headers: foreign })).status, 200);
        assert.equal((await t.app.request('http://10.0.0.7:3000/readyz', { headers: foreign })).status, 200);
        assert.equal((await t.app.request('http://10.0.0.7:3000/metrics', { headers: { ...foreign, ...auth() } })).status, 200);
        assert.equal((await t.app.request('http://10.0.0.7:3000/', { headers: foreign })).status, 421);
      } finally {
        await t.close();
      }
    });

    test('/metrics is off (404) without KLARTEXT_METRICS_TOKEN', async () => {
      const t = await createTestApp(engine);
      try {
        const res = await t.app.request('/metrics', { headers: auth() });
        assert.equal(res.status, 404);
        assert.doesNotMatch(await res.text(), /klartext_/);
      } finally {
        await t.close();
      }
    });

    describe('with a metrics token', () => {
      let t: PaywallTestApp;
      before(async () => { t = await createPaywallTestApp(engine, { env: { KLARTEXT_METRICS_TOKEN: TOKEN } }); });
      after(async () => { await t.close(); });
      const scrape = async () => {
        const res = await t.app.request('/metrics', { headers: auth() });
        assert.equal(res.status, 200);
        return res.text();
      };

      test('/metrics wants the bearer token: none, a wrong one, or another scheme get 401 and no metrics', async () => {
        for (const headers of [{}, auth('metrics-token-0123456789abcdeX'), auth(`${TOKEN}x`), { authorization: `Basic ${TOKEN}` }, { authorization: TOKEN }]) {
          const res = await t.app.request('/metrics', { headers });
          assert.equal(res.status, 401, JSON.stringify(headers));
          assert.equal(res.headers.get('www-authenticate'), 'Bearer realm="metrics"');
          assert.equal(res.headers.get('cache-control'), 'no-store');
          assert.doesNotMatch(await res.text(), /klartext_http/);
        }
        const ok = await t.app.request('/metrics', { headers: auth() });
        assert.equal(ok.status, 200);
        assert.match(ok.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
        assert.equal(ok.headers.get('cache-control'), 'no-store');
        assert.equal(ok.headers.get('x-cache'), null, 'never from the page cache');
      });

      test('requests are counted by route pattern, never by raw path; page cache hits and misses are counted', async () => {
        t.klartext.pageCache.clear();
        const before = await scrape();
        const route = { method: 'GET', route: '/artikel/:slug', status: '200' };
        await t.app.request(`/artikel/${FREE_SLUG}`);
        await t.app.request(`/artikel/${FREE_SLUG}`);
        await t.app.request('/artikel/gibt-es-nicht-4711');
        const text = await scrape();
        assert.equal(sample(text, 'klartext_http_request_duration_seconds_count', route) - sample(before, 'klartext_http_request_duration_seconds_count', route), 2);
        assert.equal(sample(text, 'klartext_http_request_duration_seconds_count', { ...route, status: '404' }) - sample(before, 'klartext_http_request_duration_seconds_count', { ...route, status: '404' }), 1);
        assert.doesNotMatch(text, new RegExp(FREE_SLUG), 'no raw path in any label');
        assert.doesNotMatch(text, /gibt-es-nicht-4711/);
        const delta = (name: string, labels: Record<string, string>) => sample(text, name, labels) - sample(before, name, labels);
        assert.equal(delta('klartext_page_cache_requests_total', { result: 'miss', layer: 'app' }), 2, 'the first render and the 404');
        assert.equal(delta('klartext_page_cache_requests_total', { result: 'hit', layer: 'app' }), 1);
        assert.match(text, /klartext_http_request_duration_seconds_bucket\{le="0.005",method="GET",route="\/artikel\/:slug",status="200"\}/);
        // /livez also matches the section pattern registered after it: the route that answered is counted
        assert.ok(sample(text, 'klartext_http_request_duration_seconds_count', { route: '/metrics' }) >= 1);
        await t.app.request('/livez');
        assert.equal(sample(await scrape(), 'klartext_http_request_duration_seconds_count', { route: '/livez' }) - sample(text, 'klartext_http_request_duration_seconds_count', { route: '/livez' }), 1);
      });

      test('unlocks are counted by reason: a subscriber granted, a guest denied for want of a subscription', async () => {
        const before = await scrape();
        const { articleId, keyId } = await t.page(PLUS_SLUG);
        const { browser } = await t.reader('subscriber');
        assert.equal((await t.unlock(browser, articleId, { keyId })).status, 200);
        assert.equal((await t.unlock(null, articleId, { keyId })).status, 403);
        const text = await scrape();
        const delta = (labels: Record<string, string>) => sample(text, 'klartext_unlocks_total', labels) - sample(before, 'klartext_unlocks_total', labels);
        assert.equal(delta({ result: 'granted', reason: 'subscriber' }), 1);
        assert.equal(delta({ result: 'denied', reason: 'subscription' }), 1);
      });

      test('the job queue by state and kind comes from the table; the engine is named', async () => {
        const now = new Date();
        await enqueueJob(t.store.db, { kind: 'metrics-probe', runAt: new Date(now.getTime() + 3600_000), now });
        await enqueueJob(t.store.db, { kind: 'metrics-probe', runAt: new Date(now.getTime() + 3600_000), now });
        const text = await scrape();
        assert.equal(sample(text, 'klartext_jobs', { state: 'queued', kind: 'metrics-probe' }), 2);
        assert.equal(sample(text, 'klartext_database_info', { engine: engine === 'sqlite' ? 'sqlite' : 'postgres' }), 1);
        if (engine === 'sqlite') assert.doesNotMatch(text, /^klartext_db_pool_connections\{/m, 'SQLite has no pool');
        else assert.ok(sample(text, 'klartext_db_pool_connections', { state: 'total' }) >= 1, 'the pool holds connections');
        assert.match(text, /^klartext_process_resident_memory_bytes \d/m, 'process metrics');
      });
    });
  });
}
