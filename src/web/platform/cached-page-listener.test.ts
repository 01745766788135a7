// The cache-hit fast path answers exactly as the public app would, and only where it is sure: over a real socket.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http, { type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { getRequestListener } from '@hono/node-server';
import { testEngines } from '../../db/test-stores.ts';
import { createPaywallTestApp, FREE_SLUG, GOOGLEBOT_UA, PLUS_SLUG, type PaywallTestApp } from '../../testing/paywall-fixtures.ts';
import { cachedPageListener } from './cached-page-listener.ts';
import { recordContentChange } from '../../content/index.ts';
import pino from 'pino';

interface Answer { status: number; headers: Record<string, string>; body: Buffer }

function get(port: number, path: string, headers: Record<string, string> = {}, method = 'GET'): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path, method, headers: { host: 'localhost', ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers as Record<string, string>, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** What differs per answer anyway. */
const comparable = (h: Record<string, string>) => {
  const { 'x-request-id': _id, date: _date, connection: _c, 'keep-alive': _k, ...rest } = h;
  return rest;
};

for (const engine of testEngines()) {
  describe(`cache-hit fast path on ${engine}`, () => {
    let t: PaywallTestApp;
    let server: Server;
    let port: number;
    const hits: string[] = [];
    before(async () => {
      t = await createPaywallTestApp(engine);
      const listener = cachedPageListener(
        { pageCache: t.klartext.pageCache, acceptedHosts: t.config.acceptedHosts, publicUrl: t.config.publicUrl, claimsCrawler: (ua) => /googlebot/i.test(ua), logger: pino({ level: 'silent' }), onHit: (p) => hits.push(p) },
        getRequestListener(t.app.fetch, { overrideGlobalObjects: false }) as http.RequestListener,
      );
      server = http.createServer(listener);
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
      port = (server.address() as AddressInfo).port;
    });
    after(async () => {
      await new Promise<void>((r) => { server.close(() => r()); server.closeAllConnections(); });
      await t.close();
    });

    test('a cached page comes from the fast path with the same status, headers and bytes the app sends, for every encoding', async () => {
      const path = `/artikel/${PLUS_SLUG}`;
      t.klartext.pageCache.clear();
      hits.length = 0;
      const miss = await get(port, path, { 'accept-encoding': 'br' });
      assert.equal(miss.headers['x-cache'], 'miss');
      assert.deepEqual(hits, [], 'a miss goes through the app');
      for (const ae of ['br', 'gzip', '']) {
        const fast = await get(port, path, { 'accept-encoding': ae });
        // a claimed crawler from an unverified address takes the app's path to the same cached page
        const viaApp = await get(port, path, { 'accept-encoding': ae, 'user-agent': GOOGLEBOT_UA });
        assert.equal(fast.status, 200);
        assert.deepEqual(comparable(fast.headers), comparable(viaApp.headers), `headers for accept-encoding "${ae}"`);
        assert.ok(fast.body.equals(viaApp.body), `bytes for accept-encoding "${ae}"`);
        assert.ok(fast.headers['x-request-id'], 'a request id');
        assert.ok(fast.headers['content-security-policy']);
        assert.match(fast.headers['surrogate-key'] ?? '', /^article:\S+ offers nav$/, 'the surrogate keys, also from the fast path');
        assert.equal(fast.headers['cache-tag'], fast.headers['surrogate-key']!.replaceAll(' ', ','));
      }
      assert.deepEqual(hits, [path, path, path], 'three answers from the fast path, none for the crawler');
    });

    test('If-None-Match gives 304 and HEAD no body, as the app does', async () => {
      const path = `/artikel/${FREE_SLUG}`;
      const first = await get(port, path);
      const etag = first.headers.etag!;
      const fast304 = await get(port, path, { 'if-none-match': etag });
      const app304 = await get(port, path, { 'if-none-match': etag, 'user-agent': GOOGLEBOT_UA });
      assert.equal(fast304.status, 304);
      assert.deepEqual(comparable(fast304.headers), comparable(app304.headers));
      const head = await get(port, path, { 'accept-encoding': 'gzip' }, 'HEAD');
      assert.equal(head.status, 200);
      assert.equal(head.body.length, 0);
      assert.equal(head.headers['content-encoding'], 'gzip');
    });

    test('it never answers a foreign host, a private path, a query string or a claimed crawler', async () => {
      const path = `/artikel/${FREE_SLUG}`;
      await get(port, path);
      hits.length = 0;
      assert.equal((await get(port, path, { host: 'evil.example' })).status, 421, 'the host guard of the app answers');
      assert.equal((await get(port, '/konto')).headers['cache-control'], 'private, no-store');
      await get(port, `${path}?x=1`);
      await get(port, path, { 'user-agent': GOOGLEBOT_UA });
      assert.deepEqual(hits, []);
    });

    test('after a content change is read, the fast path does not serve the pages it names, and still serves the others', async () => {
      await get(port, '/');
      await get(port, `/artikel/${FREE_SLUG}`);
      assert.ok(t.klartext.pageCache.peek('/'), 'cached');
      await recordContentChange(t.store.db, ['front']);
      await t.klartext.contentChanges.poll();
      hits.length = 0;
      const again = await get(port, '/');
      assert.equal(again.headers['x-cache'], 'miss');
      assert.deepEqual(hits, []);
      assert.equal((await get(port, `/artikel/${FREE_SLUG}`)).headers['x-cache'], 'hit');
      assert.deepEqual(hits, [`/artikel/${FREE_SLUG}`]);
    });
  });
}
