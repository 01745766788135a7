// The newsroom end to end in Chromium, on the real server with the demo newspaper: an author writes a Plus interview
// with an uploaded photo and a paywall marker and submits it; an editor previews it as a guest (decoy) and as a
// subscriber (plain text) and publishes it; it is on the front page with its Plus badge; a guest gets the decoy, a
// subscriber the plain text. Hostile input in every field stays inert on the site and in the newsroom.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import sharp from 'sharp';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { connect } from '../../src/db/index.ts';
import { getWorkingCopy, listNewsroomArticles } from '../../src/newsroom/index.ts';
import { chromiumMissing, launchBrowser, until } from '../../src/testing/browser.ts';
import { logInPage, READER_PASSWORD, startPaywallServer, type PaywallServer } from './paywall-server.ts';

const skip = chromiumMissing;
/** Set to a directory to keep screenshots of the newsroom flow. */
const SHOTS = process.env.KLARTEXT_SCREENSHOTS;
let server: PaywallServer;
let browser: Browser;

const HEADLINE = 'Was wird aus der Stadthalle, Frau Hahn?';
const FREE_ANSWER = 'Wir renovieren sie Schritt für Schritt.';
const SECRET = 'Das Geheimnis der Stadthalle liegt im Keller verborgen.';

before(async () => {
  if (skip) return;
  server = await startPaywallServer();
  browser = await launchBrowser();
  for (const [email, role] of [['autorin@zeitung.example', 'author'], ['redakteur@zeitung.example', 'editor']] as const) {
    const made = await server.cli(['user', 'create', '--email', email, '--role', role, '--password-stdin'], `${READER_PASSWORD}\n`);
    assert.equal(made.code, 0, made.err);
  }
  await server.makeReader('abonnentin@example.de', { subscriber: true });
});
after(async () => { await browser?.close(); await server?.close(); });

async function withStore<T>(fn: (db: ReturnType<typeof connect>['db']) => Promise<T>): Promise<T> {
  const store = connect({ dataDir: server.dataDir });
  try { return await fn(store.db); } finally { await store.close(); }
}

/** A page that records script errors, dialogs and the XSS canary. */
async function watchedPage(context: BrowserContext): Promise<{ page: Page; alarms: string[] }> {
  const page = await context.newPage();
  const alarms: string[] = [];
  page.on('pageerror', (e) => alarms.push(`pageerror: ${e.message}`));
  page.on('dialog', (d) => { alarms.push(`dialog: ${d.message()}`); void d.dismiss(); });
  return { page, alarms };
}

async function premiumState(page: Page): Promise<'unlocked' | 'denied'> {
  await page.waitForFunction(() => document.querySelector('.premium--unlocked, .premium--failed') || document.querySelector('[data-paywall-message]')?.textContent);
  return (await page.locator('.premium--unlocked').count()) ? 'unlocked' : 'denied';
}

test('author writes a Plus interview with photo and paywall, editor previews and publishes, readers get decoy or plain text', { skip }, async () => {
  // --- the author ---
  const authorContext = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const { page, alarms } = await watchedPage(authorContext);
  await logInPage(page, server.origin, 'autorin@zeitung.example');
  await page.goto(`${server.origin}/redaktion`);
  await Promise.all([page.waitForURL(/\/redaktion\/artikel\/[^/?]+$/), page.locator('form[action="/redaktion/artikel"] button[type="submit"]').first().click()]);
  const articleId = new URL(page.url()).pathname.split('/').pop()!;
  await page.waitForSelector('#kt-editor[data-ready="1"]');

  await page.fill('#nr-ed-kicker', 'Interview');
  await page.fill('#nr-ed-headline', HEADLINE);
  await page.fill('#nr-ed-teaser', 'Die Bürgermeisterin über Pläne, Geld und einen Keller.');
  await page.selectOption('#nr-ed-section', 'stadt');
  for (const name of ['Bürgermeisterin Hahn']) {
    await page.fill('#nr-ed-speaker-new', name);
    await page.press('#nr-ed-speaker-new', 'Enter');
  }
  await page.click('.nr-ed-prose');
  await page.keyboard.type('Die Stadthalle ist seit zwei Jahren geschlossen.');
  await page.keyboard.press('Enter');
  await page.keyboard.press('Alt+0');
  await page.keyboard.type('Was passiert mit der Halle?');
  await page.keyboard.press('Enter');
  await page.keyboard.press('Alt+1');
  await page.keyboard.type(FREE_ANSWER);
  await page.keyboard.press('Enter');
  await page.keyboard.type('Und woher kommt das Geld?');
  await page.keyboard.press('Enter');
  await page.keyboard.press('Alt+1');
  await page.keyboard.type(SECRET);
  // the photo: uploaded through the editor, caption and credit in place
  const jpeg = await sharp({ create: { width: 1600, height: 1000, channels: 3, background: { r: 120, g: 80, b: 40 } } }).jpeg().toBuffer();
  await page.setInputFiles('#nr-ed-file', { name: 'stadthalle.jpg', mimeType: 'image/jpeg', buffer: jpeg });
  await page.waitForSelector('.nr-ed-figure img[src^="/bilder/"]');
  await until('caption focused', () => page.evaluate(() => (document.activeElement as HTMLElement | null)?.dataset.attr === 'caption'));
  await page.keyboard.type('Die Stadthalle im November');
  await page.fill('.nr-ed-figure input[data-attr="credit"]', 'Foto: Anna Autorin');

  // Plus, and the paywall marker after the first answer (block 3), moved by keyboard
  await page.check('input[name="nr-ed-access"][value="plus"]');
  await page.waitForSelector('.nr-ed-paywall');
  await page.click('.nr-ed-paywall__label');
  const position = async () => Number(/nach Block (\d+)/.exec(await page.innerText('#nr-ed-paywall-info'))?.[1]);
  for (let i = 0; i < 10 && (await position()) !== 3; i++) await page.keyboard.press((await position()) > 3 ? 'Alt+ArrowUp' : 'Alt+ArrowDown');
  assert.equal(await position(), 3);
  await page.keyboard.press('Control+s');
  await until('saved with the marker', async () => (await withStore((db) => getWorkingCopy(db, articleId)))?.doc.paywallAfter === 3);
  if (SHOTS) await page.screenshot({ path: path.join(SHOTS, 'newsroom-editor-interview-1280.png'), fullPage: true });

  // an author may not publish: the server says 403 even to a forged form
  const forged = await page.evaluate(async (id) => {
    const csrf = (document.querySelector('form[action$="/einreichen"] input[name="_csrf"]') as HTMLInputElement).value;
    const version = (document.querySelector('form[action$="/einreichen"] input[name="version"]') as HTMLInputElement).value;
    const r = await fetch(`/redaktion/artikel/${id}/veroeffentlichen`, { method: 'POST', body: new URLSearchParams({ _csrf: csrf, version }), redirect: 'manual' });
    return r.status;
  }, articleId);
  assert.equal(forged, 403);
  await Promise.all([page.waitForURL(/\?ok=/), page.click('form[action$="/einreichen"] button')]);
  const submitted = (await withStore((db) => getWorkingCopy(db, articleId)))!;
  assert.equal(submitted.state, 'review');
  const blocks = submitted.doc.blocks;
  assert.deepEqual(blocks.slice(0, 3).map((b) => b.type), ['paragraph', 'question', 'answer']);
  assert.deepEqual(blocks[2], { type: 'answer', speaker: 'Bürgermeisterin Hahn', text: FREE_ANSWER });
  assert.ok(blocks.slice(3).some((b) => b.type === 'answer' && b.text === SECRET), 'the secret is after the marker');
  assert.ok(blocks.some((b) => b.type === 'image' && b.caption === 'Die Stadthalle im November' && b.credit === 'Foto: Anna Autorin'));
  assert.deepEqual(alarms, []);
  await authorContext.close();

  // --- the editor: preview as guest and as subscriber, then publish ---
  const editorContext = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const ed = await watchedPage(editorContext);
  await logInPage(ed.page, server.origin, 'redakteur@zeitung.example');
  const inReview = await withStore((db) => listNewsroomArticles(db, { state: 'review' }));
  assert.ok(inReview.items.some((i) => i.articleId === articleId), 'waiting for review');
  await ed.page.goto(`${server.origin}/redaktion/artikel/${articleId}/vorschau?als=gast`);
  assert.ok(await ed.page.locator('.premium-decoy').isVisible(), 'guest preview shows the decoy');
  assert.ok(await ed.page.locator('.paywall-box').isVisible(), 'and the offer');
  assert.ok((await ed.page.content()).includes(FREE_ANSWER));
  assert.ok(!(await ed.page.content()).includes(SECRET), 'guest preview has no premium text');
  if (SHOTS) await ed.page.screenshot({ path: path.join(SHOTS, 'newsroom-preview-guest-1280.png'), fullPage: true });
  await ed.page.goto(`${server.origin}/redaktion/artikel/${articleId}/vorschau?als=abonnent`);
  assert.ok((await ed.page.locator('main').innerText()).includes(SECRET), 'subscriber preview shows the text');
  assert.equal(await ed.page.locator('.premium-decoy').count(), 0);
  await ed.page.goto(`${server.origin}/redaktion/artikel/${articleId}`);
  await ed.page.waitForSelector('#kt-editor[data-ready="1"]');
  await Promise.all([ed.page.waitForURL(/\?ok=/), ed.page.click('form[action$="/veroeffentlichen"] button')]);
  const published = (await withStore((db) => getWorkingCopy(db, articleId)))!;
  assert.equal(published.state, 'published');
  assert.equal(published.live, true);
  assert.deepEqual(ed.alarms, []);
  await editorContext.close();

  // --- a guest: the front page with the Plus badge, the article with the decoy ---
  const guestContext = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const guest = await guestContext.newPage();
  await guest.goto(`${server.origin}/`);
  const teaser = guest.locator('article.teaser', { hasText: HEADLINE }).first();
  assert.ok(await teaser.isVisible(), 'on the front page');
  assert.equal(await teaser.locator('.badge-plus').count(), 1, 'with its Plus badge');
  await guest.goto(`${server.origin}/artikel/${published.doc.slug}`);
  assert.equal(await premiumState(guest), 'denied');
  assert.ok(await guest.locator('.premium-decoy').isVisible());
  assert.ok(!(await guest.content()).includes(SECRET), 'the page a guest gets has no premium text');
  await guestContext.close();

  // --- a subscriber: the same page in plain text ---
  const subContext = await browser.newContext({ viewport: { width: 390, height: 800 } });
  const sub = await subContext.newPage();
  await logInPage(sub, server.origin, 'abonnentin@example.de');
  await sub.goto(`${server.origin}/artikel/${published.doc.slug}`);
  assert.equal(await premiumState(sub), 'unlocked');
  assert.ok((await sub.locator('.premium-text').innerText()).includes(SECRET));
  assert.ok(await sub.locator('.premium-text picture source[type="image/avif"]').count() >= 1, 'the photo as <picture> with AVIF');
  if (SHOTS) await sub.screenshot({ path: path.join(SHOTS, 'newsroom-published-subscriber-390.png'), fullPage: true });
  await subContext.close();
});

/** Runs when any payload turns into markup or script: an image error handler, a script element, an SVG onload. */
const CANARY = 'window.__xss=(window.__xss||0)+1';
const EVIL = `<img src=x onerror="${CANARY}"></script><script>${CANARY}</script>"><svg onload="${CANARY}">`;

/** Nothing ran, no javascript: link exists, no element carries an event-handler attribute. */
async function assertInert(page: Page, alarms: string[], where: string): Promise<void> {
  await page.waitForLoadState('load');
  await page.waitForTimeout(100); // image error events fire after load in the same task queue; give them one turn
  const verdict = await page.evaluate(() => ({
    ran: (window as unknown as { __xss?: number }).__xss ?? 0,
    jsLinks: document.querySelectorAll('a[href^="javascript:" i], a[href^=" javascript:" i]').length,
    handlers: [...document.querySelectorAll('*')].flatMap((el) => [...el.attributes].filter((a) => /^on/i.test(a.name)).map((a) => `${el.tagName}.${a.name}`)),
  }));
  assert.deepEqual({ where, ...verdict, alarms: alarms.filter((a) => !/favicon/.test(a)) }, { where, ran: 0, jsLinks: 0, handlers: [], alarms: [] });
}

test('hostile input in every field (headline, caption, credit, link href, speaker, SEO fields, file name) is inert on the site and in the newsroom', { skip }, async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const { page, alarms } = await watchedPage(context);
  await logInPage(page, server.origin, 'redakteur@zeitung.example');
  await page.goto(`${server.origin}/redaktion`);
  await Promise.all([page.waitForURL(/\/redaktion\/artikel\/[^/?]+$/), page.locator('form[action="/redaktion/artikel"] button[type="submit"]').first().click()]);
  const articleId = new URL(page.url()).pathname.split('/').pop()!;
  await page.waitForSelector('#kt-editor[data-ready="1"]');

  // the upload with a hostile file name, and the save, through the same endpoints the editor uses
  const jpeg = await sharp({ create: { width: 900, height: 600, channels: 3, background: { r: 10, g: 120, b: 90 } } }).jpeg().toBuffer();
  const result = await page.evaluate(async ({ bytes, evil }) => {
    const boot = JSON.parse(document.getElementById('kt-editor-data')!.textContent!);
    const up = await fetch(boot.urls.upload, { method: 'POST', headers: { 'x-klartext-csrf': boot.csrf, 'x-file-name': encodeURIComponent(`${evil}.jpg`), 'content-type': 'image/jpeg' }, body: new Uint8Array(bytes) });
    const media = await up.json();
    const doc = {
      ...boot.doc, slug: 'xss-probe', section: 'stadt', access: 'plus', paywallAfter: 2, kicker: evil.slice(0, 80), headline: `Probe ${evil}`, teaser: evil,
      seoTitle: evil, seoDescription: evil, speakers: [evil.slice(0, 100)],
      image: { imageId: media.id, caption: evil, credit: evil.slice(0, 200) },
      blocks: [
        { type: 'paragraph', text: `Frei ${evil} [klick](javascript:${'window.__xss=1'}) [mehr](https://example.org/"onmouseover="window.__xss=1)` },
        { type: 'quote', text: evil, by: evil.slice(0, 200) },
        { type: 'question', text: evil },
        { type: 'answer', speaker: evil.slice(0, 100), text: `Plus ${evil} [x](JaVaScRiPt:window.__xss=1)` },
        { type: 'image', imageId: media.id, caption: evil, credit: evil.slice(0, 200) },
      ],
    };
    const saved = await fetch(boot.urls.save, { method: 'PUT', headers: { 'x-klartext-csrf': boot.csrf, 'content-type': 'application/json' }, body: JSON.stringify({ baseVersion: boot.version, doc }) });
    return { upload: up.status, save: saved.status, body: await saved.text() };
  }, { bytes: [...jpeg], evil: EVIL });
  assert.equal(result.upload, 201);
  assert.equal(result.save, 200, result.body);
  await page.goto(`${server.origin}/redaktion/artikel/${articleId}`);
  await page.waitForSelector('#kt-editor[data-ready="1"]');
  await assertInert(page, alarms, 'editor');
  await Promise.all([page.waitForURL(/\?ok=/), page.click('form[action$="/veroeffentlichen"] button')]);
  assert.equal((await withStore((db) => getWorkingCopy(db, articleId)))?.state, 'published');

  // the newsroom pages that show the fields
  for (const url of ['/redaktion', '/redaktion/artikel', `/redaktion/artikel/${articleId}/vorschau?als=gast`, `/redaktion/artikel/${articleId}/vorschau?als=abonnent`,
    `/redaktion/artikel/${articleId}/versionen`, '/redaktion/protokoll', '/redaktion/medien', '/redaktion/medien?q=svg']) {
    await page.goto(`${server.origin}${url}`);
    await assertInert(page, alarms, url);
  }
  assert.ok((await page.content()).includes('&lt;svg onload'), 'the file name (its last path part) is shown, as text');

  // the site: a guest and a subscriber (the premium HTML goes through the browser's decryption and insertion)
  const guest = await watchedPage(await browser.newContext());
  for (const url of ['/', '/stadt', '/artikel/xss-probe']) {
    await guest.page.goto(`${server.origin}${url}`);
    await until(`${url} shows the probe`, async () => (await guest.page.content()).includes('Probe &lt;img'), 5000).catch(async () => {
      await guest.page.reload(); // the page cache learns of the publish through the change feed
    });
    await assertInert(guest.page, guest.alarms, `guest ${url}`);
  }
  assert.ok((await guest.page.innerText('h1')).includes('Probe <img src=x'), 'the headline is shown as text');
  const subContext = await browser.newContext();
  const sub = await watchedPage(subContext);
  await logInPage(sub.page, server.origin, 'abonnentin@example.de');
  await sub.page.goto(`${server.origin}/artikel/xss-probe`);
  assert.equal(await premiumState(sub.page), 'unlocked');
  assert.ok((await sub.page.locator('.premium-text').innerText()).includes('Plus <img src=x'), 'the premium answer is text');
  await assertInert(sub.page, sub.alarms, 'subscriber article');
  await context.close();
  await subContext.close();
});
