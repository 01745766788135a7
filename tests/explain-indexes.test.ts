// On PostgreSQL, the plan of every query the hot paths run (pages, feeds, sitemaps, search, login, session, unlock) uses an
// index: the queries are the real ones, captured while the real app answers requests, then EXPLAINed with sequential scans
// priced out (`enable_seqscan = off`), so a missing index shows as a Seq Scan even on small test tables.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { CompiledQuery, sql, type KyselyPlugin, type QueryId, type RootOperationNode } from 'kysely';
import { openTestStore, type TestStore } from '../src/db/test-stores.ts';
import { loadConfig, servingConfig } from '../src/config.ts';
import { createApp, type KlartextApp } from '../src/web/app.tsx';
import { importDocument } from '../src/content/index.ts';
import { fixtureDocument, writeFixtureImages } from '../src/content/content.fixtures.ts';
import { DEMO_OFFERS, ensureOffers, grantSubscription } from '../src/billing/index.ts';
import { TEST_HASHING } from '../src/accounts/index.ts';
import { loggedInAs } from '../src/testing/test-accounts.ts';
import type { TestApp } from '../src/testing/test-app.ts';
import { TestBrowser } from '../src/testing/test-browser.ts';

interface PlanNode { 'Node Type': string; 'Relation Name'?: string; 'Index Name'?: string; 'Index Cond'?: string; Plans?: PlanNode[] }
interface Explained { label: string; sql: string; nodes: PlanNode[] }

/**
 * Tables that stay small however big the paper gets: reading them whole is fine. Experiments and institutions are
 * made by hand in /verlag (dozens of rows); the running experiment and the institutions' directory are read into memory.
 */
const SMALL_TABLES = new Set(['sections', 'authors', 'offers', 'experiments', 'experiment_variants', 'institutions', 'institution_networks', 'institution_domains']);

const flatten = (n: PlanNode): PlanNode[] => [n, ...(n.Plans ?? []).flatMap(flatten)];
/** A listing served by one of these indexes in its own order: the index is read, and nothing is sorted afterwards. */
const inIndexOrder = (nodes: PlanNode[], indexes: readonly string[]) =>
  nodes.some((n) => indexes.includes(n['Index Name'] ?? '')) && !nodes.some((n) => /Sort/.test(n['Node Type']));
const indexesOf = (plans: Explained[]) => new Set(plans.flatMap((p) => p.nodes.map((n) => n['Index Name']).filter((x): x is string => !!x)));

const NOW = new Date('2026-11-20T12:00:00.000Z');

describe('EXPLAIN: the hot queries use their indexes (PostgreSQL)', { skip: process.env.DATABASE_URL_TEST ? false : 'needs DATABASE_URL_TEST (PostgreSQL)' }, () => {
  let store: TestStore;
  let k: KlartextApp;
  let t: TestApp;
  let label = 'setup';
  const captured: { label: string; node: RootOperationNode; queryId: QueryId }[] = [];
  const capture: KyselyPlugin = {
    transformQuery: (a) => { captured.push({ label, node: a.node, queryId: a.queryId }); return a.node; },
    transformResult: async (a) => a.result,
  };
  const plans: Explained[] = [];
  const of = (l: string) => plans.filter((p) => p.label === l);

  /** EXPLAIN (no ANALYZE: nothing runs) every captured statement that reads rows, on one connection with seq scans priced out. */
  async function explain(l: string, compiled: CompiledQuery): Promise<Explained | undefined> {
    if (!/^\s*(select|update|delete|with)\b/i.test(compiled.sql)) return undefined;
    return store.db.connection().execute(async (conn) => {
      await sql`set enable_seqscan = off`.execute(conn);
      try {
        const r = await conn.executeQuery<{ 'QUERY PLAN': { Plan: PlanNode }[] }>(CompiledQuery.raw(`explain (format json) ${compiled.sql}`, [...compiled.parameters]));
        return { label: l, sql: compiled.sql, nodes: flatten(r.rows[0]!['QUERY PLAN'][0]!.Plan) };
      } finally {
        await sql`reset enable_seqscan`.execute(conn);
      }
    });
  }

  before(async () => {
    store = await openTestStore('postgres');
    const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'klartext-explain-'));
    await writeFixtureImages(dataDir);
    await importDocument(store.db, fixtureDocument(NOW), { baseDir: dataDir, dataDir });
    await ensureOffers(store.db, DEMO_OFFERS, NOW);
    // an archive and a readership big enough that the planner's choices are the ones a big paper gets
    await sql`insert into articles (id, slug, section_id, kicker, headline, teaser, access, paywall_after, blocks_json, image_caption, image_credit,
        published_at, updated_at, created_at, live, seo_title, seo_description)
      select 'gen' || g, 'archiv-' || g, (select id from sections where slug = case when g % 10 = 0 then 'stadt' when g % 2 = 0 then 'sport' else 'kultur' end), '', 'Archiv ' || g,
        'Vorspann', case when g % 3 = 0 then 'plus' else 'free' end, 1, '[]', '', '', ts, ts, ts, 1, '', ''
      from generate_series(1, 4000) g, lateral (select to_char(timestamp '2016-01-01' + g * interval '13 hours', 'YYYY-MM-DD"T"HH24:MI:SS".000Z"') as ts) t`.execute(store.db);
    await sql`insert into images (id, file, width, height, sha256, created_at) select 'img' || g, 'img' || g || '.jpg', 1200, 675, md5('img' || g), '2020-01-01T00:00:00.000Z'
      from generate_series(1, 4000) g`.execute(store.db);
    await sql`update articles set image_id = 'img' || substr(id, 4) where id like 'gen%'`.execute(store.db);
    await sql`insert into article_authors (article_id, author_id, position) select 'gen' || g, (select id from authors where slug = 'ina-beispiel'), 0
      from generate_series(5, 4000, 5) g`.execute(store.db);
    await sql`insert into search_documents (article_id, free_text, premium_text) select 'gen' || g, 'Meldung aus Brackenau Nummer ' || g, 'Bezahltext ' || g
      from generate_series(1, 4000) g`.execute(store.db);
    await sql`insert into users (id, email, password_hash, role, created_at, updated_at)
      select 'u' || g, 'leser' || g || '@example.de', 'x', 'reader', '2020-01-01T00:00:00.000Z', '2020-01-01T00:00:00.000Z' from generate_series(1, 5000) g`.execute(store.db);
    await sql`insert into sessions (id, user_id, csrf_secret, created_at, last_seen_at, expires_at)
      select 's' || g, 'u' || g, 'c', '2026-11-01T00:00:00.000Z', '2026-11-01T00:00:00.000Z', '2027-01-01T00:00:00.000Z' from generate_series(1, 5000) g`.execute(store.db);
    // as autovacuum leaves a table: statistics, and the visibility map that lets a plan read an index alone
    await sql`vacuum analyze`.execute(store.db);

    const config = servingConfig(loadConfig({ KLARTEXT_DATA_DIR: dataDir, KLARTEXT_METER_PER_MONTH: '3' }));
    k = createApp({ config, store: { ...store, db: store.db.withPlugin(capture) }, logger: pino({ level: 'silent' }), clientJs: '', passwordHashing: TEST_HASHING, now: () => NOW });
    await k.ready;
    t = { app: k.app, store, config, klartext: k, close: async () => {} };

    const get = async (l: string, p: string, browser?: TestBrowser) => {
      k.pageCache.clear();
      label = l;
      const r = browser ? await browser.get(p) : await k.app.request(p);
      label = 'setup';
      return r;
    };
    const text = async (r: Response | { text: string }) => (typeof r.text === 'string' ? r.text : await (r as Response).text());
    const older = (html: string) => /<a href="([^"]+)" rel="next"/.exec(html)![1]!.replace(/&amp;/g, '&');

    await get('front', '/');
    const stadt = await text(await get('section', '/stadt'));
    await get('section-page-2', older(stadt));
    const deep = await get('section-legacy-link', '/stadt?seite=30');
    assert.equal(deep.status, 302);
    assert.equal((await get('section-deep', deep.headers.get('location')!)).status, 200);
    await get('author', '/autor/ina-beispiel');
    await get('feed', '/feed.xml');
    await get('section-feed', '/stadt/feed.xml');
    await get('news-sitemap', '/news-sitemap.xml');
    const index = await text(await get('sitemap-index', '/sitemap.xml'));
    const month = /<loc>http:\/\/localhost(\/sitemaps\/artikel-[^<]+)<\/loc>/.exec(index)![1]!;
    assert.equal((await get('sitemap-file', month)).status, 200);
    await get('article', '/artikel/haushalt-in-not');
    await get('search-guest', '/suche?q=Brackenau');

    label = 'login';
    const reader = await loggedInAs(t, 'reader', 'meter@example.de');
    const subscriber = await loggedInAs(t, 'reader', 'abo@example.de');
    label = 'setup';
    await grantSubscription(store.db, { userId: subscriber.userId, days: 30, now: NOW });
    await get('session', '/api/me', reader.browser);
    await get('search-subscriber', '/suche?q=Brackenau', subscriber.browser);

    const page = await text(await get('article', '/artikel/haushalt-in-not'));
    const keyId = /data-key-id="([^"]+)"/.exec(page)![1]!;
    const articleId = /data-article-id="([^"]+)"/.exec(page)?.[1] ?? (await store.db.selectFrom('articles').select('id').where('slug', '=', 'haushalt-in-not').executeTakeFirstOrThrow()).id;
    const unlock = async (l: string, b: TestBrowser) => {
      label = l;
      const r = await b.request(`/api/unlock/${articleId}`, {
        method: 'POST', body: JSON.stringify({ keyId }),
        headers: { 'content-type': 'application/json', 'x-klartext-csrf': '1', origin: 'http://localhost', 'sec-fetch-site': 'same-origin' },
      });
      label = 'setup';
      assert.equal(r.status, 200, r.text);
    };
    await unlock('unlock-subscriber', subscriber.browser);
    await unlock('unlock-meter', reader.browser);

    for (const c of captured.filter((x) => x.label !== 'setup')) {
      const e = await explain(c.label, store.db.getExecutor().compileQuery(c.node, c.queryId));
      if (e) plans.push(e);
    }
  });
  after(async () => { await k?.close(); await store?.close(); });

  test('no hot query reads a growing table whole (no Seq Scan outside sections, authors, offers)', () => {
    assert.ok(plans.length > 30, `${plans.length} plans`);
    const scans = plans.flatMap((p) => p.nodes.filter((n) => n['Node Type'] === 'Seq Scan' && !SMALL_TABLES.has(n['Relation Name']!))
      .map((n) => `${p.label}: Seq Scan on ${n['Relation Name']} in ${p.sql.slice(0, 160)}`));
    assert.deepEqual(scans, []);
  });

  test('no hot query walks a whole index of a growing table either (an index scan without a condition), but the sitemap index', () => {
    const walks = plans.filter((p) => p.label !== 'sitemap-index').flatMap((p) => p.nodes
      .filter((n) => /Index/.test(n['Node Type']) && n['Index Name'] && !n['Index Cond'] && !SMALL_TABLES.has(n['Relation Name'] ?? ''))
      .filter((n) => !/^(sections|authors|offers)_/.test(n['Index Name']!))
      .map((n) => `${p.label}: ${n['Node Type']} on ${n['Index Name']} without a condition in ${p.sql.slice(0, 160)}`));
    assert.deepEqual(walks, []);
  });

  test('front page, feeds and section pages (first, next, 30 pages deep) walk the listing indexes in order: no sort', () => {
    // the site-wide order is served by (live, published_at, id, …) or by (published_at, id) with live as a filter (almost every
    // row is live): the planner takes either, both hand the rows over in order
    const siteWide: readonly string[] = ['articles_listing', 'articles_published_id'];
    const section: readonly string[] = ['articles_section_listing'];
    const cases: [string, readonly string[]][] = [['front', siteWide], ['feed', siteWide], ['news-sitemap', siteWide], ['section-feed', section],
      ['section', section], ['section-page-2', section], ['section-deep', section]];
    for (const [l, indexes] of cases) {
      const listing = of(l).filter((p) => /order by "articles"."published_at" desc/.test(p.sql));
      assert.ok(listing.length > 0, `${l}: no listing query captured`);
      for (const p of listing) {
        assert.ok(inIndexOrder(p.nodes, indexes), `${l} does not read ${indexes.join(' or ')} in order (or sorts): ${p.sql} ${JSON.stringify(p.nodes.map((n) => [n['Node Type'], n['Index Name'], n['Index Cond']]))}`);
      }
    }
    // the page before a deep page and the old ?seite= link read index entries only
    assert.ok(of('section-deep').some((p) => p.nodes.some((n) => n['Node Type'] === 'Index Only Scan' && n['Index Name'] === 'articles_section_listing')),
      JSON.stringify(of('section-deep').map((p) => [p.sql.slice(0, 300), p.nodes.map((n) => [n['Node Type'], n['Index Name']])])));
    assert.ok(of('section-legacy-link').some((p) => p.nodes.some((n) => n['Node Type'] === 'Index Only Scan' && n['Index Name'] === 'articles_section_listing')));
  });

  test('author pages, sitemaps, search, login, session and unlock use the index each needs', () => {
    const expect: [string, string[]][] = [
      ['author', ['article_authors_author']],
      ['sitemap-index', ['articles_listing']],
      ['search-guest', ['search_documents_free']],
      ['search-subscriber', ['search_documents_premium', 'subscriptions_user']],
      ['login', ['users_email_key', 'throttle_events_key_at']],
      ['session', ['sessions_pkey']],
      ['unlock-subscriber', ['sessions_pkey', 'subscriptions_user']],
      ['article', ['articles_slug_key', 'content_keys_article_hash']],
      ['unlock-meter', ['subscriptions_user', 'meter_unlocks_pk']],
    ];
    for (const [l, names] of expect) {
      const used = indexesOf(of(l));
      for (const name of names) {
        assert.ok(used.has(name), `${l} does not use ${name}; it uses ${[...used].sort().join(', ')}: ${JSON.stringify(of(l).map((p) => p.nodes.map((n) => [n['Node Type'], n['Index Name'], n['Index Cond']])))}`);
      }
    }
    assert.ok(of('sitemap-index').some((p) => p.nodes.some((n) => n['Node Type'] === 'Index Only Scan')), 'the sitemap index reads the index alone');
    const file = of('sitemap-file').find((p) => /order by "published_at"/.test(p.sql))!;
    assert.ok(file.nodes.some((n) => ['articles_listing', 'articles_published_id'].includes(n['Index Name'] ?? '') && n['Index Cond']), 'a sitemap file is one index range');
    assert.ok(!file.nodes.some((n) => /Sort/.test(n['Node Type'])), 'a sitemap file is read in index order');
  });

  test('the check can fail: without the section listing index the deep section page is caught', async () => {
    const deep = of('section-deep').find((p) => /order by "articles"."published_at" desc/.test(p.sql))!;
    const listing = captured.find((c) => c.label === 'section-deep' && /order by "articles"."published_at" desc/.test(store.db.getExecutor().compileQuery(c.node, c.queryId).sql))!;
    const compiled = store.db.getExecutor().compileQuery(listing.node, listing.queryId);
    assert.equal(compiled.sql, deep.sql);
    await store.db.connection().execute(async (conn) => {
      await sql`begin`.execute(conn);
      try {
        await sql`drop index articles_section_listing`.execute(conn);
        await sql`set local enable_seqscan = off`.execute(conn);
        const r = await conn.executeQuery<{ 'QUERY PLAN': { Plan: PlanNode }[] }>(CompiledQuery.raw(`explain (format json) ${compiled.sql}`, [...compiled.parameters]));
        const nodes = flatten(r.rows[0]!['QUERY PLAN'][0]!.Plan);
        assert.equal(inIndexOrder(deep.nodes, ['articles_section_listing']), true);
        assert.equal(inIndexOrder(nodes, ['articles_section_listing']), false, 'without the index the check fails');
      } finally {
        await sql`rollback`.execute(conn);
      }
    });
  });
});
