// In-memory cache of rendered public pages: one byte-identical body per URL, precompressed, with a strong ETag.
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
  /** returns a fingerprint of the content; a new value empties the cache (changes made by other processes) */
  stamp?: () => Promise<string>;
  /** how often the stamp is asked, at most */
  stampEveryMs?: number;
  /** the app's clock (default: the system's) */
  now?: Clock;
  /** how many timed memos (memoUntil) are kept at most (default 2000) */
  maxTimedMemos?: number;
}

export function makeCachedPage(status: number, contentType: string, body: string | Buffer, cacheControl: string, now: number): CachedPage {
  return new RenderedPage(status, contentType, typeof body === 'string' ? Buffer.from(body) : body, cacheControl, now);
}

export class PageCache {
  private readonly entries = new Map<string, CachedPage>();
  private readonly timedMemos = new Map<string, Promise<{ until: number; at: number }>>();
  /** the settled value of a timed memo: its expiry is known only once it is computed */
  private readonly timedSettled = new Map<string, { until: number; at: number }>();
  private lastStamp: string | undefined;
  private stampCheckedAt = 0;
  private stampInFlight: Promise<void> | undefined;
  constructor(private readonly o: PageCacheOptions) {}

  /** milliseconds on the cache's clock: entries are stamped and aged with it */
  now(): number { return this.o.now?.().getTime() ?? Date.now(); }

  async get(key: string): Promise<CachedPage | undefined> {
    await this.checkStamp();
    return this.fresh(key);
  }

  /** The entry while it is younger than the ttl; an older one is dropped. */
  private fresh(key: string): CachedPage | undefined {
    const e = this.entries.get(key);
    if (!e) return undefined;
    if (this.now() - e.storedAt > this.o.ttlMs) {
      this.entries.delete(key);
      return undefined;
    }
    return e;
  }

  /**
   * The entry without waiting: only while the content stamp was checked recently (otherwise a check starts in the
   * background and this answers undefined, so the caller takes the ordinary path). For the cache-hit fast path.
   */
  peek(key: string): CachedPage | undefined {
    if (this.o.stamp && this.now() - this.stampCheckedAt >= (this.o.stampEveryMs ?? 2000)) {
      void this.checkStamp();
      return undefined;
    }
    return this.fresh(key);
  }

  set(key: string, page: CachedPage): void {
    if (this.o.ttlMs <= 0) return;
    if (page instanceof RenderedPage) page.stored = true;
    if (this.entries.size >= (this.o.maxEntries ?? 5000)) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(key, page);
  }

  /**
   * Data every page derives from the content, such as the section list of the navigation: computed once and
   * kept until the content stamp changes or the cache is cleared — also with the page cache off (ttl 0), so a
   * render that misses every page still does not ask the database for it. A failed computation is not kept.
   */
  memo<T>(name: string, compute: () => Promise<T>): Promise<T> {
    return this.memoUntil(name, async () => ({ value: await compute(), until: Infinity }));
  }

  /**
   * Like memo, for data that also changes with time alone (what is published: a scheduled article appears when its
   * time comes, without moving the content stamp). compute says until when its value holds, on the cache's clock;
   * from then on (or if the clock is set back before the computation) it is computed again. A value valid for no
   * time (until <= the moment computed) is not kept, so asking for things that do not exist leaves nothing behind;
   * at most maxTimedMemos are kept, the oldest dropped first.
   */
  async memoUntil<T>(name: string, compute: (now: number) => Promise<{ value: T; until: number }>): Promise<T> {
    await this.checkStamp();
    const now = this.now();
    let pending = this.timedMemos.get(name) as Promise<{ value: T; until: number; at: number }> | undefined;
    const held = pending && this.timedSettled.get(name);
    if (!pending || (held && (now >= held.until || now < held.at))) {
      const computing = compute(now).then((r) => ({ ...r, at: now }));
      pending = computing;
      this.timedMemos.delete(name);
      this.timedSettled.delete(name);
      if (this.timedMemos.size >= (this.o.maxTimedMemos ?? 2000)) {
        const oldest = this.timedMemos.keys().next().value!;
        this.timedMemos.delete(oldest);
        this.timedSettled.delete(oldest);
      }
      this.timedMemos.set(name, computing);
      const forget = () => { if (this.timedMemos.get(name) === computing) { this.timedMemos.delete(name); this.timedSettled.delete(name); } };
      computing.then((r) => {
        if (r.until <= r.at) forget();
        else if (this.timedMemos.get(name) === computing) this.timedSettled.set(name, r);
      }, forget);
    }
    return (await pending).value;
  }

  clear(): void {
    this.entries.clear();
    this.timedMemos.clear();
    this.timedSettled.clear();
  }
  get size(): number { return this.entries.size; }

  private async checkStamp(): Promise<void> {
    if (!this.o.stamp) return;
    const now = this.now();
    if (now - this.stampCheckedAt < (this.o.stampEveryMs ?? 2000)) return;
    this.stampInFlight ??= (async () => {
      try {
        const s = await this.o.stamp!();
        if (this.lastStamp !== undefined && s !== this.lastStamp) this.clear();
        this.lastStamp = s;
      } catch {
        // the database is away: keep serving what we have, the next request tries again
      } finally {
        this.stampCheckedAt = this.now();
        this.stampInFlight = undefined;
      }
    })();
    await this.stampInFlight;
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
