// Runs the bundled unlock script in headless Chromium against a stub server: unlock, decrypt failure, denial and personal bits.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import { chromiumMissing, launchBrowser } from '../testing/browser.ts';
import { encryptPremium, generateContentKey, premiumPlaintext } from '../access/content-crypto.ts';
import { buildClient } from './build.ts';

const skip = chromiumMissing;

type UnlockMode = 'granted' | 'wrong-key' | 'denied';
const KEY = generateContentKey();
const PREMIUM_HTML = '<h2>Zwischentitel</h2><p>Der echte Text: äöüß.</p>';
const PAYLOAD = encryptPremium(premiumPlaintext(PREMIUM_HTML), KEY, 'kid1');

function articlePage(withPremium: boolean): string {
  const premium = `<div id="premium" class="premium" data-article-id="a1" data-key-id="kid1" data-unlock-url="/api/unlock/a1">
  <p class="premium-note">Abonnenten lesen diesen Artikel im Klartext.</p>
  <div class="premium-decoy" aria-hidden="true"><p>Ngeiw Tedlri ekien.</p></div>
  <div class="premium-text" hidden aria-live="polite"></div>
  <div class="paywall-box"><p data-paywall-message></p><a href="/anmelden">Anmelden</a></div>
  <template id="premium-ciphertext">${PAYLOAD}</template></div>`;
  return `<!doctype html><html><head><meta charset="utf-8"></head><body>
  <a data-account-link href="/konto">Anmelden</a><p data-meter-status></p>
  <article><p>Vorspann.</p>${withPremium ? premium : ''}</article><script src="/unlock.js" defer></script></body></html>`;
}

let server: Server;
let browser: Browser;
let origin = '';
let mode: UnlockMode = 'granted';
const unlockRequests: Array<{ headers: IncomingHttpHeaders; body: string }> = [];

before(async () => {
  if (skip) return;
  const { js } = await buildClient();
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => { body += chunk.toString(); });
    req.on('end', () => {
      const json = (status: number, value: unknown) => { res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(value)); };
      if (req.url === '/unlock.js') return void res.writeHead(200, { 'content-type': 'text/javascript' }).end(js);
      if (req.url === '/api/me') return json(200, { user: { displayName: 'Ina Beispiel', email: 'ina@example.org', role: 'reader' } });
      if (req.url === '/api/unlock/a1') {
        unlockRequests.push({ headers: req.headers, body });
        if (mode === 'denied') return json(403, { granted: false, need: 'subscription', message: 'Ihre freien Plus-Artikel sind aufgebraucht.' });
        const key = mode === 'granted' ? KEY : generateContentKey();
        return json(200, { granted: true, key: key.toString('base64url'), keyId: 'kid1', reason: 'meter', meter: { limit: 3, used: 2, remaining: 1 } });
      }
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(articlePage(req.url !== '/ohne-plus'));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  server?.close();
});

async function visit(path: string, unlockMode: UnlockMode) {
  mode = unlockMode;
  unlockRequests.length = 0;
  const page = await browser.newPage();
  const pageErrors: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  await page.goto(origin + path);
  await page.waitForFunction(() => document.documentElement.dataset.loggedIn === '1');
  if (path !== '/ohne-plus' && unlockMode !== 'denied') await page.waitForSelector('[role=status]:not(:empty)');
  if (unlockMode === 'denied') await page.waitForSelector('[data-paywall-message]:not(:empty)');
  const state = await page.evaluate(() => {
    const text = document.querySelector<HTMLElement>('.premium-text');
    return {
      premiumClass: document.getElementById('premium')?.className ?? null,
      html: text?.innerHTML ?? null,
      textHidden: text?.hidden ?? null,
      decoy: document.querySelector('.premium-decoy') !== null,
      paywallBox: document.querySelector('.paywall-box') !== null,
      status: document.querySelector('[role=status]')?.textContent ?? null,
      meter: document.querySelector('[data-meter-status]')?.textContent ?? null,
      paywallMessage: document.querySelector('[data-paywall-message]')?.textContent ?? null,
      account: document.querySelector('[data-account-link]')?.textContent ?? null,
    };
  });
  await page.close();
  return { state, pageErrors, requests: [...unlockRequests] };
}

test('an entitled reader gets the decrypted text, a status announcement and the meter count', { skip }, async () => {
  const { state, pageErrors, requests } = await visit('/artikel?geschenk=geschenk1', 'granted');
  assert.deepEqual(pageErrors, []);
  assert.equal(state.html, PREMIUM_HTML);
  assert.equal(state.textHidden, false);
  assert.equal(state.premiumClass, 'premium premium--unlocked');
  assert.equal(state.decoy, false);
  assert.equal(state.paywallBox, false);
  assert.equal(state.status, 'Artikel freigeschaltet');
  assert.equal(state.meter, 'Noch 1 Plus-Artikel frei in diesem Monat');
  assert.equal(state.account, 'Ina Beispiel');
  assert.equal(requests.length, 1);
  assert.deepEqual(JSON.parse(requests[0]!.body), { keyId: 'kid1', gift: 'geschenk1' });
  assert.equal(requests[0]!.headers['content-type'], 'application/json');
  assert.equal(requests[0]!.headers['x-klartext-csrf'], '1');
});

test('a key that does not open the ciphertext shows an error and never inserts garbage', { skip }, async () => {
  const { state, pageErrors } = await visit('/artikel', 'wrong-key');
  assert.deepEqual(pageErrors, []);
  assert.equal(state.html, '<p class="premium-error">Der Artikel konnte nicht entschlüsselt werden. Bitte laden Sie die Seite neu.</p>');
  assert.equal(state.premiumClass, 'premium premium--failed');
  assert.equal(state.meter, '');
});

test('a reader who is not entitled keeps the decoy and sees the server message', { skip }, async () => {
  const { state, requests } = await visit('/artikel', 'denied');
  assert.equal(state.decoy, true);
  assert.equal(state.paywallBox, true);
  assert.equal(state.textHidden, true);
  assert.equal(state.html, '');
  assert.equal(state.paywallMessage, 'Ihre freien Plus-Artikel sind aufgebraucht.');
  assert.deepEqual(JSON.parse(requests[0]!.body), { keyId: 'kid1' });
});

test('a page without Plus text only fills in the personal bits', { skip }, async () => {
  const { state, requests } = await visit('/ohne-plus', 'granted');
  assert.equal(state.account, 'Ina Beispiel');
  assert.equal(state.premiumClass, null);
  assert.equal(requests.length, 0);
});
