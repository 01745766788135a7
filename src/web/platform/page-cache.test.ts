// The page cache's encodings: made only when asked for, kept with the page, and a stored page compressed at the better quality.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { brotliCompressSync, brotliDecompressSync, constants, gunzipSync, gzipSync } from 'node:zlib';
import { makeCachedPage, ON_THE_FLY_BROTLI_QUALITY, ON_THE_FLY_GZIP_LEVEL, PageCache, STORED_BROTLI_QUALITY, STORED_GZIP_LEVEL } from './page-cache.ts';

const BODY = `<!doctype html><html lang="de"><body>${'<p>Die Mühlentorbrücke bleibt bis Ende Mai gesperrt. '.repeat(200)}</p></body></html>`;
const brotli = (quality: number) => brotliCompressSync(Buffer.from(BODY), { params: { [constants.BROTLI_PARAM_QUALITY]: quality, [constants.BROTLI_PARAM_SIZE_HINT]: Buffer.byteLength(BODY) } });

test('both encodings decompress to the body, and asking twice gives the same bytes', () => {
  const page = makeCachedPage(200, 'text/html; charset=utf-8', BODY, 'public', 0);
  assert.equal(brotliDecompressSync(page.brotli).toString(), BODY);
  assert.equal(gunzipSync(page.gzip).toString(), BODY);
  assert.equal(page.brotli, page.brotli, 'compressed once, then kept');
  assert.equal(page.gzip, page.gzip, 'compressed once, then kept');
});

test('a page no cache keeps is compressed at the on-the-fly quality; a page the cache keeps at the stored quality', () => {
  assert.notDeepEqual(brotli(ON_THE_FLY_BROTLI_QUALITY), brotli(STORED_BROTLI_QUALITY), 'the test body tells the qualities apart');
  assert.notDeepEqual(gzipSync(BODY, { level: ON_THE_FLY_GZIP_LEVEL }), gzipSync(BODY, { level: STORED_GZIP_LEVEL }), 'the test body tells the levels apart');
  const off = new PageCache({ ttlMs: 0 });
  const notKept = makeCachedPage(200, 'text/html', BODY, 'public', 0);
  off.set('/a', notKept);
  assert.deepEqual(notKept.brotli, brotli(ON_THE_FLY_BROTLI_QUALITY));
  assert.deepEqual(notKept.gzip, gzipSync(BODY, { level: ON_THE_FLY_GZIP_LEVEL }));

  const on = new PageCache({ ttlMs: 60_000, now: () => new Date(0) });
  const kept = makeCachedPage(200, 'text/html', BODY, 'public', 0);
  on.set('/a', kept);
  assert.deepEqual(kept.brotli, brotli(STORED_BROTLI_QUALITY));
  assert.deepEqual(kept.gzip, gzipSync(BODY, { level: STORED_GZIP_LEVEL }));
});

test('the ETag depends on the body only, so every process and every encoding shares it', () => {
  const a = makeCachedPage(200, 'text/html', BODY, 'public', 0);
  const b = makeCachedPage(200, 'text/html', Buffer.from(BODY), 'public', 99);
  assert.equal(a.etag, b.etag);
  assert.notEqual(makeCachedPage(200, 'text/html', BODY + ' ', 'public', 0).etag, a.etag);
});

test('a memo is computed once and again only after the content stamp changed or the cache was cleared, also with the page cache off', async () => {
  let clock = 10_000;
  let stamp = 'v1';
  const cache = new PageCache({ ttlMs: 0, stamp: async () => stamp, stampEveryMs: 2000, now: () => new Date(clock) });
  let computed = 0;
  const sections = () => cache.memo('sections', async () => [`Liste ${++computed}`]);
  assert.deepEqual(await sections(), ['Liste 1']);
  assert.deepEqual(await sections(), ['Liste 1']);
  stamp = 'v2';
  clock += 2001;
  assert.deepEqual(await sections(), ['Liste 2'], 'a new stamp drops the memo');
  clock += 2001;
  assert.deepEqual(await sections(), ['Liste 2'], 'the same stamp keeps it');
  cache.clear();
  assert.deepEqual(await sections(), ['Liste 3'], 'clear() drops it');
});

test('a failed memo is not kept', async () => {
  const cache = new PageCache({ ttlMs: 0 });
  await assert.rejects(cache.memo('sections', async () => { throw new Error('Datenbank weg'); }));
  assert.equal(await cache.memo('sections', async () => 'wieder da'), 'wieder da');
});

test('a timed memo holds until the time its computation named, and again after the content stamp moved', async () => {
  let clock = 10_000;
  let stamp = 'v1';
  const cache = new PageCache({ ttlMs: 0, stamp: async () => stamp, stampEveryMs: 2000, now: () => new Date(clock) });
  let computed = 0;
  // as the front page's list: valid until the next scheduled article is due at 20 000
  const latest = () => cache.memoUntil('latest', async (at) => ({ value: `Liste ${++computed} (${at})`, until: at < 20_000 ? 20_000 : Infinity }));
  assert.equal(await latest(), 'Liste 1 (10000)');
  clock = 19_999;
  assert.equal(await latest(), 'Liste 1 (10000)', 'held until the time it named');
  clock = 20_000;
  assert.equal(await latest(), 'Liste 2 (20000)', 'computed again once that time came');
  clock = 21_000;
  assert.equal(await latest(), 'Liste 2 (20000)', 'nothing more scheduled: held');
  stamp = 'v2';
  clock = 22_001;
  assert.equal(await latest(), 'Liste 3 (22001)', 'a new content stamp drops it');
  clock = 15_000;
  assert.equal(await latest(), 'Liste 4 (15000)', 'a clock set back before the computation does not trust it');
  await assert.rejects(cache.memoUntil('broken', async () => { throw new Error('Datenbank weg'); }));
  assert.equal(await cache.memoUntil('broken', async () => ({ value: 'wieder da', until: Infinity })), 'wieder da', 'a failure is not kept');
});

test('a timed memo valid for no time (an article not found) is not kept, and at most maxTimedMemos are', async () => {
  const cache = new PageCache({ ttlMs: 0, now: () => new Date(5_000), maxTimedMemos: 2 });
  let asked = 0;
  const missing = () => cache.memoUntil('article:gibt-es-nicht', async (at) => ({ value: undefined, until: at + 0 * ++asked }));
  await missing();
  await missing();
  assert.equal(asked, 2, 'asked again every time');
  let computed = 0;
  const found = (slug: string) => cache.memoUntil(`article:${slug}`, async () => ({ value: `${slug} ${++computed}`, until: Infinity }));
  assert.equal(await found('a'), 'a 1');
  assert.equal(await found('b'), 'b 2');
  assert.equal(await found('a'), 'a 1', 'kept');
  assert.equal(await found('c'), 'c 3');
  assert.equal(await found('a'), 'a 4', 'the oldest was dropped for the third');
});
