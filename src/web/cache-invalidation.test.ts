// Exact invalidation: publishing one article drops exactly the pages showing it — in this process, in another one (NOTIFY on
// PostgreSQL, polling on SQLite) and at a CDN (the purge hook) — and public answers name their surrogate keys.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { once, EventEmitter } from 'node:events';
import fs from 'node:fs/promises';
import http, { type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { testEngines, openTestStore } from '../db/test-stores.ts';
import { connect, migrate, type Store } from '../db/index.ts';
import { loadConfig, servingConfig } from '../config.ts';
import { getArticleBySlug, importDocument, type ContentChange } from '../content/index.ts';
import { fixtureDocument, writeFixtureImages } from '../content/content.fixtures.ts';
import { createPaywallTestApp, EXTRA_PLUS_SLUGS, type PaywallTestApp } from '../testing/paywall-fixtures.ts';
import { createDraft, publishNow, saveDraft } from '../newsroom/index.ts';
import { completeDoc, makeStaff } from '../newsroom/newsroom.fixtures.ts';
import { createApp, type KlartextApp } from './app.tsx';

/** A test waiting for another process to hear of a change fails after this instead of hanging (it is no claim about speed). */
const WAIT = 30_000;

/** The fixture's registered article, republished with a new headline, moved from Sport to Kultur and now by Ole Muster. */
async function republish(db: Store['db'], dataDir: string): Promise<void> {
  const doc = fixtureDocument();
  const changed = { ...doc.articles.find((a) => a.slug === 'vereinsheim-eroeffnet')!, headline: 'Vereinsheim feierlich eröffnet', section: 'kultur', authors: ['Ole Muster'] };
  await importDocument(db, { articles: [changed] }, { baseDir: dataDir, dataDir });
}

/** What showing that article means: its page, the front, old and new section, its new author, every feed, both sitemaps. */
const TOUCHED = ['/', '/artikel/vereinsheim-eroeffnet', '/sport', '/kultur', '/autor/ole-muster', '/feed.xml', '/stadt/feed.xml', '/sitemap.xml', '/news-sitemap.xml'];
const UNTOUCHED = ['/artikel/haushalt-in-not', '/artikel/stadtfest-am-wochenende', ...EXTRA_PLUS_SLUGS.map((s) => `/artikel/${s}`), '/stadt', '/autor/ina-beispiel', '/impressum', '/abo'];

for (const engine of testEngines()) {
  describe(`exact invalidation in one process on ${engine}`, () => {
    let t: PaywallTestApp;
    before(async () => { t = await createPaywallTestApp(engine); });
    after(async () => { await t.close(); });
    const get = async (p: string, headers: Record<string, string> = {}) => t.app.request(p, { headers });

    test('republishing one article drops its page, the front, its sections, its author, feeds and sitemaps; every other page stays cached', async () => {
      t.klartext.pageCache.clear();
      for (const p of [...TOUCHED, ...UNTOUCHED]) assert.equal((await get(p)).status, 200, p);
      for (const p of [...TOUCHED, ...UNTOUCHED]) assert.equal((await get(p)).headers.get('x-cache'), 'hit', `${p} cached before`);
      await republish(t.store.db, t.config.dataDir);
      await t.klartext.contentChanges.poll(); // what the feed does by itself at once (NOTIFY, or the write in this process)
      for (const p of TOUCHED) assert.equal(t.klartext.pageCache.peek(p), undefined, `${p} dropped`);
      for (const p of UNTOUCHED) assert.ok(t.klartext.pageCache.peek(p), `${p} still cached`);
      for (const p of UNTOUCHED) assert.equal((await get(p)).headers.get('x-cache'), 'hit', `${p} answered from the cache`);
      const front = await get('/');
      assert.equal(front.headers.get('x-cache'), 'miss');
      assert.match(await front.text(), /Vereinsheim feierlich eröffnet/);
      assert.match(await (await get('/kultur')).text(), /Vereinsheim feierlich eröffnet/);
      assert.doesNotMatch(await (await get('/sport')).text(), /Vereinsheim/);
      assert.match(await (await get('/autor/ole-muster')).text(), /Vereinsheim feierlich eröffnet/);
      assert.match(await (await get('/artikel/vereinsheim-eroeffnet')).text(), /<h1[^>]*>Vereinsheim feierlich eröffnet/);
    });

    test('publishing in the newsroom and publishing a change again drops exactly the pages showing that article', async () => {
      const editor = await makeStaff(t.store.db, 'editor');
      const imageId = (await t.store.db.selectFrom('images').select('id').executeTakeFirstOrThrow()).id;
      const at = { now: t.clock.now };
      const draft = await createDraft(t.store.db, editor, {}, at);
      const doc = completeDoc(imageId, { slug: 'neue-halle', headline: 'Die neue Halle', section: 'sport', authors: ['ole-muster'], access: 'free' });
      let wc = await saveDraft(t.store.db, editor, draft.articleId, { baseVersion: draft.version, doc }, at);
      wc = await publishNow(t.store.db, editor, wc.articleId, wc.version, at);
      await t.klartext.contentChanges.poll();
      const own = ['/artikel/neue-halle', '/', '/sport', '/autor/ole-muster', '/feed.xml', '/sitemap.xml', '/news-sitemap.xml'];
      const others = ['/artikel/haushalt-in-not', '/artikel/stadtfest-am-wochenende', '/artikel/vereinsheim-eroeffnet', '/stadt', '/kultur', '/autor/ina-beispiel', '/impressum', '/abo'];
      t.klartext.pageCache.clear();
      for (const p of [...own, ...others]) assert.equal((await get(p)).status, 200, p);
      wc = await saveDraft(t.store.db, editor, wc.articleId, { baseVersion: wc.version, doc: { ...doc, headline: 'Die neue Halle ist offen' } }, at);
      await publishNow(t.store.db, editor, wc.articleId, wc.version, at);
      await t.klartext.contentChanges.poll();
      for (const p of own) assert.equal(t.klartext.pageCache.peek(p), undefined, `${p} dropped`);
      for (const p of others) assert.equal((await get(p)).headers.get('x-cache'), 'hit', `${p} still cached`);
      assert.match(await (await get('/artikel/neue-halle')).text(), /Die neue Halle ist offen/);
      assert.match(await (await get('/')).text(), /Die neue Halle ist offen/);
    });

    test('public answers name their surrogate keys in Surrogate-Key and Cache-Tag, on a miss and on a hit; private ones and errors none', async () => {
      const id = async (slug: string) => (await getArticleBySlug(t.store.db, slug, { includeScheduled: true }))!.id;
      const expected: Record<string, string[]> = {
        '/': ['front', 'nav'],
        '/stadt': ['section:stadt', 'nav'],
        '/autor/ina-beispiel': ['author:ina-beispiel', 'nav'],
        '/artikel/stadtfest-am-wochenende': [`article:${await id('stadtfest-am-wochenende')}`, 'nav'],
        '/artikel/vereinsheim-eroeffnet': [`article:${await id('vereinsheim-eroeffnet')}`, 'nav'],
        // a Plus article's box sells the featured offer
        '/artikel/haushalt-in-not': [`article:${await id('haushalt-in-not')}`, 'offers', 'nav'],
        '/abo': ['offers', 'nav'],
        '/impressum': ['nav'],
        '/feed.xml': ['feeds'],
        '/kultur/feed.xml': ['feeds'],
        '/sitemap.xml': ['sitemaps'],
        '/news-sitemap.xml': ['sitemaps'],
      };
      t.klartext.pageCache.clear();
      for (const round of ['miss', 'hit']) {
        for (const [p, keys] of Object.entries(expected)) {
          const res = await get(p);
          assert.equal(res.headers.get('x-cache'), round, p);
          assert.deepEqual(res.headers.get('surrogate-key')?.split(' ').sort(), [...keys].sort(), `${p} (${round})`);
          assert.equal(res.headers.get('cache-tag'), res.headers.get('surrogate-key')!.replaceAll(' ', ','), `${p} (${round})`);
          assert.deepEqual(t.klartext.pageCache.keysOf(p), res.headers.get('surrogate-key')!.split(' '), `${p}: the cache entry carries them`);
        }
      }
      // a page not stored here (a parameter it does not keep) is still shared by CDNs, so it names its keys too
      assert.deepEqual((await get('/abo?next=/artikel/haushalt-in-not')).headers.get('surrogate-key')?.split(' ').sort(), ['nav', 'offers']);
      for (const p of ['/konto', '/anmelden', '/suche?q=Haushalt', '/api/me', '/artikel/haushalt-in-not/klartext', '/artikel/gibt-es-nicht', '/gibt-es-nicht']) {
        const res = await get(p);
        assert.equal(res.headers.get('surrogate-key'), null, p);
        assert.equal(res.headers.get('cache-tag'), null, p);
      }
    });
  });

  describe(`exact invalidation across processes on ${engine}`, () => {
    let dataDir: string;
    const stores: Store[] = [];
    const apps: KlartextApp[] = [];
    let purgeServer: http.Server | undefined;
    before(async () => {
      dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'klartext-invalidation-'));
      await writeFixtureImages(dataDir);
    });
    after(async () => {
      for (const a of apps) await a.close();
      for (const s of stores) await s.close();
      if (purgeServer) await new Promise<void>((r) => purgeServer!.close(() => r()));
      await fs.rm(dataDir, { recursive: true, force: true });
    });

    /** Two stores on one database, as two processes have: one PostgreSQL schema, or one SQLite file. */
    async function twoStores(name: string): Promise<[Store, Store]> {
      if (engine === 'postgres') {
        const a = await openTestStore('postgres');
        const b = connect({ databaseUrl: process.env.DATABASE_URL_TEST!, dataDir: '/nonexistent', pgSchema: a.pgSchema!, poolSize: 2 });
        stores.push(a, b);
        return [a, b];
      }
      const file = path.join(dataDir, `${name}.sqlite`);
      const a = connect({ databaseUrl: `sqlite:${file}`, dataDir });
      await migrate(a);
      const b = connect({ databaseUrl: `sqlite:${file}`, dataDir });
      stores.push(a, b);
      return [a, b];
    }

    interface Side { k: KlartextApp; events: EventEmitter }
    /**
     * An app on `store` that reads changes only by the mechanism under test: on PostgreSQL by NOTIFY alone (its
     * safety-net poll an hour away), on SQLite by polling alone (every 20 ms; a write in this test process does not nudge it).
     */
    async function side(store: Store, env: Record<string, string> = {}): Promise<Side> {
      const events = new EventEmitter();
      const k = createApp({
        config: servingConfig(loadConfig({ KLARTEXT_DATA_DIR: dataDir, ...env })), store, logger: pino({ level: 'silent' }), clientJs: '',
        contentChanges: {
          feed: engine === 'postgres' ? { pollMs: 3600_000, listeningPollMs: 3600_000, followLocalWrites: false } : { pollMs: 20, followLocalWrites: false },
          onChanges: (changes: readonly ContentChange[]) => events.emit('changes', changes),
          onPurge: (outcome) => events.emit('purge', outcome),
        },
      });
      apps.push(k);
      await k.ready;
      if (engine === 'postgres') assert.equal(k.contentChanges.listens, true, 'listening on PostgreSQL');
      return { k, events };
    }

    test(`a change recorded by one process empties exactly the right entries in another (${engine === 'postgres' ? 'NOTIFY' : 'polling'})`, { timeout: WAIT }, async () => {
      const [storeA, storeB] = await twoStores('cross');
      await importDocument(storeA.db, fixtureDocument(), { baseDir: dataDir, dataDir });
      await side(storeA);
      const b = await side(storeB);
      const pages = [...TOUCHED, '/artikel/haushalt-in-not', '/artikel/stadtfest-am-wochenende', '/stadt', '/autor/ina-beispiel', '/impressum'];
      for (const p of pages) assert.equal((await b.k.app.request(p)).status, 200, p);
      for (const p of pages) assert.ok(b.k.pageCache.peek(p), `${p} cached in B`);
      const seen = once(b.events, 'changes');
      await republish(storeA.db, dataDir);
      const [changes] = await seen as [ContentChange[]];
      assert.ok(changes.some((c) => c.keys.includes('section:sport') && c.keys.includes('section:kultur')));
      for (const p of TOUCHED) assert.equal(b.k.pageCache.peek(p), undefined, `${p} dropped in B`);
      for (const p of pages.filter((x) => !TOUCHED.includes(x))) assert.ok(b.k.pageCache.peek(p), `${p} still cached in B`);
      assert.match(await (await b.k.app.request('/')).text(), /Vereinsheim feierlich eröffnet/);
    });

    test('the purge hook gets the keys of each change once, from one of the processes, as PURGE with xkey-purge and Surrogate-Key', { timeout: WAIT }, async () => {
      const received: { method: string; url: string; headers: IncomingHttpHeaders }[] = [];
      purgeServer = http.createServer((req, res) => {
        received.push({ method: req.method!, url: req.url!, headers: req.headers });
        res.writeHead(200).end();
      });
      await new Promise<void>((r) => purgeServer!.listen(0, '127.0.0.1', () => r()));
      const env = { KLARTEXT_PURGE_URL: `http://127.0.0.1:${(purgeServer.address() as AddressInfo).port}/purge` };
      const [storeA, storeB] = await twoStores('purge');
      await importDocument(storeA.db, fixtureDocument(), { baseDir: dataDir, dataDir });
      const a = await side(storeA, env);
      const b = await side(storeB, env);
      // each process reads the change and tries to claim it; wait for both attempts
      const done = Promise.all([once(a.events, 'purge'), once(b.events, 'purge')]);
      await republish(storeA.db, dataDir);
      const outcomes = (await done).map(([o]) => o as { keys: string[]; ok: boolean });
      assert.equal(outcomes.filter((o) => o.keys.length).length, 1, 'exactly one process sent it');
      assert.equal(received.length, 1, 'one request for one change');
      const [purge] = received;
      assert.equal(purge!.method, 'PURGE');
      assert.equal(purge!.url, '/purge');
      const id = (await getArticleBySlug(storeA.db, 'vereinsheim-eroeffnet', { includeScheduled: true }))!.id;
      const keys = purge!.headers['xkey-purge']!.toString().split(' ').sort();
      assert.deepEqual(keys, [`article:${id}`, 'author:ole-muster', 'feeds', 'front', 'section:kultur', 'section:sport', 'sitemaps']);
      assert.equal(purge!.headers['surrogate-key'], purge!.headers['xkey-purge']);
      assert.ok(outcomes.every((o) => o.ok));
    });

    test('an unreachable purge URL is logged and changes nothing for readers', { timeout: WAIT }, async () => {
      const closed = http.createServer();
      await new Promise<void>((r) => closed.listen(0, '127.0.0.1', () => r()));
      const port = (closed.address() as AddressInfo).port;
      await new Promise<void>((r) => closed.close(() => r()));
      const [storeA] = await twoStores('unreachable');
      await importDocument(storeA.db, fixtureDocument(), { baseDir: dataDir, dataDir });
      const a = await side(storeA, { KLARTEXT_PURGE_URL: `http://127.0.0.1:${port}/` });
      await a.k.app.request('/');
      const attempt = once(a.events, 'purge');
      await republish(storeA.db, dataDir);
      const [outcome] = await attempt as [{ keys: string[]; ok: boolean }];
      assert.equal(outcome.ok, false);
      assert.ok(outcome.keys.includes('front'));
      const res = await a.k.app.request('/');
      assert.equal(res.status, 200);
      assert.match(await res.text(), /Vereinsheim feierlich eröffnet/);
    });
  });
}
