// Accounts in a real browser against a real server mailing through a real SMTP server: register → verify → log in → log out; CSRF; throttling; enumeration.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { loadConfig } from '../../src/config.ts';
import { startServer } from '../../src/main.ts';
import { startSmtpReceiver, textPart, type SmtpReceiver } from '../../src/testing/smtp-receiver.ts';
import { chromiumMissing, launchBrowser } from '../../src/testing/browser.ts';

const PW = 'Regenbogen-Fahrrad-7';
let server: { close: () => Promise<void>; port: number };
let smtp: SmtpReceiver;
let browser: Browser;
let origin: string;
const skip = chromiumMissing;

before(async () => {
  if (skip) return;
  smtp = await startSmtpReceiver();
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'klartext-e2e-account-'));
  server = await startServer(loadConfig({ KLARTEXT_DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent', SMTP_URL: smtp.url, MAIL_FROM: 'Kreisbote <redaktion@zeitung.example>' }));
  origin = `http://127.0.0.1:${server.port}`;
  browser = await launchBrowser();
});
after(async () => { await browser?.close(); await server?.close(); await smtp?.close(); });

async function submit(page: Page, path: string): Promise<number> {
  const [res] = await Promise.all([
    page.waitForResponse((r) => new URL(r.url()).pathname === path && r.request().method() === 'POST'),
    page.locator(`form[action="${path}"] button[type="submit"]`).first().click(),
  ]);
  await page.waitForLoadState('domcontentloaded');
  return res.status();
}

async function register(page: Page, email: string): Promise<number> {
  await page.goto(`${origin}/registrieren`);
  await page.fill('#f-email', email);
  await page.fill('#f-password', PW);
  await page.check('#f-acceptTerms');
  await page.check('#f-acceptPrivacy');
  return submit(page, '/registrieren');
}

async function logIn(page: Page, email: string, password: string): Promise<number> {
  await page.goto(`${origin}/anmelden`);
  await page.fill('#f-email', email);
  await page.fill('#f-password', password);
  return submit(page, '/anmelden');
}

test('register → verification mail over SMTP → open the link → log in → log out', { skip }, async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  assert.equal(await register(page, 'ina@example.de'), 200);
  assert.match(await page.locator('h1').innerText(), /Bitte bestätigen Sie Ihre E-Mail-Adresse/);

  const mail = await smtp.waitFor((m) => m.to.includes('ina@example.de'));
  assert.equal(mail.from, 'redaktion@zeitung.example');
  const link = /https?:\/\/\S+\/registrieren\/bestaetigen\?token=[A-Za-z0-9_-]+/.exec(textPart(mail.raw))?.[0];
  assert.ok(link, 'the mail carries the verification link');
  await page.goto(link.replace(/^https?:\/\/[^/]+/, origin));
  assert.match(page.url(), /\/anmelden\?hinweis=verified$/);
  assert.match(await page.locator('.acc-notice').innerText(), /bestätigt/);

  assert.equal(await logIn(page, 'ina@example.de', PW), 303);
  assert.match(page.url(), /\/konto$/);
  assert.match(await page.locator('h1').innerText(), /Guten Tag/);
  const cookie = (await context.cookies()).find((c) => c.name === 'klartext_session');
  assert.ok(cookie?.httpOnly, 'HttpOnly');
  assert.equal(cookie?.sameSite, 'Lax');
  const me = await page.evaluate(async () => (await fetch('/api/me')).json() as Promise<{ user: { email: string } | null }>);
  assert.equal(me.user?.email, 'ina@example.de');

  await submit(page, '/abmelden');
  assert.match(page.url(), /\/anmelden\?hinweis=logged-out$/);
  await page.goto(`${origin}/konto`);
  assert.match(page.url(), /\/anmelden\?weiter=/);
  await context.close();
});

test('a tampered CSRF token and a form posted from another site are refused', { skip }, async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${origin}/anmelden`);
  await page.fill('#f-email', 'ina@example.de');
  await page.fill('#f-password', PW);
  await page.locator('input[name="_csrf"]').evaluate((el) => { (el as HTMLInputElement).value = 'manipuliert'; });
  assert.equal(await submit(page, '/anmelden'), 403);
  assert.match(await page.locator('main').innerText(), /CSRF/);

  // another origin with a form aimed at the account deletion of whoever is logged in
  assert.equal(await logIn(page, 'ina@example.de', PW), 303);
  const evil = http.createServer((_, res) => {
    res.setHeader('content-type', 'text/html');
    res.end(`<form method="post" action="${origin}/konto/loeschen"><input name="password" value="${PW}"><button type="submit">Gewinnspiel</button></form>`);
  });
  await new Promise<void>((r) => evil.listen(0, '127.0.0.1', () => r()));
  const evilPort = (evil.address() as { port: number }).port;
  try {
    await page.goto(`http://localhost:${evilPort}/`);
    const [res] = await Promise.all([page.waitForResponse((r) => r.url().endsWith('/konto/loeschen')), page.click('button')]);
    assert.equal(res.status(), 403);
  } finally {
    evil.close();
  }
  await page.goto(`${origin}/konto`);
  assert.match(await page.locator('h1').innerText(), /Guten Tag/, 'still logged in, account still there');
  await context.close();
});

test('the 6th wrong password within a minute is refused with 429', { skip }, async () => {
  await register(await browser.newPage(), 'tom@example.de');
  const page = await browser.newPage();
  for (let i = 1; i <= 5; i++) {
    assert.equal(await logIn(page, 'tom@example.de', `falsch-${i}-xxxxxx`), 401, `attempt ${i}`);
    assert.match(await page.locator('#password-error').innerText(), /stimmen nicht/);
  }
  assert.equal(await logIn(page, 'tom@example.de', 'falsch-6-xxxxxx'), 429);
  assert.match(await page.locator('main').innerText(), /Zu viele Anmeldeversuche/);
  await page.close();
});

test('registration and reset show the same page for a known and an unknown address', { skip }, async () => {
  const page = await browser.newPage();
  const bodyAfter = async (action: () => Promise<number>, email: string) => {
    assert.equal(await action(), 200);
    return (await page.content()).replaceAll(email, 'ADRESSE');
  };
  assert.equal(
    await bodyAfter(() => register(page, 'ina@example.de'), 'ina@example.de'),
    await bodyAfter(() => register(page, 'niemand@example.de'), 'niemand@example.de'),
  );
  await smtp.waitFor((m) => m.to.includes('ina@example.de') && /bereits ein Konto/.test(textPart(m.raw)));
  const reset = async (email: string) => {
    await page.goto(`${origin}/passwort-vergessen`);
    await page.fill('#f-email', email);
    return submit(page, '/passwort-vergessen');
  };
  assert.equal(await bodyAfter(() => reset('ina@example.de'), 'ina@example.de'), await bodyAfter(() => reset('keiner@example.de'), 'keiner@example.de'));
  await page.close();
});
