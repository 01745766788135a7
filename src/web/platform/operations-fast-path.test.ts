// The Node-level cache-hit path is counted in /metrics too (requests and page cache hits), over a real socket through the app's own listener.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { testEngines } from '../../db/test-stores.ts';
import { createTestApp } from '../../testing/test-app.ts';
import { sample } from '../../testing/prometheus-sample.ts';

const TOKEN = 'metrics-token-0123456789abcdef';

function get(port: number, path: string, headers: Record<string, string> = {}): Promise<{ status: number; cache: string | undefined; body: string }> {
  return new Promise((resolve, reject) => {
    http.get({ host: '127.0.0.1', port, path, headers: { host: 'localhost', ...headers } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => { body += c; });
      res.on('end', () => resolve({ status: res.statusCode!, cache: res.headers['x-cache'] as string | undefined, body }));
    }).on('error', reject);
  });
}

for (const engine of testEngines()) {
  test(`[${engine}] a hit of the fast path counts as a request of route "(page cache)" and a page cache hit of layer "fast"`, async () => {
    const t = await createTestApp(engine, { env: { KLARTEXT_METRICS_TOKEN: TOKEN } });
    const server = http.createServer(t.klartext.nodeListener());
    try {
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
      const port = (server.address() as AddressInfo).port;
      const scrape = async () => (await get(port, '/metrics', { authorization: `Bearer ${TOKEN}` })).body;
      const before = await scrape();
      assert.equal((await get(port, '/impressum')).cache, 'miss');
      assert.equal((await get(port, '/impressum')).cache, 'hit');
      assert.equal((await get(port, '/impressum')).cache, 'hit');
      const after = await scrape();
      const delta = (name: string, labels: Record<string, string>) => sample(after, name, labels) - sample(before, name, labels);
      assert.equal(delta('klartext_page_cache_requests_total', { result: 'hit', layer: 'fast' }), 2);
      assert.equal(delta('klartext_page_cache_requests_total', { result: 'miss', layer: 'app' }), 1);
      assert.equal(delta('klartext_http_requests_total', { method: 'GET', route: '(page cache)', status: '200' }), 2);
      assert.equal(delta('klartext_http_requests_total', { method: 'GET', route: '/impressum', status: '200' }), 1);
    } finally {
      await new Promise<void>((r) => { server.close(() => r()); server.closeAllConnections(); });
      await t.close();
    }
  });
}
