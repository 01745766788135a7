// The beacon's two memories, both bounded: a token bucket per connection (flood limit) and the page-view events seen lately (replays).
import { LruMap } from '../../lru-map.ts';

export interface RateLimitOptions {
  /** beacons a connection may send at once */
  burst: number;
  /** beacons per second a connection may keep sending */
  perSecond: number;
  /** connections known by address (behind a trusted proxy) remembered at once */
  maxKeys?: number;
}

/**
 * A browser tab sends one or two beacons per page view; a flood sends thousands over one connection. Each connection
 * (the socket object: forgotten with it, so memory follows the open connections) or, behind a trusted proxy where all
 * traffic shares the proxy's connections, each client address (kept in memory only, in a bounded LRU, never written
 * anywhere) has a bucket of `burst` beacons refilled at `perSecond`.
 */
export class BeaconRateLimit {
  private readonly bySocket = new WeakMap<object, { tokens: number; at: number }>();
  private readonly byKey: LruMap<string, { tokens: number; at: number }>;
  constructor(private readonly o: RateLimitOptions) {
    this.byKey = new LruMap(o.maxKeys ?? 10_000);
  }

  /** Takes one beacon from the connection's bucket; false when it is empty. */
  take(connection: object | string, nowMs: number): boolean {
    let bucket = typeof connection === 'string' ? this.byKey.get(connection) : this.bySocket.get(connection);
    if (!bucket) {
      bucket = { tokens: this.o.burst, at: nowMs };
      if (typeof connection === 'string') this.byKey.set(connection, bucket); else this.bySocket.set(connection, bucket);
    }
    const elapsed = Math.max(0, nowMs - bucket.at) / 1000;
    bucket.tokens = Math.min(this.o.burst, bucket.tokens + elapsed * this.o.perSecond);
    bucket.at = nowMs;
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  }
}

/**
 * Remembers which (page view, kind, article) were counted within the window, so a beacon sent twice (a retry, or a
 * replay by someone who captured it) counts once. Two generations of at most `maxEntries` each: the current one fills,
 * and when the window has passed or it is full it becomes the previous one and the older is forgotten. Memory stays
 * below two generations, whatever arrives; a replay is recognised for at least one window unless a flood of new page
 * views fills a generation first (the rate limit makes such a flood slow).
 */
export class ReplayMemory {
  private current = new Set<string>();
  private previous = new Set<string>();
  private startedAt: number | null = null;
  constructor(private readonly o: { windowMs: number; maxEntries: number }) {}

  /** true the first time a key is seen (and remembers it), false for a repeat */
  firstTime(key: string, nowMs: number): boolean {
    this.startedAt ??= nowMs;
    this.expire(nowMs);
    if (this.current.size >= this.o.maxEntries) this.rotate(nowMs);
    if (this.current.has(key) || this.previous.has(key)) return false;
    this.current.add(key);
    return true;
  }

  /**
   * Forgets what is older than two windows even when no beacon arrives (the app calls this on a timer): no page-view id
   * stays in memory longer than that (the privacy page says one hour).
   */
  expire(nowMs: number): void {
    if (this.startedAt === null) return;
    if (nowMs - this.startedAt >= 2 * this.o.windowMs) { this.previous = new Set(); this.current = new Set(); this.startedAt = nowMs; }
    else if (nowMs - this.startedAt >= this.o.windowMs) this.rotate(nowMs);
  }

  private rotate(nowMs: number): void {
    this.previous = this.current;
    this.current = new Set();
    this.startedAt = nowMs;
  }

  get size(): number { return this.current.size + this.previous.size; }
}
