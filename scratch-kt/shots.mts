import { launchBrowser } from '/work/main/tests/e2e/browser.ts';
import { startPaywallServer, logInPage, PLUS_SLUG } from '/work/main/tests/e2e/paywall-server.ts';
const s = await startPaywallServer();
const browser = await launchBrowser();
const slug = process.argv[2] ?? PLUS_SLUG;
for (const [name, width] of [['guest-1280', 1280], ['guest-375', 375]] as const) {
  const page = await browser.newPage({ viewport: { width, height: 900 }, deviceScaleFactor: 1 });
  await page.goto(`${s.origin}/artikel/${slug}`); await page.waitForTimeout(400);
  await page.locator('#premium').scrollIntoViewIfNeeded();
  await page.evaluate(() => window.scrollBy(0, -250));
  await page.screenshot({ path: `/work/main/scratch-kt/${name}.png` });
  await page.close();
}
await s.makeReader('abo@example.de', { subscriber: true });
const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
const page = await ctx.newPage();
await logInPage(page, s.origin, 'abo@example.de');
await page.goto(`${s.origin}/artikel/${slug}`);
await page.locator('.premium--unlocked').waitFor(); await page.waitForTimeout(500);
await page.locator('.premium-text').scrollIntoViewIfNeeded();
await page.evaluate(() => window.scrollBy(0, -300));
await page.screenshot({ path: '/work/main/scratch-kt/subscriber-1280.png' });
await page.goto(`${s.origin}/abo`); await page.screenshot({ path: '/work/main/scratch-kt/abo.png' });
await browser.close(); await s.close();
