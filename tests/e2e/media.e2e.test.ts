// The media library in Chromium: upload by file picker and by drag and drop, a file named like markup stays text (no
// script runs), a GIF named .jpg is refused with the German message, the focal point by click and arrow keys.
// KLARTEXT_SCREENSHOTS=<dir> also saves the library and an image page at 1280 and 768 px.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import path from 'node:path';
import sharp from 'sharp';
import type { Browser, Page } from 'playwright-core';
import { createUser, TEST_HASHING } from '../../src/accounts/index.ts';
import { chromiumMissing, launchBrowser } from '../../src/testing/browser.ts';
import { createTestApp, type TestApp } from '../../src/testing/test-app.ts';
import { freePort } from '../../src/testing/free-port.ts';
import { TEST_PASSWORD } from '../../src/testing/test-accounts.ts';

const skip = chromiumMissing;
const XSS_NAME = '<img src=x onerror=alert(1)>.jpg';
const shots = process.env.KLARTEXT_SCREENSHOTS;

let t: TestApp;
let server: http.Server;
let origin: string;
let browser: Browser;

before(async () => {
  if (skip) return;
  const port = await freePort();
  origin = `http://127.0.0.1:${port}`;
  t = await createTestApp('sqlite', { env: { KLARTEXT_PUBLIC_URL: origin } });
  await createUser(t.store.db, { email: 'autorin@example.de', role: 'author', password: TEST_PASSWORD, displayName: 'Ina Autorin' }, { hashing: TEST_HASHING });
  server = http.createServer(t.klartext.nodeListener());
  await new Promise<void>((r) => server.listen(port, '127.0.0.1', () => r()));
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
  await t?.close();
});

async function loggedInPage(width: number): Promise<{ page: Page; dialogs: string[]; errors: string[] }> {
  const page = await browser.newPage({ viewport: { width, height: 900 } });
  const dialogs: string[] = [];
  const errors: string[] = [];
  page.on('dialog', (d) => { dialogs.push(d.message()); void d.dismiss(); });
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${origin}/anmelden?weiter=/redaktion/medien`);
  await page.fill('#f-email', 'autorin@example.de');
  await page.fill('#f-password', TEST_PASSWORD);
  await Promise.all([page.waitForURL((u) => u.pathname === '/redaktion/medien'), page.locator('form[action="/anmelden"] button[type="submit"]').first().click()]);
  return { page, dialogs, errors };
}

const photo = (w: number, h: number, color: string) => sharp({ create: { width: w, height: h, channels: 3, background: color } })
  .composite([{ input: { create: { width: Math.round(w / 3), height: Math.round(h / 3), channels: 3, background: '#f2a900' } }, left: Math.round(w / 2), top: Math.round(h / 4) }])
  .jpeg().toBuffer();

test('upload by picker and by drag and drop; a markup file name stays text; a GIF named .jpg gets the German 415 message', { skip }, async () => {
  const { page, dialogs, errors } = await loggedInPage(1280);
  await page.setInputFiles('#f-datei', { name: XSS_NAME, mimeType: 'image/jpeg', buffer: await photo(1600, 1000, '#2f5d8a') });
  await page.locator('.nr-media-tile').first().waitFor();
  assert.equal(await page.locator('.nr-media-tile__name').first().innerText(), XSS_NAME);
  assert.match(await page.locator('#nr-media-status').innerText(), /hochgeladen/);

  // drag and drop: a real DataTransfer with a file, dropped on the upload zone
  const dropped = (await photo(1200, 800, '#6a8f3c')).toString('base64');
  await page.evaluate(async (b64) => {
    const bytes = Uint8Array.from(atob(b64), (ch) => ch.charCodeAt(0));
    const dt = new DataTransfer();
    dt.items.add(new File([bytes], 'Stadtfest – Bühne.jpg', { type: 'image/jpeg' }));
    const zone = document.querySelector('#nr-media-upload')!;
    zone.dispatchEvent(new DragEvent('dragover', { dataTransfer: dt, bubbles: true, cancelable: true }));
    zone.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
  }, dropped);
  await page.locator('.nr-media-tile__name', { hasText: 'Stadtfest – Bühne.jpg' }).waitFor();

  const gif = await sharp({ create: { width: 20, height: 20, channels: 3, background: '#000' } }).gif().toBuffer();
  await page.setInputFiles('#f-datei', { name: 'urlaub.jpg', mimeType: 'image/jpeg', buffer: gif });
  await page.locator('#nr-media-status[data-kind="error"]').waitFor();
  assert.match(await page.locator('#nr-media-status').innerText(), /urlaub\.jpg: .*JPEG, PNG oder WebP/);

  await page.reload();
  assert.equal(await page.locator('.nr-media-tile').count(), 2);
  assert.equal(await page.locator('.nr-media-tile__name', { hasText: XSS_NAME }).count(), 1);
  await page.locator('.nr-media-tile a').last().click();
  await page.waitForURL(/\/redaktion\/medien\/[A-Za-z0-9_-]+$/);
  assert.equal(await page.locator('h1.nr-page__title').innerText(), XSS_NAME);
  assert.deepEqual(dialogs, [], 'no script from a file name ran');
  assert.deepEqual(errors, []);
  if (shots) {
    await page.goto(`${origin}/redaktion/medien`);
    await page.screenshot({ path: path.join(shots, 'media-library-1280.png'), fullPage: true });
  }
  await page.close();
});

test('the focal point is set by clicking on the picture and moved with the arrow keys, then saved', { skip }, async () => {
  const { page, errors } = await loggedInPage(1280);
  await page.locator('.nr-media-tile a').first().click();
  await page.waitForURL(/\/redaktion\/medien\/[A-Za-z0-9_-]+$/);
  const id = page.url().split('/').pop()!;
  const area = page.locator('#nr-media-focus');
  await area.locator('img').waitFor();
  const box = (await area.locator('img').boundingBox())!;
  await area.click({ position: { x: box.width * 0.2, y: box.height * 0.7 } });
  assert.equal(await page.inputValue('#f-focal_x'), '20');
  assert.equal(await page.inputValue('#f-focal_y'), '70');
  await area.focus();
  for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowRight');
  await page.keyboard.press('Shift+ArrowUp');
  assert.equal(await page.inputValue('#f-focal_x'), '23');
  assert.equal(await page.inputValue('#f-focal_y'), '60');
  assert.match((await area.getAttribute('aria-label')) ?? '', /23 % von links, 60 % von oben/);
  assert.match(await page.locator('#nr-media-focal-live').innerText(), /23 % von links/);
  await page.fill('#f-caption', 'Die Bühne beim Stadtfest');
  await page.fill('#f-credit', 'Foto: Ina Autorin');
  await Promise.all([page.waitForURL(/\?ok=1$/), page.locator('.nr-media-form button[type="submit"]').click()]);
  const item = await (await page.request.get(`${origin}/redaktion/api/medien/${id}`)).json() as { focal: { x: number; y: number }; caption: string };
  assert.deepEqual(item.focal, { x: 0.23, y: 0.6 });
  assert.equal(item.caption, 'Die Bühne beim Stadtfest');
  assert.deepEqual(errors, []);
  if (shots) {
    await page.screenshot({ path: path.join(shots, 'media-image-1280.png'), fullPage: true });
    await page.setViewportSize({ width: 768, height: 1000 });
    await page.screenshot({ path: path.join(shots, 'media-image-768.png'), fullPage: true });
    await page.goto(`${origin}/redaktion/medien`);
    await page.screenshot({ path: path.join(shots, 'media-library-768.png'), fullPage: true });
  }
  await page.close();
});
