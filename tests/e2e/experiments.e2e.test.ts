// Offer experiments in Chromium on the demo newspaper: a fixed `klartext:ab` number shows variant B's box, without script the control, and GPC keeps storage empty.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, BrowserContext } from 'playwright-core';
import { createExperiment, startExperiment, type Experiment } from '../../src/analytics/index.ts';
import { connect } from '../../src/db/index.ts';
import { chromiumMissing, launchBrowser, until } from '../../src/testing/browser.ts';
import { pointFor, variantIndex } from '../../src/client/offer-variant.ts';
import { PLUS_SLUG, startPaywallServer, type PaywallServer } from './paywall-server.ts';

const skip = chromiumMissing;
let server: PaywallServer;
let browser: Browser;
let experiment: Experiment;
const HEADLINE_A = 'Alle Artikel im Klartext mit Plus Digital';
const HEADLINE_B = 'Lokaljournalismus, der sich lohnt';

/** A number in [0, 1) that lands in the variant with the given index of this experiment. */
function numberFor(index: number): string {
  const shares = experiment.variants.map((v) => v.share);
  for (let i = 1; i < 1000; i++) {
    const r = i / 1000;
    if (variantIndex(pointFor(r, experiment.id), shares) === index) return String(r);
  }
  throw new Error(`no number lands in variant ${index}`);
}

before(async () => {
  if (skip) return;
  server = await startPaywallServer();
  browser = await launchBrowser();
  const store = connect({ dataDir: server.dataDir });
  try {
    experiment = await createExperiment(store.db, {
      name: 'Überschrift im Browser',
      variants: [{ headline: HEADLINE_A, share: 50 }, { headline: HEADLINE_B, body: 'Wir berichten aus Ihrer Stadt – jeden Tag, ohne Werbung im Text.', share: 50 }],
    }, { by: null, now: new Date() });
    await startExperiment(store.db, experiment.id, { now: new Date() });
  } finally {
    await store.close();
  }
  // the server's content-change feed reads the start within about a second and drops the cached page
  await until('the page shows the experiment', async () => (await (await fetch(`${server.origin}/artikel/${PLUS_SLUG}`)).text()).includes(`data-experiment="${experiment.id}"`));
});
after(async () => { await browser?.close(); await server?.close(); });

async function boxOf(context: BrowserContext) {
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${server.origin}/artikel/${PLUS_SLUG}`);
  // the variant script runs first in the page script's start
  await page.waitForFunction(() => document.getElementById('premium')?.dataset.variantId !== undefined);
  const state = {
    headline: await page.locator('.paywall-box h2').innerText(),
    lead: await page.locator('.paywall-box .paywall-box__lead').allInnerTexts(),
    variantId: await page.evaluate(() => document.getElementById('premium')?.dataset.variantId ?? null),
    stored: await page.evaluate(() => { try { return localStorage.getItem('klartext:ab'); } catch { return 'no storage'; } }),
    errors,
  };
  await page.close();
  return state;
}

test('with a fixed klartext:ab number the reader sees variant B: headline, copy, and the variant named for the beacon', { skip }, async () => {
  const context = await browser.newContext();
  const r = numberFor(1);
  await context.addInitScript((value) => { localStorage.setItem('klartext:ab', value); }, r);
  const seen = await boxOf(context);
  assert.equal(seen.headline, HEADLINE_B);
  assert.deepEqual(seen.lead, ['Wir berichten aus Ihrer Stadt – jeden Tag, ohne Werbung im Text.']);
  assert.equal(seen.variantId, experiment.variants[1]!.id);
  assert.equal(seen.stored, r, 'the number is kept as it was');
  assert.deepEqual(seen.errors, []);
  // the same reader sees the same variant on the next page view
  assert.equal((await boxOf(context)).headline, HEADLINE_B);
  await context.close();
});

test('a number that lands in the control shows the control, with the control named', { skip }, async () => {
  const context = await browser.newContext();
  await context.addInitScript((value) => { localStorage.setItem('klartext:ab', value); }, numberFor(0));
  const seen = await boxOf(context);
  assert.equal(seen.headline, HEADLINE_A);
  assert.equal(seen.variantId, experiment.variants[0]!.id);
  await context.close();
});

test('without script the reader sees the control (A)', { skip }, async () => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(`${server.origin}/artikel/${PLUS_SLUG}`);
  assert.equal(await page.locator('.paywall-box h2').innerText(), HEADLINE_A);
  assert.equal(await page.locator('.paywall-box h2').count(), 1, 'the templates show nothing');
  assert.ok(await page.getByText(HEADLINE_B).count() === 0 || !(await page.getByText(HEADLINE_B).first().isVisible()));
  await context.close();
});

test('a new reader gets a number stored; with Global Privacy Control nothing is stored and a variant is still shown', { skip }, async () => {
  const fresh = await browser.newContext();
  const first = await boxOf(fresh);
  assert.match(first.stored ?? '', /^0\.\d+$/);
  assert.ok([HEADLINE_A, HEADLINE_B].includes(first.headline));
  await fresh.close();

  const gpc = await browser.newContext();
  // as a string: a function would be sent with the test runner's helpers (esbuild's __name), which the page does not have
  await gpc.addInitScript({ content: "Object.defineProperty(Navigator.prototype, 'globalPrivacyControl', { get() { return true; }, configurable: true });" });
  const seen = await boxOf(gpc);
  assert.equal(seen.stored, null);
  assert.ok([experiment.variants[0]!.id, experiment.variants[1]!.id].includes(seen.variantId ?? ''));
  assert.deepEqual(seen.errors, []);
  await gpc.close();
});
