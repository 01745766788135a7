// bench:editor — the editor bundle's size (raw, gzip) and the time to open a 5,000-word article in the editor in
// Chromium: from navigation start and from script start until the editor is ready with the text in the page, median of 10.
import { gzipSync } from 'node:zlib';
import { buildClient } from '../src/client/build.ts';
import { launchBrowser } from '../src/testing/browser.ts';
import { longDraft, startEditorStub } from '../src/client/editor/editor-stub-server.tsx';

const LOADS = Number(process.env.BENCH_LOADS ?? 10);
const WORDS = Number(process.env.BENCH_WORDS ?? 5000);

const { js, gzipBytes, editorJs, editorGzipBytes } = await buildClient({ editor: true });
const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
console.log(`editor bundle: ${kb(Buffer.byteLength(editorJs!))} raw, ${kb(editorGzipBytes!)} gzip (level 9), ${kb(gzipSync(editorJs!, { level: 6 }).length)} gzip (level 6)`);
console.log(`article-page bundle for comparison: ${kb(Buffer.byteLength(js))} raw, ${kb(gzipBytes)} gzip — reader pages do not load the editor`);

const doc = longDraft(WORDS);
const words = doc.blocks.map((b) => ('text' in b ? b.text : b.caption).replace(/\*\*|\[|\]\([^)]*\)/g, '').split(/\s+/).filter(Boolean).length).reduce((a, b) => a + b, 0);
const stub = await startEditorStub({ doc, version: 12 });
const browser = await launchBrowser();
interface Marks { ready: number; painted: number; init: number; blocks: number }
try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const runs: Marks[] = [];
  for (let i = 0; i < LOADS + 2; i++) {
    await page.goto(stub.pageUrl);
    await page.waitForFunction(() => performance.getEntriesByName('kt-editor-painted').length > 0);
    const m = await page.evaluate(() => ({
      ready: performance.getEntriesByName('kt-editor-ready')[0]!.startTime,
      painted: performance.getEntriesByName('kt-editor-painted')[0]!.startTime,
      init: performance.getEntriesByName('kt-editor-init')[0]!.duration,
      blocks: document.querySelectorAll('.nr-ed-prose > *').length,
    }));
    if (i >= 2) runs.push(m); // warm-up: fonts and scripts in the browser cache
  }
  const median = (a: number[]) => { const s = [...a].sort((x, y) => x - y); return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2; };
  const max = (a: number[]) => Math.max(...a);
  const ready = runs.map((r) => r.ready);
  console.log(`${words} words in ${runs[0]!.blocks} blocks, ${LOADS} loads in Chromium (loopback, assets cached)`);
  console.log(`navigation start → editor ready, text in the page: median ${median(ready).toFixed(1)} ms, max ${max(ready).toFixed(1)} ms (target ≤ 300 ms) ${median(ready) <= 300 ? 'OK' : 'ABOVE TARGET'}`);
  console.log(`navigation start → first frame with the text:      median ${median(runs.map((r) => r.painted)).toFixed(1)} ms`);
  console.log(`script start → editor ready:                        median ${median(runs.map((r) => r.init)).toFixed(1)} ms`);
} finally {
  await browser.close();
  await stub.close();
}
