// The whole way from the paywall to reading in Chromium: guest → offer → inline registration → SEPA order → thank-you page → the article in plain text; mails over SMTP.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { connect } from '../../src/db/index.ts';
import { getArticleBySlug, premiumBlocks, stripInline } from '../../src/content/index.ts';
import { chromiumMissing, launchBrowser } from '../../src/testing/browser.ts';
import { startSmtpReceiver, textPart, type SmtpReceiver } from '../../src/testing/smtp-receiver.ts';
import { PLUS_SLUG, READER_PASSWORD, startPaywallServer, type PaywallServer } from './paywall-server.ts';

const skip = chromiumMissing;
/** Set to a directory to keep screenshots of the checkout (desktop and phone). */
const SHOTS = process.env.KLARTEXT_SCREENSHOTS;
let server: PaywallServer;
let smtp: SmtpReceiver;
let browser: Browser;
let secret = '';

before(async () => {
  if (skip) return;
  smtp = await startSmtpReceiver();
  server = await startPaywallServer({ SMTP_URL: smtp.url, MAIL_FROM: 'Kreisbote <abo@zeitung.example>' });
  browser = await launchBrowser();
  const store = connect({ dataDir: server.dataDir });
  try {
    const article = (await getArticleBySlug(store.db, PLUS_SLUG, { now: new Date() }))!;
    const block = premiumBlocks(article).find((b) => b.type === 'answer' || b.type === 'paragraph');
    if (block && 'text' in block) secret = stripInline(block.text).split(/(?<=[.?!])\s/)[0]!;
  } finally {
    await store.close();
  }
});
after(async () => { await browser?.close(); await server?.close(); await smtp?.close(); });

test('a guest subscribes from a Plus article: register inline, order by SEPA, continue reading in plain text', { skip }, async () => {
  assert.ok(secret.length > 20, 'a premium sentence to look for');
  const email = 'neue-leserin@example.de';
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();

  await page.goto(`${server.origin}/artikel/${PLUS_SLUG}`);
  await page.waitForFunction(() => document.querySelector('[data-paywall-message]')?.textContent);
  await Promise.all([page.waitForURL(/\/abo\/bestellen\/plus-digital\?next=/), page.locator('.paywall-box [data-order-link]').click()]);

  // not logged in: login and registration on the same page
  assert.ok(await page.locator('form[action*="/anmelden"]').isVisible());
  if (SHOTS) await page.screenshot({ path: path.join(SHOTS, 'checkout-guest-1280.png'), fullPage: true });
  await page.fill('#f-newEmail', email);
  await page.fill('#f-newPassword', READER_PASSWORD);
  await page.check('#f-acceptTerms');
  await page.check('#f-acceptPrivacy');
  await Promise.all([page.waitForURL(/\/abo\/bestellen\/plus-digital\?next=/), page.getByRole('button', { name: 'Konto anlegen und weiter' }).click()]);

  // logged in: the order form, the summary right above the button, the consent unticked
  const button = page.getByRole('button', { name: 'zahlungspflichtig bestellen' });
  assert.ok(await button.isVisible());
  assert.equal(await page.isChecked('#f-consent'), false);
  assert.match(await page.locator('.order-summary').innerText(), /1,00\s€ im ersten Monat, danach 9,99\s€ monatlich/);
  if (SHOTS) {
    await page.screenshot({ path: path.join(SHOTS, 'checkout-1280.png'), fullPage: true });
    await page.setViewportSize({ width: 390, height: 844 });
    await page.screenshot({ path: path.join(SHOTS, 'checkout-390.png'), fullPage: true });
    await page.setViewportSize({ width: 1280, height: 900 });
  }
  await page.fill('#f-holderName', 'Nele Leserin');
  await page.fill('#f-iban', 'DE89 3704 0044 0532 0130 00');
  await page.check('#f-mandate');
  await page.check('#f-consent');
  await Promise.all([page.waitForURL(/\/abo\/danke\?abo=/), button.click()]);

  assert.match(await page.locator('h1').innerText(), /Willkommen bei Plus/);
  assert.match(await page.locator('.thanks__facts').innerText(), /Erste Abbuchung\s+1,00\s€ am/);
  if (SHOTS) await page.screenshot({ path: path.join(SHOTS, 'danke-1280.png'), fullPage: true });

  await Promise.all([page.waitForURL(new RegExp(`/artikel/${PLUS_SLUG}$`)), page.getByRole('link', { name: 'Weiterlesen' }).click()]);
  await page.waitForSelector('.premium--unlocked');
  assert.ok((await page.locator('.premium-text').innerText()).includes(secret), 'the premium text in plain text');
  assert.equal(await page.locator('.premium-decoy').count(), 0, 'no decoy');

  const mail = await smtp.waitFor((m) => m.to.includes(email) && /Ihre Bestellung/.test(m.raw));
  const text = textPart(mail.raw);
  assert.match(text, /Widerruf/);
  assert.match(text, /Vorabankündigung/);
  assert.match(text, /DE89 •••• •••• •••• 3000|DE89/);
  assert.ok(!text.includes('DE89370400440532013000'), 'the full IBAN never goes out by mail');
  await smtp.waitFor((m) => m.to.includes(email) && /bestätigen/i.test(textPart(m.raw)));
  await context.close();
});
