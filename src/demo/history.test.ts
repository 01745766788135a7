// The demo history on both engines: the same "now" gives the same history, rollups are what the raw events add up to, orders credit live Plus articles, every contract's state follows from its history.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { openTestStore, testEngines, type TestStore } from '../db/test-stores.ts';
import { seedDemo } from '../cli/seed.ts';
import { runCli } from '../cli/main.ts';
import { captureIo } from '../testing/cli-io.ts';
import { ALLOWED_FROM, addDays, berlinDate, type LifecycleEvent } from '../billing/index.ts';
import { HISTORY_DAYS, HISTORY_EXPERIMENT_ID, HISTORY_INSTITUTION_ID, RAW_DAYS, seedDemoHistory } from './index.ts';

const NOW = new Date('2026-11-28T09:30:00.000Z');
const TODAY = berlinDate(NOW);
const FIRST_DAY = addDays(TODAY, -(HISTORY_DAYS - 1));
const RAW_FROM = addDays(TODAY, -(RAW_DAYS - 1));
const GRACE = 3 * 86_400_000;

async function seeded(engine: string): Promise<TestStore> {
  const s = await openTestStore(engine);
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'klartext-history-'));
  try {
    const r = await seedDemo(s, { dataDir, billingGraceDays: 3 }, NOW);
    assert.equal(r.history.added, true, r.history.added ? '' : r.history.reason);
  } finally {
    await fs.rm(dataDir, { recursive: true, force: true });
  }
  return s;
}

const num = (v: unknown): number => Number(v ?? 0);

/** What must not depend on anything but "now": counts and sums (ids of the demo articles and offers are random per database). */
async function fingerprint(s: TestStore): Promise<unknown> {
  const q = async (text: string) => (await sql.raw(text).execute(s.db)).rows.map((r) => Object.fromEntries(Object.entries(r as object).map(([k, v]) => [k, typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : v])));
  return {
    subscriptions: await q(`select kind, state, provider, offer_name, count(*) as n, sum(price_cents) as price, sum(periods_paid) as periods,
      sum(case when attributed_article_id is null then 0 else 1 end) as attributed from subscriptions group by kind, state, provider, offer_name order by kind, state, provider, offer_name`),
    lines: await q(`select event, from_state, to_state, count(*) as n from subscription_events group by event, from_state, to_state order by event, from_state, to_state`),
    charges: await q(`select kind, state, count(*) as n, sum(amount_cents) as cents from charges group by kind, state order by kind, state`),
    daily: await q(`select kind, detail, count(*) as rows_, sum(count) as n from analytics_daily group by kind, detail order by kind, detail`),
    raw: await q(`select kind, count(*) as n, min(at) as first, max(at) as last from analytics_events group by kind order by kind`),
    users: await q(`select count(*) as n, min(created_at) as first, max(created_at) as last from users`),
    articles: await q(`select access, count(*) as n, min(published_at) as first from articles group by access order by access`),
  };
}

for (const engine of testEngines()) describe(`demo history (${engine})`, () => {
  /** one seeded site for the tests that only read */
  let s: TestStore;
  before(async () => { s = await seeded(engine); });
  after(() => s.close());

  test(`${engine}: the same now gives the same history; a second seed adds nothing`, async () => {
    const b = await seeded(engine);
    try {
      const first = await fingerprint(s);
      assert.deepEqual(await fingerprint(b), first);
      const again = await seedDemoHistory(b, { now: new Date(NOW.getTime() + 86_400_000), graceMs: GRACE });
      assert.deepEqual(again, { added: false, reason: 'Der Demo-Verlauf ist schon eingespielt.' });
      assert.deepEqual(await fingerprint(b), first, 'nothing added by the second seed');
    } finally {
      await b.close();
    }
  });

  test(`${engine}: a site with insights data of its own gets no invented history`, async () => {
    const own = await openTestStore(engine);
    const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'klartext-history-'));
    try {
      await own.db.insertInto('analytics_rollup_days').values({ day: TODAY, rolled_up_at: NOW.toISOString(), final: 0 }).execute();
      const r = await seedDemo(own, { dataDir }, NOW);
      assert.ok(r.articles > 0, 'the paper itself is seeded');
      assert.equal(r.history.added, false);
      assert.match(!r.history.added ? r.history.reason : '', /eigene Auswertungsdaten/);
      assert.equal((await own.db.selectFrom('subscriptions').select('id').execute()).length, 0);
      assert.equal((await own.db.selectFrom('analytics_daily').select('day').execute()).length, 0);
    } finally {
      await own.close();
      await fs.rm(dataDir, { recursive: true, force: true });
    }
  });

  test(`${engine}: rollups are exactly what the raw events add up to, for every raw day; two years of rolled-up days`, async () => {
    const regrouped = await sql<Record<string, unknown>>`
      select e.day, e.kind, coalesce(e.article_id, '') as article_id, coalesce(e.offer_id, '') as offer_id, coalesce(e.variant_id, '') as variant_id,
        coalesce(e.institution_id, '') as institution_id, coalesce(e.detail, '') as detail, coalesce(a.section_id, '') as section_id, count(*) as count
      from analytics_events e left join articles a on a.id = e.article_id
      group by e.day, e.kind, coalesce(e.article_id, ''), coalesce(e.offer_id, ''), coalesce(e.variant_id, ''), coalesce(e.institution_id, ''), coalesce(e.detail, ''), coalesce(a.section_id, '')
      order by 1, 2, 3, 4, 5, 6, 7`.execute(s.db);
    const stored = await s.db.selectFrom('analytics_daily').selectAll().where('day', '>=', RAW_FROM)
      .orderBy('day').orderBy('kind').orderBy('article_id').orderBy('offer_id').orderBy('variant_id').orderBy('institution_id').orderBy('detail').execute();
    const norm = (rows: Record<string, unknown>[]) => rows.map((r) => ({ ...r, count: Number(r.count) }));
    assert.ok(stored.length > 1000, `${stored.length} rollup rows in the raw window`);
    assert.deepEqual(norm(stored), norm(regrouped.rows));
    // every raw event lies on its Berlin day, inside the raw window, not after now
    const raw = await s.db.selectFrom('analytics_events').select(['at', 'day']).execute();
    assert.ok(raw.length > 20_000);
    for (const e of raw.filter((_, i) => i % 97 === 0)) assert.equal(berlinDate(new Date(e.at)), e.day);
    const bounds = await s.db.selectFrom('analytics_events').select((eb) => [eb.fn.min('day').as('first'), eb.fn.max('at').as('last')]).executeTakeFirstOrThrow();
    assert.equal(bounds.first, RAW_FROM);
    assert.ok(String(bounds.last) <= NOW.toISOString());
    const days = await s.db.selectFrom('analytics_rollup_days').selectAll().orderBy('day').execute();
    assert.equal(days.length, HISTORY_DAYS);
    assert.equal(days[0]!.day, FIRST_DAY);
    assert.deepEqual(days.filter((d) => Number(d.final) === 0).map((d) => d.day), [TODAY], 'only today is a partial rollup');
    assert.ok(days.every((d) => d.rolled_up_at <= NOW.toISOString()));
    const oldest = await s.db.selectFrom('analytics_daily').select((eb) => eb.fn.min('day').as('d')).executeTakeFirstOrThrow();
    assert.ok(String(oldest.d) <= addDays(FIRST_DAY, 2), 'rollups reach back two years');
  });

  test(`${engine}: orders credit Plus articles that existed then; order events match the orders; the funnel and the week look real`, async () => {
    const attributed = await s.db.selectFrom('subscriptions').leftJoin('articles', 'articles.id', 'subscriptions.attributed_article_id')
      .select(['subscriptions.created_at', 'subscriptions.attributed_article_id', 'articles.id as article', 'articles.access', 'articles.published_at', 'articles.live'])
      .where('subscriptions.attributed_article_id', 'is not', null).execute();
    assert.ok(attributed.length > 300, `${attributed.length} attributed orders`);
    for (const o of attributed) {
      assert.equal(o.article, o.attributed_article_id, 'the article exists');
      assert.equal(o.access, 'plus');
      assert.ok(o.published_at! <= o.created_at, `published ${o.published_at} before the order ${o.created_at}`);
    }
    const demoPlus = await s.db.selectFrom('articles').select('id').where('access', '=', 'plus').where('image_id', 'is not', null).execute();
    assert.ok(attributed.some((o) => demoPlus.some((d) => d.id === o.attributed_article_id)), 'the demo paper\'s own Plus articles sold too');
    // one order event for each order in the two years, with the same offer and article
    const orders = await s.db.selectFrom('subscriptions').select(['offer_id', 'attributed_article_id', 'created_at']).where('kind', 'in', ['paid', 'gift'])
      .where('created_at', '>=', new Date(Date.parse(`${FIRST_DAY}T00:00:00Z`) + 86_400_000).toISOString()).execute();
    const events = await s.db.selectFrom('analytics_daily').select(['offer_id', 'article_id', 'count']).where('kind', '=', 'order').where('day', '>', FIRST_DAY).execute();
    const tally = (rows: [string, string][]) => [...rows.reduce((m, k) => m.set(k.join('|'), (m.get(k.join('|')) ?? 0) + 1), new Map<string, number>())].sort();
    assert.deepEqual(tally(events.flatMap((e) => Array.from({ length: Number(e.count) }, () => [e.offer_id, e.article_id] as [string, string]))),
      tally(orders.map((o) => [o.offer_id ?? '', o.attributed_article_id ?? ''])));
    const total = async (kind: string) => num((await s.db.selectFrom('analytics_daily').select((eb) => eb.fn.sum('count').as('n')).where('kind', '=', kind).executeTakeFirstOrThrow()).n);
    const boxOrders = num((await s.db.selectFrom('analytics_daily').select((eb) => eb.fn.sum('count').as('n')).where('kind', '=', 'order').where('article_id', '!=', '').executeTakeFirstOrThrow()).n);
    const [views, walls, clicks, checkouts] = [await total('view'), await total('paywall'), await total('offer_click'), await total('checkout')];
    const rate = boxOrders / walls;
    assert.ok(rate >= 0.005 && rate <= 0.02, `paywall → order ${(rate * 100).toFixed(2)} %`);
    assert.ok(views > walls && walls > clicks && clicks > checkouts && checkouts > boxOrders, 'a funnel narrows at every step');
    for (const kind of ['registration', 'meter_unlock', 'gift_open', 'institution_unlock', 'cancellation']) assert.ok(await total(kind) > 0, `${kind} events`);
    // weekdays busier than weekends
    const byDay = await s.db.selectFrom('analytics_daily').select(['day']).select((eb) => eb.fn.sum('count').as('n')).where('kind', '=', 'view').groupBy('day').execute();
    const mean = (rows: typeof byDay) => rows.reduce((x, r) => x + num(r.n), 0) / rows.length;
    const weekend = (d: string) => [0, 6].includes(new Date(`${d}T12:00:00Z`).getUTCDay());
    assert.ok(mean(byDay.filter((d) => !weekend(d.day) && d.day !== TODAY)) > 1.15 * mean(byDay.filter((d) => weekend(d.day))));
    assert.ok(Math.max(...byDay.map((d) => num(d.n))) > 2 * mean(byDay), 'a news spike');
  });

  test(`${engine}: every contract's state follows from its history; every state, kind and term is there`, async () => {
    const subs = await s.db.selectFrom('subscriptions').selectAll().execute();
    const lines = await s.db.selectFrom('subscription_events').selectAll().orderBy('subscription_id').orderBy('seq').execute();
    const bySub = new Map<string, typeof lines>();
    for (const l of lines) bySub.set(l.subscription_id, [...(bySub.get(l.subscription_id) ?? []), l]);
    const now = NOW.toISOString();
    for (const sub of subs) {
      const history = bySub.get(sub.id) ?? [];
      assert.ok(history.length > 0, `${sub.number} has a history`);
      assert.equal(history[0]!.from_state, null);
      assert.equal(history[0]!.event, sub.kind === 'comp' ? 'grant' : 'order');
      for (const [i, l] of history.entries()) {
        assert.equal(Number(l.seq), i + 1);
        if (i === 0) continue;
        assert.equal(l.from_state, history[i - 1]!.to_state, `${sub.number}: line ${i + 1} continues the previous one`);
        assert.ok(ALLOWED_FROM[l.event as LifecycleEvent['type']]?.includes(l.from_state as never), `${sub.number}: ${l.event} from ${l.from_state}`);
        assert.ok(l.at >= history[i - 1]!.at && l.at <= now, `${sub.number}: in time order, not in the future`);
      }
      assert.equal(history[history.length - 1]!.to_state, sub.state, `${sub.number}: the state is where its history ends`);
      if (sub.state === 'ended') assert.ok(sub.ended_at && sub.end_reason && sub.access_until === sub.ended_at && sub.ended_at <= now);
      else assert.equal(sub.ended_at, null);
      if (sub.state === 'active' || sub.state === 'intro') assert.ok(sub.access_until! > now, `${sub.number}: running contracts entitle now`);
      if (sub.state === 'past_due' || sub.state === 'dunning') assert.equal(sub.access_until, new Date(Date.parse(sub.past_due_since!) + GRACE).toISOString());
      if (sub.state === 'pending') assert.ok(sub.kind === 'gift' && sub.user_id === null, 'only unredeemed gifts wait');
      if (sub.cancel_effective_at) assert.ok(history.some((l) => l.event === 'cancel'));
    }
    const has = (f: (x: (typeof subs)[number]) => boolean, what: string) => assert.ok(subs.some(f), what);
    for (const state of ['active', 'intro', 'past_due', 'dunning', 'ended', 'pending'] as const) has((x) => x.state === state, `a contract in state ${state}`);
    has((x) => x.state === 'active' && x.cancel_effective_at !== null && x.cancel_effective_at > now, 'cancelled but still running');
    has((x) => x.kind === 'paid' && x.period === 'year' && x.state === 'active', 'a running yearly contract');
    has((x) => x.end_reason === 'unpaid', 'ended after dunning');
    has((x) => x.end_reason === 'cancelled', 'ended by cancellation');
    has((x) => x.kind === 'gift' && x.state === 'ended' && x.end_reason === 'gift-over', 'a gift that ran out');
    has((x) => x.kind === 'comp' && x.state === 'active', 'a running free subscription');
    const introToRegular = lines.filter((l) => l.event === 'renew' && l.from_state === 'intro' && l.to_state === 'active').length;
    assert.ok(introToRegular > 100, `${introToRegular} intro → regular`);
    // charges: paid Stripe periods, failures where dunning began, gifts debited once
    const charges = await s.db.selectFrom('charges').select(['subscription_id', 'kind', 'state', 'amount_cents']).execute();
    const started = subs.filter((x) => x.kind === 'paid' && x.state !== 'pending');
    const paidFor = new Set(charges.filter((c) => c.state === 'paid').map((c) => c.subscription_id));
    assert.ok(started.every((x) => paidFor.has(x.id)), 'every started contract has a paid charge');
    const failedFor = new Set(charges.filter((c) => c.state === 'failed').map((c) => c.subscription_id));
    assert.ok(subs.filter((x) => x.state === 'past_due' || x.state === 'dunning' || x.end_reason === 'unpaid').every((x) => failedFor.has(x.id)));
    assert.ok(charges.some((c) => c.kind === 'intro' && c.amount_cents === 100) && charges.some((c) => c.kind === 'gift'));
    // readers: a few thousand, none of them can log in; contracts belong to existing readers
    const users = await s.db.selectFrom('users').select(['id', 'password_hash']).execute();
    assert.ok(users.length > 2000, `${users.length} readers`);
    const ids = new Set(users.map((u) => u.id));
    assert.ok(subs.every((x) => x.user_id === null || ids.has(x.user_id)));
    assert.ok(users.every((u) => !u.password_hash.startsWith('$argon2')), 'history readers have no password');
  });

  test(`${engine}: one ended A/B experiment (B a bit better) and a city library with a documentation network`, async () => {
    const exp = await s.db.selectFrom('experiments').selectAll().where('id', '=', HISTORY_EXPERIMENT_ID).executeTakeFirstOrThrow();
    assert.equal(exp.state, 'ended');
    assert.ok(exp.started_at! < exp.ended_at! && exp.ended_at! < NOW.toISOString());
    const variants = await s.db.selectFrom('experiment_variants').selectAll().where('experiment_id', '=', exp.id).orderBy('position').execute();
    assert.deepEqual(variants.map((v) => [v.key, v.share]), [['A', 50], ['B', 50]]);
    const conversion = async (variantId: string) => {
      const sum = async (kind: string) => num((await s.db.selectFrom('analytics_daily').select((eb) => eb.fn.sum('count').as('n'))
        .where('kind', '=', kind).where('variant_id', '=', variantId).executeTakeFirstOrThrow()).n);
      const orders = await s.db.selectFrom('subscriptions').select('id').where('experiment_variant_id', '=', variantId).execute();
      assert.equal(orders.length, await sum('order'), 'orders carry the variant their events carry');
      return orders.length / await sum('paywall');
    };
    const [a, b] = [await conversion(variants[0]!.id), await conversion(variants[1]!.id)];
    assert.ok(a > 0.003 && b > a, `A ${(a * 100).toFixed(2)} %, B ${(b * 100).toFixed(2)} %`);
    const outside = await s.db.selectFrom('analytics_events').select('at').where('variant_id', 'is not', null)
      .where((eb) => eb.or([eb('at', '<', exp.started_at!), eb('at', '>=', exp.ended_at!)])).execute();
    assert.equal(outside.length, 0, 'variant ids only while the experiment ran');

    const library = await s.db.selectFrom('institutions').selectAll().where('id', '=', HISTORY_INSTITUTION_ID).executeTakeFirstOrThrow();
    assert.equal(library.kind, 'library');
    assert.equal(library.ends_on, `${Number(TODAY.slice(0, 4)) + 1}-12-31`);
    assert.equal(library.revoked_at, null);
    const cidrs = (await s.db.selectFrom('institution_networks').select('cidr').where('institution_id', '=', library.id).execute()).map((n) => n.cidr);
    assert.ok(cidrs.includes('198.51.100.0/24'), 'TEST-NET-2 (RFC 5737), no real network');
    const unlocks = await s.db.selectFrom('analytics_events').select('article_id').where('kind', '=', 'institution_unlock').where('institution_id', '=', library.id).execute();
    assert.ok(unlocks.length > 10);
  });
});

test('klartext seed, twice: the history once, and a line that says so', async () => {
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'klartext-history-cli-'));
  const env = { KLARTEXT_DATA_DIR: dataDir, LOG_LEVEL: 'silent' };
  try {
    const first = captureIo();
    assert.equal(await runCli(['seed'], first, env), 0, first.stderr.join('\n'));
    assert.match(first.stdout.join('\n'), /Demo-Verlauf über zwei Jahre: [\d.]+ Archivartikel, [\d.]+ Leserkonten, [\d.]+ Abos, [\d.]+ Ereignisse der letzten 90 Tage/);
    const second = captureIo();
    assert.equal(await runCli(['seed'], second, env), 0, second.stderr.join('\n'));
    assert.match(second.stdout.join('\n'), /Demo-Verlauf: nichts hinzugefügt\. Der Demo-Verlauf ist schon eingespielt\./);
  } finally {
    await fs.rm(dataDir, { recursive: true, force: true });
  }
});
