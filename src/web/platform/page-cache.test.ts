// The page cache's encodings (made only when asked for, kept with the page, a stored page compressed at the better quality) and its purges by surrogate key.
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

test('a memo is computed once and again only after one of its keys was purged or the cache was cleared, also with the page cache off', async () => {
  const cache = new PageCache({ ttlMs: 0 });
  let computed = 0;
  const sections = () => cache.memo('sections', async () => [`Liste ${++computed}`], ['nav']);
  assert.deepEqual(await sections(), ['Liste 1']);
  assert.deepEqual(await sections(), ['Liste 1']);
  cache.purgeKeys(['article:x', 'front', 'offers']);
  assert.deepEqual(await sections(), ['Liste 1'], 'a change that does not name nav keeps it');
  cache.purgeKeys(['nav']);
  assert.deepEqual(await sections(), ['Liste 2'], 'nav drops it');
  cache.clear();
  assert.deepEqual(await sections(), ['Liste 3'], 'clear() drops it');
  let unkeyed = 0;
  const other = () => cache.memo('other', async () => ++unkeyed);
  await other();
  cache.purgeKeys(['article:x']);
  assert.equal(await other(), 2, 'a memo naming no keys goes with any purge');
});

test('a memo names keys its computation learnt (an article found by slug: its id)', async () => {
  const cache = new PageCache({ ttlMs: 0 });
  let computed = 0;
  const article = (slug: string) => cache.memoUntil(`article:${slug}`, async () => ({ value: `${slug} ${++computed}`, until: Infinity, keys: [`article:id-${slug}`] }));
  assert.equal(await article('a'), 'a 1');
  assert.equal(await article('b'), 'b 2');
  cache.purgeKeys(['article:id-a']);
  assert.equal(await article('a'), 'a 3', 'its own id drops it');
  assert.equal(await article('b'), 'b 2', 'the other article stays');
});

test('purgeKeys drops exactly the pages naming one of the keys', () => {
  const cache = new PageCache({ ttlMs: 60_000, now: () => new Date(0) });
  const page = (...keys: string[]) => makeCachedPage(200, 'text/html', BODY, 'public', 0, keys);
  cache.set('/', page('nav', 'front'));
  cache.set('/stadt', page('nav', 'section:stadt'));
  cache.set('/artikel/a', page('nav', 'article:a'));
  cache.set('/artikel/b', page('nav', 'article:b', 'offers'));
  cache.set('/feed.xml', page('feeds'));
  assert.equal(cache.purgeKeys(['article:a', 'front', 'section:stadt', 'feeds']), 4);
  assert.deepEqual(['/', '/stadt', '/artikel/a', '/artikel/b', '/feed.xml'].filter((p) => cache.peek(p)), ['/artikel/b']);
  assert.deepEqual(cache.keysOf('/artikel/b'), ['nav', 'article:b', 'offers']);
  assert.equal(cache.purgeKeys(['offers']), 1);
  assert.equal(cache.size, 0);
  // a page stored again under the same path carries its new keys only
  cache.set('/artikel/a', page('article:a'));
  cache.set('/artikel/a', page('article:c'));
  assert.equal(cache.purgeKeys(['article:a']), 0);
  assert.equal(cache.purgeKeys(['article:c']), 1);
});

test('a render a purge of one of its keys overtook is not stored; one the purge does not concern is', () => {
  const cache = new PageCache({ ttlMs: 60_000, now: () => new Date(0) });
  const page = (...keys: string[]) => makeCachedPage(200, 'text/html', BODY, 'public', 0, keys);
  const since = cache.mark();
  cache.purgeKeys(['article:a']);
  cache.set('/artikel/a', page('nav', 'article:a'), since);
  cache.set('/artikel/b', page('nav', 'article:b'), since);
  assert.equal(cache.peek('/artikel/a'), undefined, 'read before the change, stored after it: it may show the old text');
  assert.ok(cache.peek('/artikel/b'));
  const before = cache.mark();
  cache.clear();
  cache.set('/artikel/b', page('nav', 'article:b'), before);
  assert.equal(cache.peek('/artikel/b'), undefined, 'clear() overtakes every render');
  const old = cache.mark();
  for (let i = 0; i < 300; i++) cache.purgeKeys([`article:x${i}`]);
  cache.set('/artikel/b', page('nav', 'article:b'), old);
  assert.equal(cache.peek('/artikel/b'), undefined, 'a render older than the purges remembered is not trusted');
});

test('a memo being computed when one of its keys is purged is not kept (the next caller computes again)', async () => {
  const cache = new PageCache({ ttlMs: 0 });
  let release!: () => void;
  const gate = new Promise<void>((r) => { release = r; });
  const first = cache.memo('sections', async () => { await gate; return 'alt'; }, ['nav']);
  cache.purgeKeys(['nav']);
  const second = cache.memo('sections', async () => 'neu', ['nav']);
  release();
  assert.equal(await first, 'alt');
  assert.equal(await second, 'neu', 'not the computation the purge overtook');
  assert.equal(await cache.memo('sections', async () => 'noch einmal', ['nav']), 'neu', 'the computation begun after the purge is the one kept');
});

test('a failed memo is not kept', async () => {
  const cache = new PageCache({ ttlMs: 0 });
  await assert.rejects(cache.memo('sections', async () => { throw new Error('Datenbank weg'); }));
  assert.equal(await cache.memo('sections', async () => 'wieder da'), 'wieder da');
});

test('a timed memo holds until the time its computation named, and again after one of its keys was purged', async () => {
  let clock = 10_000;
  const cache = new PageCache({ ttlMs: 0, now: () => new Date(clock) });
  let computed = 0;
  // as the front page's list: valid until the next scheduled article is due at 20 000
  const latest = () => cache.memoUntil('latest', async (at) => ({ value: `Liste ${++computed} (${at})`, until: at < 20_000 ? 20_000 : Infinity }), ['front']);
  assert.equal(await latest(), 'Liste 1 (10000)');
  clock = 19_999;
  assert.equal(await latest(), 'Liste 1 (10000)', 'held until the time it named');
  clock = 20_000;
  assert.equal(await latest(), 'Liste 2 (20000)', 'computed again once that time came');
  clock = 21_000;
  assert.equal(await latest(), 'Liste 2 (20000)', 'nothing more scheduled: held');
  cache.purgeKeys(['article:x']);
  assert.equal(await latest(), 'Liste 2 (20000)', 'a change not naming the front keeps it');
  clock = 22_001;
  cache.purgeKeys(['front']);
  assert.equal(await latest(), 'Liste 3 (22001)', 'a change of the front drops it');
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
