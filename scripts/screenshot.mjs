// Screenshots of pages in Debian's headless Chromium: node scripts/screenshot.mjs URL OUT.png [width] [fullPage]
import { chromium } from 'playwright-core';
const [url, out, width = '1280', full = '0'] = process.argv.slice(2);
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'] });
const page = await browser.newPage({ viewport: { width: Number(width), height: Number(width) < 600 ? 800 : 900 } });
const external = [];
page.on('request', (r) => { if (!r.url().startsWith(new URL(url).origin) && !r.url().startsWith('data:')) external.push(r.url()); });
await page.goto(url, { waitUntil: 'networkidle' });
await page.screenshot({ path: out, fullPage: full === '1' });
if (external.length) console.log('THIRD-PARTY REQUESTS:', external);
await browser.close();
