// PostgreSQL going away under load with two server processes: while it is gone they answer 503 (never a dropped
// connection, never a crash); when it is back both recover by themselves, and content changes reach both again.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { openTestStore } from '../db/test-stores.ts';
import { importDocument } from '../content/index.ts';
import { fixtureDocument, writeFixtureImages } from '../content/content.fixtures.ts';
import { startServeProcess, urlWithSchema, type ServerProcess } from '../testing/server-process.ts';
import { switchableProxy } from '../testing/switchable-proxy.ts';

const url = process.env.DATABASE_URL_TEST;

let phase: 'before' | 'outage' | 'after' = 'before';

/** Requests that need the database (health, search), one after another, until stopped; counts each outcome by phase. */
function loadLoop(server: ServerProcess) {
  const seen = new Map<string, number>();
  let running = true;
  let i = 0;
  const done = (async () => {
    while (running) {
      const p = i++ % 2 ? '/healthz' : `/suche?q=${['Rathaus', 'Markt', 'Schule', 'Brücke'][i % 4]}-${i}`;
      const started = phase;
      const status = await fetch(server.url + p, { signal: AbortSignal.timeout(20_000) }).then(async (r) => { await r.arrayBuffer(); return String(r.status); }, (e: Error) => `error ${e.name}`);
      // a request that started in one phase and ended in another was in flight at the switch: counted as the outage
      const outcome = `${started === phase ? phase : 'outage'} ${status}`;
      seen.set(outcome, (seen.get(outcome) ?? 0) + 1);
    }
  })();
  return { seen, stop: async () => { running = false; await done; return seen; } };
}

test('two server processes, PostgreSQL gone and back under load: 503 while it is gone, then both recover without a restart', { skip: url ? false : 'DATABASE_URL_TEST not set' }, async (t) => {
  const store = await openTestStore('postgres');
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'klartext-outage2-'));
  await writeFixtureImages(dataDir);
  const doc = fixtureDocument();
  await importDocument(store.db, doc, { baseDir: dataDir, dataDir });
  const target = new URL(url!);
  const proxy = await switchableProxy({ host: target.hostname, port: Number(target.port || 5432) });
  t.after(async () => { await store.close(); await proxy.off().catch(() => {}); await fs.rm(dataDir, { recursive: true, force: true }); });
  const viaProxy = new URL(url!); viaProxy.port = String(proxy.port);
  const env = { DATABASE_URL: urlWithSchema(viaProxy.toString(), store.pgSchema!), KLARTEXT_DATA_DIR: dataDir, KLARTEXT_MASTER_KEY: randomBytes(32).toString('base64') };
  const starting = [startServeProcess(env), startServeProcess(env)];
  t.after(async () => { await Promise.all(starting.map((p) => p.then((s) => s.stop(), () => {}))); });
  const servers = await Promise.all(starting);
  const pids = servers.map((s) => s.child.pid);

  const loops = servers.flatMap((s) => [loadLoop(s), loadLoop(s)]);
  await new Promise((r) => setTimeout(r, 1000));
  phase = 'outage';
  await proxy.off();
  await new Promise((r) => setTimeout(r, 2000));
  const during = await Promise.all(servers.map((s) => fetch(`${s.url}/healthz`).then((r) => r.status)));
  assert.deepEqual(during, [503, 503], 'readiness says the database is gone');
  const page = await fetch(`${servers[0]!.url}/suche?q=Ausfall`);
  assert.equal(page.status, 503);
  assert.match(await page.text(), /Gerade nicht erreichbar/);
  await proxy.on();

  // both come back by themselves: health, search, and a content change (NOTIFY after the listener reconnected)
  for (const s of servers) {
    let status = 0;
    for (let i = 0; i < 100 && status !== 200; i++) {
      status = await fetch(`${s.url}/healthz`).then((r) => r.status, () => 0);
      if (status !== 200) await new Promise((r) => setTimeout(r, 100));
    }
    assert.equal(status, 200, `${s.url} is ready again`);
  }
  phase = 'after';
  await new Promise((r) => setTimeout(r, 1500));
  const outcomes = await Promise.all(loops.map((l) => l.stop()));
  const total = new Map<string, number>();
  for (const seen of outcomes) for (const [k, v] of seen) total.set(k, (total.get(k) ?? 0) + v);
  console.log('outcomes under load:', Object.fromEntries(total));
  assert.deepEqual([...total.keys()].filter((k) => !['before 200', 'outage 200', 'outage 503', 'after 200'].includes(k)), [],
    'before and after: only 200; while the database was gone (or a request was in flight at the switch): 200 from memory or 503, never a dropped connection');
  assert.ok((total.get('before 200') ?? 0) > 0 && (total.get('outage 503') ?? 0) > 0 && (total.get('after 200') ?? 0) > 0, 'all three phases were under load');
  for (const s of servers) {
    const after = await Promise.all(['/healthz', '/suche?q=danach', '/'].map((p) => fetch(s.url + p).then((r) => r.status)));
    assert.deepEqual(after, [200, 200, 200], `${s.url} answers again`);
  }
  const article = doc.articles[0]!;
  await importDocument(store.db, { ...doc, articles: [{ ...article, headline: 'Nach dem Ausfall geändert' }] }, { baseDir: dataDir, dataDir });
  for (const s of servers) {
    let html = '';
    for (let i = 0; i < 100 && !html.includes('Nach dem Ausfall geändert'); i++) {
      html = await (await fetch(`${s.url}/artikel/${article.slug}`)).text();
      if (!html.includes('Nach dem Ausfall geändert')) await new Promise((r) => setTimeout(r, 100));
    }
    assert.match(html, /Nach dem Ausfall geändert/, `${s.url} got the change after the outage`);
  }
  assert.deepEqual(servers.map((s) => [s.child.pid, s.child.exitCode]), pids.map((pid) => [pid, null]), 'the same processes, never restarted');
});
