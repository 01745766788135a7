// A guest in a real browser: front page → a Plus article with its badge, and none of its premium sentences in the page.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { loadConfig } from '../../src/config.ts';
import { startServer } from '../../src/main.ts';
import { demoDocumentPath } from '../../src/content/demo/photos.ts';
import { chromiumMissing, launchBrowser } from '../../src/testing/browser.ts';

interface DemoArticle { slug: string; headline: string; access: string; paywallAfter?: number; blocks: { text?: string }[] }

let server: { close: () => Promise<void>; port: number };
let browser: Browser;
const skip = chromiumMissing;

before(async () => {
  if (skip) return;
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'klartext-e2e-reader-'));
  server = await startServer(loadConfig({ KLARTEXT_DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent' }));
  browser = await launchBrowser();
});
after(async () => { await browser?.close(); await server?.close(); });

test('a guest follows a Plus article from the front page and sees no premium sentence', { skip }, async () => {
  const doc = JSON.parse(await fs.readFile(demoDocumentPath, 'utf8')) as { articles: DemoArticle[] };
  const page = await browser.newPage();
  const foreign: string[] = [];
  const origin = `http://127.0.0.1:${server.port}`;
  page.on('request', (r) => { if (!r.url().startsWith(origin) && !r.url().startsWith('data:')) foreign.push(r.url()); });
  await page.goto(`${origin}/`);
  const plusTeaser = page.locator('article.teaser', { has: page.locator('.badge-plus') }).first();
  await assert.doesNotReject(plusTeaser.waitFor());
  const headline = (await plusTeaser.locator('.teaser__headline').innerText()).replace(/^Plus\s*/, '').trim();
  await plusTeaser.locator('a.teaser__link').last().click();
  await page.waitForLoadState('networkidle');
  assert.match(page.url(), /\/artikel\//);
  assert.equal(await page.locator('.article__header .badge-plus').innerText(), 'Plus');

  const slug = page.url().split('/artikel/')[1]!;
  const article = doc.articles.find((a) => a.slug === slug)!;
  assert.ok(article && article.access === 'plus', `followed ${slug}`);
  assert.ok(headline.includes(article.headline.slice(0, 20)) || article.headline.includes(headline.split('\n').pop()!.slice(0, 20)));
  const html = await page.content();
  const text = await page.locator('body').innerText();
  const premium = article.blocks.slice(article.paywallAfter ?? 0).flatMap((b) => (b.text ?? '').split(/(?<=[.!?])\s+/)).filter((s) => s.length > 25);
  assert.ok(premium.length > 5);
  for (const sentence of premium) {
    assert.ok(!html.includes(sentence) && !text.includes(sentence), `premium sentence visible: ${sentence}`);
  }
  assert.deepEqual(foreign, [], 'no third-party requests');
});

test('pages fit a 360 px wide screen without sideways scrolling', { skip }, async () => {
  const page = await browser.newPage({ viewport: { width: 360, height: 740 } });
  const origin = `http://127.0.0.1:${server.port}`;
  for (const p of ['/', '/stadt', '/artikel/digitalbuero-im-rathaus', '/autor/jana-hollmann', '/anmelden', '/registrieren', '/impressum', '/gibt-es-nicht']) {
    await page.goto(origin + p);
    const overflow = await page.evaluate(() => {
      const w = document.documentElement.clientWidth;
      return [...document.querySelectorAll('body *')].filter((e) => e.getBoundingClientRect().right > w + 1 && !e.closest('.sections-nav')).map((e) => `${e.tagName.toLowerCase()}.${e.className}`).slice(0, 3);
    });
    assert.deepEqual(overflow, [], `${p} is wider than 360 px`);
  }
  await page.close();
});

test('keyboard focus is visible on links', { skip }, async () => {
  const page = await browser.newPage();
  await page.goto(`http://127.0.0.1:${server.port}/`);
  await page.keyboard.press('Tab');
  await page.keyboard.press('Tab');
  const outline = await page.evaluate(() => getComputedStyle(document.activeElement!).outlineStyle);
  assert.equal(outline, 'solid');
  await page.close();
});
