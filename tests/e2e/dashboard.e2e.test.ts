// The publisher dashboard in a real browser against a real server: someone with the `publisher` role logs in, /verlag draws
// its charts (non-empty SVG, no CSP violation) from rolled-up history, and the CSV links download files with the table's rows.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { loadConfig } from '../../src/config.ts';
import { startServer } from '../../src/main.ts';
import { connect, type Store } from '../../src/db/index.ts';
import { createUser, TEST_HASHING } from '../../src/accounts/index.ts';
import { chromiumMissing, launchBrowser } from '../../src/testing/browser.ts';

let server: { close: () => Promise<void>; port: number };
let browser: Browser;
let origin: string;
let store: Store;
const skip = chromiumMissing;
const PW = 'Regenbogen-Fahrrad-7';
/** KLARTEXT_SCREENSHOTS=/tmp/dir saves the pages at 1280 and 390 px for looking at them (never into the repository). */
const shots = process.env.KLARTEXT_SCREENSHOTS;

before(async () => {
  if (skip) return;
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'klartext-e2e-dashboard-'));
  const config = loadConfig({ KLARTEXT_DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent' });
  server = await startServer(config);
  origin = `http://127.0.0.1:${server.port}`;
  store = connect({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  // no data of its own: the first start's demo history (two years of rollups, contracts, an experiment, a library) is what a new user sees
  await createUser(store.db, { email: 'verlag@example.de', password: PW, role: 'publisher' }, { hashing: TEST_HASHING });
  browser = await launchBrowser();
});
after(async () => { await browser?.close(); await server?.close(); await store?.close(); });

async function logIn(page: Page) {
  await page.goto(`${origin}/anmelden?weiter=%2Fverlag`);
  await page.fill('#f-email', 'verlag@example.de');
  await page.fill('#f-password', PW);
  await Promise.all([page.waitForURL(`${origin}/verlag`), page.locator('form button[type="submit"]').first().click()]);
}

test('the publisher role sees the overview with drawn charts, and the funnel CSV downloads with its five steps', { skip }, async () => {
  const context = await browser.newContext({ acceptDownloads: true, viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const violations: string[] = [];
  page.on('console', (m) => { if (/Content Security Policy/i.test(m.text())) violations.push(m.text()); });
  await logIn(page);
  assert.equal(await page.locator('h1').innerText(), 'Übersicht');
  const charts = page.locator('svg.chart__svg');
  assert.equal(await charts.count(), 3, 'funnel, views and orders');
  for (let i = 0; i < 3; i++) {
    const box = await charts.nth(i).boundingBox();
    assert.ok(box && box.width > 300 && box.height > 100, `chart ${i} has a size (${JSON.stringify(box)})`);
    assert.ok(await charts.nth(i).locator('path, rect').count() > 3, `chart ${i} draws marks`);
  }
  const line = page.locator('svg.chart__svg g[stroke-width="2.25"] path').first();
  assert.ok(((await line.getAttribute('d')) ?? '').length > 200, 'the views line runs through the days');
  const figures = await page.locator('.figures__value').allInnerTexts();
  assert.ok(figures.some((f) => /^\d{1,3}(\.\d{3})+$/.test(f)), `German thousands among ${figures.join(' | ')}`);
  assert.ok(figures.some((f) => /^\d{1,3}(\.\d{3})*,\d{2}\s€$/.test(f)), `the revenue figures in euros among ${figures.join(' | ')}`);
  if (shots) await page.screenshot({ path: path.join(shots, 'verlag-1280.png'), fullPage: true });

  const [download] = await Promise.all([page.waitForEvent('download'), page.locator('#trichter ~ a.csv-link, .insights__head a.csv-link').first().click()]);
  assert.match(download.suggestedFilename(), /^verlag-trichter-\d{4}-\d{2}-\d{2}-\d{4}-\d{2}-\d{2}\.csv$/);
  const text = await fs.readFile((await download.path())!, 'utf8');
  const lines = text.replace(/^\uFEFF/, '').trimEnd().split('\r\n');
  assert.equal(lines.length, 6, 'a header and five steps');
  assert.match(lines[1]!, /^"Aufrufe von Plus-Artikeln";[1-9]\d*;/);
  assert.match(lines[5]!, /^"Bestellt";[1-9]\d*;/);

  await page.goto(`${origin}/verlag/artikel?zeitraum=90t&sortierung=bestellungen`);
  assert.ok(await page.locator('.insights__table--articles tbody tr').count() > 5);
  const [articles] = await Promise.all([page.waitForEvent('download'), page.locator('.insights__head a.csv-link').first().click()]);
  const rows = (await fs.readFile((await articles.path())!, 'utf8')).trimEnd().split('\r\n');
  assert.ok(rows.length > 6, 'one line per article');
  assert.match(rows[0]!, /"Artikel";"Adresse";"Ressort";"Zugang";"Aufrufe"/);
  if (shots) await page.screenshot({ path: path.join(shots, 'verlag-artikel-1280.png'), fullPage: true });

  // the revenue page draws the contracts of the demo history: weekly MRR and flows, subscriptions by offer; its CSV downloads
  await page.goto(`${origin}/verlag/umsatz?zeitraum=12m`);
  assert.equal(await page.locator('h1').innerText(), 'Umsatz');
  assert.ok(await page.locator('svg.chart__svg').count() >= 2, 'revenue charts');
  const [weeks] = await Promise.all([page.waitForEvent('download'), page.locator('a[href*="tabelle=wochen"]').first().click()]);
  assert.ok((await fs.readFile((await weeks.path())!, 'utf8')).trimEnd().split('\r\n').length > 50, 'a line per week of the year');
  // the demo's ended experiment with its verdict, and the demo library
  await page.goto(`${origin}/verlag/experimente`);
  await page.locator('a[href^="/verlag/experimente/"]').first().click();
  assert.ok(await page.locator('svg.chart__svg').count() >= 1, 'the experiment chart');
  await page.goto(`${origin}/verlag/institutionen`);
  assert.match(await page.locator('main').innerText(), /Stadtbibliothek Brackenau/);
  assert.deepEqual(violations, [], 'no inline style or script was blocked');

  if (shots) {
    const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2 });
    const p = await phone.newPage();
    await logIn(p);
    await p.screenshot({ path: path.join(shots, 'verlag-390.png'), fullPage: true });
    await p.goto(`${origin}/verlag/artikel?zeitraum=24m`);
    await p.screenshot({ path: path.join(shots, 'verlag-artikel-390.png'), fullPage: true });
    await p.goto(`${origin}/verlag?zeitraum=12m`);
    await p.screenshot({ path: path.join(shots, 'verlag-12m-390.png'), fullPage: true });
    await phone.close();
  }
  await context.close();
});
