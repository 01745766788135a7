// The beacon over a real socket (the Node-level listener in front of the app): the same drops as the route, 204 always, the rate limit per TCP connection.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { testEngines } from '../../db/test-stores.ts';
import { createPaywallTestApp, PLUS_SLUG } from '../../testing/paywall-fixtures.ts';

interface Answer { status: number; body: string; connection: string | undefined }

function post(port: number, body: string, o: { agent?: http.Agent; headers?: Record<string, string> } = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request({
      host: '127.0.0.1', port, path: '/api/beacon', method: 'POST', agent: o.agent ?? false,
      headers: { host: 'localhost', 'content-type': 'text/plain;charset=UTF-8', origin: 'http://localhost', 'sec-fetch-site': 'same-origin', 'content-length': Buffer.byteLength(body), ...o.headers },
    }, (res) => {
      let text = '';
      res.on('data', (d) => { text += d; });
      res.on('end', () => resolve({ status: res.statusCode!, body: text, connection: res.headers.connection }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

for (const engine of testEngines()) {
  test(`[${engine}] over a socket: stored with 204, oversized and opted-out dropped with 204, a foreign Host left to the host guard, a flood cut per connection`, async () => {
    const t = await createPaywallTestApp(engine, { beacon: { rateLimit: { burst: 3, perSecond: 1 } } });
    const server = http.createServer(t.klartext.nodeListener());
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as AddressInfo;
    try {
      const { articleId } = await t.page(PLUS_SLUG);
      let n = 0;
      const beacon = () => JSON.stringify({ pv: `Socket${String(++n).padStart(12, '0')}`, events: [{ k: 'view', a: articleId }] });
      const count = async () => { await t.klartext.analytics.flush(); return (await t.store.db.selectFrom('analytics_events').select('kind').execute()).length; };

      assert.deepEqual(await post(port, beacon()), { status: 204, body: '', connection: 'close' }, 'agent: false closes after one request');
      assert.equal(await count(), 1);
      const big = await post(port, `{"pv":"Socket000000000099","events":[{"k":"view","a":"${articleId}"}]${' '.repeat(6000)}}`);
      assert.equal(big.status, 204);
      assert.equal(big.connection, 'close');
      assert.equal((await post(port, beacon(), { headers: { 'sec-gpc': '1' } })).status, 204);
      assert.equal((await post(port, beacon(), { headers: { origin: 'https://boese.example' } })).status, 204);
      assert.equal(await count(), 1, 'oversized, GPC and a foreign origin stored nothing');
      assert.equal((await post(port, beacon(), { headers: { host: 'boese.example' } })).status, 421, 'a foreign Host goes to the app, whose host guard refuses it');

      // one keep-alive connection: its burst of 3, then nothing (the clock does not move); a new connection has its own bucket
      const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
      for (let i = 0; i < 10; i++) assert.equal((await post(port, beacon(), { agent })).status, 204);
      agent.destroy();
      assert.equal(await count(), 4);
      await post(port, beacon());
      assert.equal(await count(), 5);
    } finally {
      await new Promise((r) => server.close(r));
      await t.close();
    }
  });
}
