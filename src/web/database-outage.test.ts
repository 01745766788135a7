// PostgreSQL going away: /healthz says 503, pages show the error page, and both recover without a restart.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import pg from 'pg';
import { randomBytes } from 'node:crypto';
import { connect, migrate } from '../db/index.ts';
import { loadConfig, servingConfig } from '../config.ts';
import { createApp } from './app.tsx';
import { importDocument } from '../content/index.ts';
import { fixtureDocument, writeFixtureImages } from '../content/content.fixtures.ts';
import { switchableProxy } from '../testing/switchable-proxy.ts';


const url = process.env.DATABASE_URL_TEST;
test('database outage and recovery on PostgreSQL', { skip: url ? false : 'DATABASE_URL_TEST not set' }, async () => {
  const target = new URL(url!);
  const proxy = await switchableProxy({ host: target.hostname, port: Number(target.port || 5432) });
  const schema = `t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: url }); await admin.connect(); await admin.query(`create schema ${schema}`);
  const viaProxy = new URL(url!); viaProxy.port = String(proxy.port);
  const store = connect({ databaseUrl: viaProxy.toString(), dataDir: '/nonexistent', pgSchema: schema, poolSize: 2 });
  try {
    await migrate(store);
    const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'klartext-outage-'));
    await writeFixtureImages(dataDir);
    await importDocument(store.db, fixtureDocument(), { baseDir: dataDir, dataDir });
    const { app } = createApp({ config: servingConfig(loadConfig({ KLARTEXT_DATA_DIR: dataDir })), store, logger: pino({ level: 'silent' }), clientJs: '' });

    assert.equal((await app.request('/healthz')).status, 200);
    assert.equal((await app.request('/stadt')).status, 200);

    await proxy.off();
    const health = await app.request('/healthz');
    assert.equal(health.status, 503);
    assert.equal(((await health.json()) as { status: string }).status, 'unavailable');
    const page = await app.request('/kultur');
    assert.equal(page.status, 503);
    const html = await page.text();
    assert.match(html, /Gerade nicht erreichbar/);
    assert.doesNotMatch(html, /at .*\.ts:\d+/);
    // what was already rendered is still served from the page cache
    assert.equal((await app.request('/stadt')).status, 200);

    await proxy.on();
    let status = 0;
    for (let i = 0; i < 20 && status !== 200; i++) status = (await app.request('/healthz')).status;
    assert.equal(status, 200);
    assert.equal((await app.request('/kultur')).status, 200);
  } finally {
    await store.close().catch(() => {});
    await admin.end(); // the schema is dropped by the next test run (see src/db/test-stores.ts)
    await proxy.off().catch(() => {});
  }
});
