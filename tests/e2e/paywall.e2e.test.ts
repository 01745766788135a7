// The paywall in Chromium against a real server on the demo newspaper: guest, subscriber, meter, gift link, no JavaScript, spoofed Googlebot.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { connect } from '../../src/db/index.ts';
import { getArticleBySlug, listArticles, premiumBlocks, stripInline } from '../../src/content/index.ts';
import { chromiumMissing, launchBrowser } from '../../src/testing/browser.ts';
import { logInPage, PLUS_SLUG, READER_PASSWORD, startPaywallServer, type PaywallServer } from './paywall-server.ts';

const skip = chromiumMissing;
let server: PaywallServer;
let browser: Browser;
let plusSlugs: string[] = [];
/** A sentence from the premium part of each Plus article, to look for in the page. */
const secret = new Map<string, string>();

before(async () => {
  if (skip) return;
  server = await startPaywallServer();
  browser = await launchBrowser();
  const store = connect({ dataDir: server.dataDir });
  try {
    for (const summary of await listArticles(store.db, { limit: 100, now: new Date() })) {
      if (summary.access !== 'plus') continue;
      const article = (await getArticleBySlug(store.db, summary.slug, { now: new Date() }))!;
      const block = premiumBlocks(article).find((b) => b.type === 'answer' || b.type === 'paragraph');
      if (block && 'text' in block) secret.set(article.slug, stripInline(block.text).split(/(?<=[.?!])\s/)[0]!);
      plusSlugs.push(article.slug);
    }
  } finally {
    await store.close();
  }
  plusSlugs = [PLUS_SLUG, ...plusSlugs.filter((s) => s !== PLUS_SLUG)];
});
after(async () => { await browser?.close(); await server?.close(); });

/** Opens an article and waits until the unlock answer was acted on: text shown or the paywall message set. */
async function openArticle(page: Page, path: string): Promise<'unlocked' | 'denied'> {
  await page.goto(`${server.origin}${path}`);
  await page.waitForFunction(() => document.querySelector('.premium--unlocked, .premium--failed') || document.querySelector('[data-paywall-message]')?.textContent);
  return (await page.locator('.premium--unlocked').count()) ? 'unlocked' : 'denied';
}

test('a guest sees the decoy and the offer, never the text', { skip }, async () => {
  const page = await browser.newPage();
  assert.equal(await openArticle(page, `/artikel/${PLUS_SLUG}`), 'denied');
  assert.ok(await page.locator('.premium-decoy').isVisible());
  assert.ok(await page.locator('.paywall-box').isVisible());
  assert.match(await page.locator('.paywall-box').innerText(), /1,00\s€ im ersten Monat[\s\S]*9,99\s€ monatlich/);
  assert.ok(await page.locator('.premium-text').isHidden());
  assert.match(await page.locator('[data-paywall-message]').innerText(), /Registrieren Sie sich kostenlos/);
  assert.ok(!(await page.content()).includes(secret.get(PLUS_SLUG)!));
  await page.close();
});

test('a subscriber sees the plain text after unlock, announced, with "Artikel verschenken"', { skip }, async () => {
  await server.makeReader('abo@example.de', { subscriber: true });
  const context = await browser.newContext();
  const page = await context.newPage();
  await logInPage(page, server.origin, 'abo@example.de');
  assert.equal(await openArticle(page, `/artikel/${PLUS_SLUG}`), 'unlocked');
  assert.ok((await page.locator('.premium-text').innerText()).includes(secret.get(PLUS_SLUG)!));
  assert.equal(await page.locator('.premium-decoy').count(), 0);
  assert.equal(await page.locator('.paywall-box').count(), 0);
  assert.equal(await page.locator('#premium [role=status]').innerText(), 'Artikel freigeschaltet');
  assert.ok(await page.locator('[data-gift-action]').isVisible());
  assert.equal(await page.locator('[data-account-link]').first().innerText(), 'abo');
  await context.close();
});

test('a registered reader without subscription sees the meter count down, then the offer', { skip }, async () => {
  await server.makeReader('leserin@example.de');
  const context = await browser.newContext();
  const page = await context.newPage();
  await logInPage(page, server.origin, 'leserin@example.de');
  const seen: string[] = [];
  for (const slug of plusSlugs.slice(0, 3)) {
    assert.equal(await openArticle(page, `/artikel/${slug}`), 'unlocked', slug);
    seen.push(await page.locator('[data-meter-status]').innerText());
  }
  assert.deepEqual(seen, ['Noch 2 Plus-Artikel frei in diesem Monat', 'Noch 1 Plus-Artikel frei in diesem Monat', 'Das war Ihr letzter freier Plus-Artikel in diesem Monat']);
  assert.equal(await openArticle(page, `/artikel/${plusSlugs[3]!}`), 'denied');
  assert.match(await page.locator('[data-paywall-message]').innerText(), /Sie haben Ihre 3 freien Plus-Artikel in diesem Monat gelesen/);
  assert.equal(await openArticle(page, `/artikel/${plusSlugs[0]!}`), 'unlocked', 'a counted article stays open');
  await context.close();
});

test('a reader whose address is not confirmed is asked to confirm it, and the button sends the mail again', { skip }, async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${server.origin}/registrieren`);
  await page.fill('#f-email', 'neu@example.de');
  await page.fill('#f-password', READER_PASSWORD);
  await page.check('#f-acceptTerms');
  await page.check('#f-acceptPrivacy');
  // the answer is a page at the same address ("check your mail"), not a redirect
  const [registered] = await Promise.all([
    page.waitForResponse((r) => r.url().endsWith('/registrieren') && r.request().method() === 'POST'),
    page.locator('form[action="/registrieren"] button[type="submit"]').first().click(),
  ]);
  assert.ok(registered.status() < 400, `registration answered ${registered.status()}`);
  await page.waitForLoadState('domcontentloaded');
  await logInPage(page, server.origin, 'neu@example.de');
  assert.equal(await openArticle(page, `/artikel/${PLUS_SLUG}`), 'denied');
  assert.match(await page.locator('[data-paywall-message]').innerText(), /^Bitte bestätigen Sie Ihre E-Mail-Adresse/);
  assert.ok(!(await page.content()).includes(secret.get(PLUS_SLUG)!));
  const resend = page.locator('#premium form[action="/konto/bestaetigung"] button');
  assert.equal(await resend.innerText(), 'Bestätigungsmail erneut senden');
  await Promise.all([page.waitForURL(/\/konto\?ok=bestaetigung$/), resend.click()]);
  assert.match(await page.locator('main').innerText(), /Wir haben Ihnen eine neue Bestätigungsmail geschickt/);
  await context.close();
});

test('a gift link made by a subscriber opens the article for a stranger', { skip }, async () => {
  await server.makeReader('schenkt@example.de', { subscriber: true });
  const giver = await browser.newContext();
  const page = await giver.newPage();
  await logInPage(page, server.origin, 'schenkt@example.de');
  await openArticle(page, `/artikel/${PLUS_SLUG}`);
  await page.locator('[data-gift-action] a').click();
  await page.waitForURL(/\/verschenken$/);
  await Promise.all([page.waitForURL(/\/konto\/geschenke/), page.locator('form button[type=submit]').click()]);
  const link = await page.locator('.gift-list__item--new .gift-list__url').inputValue();
  assert.match(link, /\/artikel\/digitalbuero-im-rathaus\?geschenk=[A-Za-z0-9_-]{43}$/);
  await giver.close();

  const stranger = await browser.newContext();
  const strangerPage = await stranger.newPage();
  assert.equal(await openArticle(strangerPage, new URL(link).pathname + new URL(link).search), 'unlocked');
  assert.ok((await strangerPage.locator('.premium-text').innerText()).includes(secret.get(PLUS_SLUG)!));
  await stranger.close();
});

test('a subscriber without JavaScript reads through the plain-text link', { skip }, async () => {
  await server.makeReader('ohne-js@example.de', { subscriber: true });
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await logInPage(page, server.origin, 'ohne-js@example.de');
  await page.goto(`${server.origin}/artikel/${PLUS_SLUG}`);
  assert.ok(!(await page.content()).includes(secret.get(PLUS_SLUG)!));
  await Promise.all([page.waitForURL(/\/klartext$/), page.locator('.paywall-box noscript a, .paywall-box a[href$="/klartext"]').first().click()]);
  assert.ok((await page.locator('.premium-text').innerText()).includes(secret.get(PLUS_SLUG)!));
  await context.close();
});

test('a spoofed Googlebot gets the decoy and no key', { skip }, async () => {
  const context = await browser.newContext({ userAgent: 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)' });
  const page = await context.newPage();
  assert.equal(await openArticle(page, `/artikel/${PLUS_SLUG}`), 'denied');
  assert.ok(await page.locator('.premium-decoy').isVisible());
  assert.ok(!(await page.content()).includes(secret.get(PLUS_SLUG)!));
  await context.close();
});
