// The newsroom for keyboard and screen-reader users: axe-core (WCAG 2 A and AA rules) in Chromium on every kind of
// newsroom page, at desktop and tablet width. Serious and critical findings fail the test.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import type { Browser, Page } from 'playwright-core';
import { chromiumMissing, launchBrowser } from '../../src/testing/browser.ts';
import { logInPage, READER_PASSWORD, startPaywallServer, type PaywallServer } from './paywall-server.ts';

const skip = chromiumMissing;
const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
let server: PaywallServer;
let browser: Browser;

before(async () => {
  if (skip) return;
  server = await startPaywallServer();
  browser = await launchBrowser();
  const made = await server.cli(['user', 'create', '--email', 'chefin@zeitung.example', '--role', 'admin', '--password-stdin'], `${READER_PASSWORD}\n`);
  assert.equal(made.code, 0, made.err);
});
after(async () => { await browser?.close(); await server?.close(); });

interface Finding { id: string; impact: string | null; help: string; targets: string[] }

async function axeFindings(page: Page): Promise<Finding[]> {
  await page.addScriptTag({ path: AXE });
  return page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (ctx: Document, o: object) => Promise<{ violations: { id: string; impact: string | null; help: string; nodes: { target: string[] }[] }[] }> } }).axe;
    const r = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.slice(0, 3).map((n) => n.target.join(' ')) }));
  });
}

for (const width of [1280, 820]) {
  test(`newsroom pages have no serious or critical accessibility findings at ${width} px`, { skip }, async () => {
    // axe is injected as a script: the page's CSP (no inline scripts) is bypassed for the checker only
    const context = await browser.newContext({ viewport: { width, height: 900 }, bypassCSP: true });
    const page = await context.newPage();
    await logInPage(page, server.origin, 'chefin@zeitung.example');
    await page.goto(`${server.origin}/redaktion`);
    await Promise.all([page.waitForURL(/\/redaktion\/artikel\/[^/?]+$/), page.locator('form[action="/redaktion/artikel"] button[type="submit"]').first().click()]);
    const editorUrl = new URL(page.url()).pathname;
    const pages = ['/redaktion', '/redaktion/artikel', editorUrl, `${editorUrl}/versionen`, `${editorUrl}/vorschau/geraete`, '/redaktion/medien', '/redaktion/protokoll',
      '/redaktion/verwaltung/ressorts', '/redaktion/verwaltung/autoren', '/redaktion/verwaltung/team'];
    const found: Record<string, Finding[]> = {};
    for (const url of pages) {
      await page.goto(`${server.origin}${url}`);
      if (url === editorUrl) await page.waitForSelector('#kt-editor[data-ready="1"]');
      const bad = (await axeFindings(page)).filter((f) => f.impact === 'serious' || f.impact === 'critical');
      if (bad.length) found[url] = bad;
    }
    await context.close();
    assert.deepEqual(found, {});
  });
}
