// The purge hook sends each change's keys twice: once at once, once more after a delay that covers the other processes' lag (decision 023).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { once, EventEmitter } from 'node:events';
import fs from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { testEngines, openTestStore } from '../../db/test-stores.ts';
import { loadConfig, servingConfig } from '../../config.ts';
import { importDocument } from '../../content/index.ts';
import { fixtureDocument, writeFixtureImages } from '../../content/content.fixtures.ts';
import { createApp } from '../app.tsx';
import { REPURGE_AFTER_MS } from './cache-invalidation.ts';

for (const engine of testEngines()) {
  test(`${engine}: a change's keys are purged once at once and once more after the repeat delay, and not after the app is closed`, { timeout: 20_000 }, async () => {
    const received: { keys: string; at: number }[] = [];
    const server = http.createServer((req, res) => {
      received.push({ keys: String(req.headers['xkey-purge']), at: Date.now() });
      res.writeHead(200).end();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'klartext-repurge-'));
    const store = await openTestStore(engine);
    const events = new EventEmitter();
    const repeatMs = 300;
    const k = createApp({
      config: servingConfig(loadConfig({ KLARTEXT_DATA_DIR: dataDir, KLARTEXT_PURGE_URL: `http://127.0.0.1:${(server.address() as AddressInfo).port}/` })),
      store, logger: pino({ level: 'silent' }), clientJs: '',
      contentChanges: { repurgeAfterMs: repeatMs, onPurge: (o) => events.emit(o.repeat ? 'repeat' : 'purge', o) },
    });
    try {
      await k.ready;
      assert.ok(REPURGE_AFTER_MS >= 1500, 'the default delay covers a SQLite poll (1 s) with room to spare');
      await writeFixtureImages(dataDir);
      const first = once(events, 'purge');
      const repeat = once(events, 'repeat');
      await importDocument(store.db, fixtureDocument(), { baseDir: dataDir, dataDir });
      await k.contentChanges.poll();
      await first;
      assert.equal(received.length, 1, 'sent at once');
      await Promise.race([repeat, new Promise((r) => setTimeout(r, repeatMs * 10))]);
      assert.equal(received.length, 2, 'and once more');
      assert.equal(received[1]!.keys, received[0]!.keys, 'the same keys');
      assert.ok(received[0]!.keys.includes('front'));
      assert.ok(received[1]!.at - received[0]!.at >= repeatMs - 20, 'after the delay');
      // a change whose repeat is still pending when the app closes is not sent again
      const second = once(events, 'purge');
      await importDocument(store.db, { articles: [{ ...fixtureDocument().articles[0]!, headline: 'Noch einmal geändert' }] }, { baseDir: dataDir, dataDir });
      await k.contentChanges.poll();
      await second;
      assert.equal(received.length, 3);
    } finally {
      await k.close();
      await new Promise((r) => setTimeout(r, repeatMs + 100));
      assert.equal(received.length, 3, 'no repeat after close');
      await store.close();
      await new Promise<void>((r) => server.close(() => r()));
      await fs.rm(dataDir, { recursive: true, force: true });
    }
  });
}
