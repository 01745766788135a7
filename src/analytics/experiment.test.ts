// Offer experiments on every engine: input rules with the field named, at most one running (also when two starts race), start/stop as content changes, results from the rollups.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { DEMO_OFFERS, ensureOffers, findOffer } from '../billing/index.ts';
import { DomainError } from '../domain-error.ts';
import { openTestStore, testEngines, type TestStore } from '../db/test-stores.ts';
import { parseExperimentInput, type ExperimentInput } from './experiment.ts';
import { createExperiment, experimentVariantExists, findExperiment, listExperiments, runningExperiment, startExperiment, stopExperiment } from './experiment.queries.ts';
import { experimentResults, resultsOf } from './experiment-results.ts';

const NOW = new Date('2026-11-28T10:00:00Z');

const twoVariants = (o: Partial<ExperimentInput> = {}): ExperimentInput => ({
  name: 'Überschrift im Test',
  variants: [
    { headline: 'Alle Artikel im Klartext mit Plus Digital', share: 50 },
    { headline: 'Lokaljournalismus, der sich lohnt', body: 'Für 1 € im ersten Monat.', share: 50 },
  ],
  ...o,
});

/** The problems a rejected input names, field → message. */
function problemsOf(fn: () => unknown): Record<string, string> {
  try { fn(); } catch (e) {
    assert.ok(e instanceof DomainError && e.code === 'invalid-input', String(e));
    return Object.fromEntries(e.fields.map((f) => [f.path, f.message]));
  }
  assert.fail('the input was accepted');
}

test('input rules: a name, 2–4 variants with headlines, whole-percent shares of 1–99 adding up to 100 — each problem at its field, in German', () => {
  assert.deepEqual(Object.keys(problemsOf(() => parseExperimentInput(twoVariants({ name: '  ' })))), ['name']);
  assert.match(problemsOf(() => parseExperimentInput(twoVariants({ name: 'x'.repeat(81) }))).name!, /höchstens 80 Zeichen/);
  assert.match(problemsOf(() => parseExperimentInput({ name: 'Eine', variants: [{ headline: 'Nur A', share: 100 }] })).variants!, /2 bis 4 Varianten/);
  const five = Array.from({ length: 5 }, () => ({ headline: 'H', share: 20 }));
  assert.match(problemsOf(() => parseExperimentInput({ name: 'Fünf', variants: five })).variants!, /angegeben: 5/);
  const many = problemsOf(() => parseExperimentInput({ name: 'Viele Fehler', variants: [{ headline: '', share: 50 }, { headline: 'B', body: 'x'.repeat(401), share: 50.5 }] }));
  assert.deepEqual(many, {
    headline_A: 'Bitte geben Sie für Variante A eine Überschrift an.',
    body_B: 'Der Text von Variante B ist zu lang (höchstens 400 Zeichen).',
    share_B: 'Der Anteil von Variante B muss eine ganze Zahl von 1 bis 99 (Prozent) sein.',
  });
  assert.match(problemsOf(() => parseExperimentInput({ name: 'Null', variants: [{ headline: 'A', share: 100 }, { headline: 'B', share: 0 }] })).share_B!, /1 bis 99/);
  assert.deepEqual(problemsOf(() => parseExperimentInput({ name: 'Summe', variants: [{ headline: 'A', share: 40 }, { headline: 'B', share: 50 }] })),
    { shares: 'Die Anteile ergeben zusammen 90\u00a0%; sie müssen genau 100\u00a0% ergeben.' });
  const ok = parseExperimentInput({ name: ' Drei\u0007  Varianten ', variants: [{ headline: 'A', share: 34 }, { headline: 'B', share: 33 }, { headline: ' C\tneu ', share: 33 }] });
  assert.equal(ok.name, 'Drei Varianten', 'control characters and runs of spaces go');
  assert.deepEqual(ok.variants.map((v) => [v.key, v.headline, v.offerId]), [['A', 'A', null], ['B', 'B', null], ['C', 'C neu', null]]);
});

for (const engine of testEngines()) {
  describe(`offer experiments on ${engine}`, () => {
    let store: TestStore;
    let yearOfferId = '';
    let giftOfferId = '';
    before(async () => {
      store = await openTestStore(engine);
      await ensureOffers(store.db, DEMO_OFFERS, NOW);
      yearOfferId = (await findOffer(store.db, 'plus-digital-jahr'))!.id;
      giftOfferId = (await findOffer(store.db, 'geschenk-abo'))!.id;
    });
    after(async () => { await store.close(); });
    const changes = async () => (await store.db.selectFrom('content_changes').select('keys').orderBy('seq').execute()).map((r) => r.keys);

    test('a new experiment is a draft with its variants in order; an offer must be a subscription on sale', async () => {
      const e = await createExperiment(store.db, twoVariants({ variants: [{ headline: 'A', share: 30 }, { headline: 'B', share: 70, offerId: yearOfferId }] }), { by: 'admin-1', now: NOW });
      assert.equal(e.state, 'draft');
      assert.deepEqual(e.variants.map((v) => [v.key, v.share, v.offerId]), [['A', 30, null], ['B', 70, yearOfferId]]);
      assert.deepEqual(await findExperiment(store.db, e.id), e);
      assert.equal(await experimentVariantExists(store.db, e.variants[1]!.id), true);
      assert.equal(await experimentVariantExists(store.db, 'gibt-es-nicht'), false);
      assert.equal(await experimentVariantExists(store.db, "x' or '1'='1"), false);
      const before = (await listExperiments(store.db)).length;
      for (const offerId of [giftOfferId, 'unbekannt']) {
        await assert.rejects(createExperiment(store.db, twoVariants({ variants: [{ headline: 'A', share: 50 }, { headline: 'B', share: 50, offerId }] }), { by: null, now: NOW }),
          (e: unknown) => e instanceof DomainError && e.field === 'offer_B' && /Variante B gibt es nicht oder es ist nicht als Abo bestellbar/.test(e.message));
      }
      assert.equal((await listExperiments(store.db)).length, before, 'nothing half-written');
    });

    test('start and stop: one running at a time, each records the content change `offers`, an ended one does not start again', async () => {
      const first = await createExperiment(store.db, twoVariants({ name: 'Erstes' }), { by: null, now: NOW });
      const second = await createExperiment(store.db, twoVariants({ name: 'Zweites' }), { by: null, now: NOW });
      const seen = (await changes()).length;
      assert.equal((await startExperiment(store.db, first.id, { now: NOW })).state, 'running');
      assert.deepEqual((await changes()).slice(seen), ['offers']);
      assert.equal((await runningExperiment(store.db))?.id, first.id);
      await assert.rejects(startExperiment(store.db, second.id, { now: NOW }), (e: unknown) => e instanceof DomainError && e.code === 'conflict' && /Es läuft bereits ein Experiment \(„Erstes“\)/.test(e.message));
      await assert.rejects(startExperiment(store.db, first.id, { now: NOW }), /läuft bereits; starten lässt sich nur ein Entwurf/);
      assert.equal((await changes()).length, seen + 1, 'refused starts record nothing');
      const ended = await stopExperiment(store.db, first.id, { now: new Date(NOW.getTime() + 3600_000) });
      assert.deepEqual([ended.state, ended.startedAt, ended.endedAt], ['ended', NOW.toISOString(), '2026-11-28T11:00:00.000Z']);
      assert.deepEqual((await changes()).slice(seen), ['offers', 'offers']);
      assert.equal(await runningExperiment(store.db), null);
      await assert.rejects(stopExperiment(store.db, first.id, { now: NOW }), /ist beendet; beenden lässt sich nur ein laufendes/);
      await assert.rejects(startExperiment(store.db, first.id, { now: NOW }), /ist beendet; starten lässt sich nur ein Entwurf/);
      await assert.rejects(stopExperiment(store.db, second.id, { now: NOW }), /ist ein Entwurf/);
      await assert.rejects(startExperiment(store.db, 'unbekannt', { now: NOW }), (e: unknown) => e instanceof DomainError && e.code === 'not-found');
      await startExperiment(store.db, second.id, { now: NOW });
      await stopExperiment(store.db, second.id, { now: NOW });
    });

    test('two starts racing for two drafts: exactly one runs (the unique index backs the check)', async () => {
      const drafts = await Promise.all(['Rennen 1', 'Rennen 2', 'Rennen 3'].map((name) => createExperiment(store.db, twoVariants({ name }), { by: null, now: NOW })));
      const outcomes = await Promise.allSettled(drafts.map((d) => startExperiment(store.db, d.id, { now: NOW })));
      assert.equal(outcomes.filter((o) => o.status === 'fulfilled').length, 1);
      for (const o of outcomes) if (o.status === 'rejected') assert.ok(o.reason instanceof DomainError && o.reason.code === 'conflict', String(o.reason));
      const running = await store.db.selectFrom('experiments').select('id').where('state', '=', 'running').execute();
      assert.equal(running.length, 1);
      // and the database itself refuses a second running row written past the domain
      const other = drafts.find((d) => d.id !== running[0]!.id)!;
      await assert.rejects(store.db.updateTable('experiments').set({ state: 'running' }).where('id', '=', other.id).execute());
      await stopExperiment(store.db, running[0]!.id, { now: NOW });
    });

    test('results count impressions, clicks and orders per variant from the daily rollups, and nothing of other variants', async () => {
      const e = await createExperiment(store.db, twoVariants({ name: 'Ergebnis' }), { by: null, now: NOW });
      const [a, b] = e.variants;
      const row = (day: string, kind: string, variant: string, count: number, detail = '', article = 'art-1') =>
        ({ day, kind, article_id: article, offer_id: '', variant_id: variant, institution_id: '', detail, section_id: '', count });
      await store.db.insertInto('analytics_daily').values([
        row('2026-11-20', 'paywall', a!.id, 1200, 'guest'), row('2026-11-20', 'paywall', a!.id, 800, 'meter-used'), row('2026-11-21', 'paywall', a!.id, 0, 'guest', 'art-2'),
        row('2026-11-20', 'offer_click', a!.id, 90), row('2026-11-20', 'order', a!.id, 40),
        row('2026-11-20', 'paywall', b!.id, 2000, 'guest'), row('2026-11-20', 'offer_click', b!.id, 130), row('2026-11-21', 'order', b!.id, 35), row('2026-11-22', 'order', b!.id, 25),
        // not this experiment's: no variant, or one of another experiment; and kinds that are not counted
        row('2026-11-20', 'paywall', '', 5000, 'guest'), row('2026-11-20', 'order', 'fremde-variante', 99), row('2026-11-20', 'view', b!.id, 7000),
      ]).execute();
      const r = await experimentResults(store.db, e);
      assert.deepEqual(r.variants.map((v) => [v.variant.key, v.impressions, v.clicks, v.orders]), [['A', 2000, 90, 40], ['B', 2000, 130, 60]]);
      assert.equal(r.variants[1]!.conversionRate, 0.03);
      const cmp = r.variants[1]!.comparison!;
      assert.equal(cmp.outcome, 'better');
      assert.ok(cmp.test && Math.abs(cmp.test.z - 2.0254787341673333) < 1e-9);
      assert.match(r.variants[1]!.verdict, /^Variante B verkauft besser als die Kontrolle: 3,0\u00a0% statt 2,0\u00a0% der Einblendungen führen zu einer Bestellung\. Der Unterschied ist statistisch gesichert \(p = 0,043\)\.$/);
      assert.match(r.summary, /Variante B \(„Lokaljournalismus, der sich lohnt“\) verkauft nachweislich besser/);
    });
  });
}

test('verdicts in plain German: too few impressions, too few orders, no difference, worse', () => {
  const e = {
    id: 'e', name: 'E', state: 'running' as const, createdBy: null, createdAt: '', startedAt: '', endedAt: null,
    variants: (['A', 'B', 'C'] as const).map((key, position) => ({ id: key, key, headline: `H${key}`, body: '', offerId: null, share: key === 'A' ? 34 : 33, position })),
  };
  const counts = ([impressions, orders]: [number, number]) => ({ impressions, clicks: 0, orders });
  const of = (a: [number, number], b: [number, number], c: [number, number]) => resultsOf(e, new Map([['A', counts(a)], ['B', counts(b)], ['C', counts(c)]]));
  const early = of([80, 2], [90, 3], [85, 1]);
  assert.match(early.variants[1]!.verdict, /^Noch zu wenig Daten: Jede Variante braucht mindestens 100 Einblendungen \(bisher 80\)\.$/);
  assert.equal(early.summary, 'Noch zu wenig Daten für ein Urteil. Lassen Sie das Experiment weiterlaufen.');
  const endedEarly = resultsOf({ ...e, state: 'ended' }, new Map([['A', counts([80, 2])], ['B', counts([90, 3])], ['C', counts([85, 1])]]));
  assert.equal(endedEarly.summary, 'Das Experiment endete mit zu wenig Daten für ein Urteil.');
  assert.match(of([1000, 4], [1000, 5], [1000, 6]).variants[1]!.verdict, /etwa 2\.223 Einblendungen/);
  assert.match(of([1000, 0], [1000, 0], [1000, 0]).variants[2]!.verdict, /bisher nichts bestellt/);
  const flat = of([4000, 80], [4000, 84], [4000, 60]);
  assert.match(flat.variants[1]!.verdict, /^Kein gesicherter Unterschied zur Kontrolle \(p = 0,\d{3}\): Der Abstand zwischen 2,1\u00a0% und 2,0\u00a0% kann Zufall sein\.$/);
  assert.match(flat.variants[2]!.verdict, /^Kein gesicherter Unterschied/, 'p ≈ 0.09: no verdict (with two comparisons each runs at 2.5 %)');
  assert.equal(flat.summary, 'Bisher kein gesicherter Unterschied: Keine Variante verkauft nachweislich besser als die Kontrolle.');
  assert.match(resultsOf({ ...e, state: 'ended' }, new Map([['A', counts([4000, 80])], ['B', counts([4000, 84])], ['C', counts([4000, 60])]])).summary, /^Kein gesicherter Unterschied: Keine Variante hat nachweislich/);
  const worse = of([4000, 120], [4000, 60], [4000, 50]);
  assert.match(worse.variants[1]!.verdict, /^Variante B verkauft schlechter als die Kontrolle: 1,5\u00a0% statt 3,0\u00a0%.*\(p < 0,001\)\.$/);
  assert.equal(worse.summary, 'Die Kontrolle verkauft am besten: Jede andere Variante schneidet nachweislich schlechter ab.');
  assert.match(worse.variants[0]!.verdict, /^Die Kontrolle/);
});
