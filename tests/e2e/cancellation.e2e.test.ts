// The cancellation button in a real browser against a real server mailing over SMTP: footer link → form without login → receipt → mail.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { Browser } from 'playwright-core';
import { loadConfig, type Config } from '../../src/config.ts';
import { startServer } from '../../src/main.ts';
import { connect, type Store } from '../../src/db/index.ts';
import { createUser, TEST_HASHING } from '../../src/accounts/index.ts';
import { createBillingContext, findOffer, findSubscription, placeOrder, quoteOffer } from '../../src/billing/index.ts';
import { startSmtpReceiver, textPart, type SmtpReceiver } from '../../src/testing/smtp-receiver.ts';
import { chromiumMissing, launchBrowser } from '../../src/testing/browser.ts';

let server: { close: () => Promise<void>; port: number };
let smtp: SmtpReceiver;
let browser: Browser;
let origin: string;
let config: Readonly<Config>;
let store: Store;
const skip = chromiumMissing;

before(async () => {
  if (skip) return;
  smtp = await startSmtpReceiver();
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'klartext-e2e-cancel-'));
  config = loadConfig({ KLARTEXT_DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent', SMTP_URL: smtp.url, MAIL_FROM: 'Kreisbote <abo@zeitung.example>' });
  server = await startServer(config);
  origin = `http://127.0.0.1:${server.port}`;
  // a second connection to the server's database, to place the order the way checkout does
  store = connect({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  browser = await launchBrowser();
});
after(async () => { await browser?.close(); await server?.close(); await store?.close(); await smtp?.close(); });

test('from the footer, without login: cancel an existing subscription → receipt with date and time → mail over SMTP', { skip }, async () => {
  const { user } = await createUser(store.db, { email: 'ina@example.de', password: 'Regenbogen-Fahrrad-7', role: 'reader' }, { hashing: TEST_HASHING });
  const billing = createBillingContext({ config, store, mailer: { kind: 'outbox', send: async () => {} }, clock: () => new Date(), siteName: 'Kreisbote', baseUrl: origin });
  const offer = (await findOffer(store.db, 'plus-digital'))!;
  const { subscription } = await placeOrder(billing, {
    userId: user.id, userEmail: user.email, offer: offer.slug, method: 'sepa', priceKey: quoteOffer(offer, { now: new Date() }).priceKey,
    orderKey: randomBytes(12).toString('base64url'), consentImmediateStart: true, holderName: 'Ina Beispiel', iban: 'DE89370400440532013000', mandateAccepted: true,
  });

  const page = await browser.newPage();
  await page.goto(`${origin}/`);
  await page.getByRole('link', { name: 'Verträge hier kündigen' }).click();
  await page.waitForURL(`${origin}/kuendigen`);
  assert.equal(await page.getByRole('radio', { name: /Ordentliche Kündigung/ }).isChecked(), true);
  await page.fill('#f-name', 'Ina Beispiel');
  await page.fill('#f-email', 'ina@example.de');
  await page.fill('#f-contract', subscription.number);
  await Promise.all([page.waitForURL(/\/kuendigen\/bestaetigung\/KD-\d{8}-\d{6}\?k=/), page.getByRole('button', { name: 'jetzt kündigen' }).click()]);

  assert.match(await page.locator('h1').innerText(), /Ihre Kündigung ist eingegangen/);
  const received = await page.locator('[data-received]').innerText();
  assert.match(received, /^\d{2}\.\d{2}\.\d{4}, \d{2}:\d{2}:\d{2} Uhr$/);
  const number = await page.locator('[data-receipt-number]').innerText();
  assert.match(await page.locator('[data-end]').innerText(), /\d{2}\.\d{2}\.\d{4} \(einschließlich\)/);
  assert.equal(await page.locator('[data-print]').isVisible(), true, 'the print button appears with the script');
  assert.notEqual((await findSubscription(store.db, subscription.id))!.cancel_effective_at, null);

  const mail = await smtp.waitFor((m) => m.to.includes('ina@example.de') && textPart(m.raw).includes(number));
  const text = textPart(mail.raw).replace(/=\r?\n/g, '');
  assert.ok(text.includes(received), `the mail states the same time of receipt (${received})`);
  await page.close();
});
