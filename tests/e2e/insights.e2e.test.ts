// Insights in Chromium against a real server on the demo newspaper: a guest's Plus page sends view + paywall beacons, remembers the paywall for attribution, and the cached page stays the same bytes; Do Not Track sends nothing.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { connect } from '../../src/db/index.ts';
import { chromiumMissing, launchBrowser, until } from '../../src/testing/browser.ts';
import { PLUS_SLUG, startPaywallServer, type PaywallServer } from './paywall-server.ts';

const skip = chromiumMissing;
let server: PaywallServer;
let browser: Browser;
let since = '';

before(async () => {
  if (skip) return;
  server = await startPaywallServer();
  // the events stored from here on: the demo history (seeded above, events up to its start) brings 90 days of its own
  since = new Date().toISOString();
  browser = await launchBrowser();
});
after(async () => { await browser?.close(); await server?.close(); });

/** The article page as a cache (or anyone) gets it: status, the headers that matter, the bytes. */
async function pageBytes(headers: Record<string, string> = {}) {
  const res = await fetch(`${server.origin}/artikel/${PLUS_SLUG}`, { headers: { 'accept-encoding': 'br', ...headers } });
  return { status: res.status, etag: res.headers.get('etag'), cache: res.headers.get('cache-control'), body: Buffer.from(await res.arrayBuffer()).toString('base64') };
}

async function storedEvents() {
  const store = connect({ dataDir: server.dataDir });
  try {
    return await store.db.selectFrom('analytics_events').select(['kind', 'article_id', 'detail']).where('at', '>=', since).execute();
  } finally {
    await store.close();
  }
}

/** Opens the article and collects the beacons the page sends (their JSON bodies). */
async function openCollecting(page: Page): Promise<Array<{ pv: string; events: Array<{ k: string; a: string; d?: string }> }>> {
  const beacons: Array<{ pv: string; events: Array<{ k: string; a: string; d?: string }> }> = [];
  page.on('request', (req) => { if (req.url().endsWith('/api/beacon')) beacons.push(JSON.parse(req.postData() ?? '{}')); });
  await page.goto(`${server.origin}/artikel/${PLUS_SLUG}`);
  await page.waitForFunction(() => document.querySelector('[data-paywall-message]')?.textContent);
  return beacons;
}

test('a guest on a Plus article sends one beacon with view and paywall, remembers the paywall, carries it on the order link; the page bytes stay the same', { skip }, async () => {
  const before = await pageBytes();
  assert.equal(before.status, 200);
  const page = await browser.newPage();
  const beacons = await openCollecting(page);
  await until('the beacon was sent', () => beacons.length > 0);
  const articleId = await page.locator('article[data-article-id]').getAttribute('data-article-id');
  assert.ok(articleId);
  assert.equal(beacons.length, 1, 'a Plus page view is one request');
  assert.match(beacons[0]!.pv, /^[A-Za-z0-9_-]{16,32}$/);
  assert.deepEqual(beacons[0]!.events, [{ k: 'view', a: articleId }, { k: 'paywall', a: articleId, d: 'guest' }]);

  // the browser's own memory for attribution, and the order link carrying it
  const entry = JSON.parse((await page.evaluate(() => localStorage.getItem('klartext:paywall'))) ?? 'null') as { a: string; t: number; v: null };
  assert.equal(entry.a, articleId);
  assert.equal(entry.v, null);
  const orderHref = await page.locator('#premium a[data-order-link]').getAttribute('href');
  assert.match(orderHref ?? '', new RegExp(`^/abo/bestellen/[a-z0-9-]+\\?next=%2Fartikel%2F${PLUS_SLUG}&herkunft=${articleId}$`));

  // the server stored them: no IP, no user agent, just what happened
  await until('the events are written', async () => (await storedEvents()).length >= 2);
  const stored = (await storedEvents()).map((e) => [e.kind, e.article_id, e.detail]).sort();
  assert.deepEqual(stored, [['paywall', articleId, 'guest'], ['view', articleId, 'plus']]);

  // a click on the order link is an offer click (sent as the page is left)
  await page.locator('#premium a[data-order-link]').click();
  await page.waitForURL((u) => u.pathname.startsWith('/abo/bestellen/'));
  await until('the offer click is written', async () => (await storedEvents()).some((e) => e.kind === 'offer_click'));
  await page.close();

  const after = await pageBytes();
  assert.deepEqual(after, before, 'the cached page is byte for byte what it was before any beacon');
  assert.match(after.cache ?? '', /^public/);
});

test('with Do Not Track the page sends no beacon and remembers nothing', { skip }, async () => {
  const context = await browser.newContext();
  // as text: a function would be serialised with the helpers the TypeScript loader adds, which the page does not have
  await context.addInitScript({
    content: `Object.defineProperty(Navigator.prototype, 'doNotTrack', { get: () => '1' });
      // counts the page's calls, so the test need not wait for a request that should never come
      window.beaconCalls = 0;
      const send = navigator.sendBeacon.bind(navigator);
      navigator.sendBeacon = (...args) => { window.beaconCalls++; return send(...args); };`,
  });
  const page = await context.newPage();
  const beacons = await openCollecting(page);
  assert.equal(await page.evaluate(() => navigator.doNotTrack), '1');
  // the message is set in the same task that then hands the answer to the insights (a microtask): they have decided by now
  assert.equal(await page.evaluate(() => (window as unknown as { beaconCalls: number }).beaconCalls), 0);
  assert.equal(beacons.length, 0);
  assert.equal(await page.evaluate(() => localStorage.getItem('klartext:paywall')), null);
  assert.doesNotMatch((await page.locator('#premium a[data-order-link]').getAttribute('href')) ?? '', /herkunft/);
  await context.close();
});
