// In-memory cache of rendered public pages: one byte-identical body per URL, precompressed, with a strong ETag, dropped by surrogate key.
import { createHash } from 'node:crypto';
import { brotliCompressSync, gzipSync, constants } from 'node:zlib';
import type { Clock } from '../../clock.ts';

export interface CachedPage {
  status: number;
  contentType: string;
  body: Buffer;
  /** compressed on first use, then kept with the page */
  readonly gzip: Buffer;
  /** compressed on first use, then kept with the page */
  readonly brotli: Buffer;
  etag: string;
  cacheControl: string;
  storedAt: number;
  /** what the page shows (`article:<id>`, `front`, `nav` …): a change of any of them drops it (purgeKeys) */
  readonly surrogateKeys: readonly string[];
}

/** What a page kept in the cache is compressed with: it is compressed once and served many times. */
export const STORED_BROTLI_QUALITY = 5;
/**
 * What a page that is not kept (page cache off, or a miss the cache refuses) is compressed with: it is
 * compressed for one answer, so the time counts more than the last few per cent of size. Measured on the
 * demo's front page, free article and Plus interview: quality 1 takes 30–40 % of the CPU of quality 4 for
 * 9–12 % more bytes (front page 6.7 kB instead of 6.0 kB); qualities 2–3 cost 1.5–2× quality 1 for 2–5 % less.
 */
export const ON_THE_FLY_BROTLI_QUALITY = 1;
/** gzip the same way: level 6 for what is kept, level 1 (about 60 % of the CPU, 2–6 % more bytes) for one answer */
export const STORED_GZIP_LEVEL = 6;
export const ON_THE_FLY_GZIP_LEVEL = 1;

/**
 * The encodings are made when a client first asks for one, not up front: a render for a brotli client
 * no longer pays for gzip as well. A page the cache keeps is marked stored before its first answer, so
 * what the cache serves again and again is compressed at the better quality.
 */
class RenderedPage implements CachedPage {
  private gz: Buffer | undefined;
  private br: Buffer | undefined;
  /** set by PageCache.set: the page will be served again, so its encodings are worth the better quality */
  stored = false;
  readonly etag: string;
  constructor(
    readonly status: number, readonly contentType: string, readonly body: Buffer, readonly cacheControl: string, readonly storedAt: number,
    readonly surrogateKeys: readonly string[],
  ) {
    this.etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
  }

  get gzip(): Buffer {
    return (this.gz ??= gzipSync(this.body, { level: this.stored ? STORED_GZIP_LEVEL : ON_THE_FLY_GZIP_LEVEL }));
  }

  get brotli(): Buffer {
    const quality = this.stored ? STORED_BROTLI_QUALITY : ON_THE_FLY_BROTLI_QUALITY;
    return (this.br ??= brotliCompressSync(this.body, { params: { [constants.BROTLI_PARAM_QUALITY]: quality, [constants.BROTLI_PARAM_SIZE_HINT]: this.body.length } }));
  }
}

export interface PageCacheOptions {
  /** how long an entry may be served before it is rendered again */
  ttlMs: number;
  maxEntries?: number;
  /** the app's clock (default: the system's) */
  now?: Clock;
  /** how many timed memos (memoUntil) are kept at most (default 2000) */
  maxTimedMemos?: number;
}

export function makeCachedPage(status: number, contentType: string, body: string | Buffer, cacheControl: string, now: number, surrogateKeys: readonly string[] = []): CachedPage {
  return new RenderedPage(status, contentType, typeof body === 'string' ? Buffer.from(body) : body, cacheControl, now, surrogateKeys);
}

/** How many purges are remembered for set()'s check; a render older than all of them is not stored. */
const RECENT_PURGES = 256;

/** Adds `item` under each key of an index (surrogate key → names). */
function index(map: Map<string, Set<string>>, keys: readonly string[], item: string): void {
  for (const k of keys) {
    let set = map.get(k);
    if (!set) map.set(k, (set = new Set()));
    set.add(item);
  }
}
function unindex(map: Map<string, Set<string>>, keys: readonly string[], item: string): void {
  for (const k of keys) {
    const set = map.get(k);
    if (set?.delete(item) && set.size === 0) map.delete(k);
  }
}

/**
 * Pages and memos carry surrogate keys; a content change names the keys it touched (src/content/content-changes.ts)
 * and purgeKeys drops exactly what shows one of them, in this process — the rest stays cached. A render that
 * started before a purge it is affected by is not stored (set's `since`), so a page read from the old content
 * cannot slip in behind the purge.
 */
export class PageCache {
  private readonly entries = new Map<string, CachedPage>();
  /** surrogate key → the paths of the pages showing it */
  private readonly pagesByKey = new Map<string, Set<string>>();
  private readonly timedMemos = new Map<string, Promise<{ until: number; at: number }>>();
  /** the settled value of a timed memo: its expiry is known only once it is computed */
  private readonly timedSettled = new Map<string, { until: number; at: number }>();
  /** the surrogate keys of a memo: given with it, or named by its computation once settled */
  private readonly memoKeys = new Map<string, readonly string[]>();
  /** surrogate key → the names of the memos holding data it stands for */
  private readonly memosByKey = new Map<string, Set<string>>();
  private purges = 0;
  /** the last purges, oldest first: which keys (null: everything) the n-th purge dropped */
  private readonly recentPurges: { n: number; keys: ReadonlySet<string> | null }[] = [];
  constructor(private readonly o: PageCacheOptions) {}

  /** milliseconds on the cache's clock: entries are stamped and aged with it */
  now(): number { return this.o.now?.().getTime() ?? Date.now(); }

  /** The entry while it is younger than the ttl; an older one is dropped. */
  get(key: string): CachedPage | undefined {
    const e = this.entries.get(key);
    if (!e) return undefined;
    if (this.now() - e.storedAt > this.o.ttlMs) {
      this.dropPage(key);
      return undefined;
    }
    return e;
  }

  /** The entry without waiting, for the cache-hit fast path: purges are pushed, so what is here is current. */
  peek(key: string): CachedPage | undefined {
    return this.get(key);
  }

  /** A mark to give set(): taken before a render reads anything, it lets set() refuse a render a purge overtook. */
  mark(): number { return this.purges; }

  /**
   * Keeps a page under its key (path and read parameters). With `since` (a mark() taken before the render read the
   * content), a page one of whose surrogate keys was purged meanwhile is not kept: it may show the old content.
   */
  set(key: string, page: CachedPage, since?: number): void {
    if (this.o.ttlMs <= 0) return;
    if (since !== undefined && this.purgedSince(since, page.surrogateKeys)) return;
    if (page instanceof RenderedPage) page.stored = true;
    if (this.entries.has(key)) this.dropPage(key);
    if (this.entries.size >= (this.o.maxEntries ?? 5000)) this.dropPage(this.entries.keys().next().value!);
    this.entries.set(key, page);
    index(this.pagesByKey, page.surrogateKeys, key);
  }

  /**
   * Drops the pages and memos tied to any of these keys, and memos still being computed whose keys are not known yet;
   * answers how many pages went. Everything else stays.
   */
  purgeKeys(keys: Iterable<string>): number {
    const set = new Set(keys);
    if (!set.size) return 0;
    this.remember(set);
    let dropped = 0;
    for (const k of set) {
      for (const path of [...(this.pagesByKey.get(k) ?? [])]) { this.dropPage(path); dropped++; }
      for (const name of [...(this.memosByKey.get(k) ?? [])]) this.dropMemo(name);
    }
    for (const name of [...this.timedMemos.keys()]) if (!this.memoKeys.has(name)) this.dropMemo(name);
    return dropped;
  }

  /** Drops everything (a change the feed could not follow; tests). */
  clear(): void {
    this.remember(null);
    this.entries.clear();
    this.pagesByKey.clear();
    this.timedMemos.clear();
    this.timedSettled.clear();
    this.memoKeys.clear();
    this.memosByKey.clear();
  }

  /** The surrogate keys the kept page at `key` carries (undefined: none kept); for tests. */
  keysOf(key: string): readonly string[] | undefined { return this.entries.get(key)?.surrogateKeys; }

  /**
   * Data every page derives from the content, such as the section list of the navigation: computed once and
   * kept until one of its surrogate keys is purged or the cache is cleared — also with the page cache off (ttl 0), so
   * a render that misses every page still does not ask the database for it. A failed computation is not kept.
   */
  memo<T>(name: string, compute: () => Promise<T>, keys: readonly string[] = []): Promise<T> {
    return this.memoUntil(name, async () => ({ value: await compute(), until: Infinity }), keys);
  }

  /**
   * Like memo, for data that also changes with time alone (what is published: a scheduled article appears when its
   * time comes, without any change being recorded). compute says until when its value holds, on the cache's clock,
   * and may name surrogate keys it learnt (an article's id); from then on (or if the clock is set back before the
   * computation) it is computed again. A value valid for no time (until <= the moment computed) is not kept, so
   * asking for things that do not exist leaves nothing behind; at most maxTimedMemos are kept, the oldest dropped first.
   */
  async memoUntil<T>(
    name: string, compute: (now: number) => Promise<{ value: T; until: number; keys?: readonly string[] }>, keys: readonly string[] = [],
  ): Promise<T> {
    const now = this.now();
    let pending = this.timedMemos.get(name) as Promise<{ value: T; until: number; at: number }> | undefined;
    const held = pending && this.timedSettled.get(name);
    if (!pending || (held && (now >= held.until || now < held.at))) {
      const computing = compute(now).then((r) => ({ ...r, at: now }));
      pending = computing;
      this.dropMemo(name);
      if (this.timedMemos.size >= (this.o.maxTimedMemos ?? 2000)) this.dropMemo(this.timedMemos.keys().next().value!);
      this.timedMemos.set(name, computing);
      if (keys.length) this.tagMemo(name, keys);
      const current = () => this.timedMemos.get(name) === computing;
      computing.then((r) => {
        if (!current()) return;
        if (r.until <= r.at) return this.dropMemo(name);
        this.timedSettled.set(name, r);
        if (r.keys?.length) this.tagMemo(name, [...new Set([...keys, ...r.keys])]);
      }, () => { if (current()) this.dropMemo(name); });
    }
    return (await pending).value;
  }

  get size(): number { return this.entries.size; }

  private tagMemo(name: string, keys: readonly string[]): void {
    const before = this.memoKeys.get(name);
    if (before) unindex(this.memosByKey, before, name);
    this.memoKeys.set(name, keys);
    index(this.memosByKey, keys, name);
  }

  private dropMemo(name: string): void {
    this.timedMemos.delete(name);
    this.timedSettled.delete(name);
    const keys = this.memoKeys.get(name);
    if (keys) { unindex(this.memosByKey, keys, name); this.memoKeys.delete(name); }
  }

  private dropPage(key: string): void {
    const e = this.entries.get(key);
    if (!e) return;
    this.entries.delete(key);
    unindex(this.pagesByKey, e.surrogateKeys, key);
  }

  private remember(keys: ReadonlySet<string> | null): void {
    this.recentPurges.push({ n: ++this.purges, keys });
    if (this.recentPurges.length > RECENT_PURGES) this.recentPurges.shift();
  }

  /** Whether a purge after `mark` dropped one of these keys (or everything, or is too long ago to tell). */
  private purgedSince(mark: number, keys: readonly string[]): boolean {
    if (mark >= this.purges) return false;
    const oldest = this.recentPurges[0];
    if (!oldest || oldest.n > mark + 1) return true;
    return this.recentPurges.some((p) => p.n > mark && (p.keys === null || keys.some((k) => p.keys!.has(k))));
  }
}

/** Picks the encoding the client prefers among brotli, gzip and identity. */
export function pickEncoding(acceptEncoding: string | undefined): 'br' | 'gzip' | null {
  const ae = acceptEncoding ?? '';
  if (/\bbr\b/.test(ae)) return 'br';
  if (/\bgzip\b/.test(ae)) return 'gzip';
  return null;
}

export function etagMatches(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  return ifNoneMatch.split(',').some((t) => t.trim() === etag || t.trim() === '*');
}
