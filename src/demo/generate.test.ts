// The generated big paper on both engines: same seed same rows, a realistic mix, and its documented login reads Plus.
import test from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { TEST_HASHING } from '../accounts/index.ts';
import { openTestStore, testEngines, type TestStore } from '../db/test-stores.ts';
import { createTestApp } from '../testing/test-app.ts';
import { logInAs } from '../testing/test-accounts.ts';
import { captureIo } from '../testing/cli-io.ts';
import { runCli } from '../cli/main.ts';
import { GENERATED_PASSWORD, generatedPasswordHash, generatedReaderEmail, generatePaper, type GenerateOptions } from './index.ts';

const NOW = new Date('2026-11-28T06:00:00.000Z');
const plan = async (seed: number): Promise<GenerateOptions> => ({
  seed, now: NOW, articles: 400, readers: 300, subscriptions: 200, passwordHash: await generatedPasswordHash(seed, TEST_HASHING),
  paymentKey: randomBytes(32), graceMs: 3 * 86_400_000, ...(process.env.DATABASE_URL_TEST ? { databaseUrl: process.env.DATABASE_URL_TEST } : {}),
});

/** The rows that must not depend on anything but the seed (sealed mandate fields carry random IVs by design and are left out). */
async function snapshot(s: TestStore): Promise<unknown> {
  const db = s.db;
  return {
    sections: await db.selectFrom('sections').select(['id', 'slug', 'name', 'position']).orderBy('slug').execute(),
    authors: await db.selectFrom('authors').select(['id', 'slug', 'name', 'bio']).orderBy('id').execute(),
    articles: await db.selectFrom('articles').select(['id', 'slug', 'section_id', 'kicker', 'headline', 'teaser', 'access', 'paywall_after', 'blocks_json', 'published_at', 'updated_at']).orderBy('id').execute(),
    bylines: await db.selectFrom('article_authors').selectAll().orderBy('article_id').orderBy('position').execute(),
    search: await db.selectFrom('search_documents').select(['article_id', 'free_text', 'premium_text']).orderBy('article_id').execute(),
    users: await db.selectFrom('users').selectAll().orderBy('id').execute(),
    // offers are the demo's, made with random ids when missing: compared by slug
    subscriptions: await db.selectFrom('subscriptions').leftJoin('offers', 'offers.id', 'subscriptions.offer_id').selectAll('subscriptions').select('offers.slug as offer')
      .orderBy('subscriptions.id').execute().then((rows) => rows.map((r) => ({ ...r, offer_id: r.offer }))),
    mandates: await db.selectFrom('sepa_mandates').select(['id', 'subscription_id', 'reference', 'iban_masked', 'signed_on', 'first_collected_at']).orderBy('id').execute(),
  };
}

for (const engine of testEngines()) {
  test(`${engine}: the same seed writes the same rows, another seed other ones`, async () => {
    const [a, b, c] = [await openTestStore(engine), await openTestStore(engine), await openTestStore(engine)];
    try {
      const report = await generatePaper(a, await plan(7));
      assert.deepEqual({ ...report, seconds: 0 }, { sections: 7, authors: 8, articles: 400, readers: 300, subscriptions: 200, mandates: report.mandates, seconds: 0 });
      await generatePaper(b, await plan(7));
      await generatePaper(c, await plan(8));
      const first = await snapshot(a) as { articles: { headline: string }[] };
      assert.deepEqual(await snapshot(b), first);
      const other = await snapshot(c) as { articles: { headline: string }[] };
      assert.notDeepEqual(other.articles.map((x) => x.headline), first.articles.map((x) => x.headline));
    } finally {
      await Promise.all([a.close(), b.close(), c.close()]);
    }
  });

  test(`${engine}: a paper like a real one — archive in every section, about a third Plus, contracts in every state`, async () => {
    const s = await openTestStore(engine);
    try {
      await generatePaper(s, await plan(7));
      const articles = await s.db.selectFrom('articles').select(['access', 'published_at', 'section_id', 'blocks_json', 'paywall_after']).execute();
      const plus = articles.filter((x) => x.access === 'plus').length / articles.length;
      assert.ok(plus > 0.25 && plus < 0.45, `Plus share ${plus}`);
      assert.ok(articles.some((x) => x.access === 'registered') && articles.some((x) => x.access === 'free'));
      assert.equal(new Set(articles.map((x) => x.section_id)).size, 7, 'every section has articles');
      for (const x of articles) assert.ok(x.paywall_after < (JSON.parse(x.blocks_json) as unknown[]).length || x.access === 'free', 'a paywall inside the text');
      const times = articles.map((x) => Date.parse(x.published_at)).sort((p, q) => p - q);
      assert.ok(times[times.length - 1]! < NOW.getTime() && NOW.getTime() - times[0]! > 20 * 86_400_000, 'an archive reaching back weeks, nothing in the future');
      const subs = await s.db.selectFrom('subscriptions').select(['state', 'kind', 'provider', 'access_until', 'user_id']).execute();
      for (const state of ['active', 'ended', 'intro', 'past_due']) assert.ok(subs.some((x) => x.state === state), `a contract in state ${state}`);
      for (const kind of ['paid', 'gift', 'comp']) assert.ok(subs.some((x) => x.kind === kind), `a ${kind} contract`);
      assert.equal(new Set(subs.map((x) => x.user_id)).size, subs.length, 'one contract per reader');
      const sepa = subs.filter((x) => x.kind === 'paid' && x.provider === 'sepa').length;
      const mandates = await s.db.selectFrom('sepa_mandates').select('id').execute();
      assert.equal(mandates.length, sepa, 'every SEPA contract has its mandate');
      const running = subs.filter((x) => x.state === 'active' || x.state === 'intro');
      assert.ok(running.every((x) => x.access_until !== null && x.access_until > NOW.toISOString()), 'running contracts entitle now');
      // the search index answers for generated text, through the same query the site uses
      const hits = await s.db.selectFrom('search_documents').select('article_id').execute();
      assert.equal(hits.length, 400);
    } finally {
      await s.close();
    }
  });

  test(`${engine}: a generated reader logs in with the documented password and reads Plus as a subscriber`, async () => {
    const t = await createTestApp(engine);
    try {
      await generatePaper(t.store, await plan(7));
      await t.klartext.contentChanges.poll();
      const reader = await logInAs(t, generatedReaderEmail(1), GENERATED_PASSWORD);
      const plus = await t.store.db.selectFrom('articles').select('slug').where('access', '=', 'plus').orderBy('published_at', 'desc').limit(1).executeTakeFirstOrThrow();
      const page = await reader.get(`/artikel/${plus.slug}`);
      assert.equal(page.status, 200);
      const articleId = /data-article-id="([^"]+)"/.exec(page.text)![1]!;
      const keyId = /data-key-id="([^"]+)"/.exec(page.text)![1]!;
      const unlock = await reader.request(`/api/unlock/${articleId}`, {
        method: 'POST', body: JSON.stringify({ keyId }), headers: { 'content-type': 'application/json', 'x-klartext-csrf': '1', origin: 'http://localhost', 'sec-fetch-site': 'same-origin' },
      });
      assert.equal(unlock.status, 200, unlock.text);
      assert.equal((JSON.parse(unlock.text) as { reason: string }).reason, 'subscriber');
    } finally {
      await t.close();
    }
  });
}

test('klartext demo generate: bad options name the option (exit 2); a database with content is refused without --force (exit 1)', async () => {
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'klartext-gen-cli-'));
  const env = { KLARTEXT_DATA_DIR: dataDir, LOG_LEVEL: 'silent' };
  try {
    for (const [args, option] of [[['--articles', '-5'], '--articles'], [['--readers', 'viele'], '--readers'], [['--articles', '2.5'], '--articles'],
      [['--seed', 'x'], '--seed'], [['--readers', '10', '--subscriptions', '20'], '--subscriptions'], [['--tempo'], '--tempo']] as const) {
      const io = captureIo();
      assert.equal(await runCli(['demo', 'generate', ...args], io, env), 2, args.join(' '));
      assert.match(io.stderr[0]!.split('\n')[0]!, new RegExp(option), `names ${option}: ${io.stderr[0]}`);
    }
    const ok = captureIo();
    assert.equal(await runCli(['demo', 'generate', '--articles', '30', '--readers', '20', '--subscriptions', '5', '--seed', '3'], ok, env), 0, ok.stderr.join('\n'));
    assert.match(ok.stdout.join('\n'), /30 Artikel.*20 Leserkonten, 5 Abos/s);
    const again = captureIo();
    assert.equal(await runCli(['demo', 'generate', '--articles', '30'], again, env), 1);
    assert.match(again.stderr[0]!, /nicht leer \(30 Artikel, 20 Konten, 5 Abos\).*--force/);
    // --force adds, but the same generated readers cannot be written twice: refused as a whole, nothing half-written
    const forced = captureIo();
    assert.equal(await runCli(['demo', 'generate', '--articles', '30', '--readers', '20', '--subscriptions', '5', '--seed', '3', '--force'], forced, env), 1);
    assert.match(forced.stderr[0]!, /schon in der Datenbank.*nichts wurde geschrieben/);
    const count = captureIo();
    await runCli(['demo', 'generate', '--articles', '1'], count, env);
    assert.match(count.stderr[0]!, /\(30 Artikel, 20 Konten, 5 Abos\)/);
  } finally {
    await fs.rm(dataDir, { recursive: true, force: true });
  }
});
