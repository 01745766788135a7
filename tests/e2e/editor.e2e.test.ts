// The editor on the real app in Chromium: an author logs in, writes, uploads a photo through the media API, saves,
// meets a colleague's save as a conflict and keeps her text, submits for review; a wrong file type is refused in the editor.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import http from 'node:http';
import sharp from 'sharp';
import type { Browser, Page } from 'playwright-core';
import { chromiumMissing, launchBrowser, until } from '../../src/testing/browser.ts';
import { createTestApp, type TestApp } from '../../src/testing/test-app.ts';
import { freePort } from '../../src/testing/free-port.ts';
import { TEST_PASSWORD } from '../../src/testing/test-accounts.ts';
import { buildClient } from '../../src/client/build.ts';
import { createUser, TEST_HASHING, type Role } from '../../src/accounts/index.ts';
import { createDraft, getWorkingCopy, saveDraft, type Staff } from '../../src/newsroom/index.ts';
import { importFixture } from '../../src/newsroom/newsroom.fixtures.ts';

const skip = chromiumMissing;
let browser: Browser;
let t: TestApp;
let server: http.Server;
let origin = '';

before(async () => {
  if (skip) return;
  const port = await freePort();
  origin = `http://127.0.0.1:${port}`;
  const { js, editorJs } = await buildClient({ editor: true });
  t = await createTestApp('sqlite', { clientJs: js, editorJs, env: { KLARTEXT_PUBLIC_URL: origin } });
  const { dataDir } = await importFixture(t.store.db);
  // the fixture's images into the app's data directory, so their previews load
  await fs.cp(dataDir, t.config.dataDir, { recursive: true });
  server = http.createServer(t.klartext.nodeListener());
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', () => resolve()));
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  if (server) await new Promise<void>((resolve) => { server.close(() => resolve()); server.closeAllConnections(); });
  await t?.close();
});

async function staff(role: Role, name: string): Promise<Staff & { email: string }> {
  const email = `${role}-${name.replace(/\W/g, '').toLowerCase()}@example.de`;
  const { user } = await createUser(t.store.db, { email, role, password: TEST_PASSWORD, displayName: name }, { hashing: TEST_HASHING });
  return { id: user.id, role, displayName: name, email };
}

async function loggedIn(email: string): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.on('dialog', (d) => void d.accept());
  await page.goto(`${origin}/anmelden`);
  await page.fill('input[name="email"]', email);
  await page.fill('input[name="password"]', TEST_PASSWORD);
  await Promise.all([page.waitForURL((u) => !u.pathname.startsWith('/anmelden')), page.press('input[name="password"]', 'Enter')]);
  return page;
}

test('an author writes, uploads a photo, survives a colleague\'s save, and submits — all through the real editor page', { skip }, async () => {
  const author = await staff('author', 'Anna Autorin');
  const colleague = await staff('editor', 'Ben Kollege');
  const wc = await createDraft(t.store.db, author);
  const page = await loggedIn(author.email);
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${origin}/redaktion/artikel/${wc.articleId}`);
  await page.waitForSelector('#kt-editor[data-ready="1"]');

  await page.fill('#nr-ed-headline', 'Neue Brücke über die Sülme');
  await page.selectOption('#nr-ed-section', 'stadt');
  await page.click('.nr-ed-prose');
  await page.keyboard.type('Die Brücke ist ');
  await page.keyboard.press('Control+b');
  await page.keyboard.type('fertig');
  await page.keyboard.press('Control+b');
  await page.keyboard.type('.');
  await page.keyboard.press('Enter');
  // a real JPEG through the media API: it lands in the text with its preview and the caption field focused
  const jpeg = await sharp({ create: { width: 800, height: 600, channels: 3, background: { r: 40, g: 90, b: 140 } } }).jpeg().toBuffer();
  await page.setInputFiles('#nr-ed-file', { name: 'Brücke.jpg', mimeType: 'image/jpeg', buffer: jpeg });
  await page.waitForSelector('.nr-ed-figure img[src^="/bilder/"]');
  await until('caption focused', () => page.evaluate(() => (document.activeElement as HTMLElement | null)?.dataset.attr === 'caption'));
  await page.keyboard.type('Die neue Brücke am Abend');
  await page.fill('.nr-ed-figure input[data-attr="credit"]', 'Foto: Anna Autorin');
  // Ctrl+S saves from any field of the editor, not only from the text
  await page.keyboard.press('Control+s');
  await until('saved on the server', async () => ((await getWorkingCopy(t.store.db, wc.articleId))?.doc.blocks.some((b) => b.type === 'image' && b.credit === 'Foto: Anna Autorin')) ?? false);
  const saved = (await getWorkingCopy(t.store.db, wc.articleId))!;
  assert.equal(saved.doc.headline, 'Neue Brücke über die Sülme');
  assert.equal(saved.doc.section, 'stadt');
  assert.deepEqual(saved.doc.blocks[0], { type: 'paragraph', text: 'Die Brücke ist **fertig**.' });
  const image = saved.doc.blocks.find((b) => b.type === 'image')!;
  assert.equal(image.type === 'image' && image.caption, 'Die neue Brücke am Abend');
  assert.ok(await t.store.db.selectFrom('images').select('id').where('id', '=', image.type === 'image' ? image.imageId : '').executeTakeFirst(), 'the uploaded image is in the library');

  // a colleague saves meanwhile; the author's next save is a conflict, she keeps her text on top
  await until('the page has the saved version', async () => /Gespeichert/.test(await page.innerText('#nr-ed-save')));
  await saveDraft(t.store.db, colleague, wc.articleId, { baseVersion: saved.version, doc: { ...saved.doc, kicker: 'Verkehr' } });
  await page.fill('#nr-ed-teaser', 'Zwei Jahre Bauzeit, jetzt ist sie offen.');
  await page.waitForSelector('#nr-ed-conflict-dialog[open]');
  assert.match(await page.innerText('#nr-ed-conflict-dialog'), /Ben Kollege/);
  assert.match(await page.innerText('#nr-ed-conflict-dialog'), /Verkehr/);
  await page.click('#nr-ed-conflict-dialog [data-choice="mine"]');
  await until('her text on top', async () => (await getWorkingCopy(t.store.db, wc.articleId))?.doc.teaser === 'Zwei Jahre Bauzeit, jetzt ist sie offen.');
  const afterConflict = (await getWorkingCopy(t.store.db, wc.articleId))!;
  assert.equal(afterConflict.version, saved.version + 2);

  // submit: the form carries the version the editor saved last
  await page.fill('#nr-ed-kicker', 'Verkehr');
  await Promise.all([page.waitForURL(/\?ok=/), page.click('form[action$="/einreichen"] button')]);
  const submitted = (await getWorkingCopy(t.store.db, wc.articleId))!;
  assert.equal(submitted.state, 'review');
  assert.equal(submitted.doc.kicker, 'Verkehr');
  assert.deepEqual(errors, []);
});

test('a file that is not an image is refused by the server and the editor says why', { skip }, async () => {
  const author = await staff('author', 'Carla Autorin');
  const wc = await createDraft(t.store.db, author);
  const page = await loggedIn(author.email);
  await page.goto(`${origin}/redaktion/artikel/${wc.articleId}`);
  await page.waitForSelector('#kt-editor[data-ready="1"]');
  await page.setInputFiles('#nr-ed-file', { name: 'bild.jpg', mimeType: 'image/jpeg', buffer: Buffer.from('GIF89a nicht wirklich ein JPEG') });
  await page.waitForSelector('#nr-ed-alert:not([hidden])');
  const text = await page.innerText('#nr-ed-alert');
  assert.match(text, /JPEG|PNG|WebP/);
  assert.doesNotMatch(text, /Error|at \w+ \(/, 'no stack trace');
  assert.equal(await page.locator('.nr-ed-figure').count(), 0);
});
