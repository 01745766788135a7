// Verifies search crawlers by network address — reverse DNS to the crawler's domain, then forward DNS back to the same IP — never by user agent alone.
import { resolve4, resolve6, reverse } from 'node:dns/promises';
import { isIPv4, isIPv6 } from 'node:net';

export type CrawlerName = 'googlebot' | 'bingbot';

export interface HostResolver {
  reverse(ip: string): Promise<string[]>;
  lookup(host: string): Promise<string[]>;
}

export interface CrawlerVerdict { crawler: CrawlerName | null; verified: boolean }

export interface CrawlerVerifier {
  claimedCrawler(userAgent: string): CrawlerName | null;
  verify(ip: string, userAgent: string): Promise<CrawlerVerdict>;
}

export interface CrawlerVerifierOptions {
  resolver: HostResolver;
  /** How long a verdict on an IP is kept, positive or negative. */
  ttlMs: number;
  /** How long a verdict is kept when DNS failed or timed out; shorter, so a hiccup does not hide a crawler for long. */
  errorTtlMs?: number;
  timeoutMs?: number;
  /** Bounds memory when many addresses claim to be crawlers. */
  maxEntries?: number;
  now?: () => number;
}

export const dnsResolver: HostResolver = {
  reverse: (ip) => reverse(ip),
  // resolve4/resolve6 ask DNS through c-ares; dns.lookup would take a libuv threadpool slot (shared with argon2 and
  // file reads) for as long as a slow name server keeps it — one an attacker may run for its own reverse zone.
  lookup: async (host) => {
    const none = (): string[] => [];
    const [v4, v6] = await Promise.all([resolve4(host).catch(none), resolve6(host).catch(none)]);
    return [...v4, ...v6];
  },
};

const CRAWLERS: ReadonlyArray<{ name: CrawlerName; userAgent: RegExp; domains: readonly string[] }> = [
  { name: 'googlebot', userAgent: /\bGooglebot\b/i, domains: ['.googlebot.com', '.google.com'] },
  { name: 'bingbot', userAgent: /\bbingbot\b/i, domains: ['.search.msn.com'] },
];

/** The form an address is compared in: IPv4-mapped IPv6 as plain IPv4, IPv6 compressed and lowercase; null if not an IP. */
export function normaliseIp(ip: string): string | null {
  const trimmed = ip.trim();
  if (isIPv4(trimmed)) return trimmed;
  if (!isIPv6(trimmed)) return null;
  // The WHATWG URL parser prints IPv6 in canonical compressed form (and mapped IPv4 as hex).
  const canonical = new URL(`http://[${trimmed}]/`).hostname.slice(1, -1);
  const mapped = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(canonical);
  if (!mapped) return canonical;
  const high = parseInt(mapped[1]!, 16);
  const low = parseInt(mapped[2]!, 16);
  return [high >> 8, high & 0xff, low >> 8, low & 0xff].join('.');
}

const withTimeout = <T>(promise: Promise<T>, ms: number): Promise<T> =>
  new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`DNS did not answer within ${ms} ms`)), ms);
    promise.then(resolve, reject).finally(() => clearTimeout(timer));
  });

/** The definitive "no such name" answers: the address has no PTR record, which is a real negative. */
const isNoRecord = (error: unknown): boolean => {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'ENOTFOUND' || code === 'ENODATA';
};

interface CacheEntry { crawler: CrawlerName | null; expiresAt: number; pending?: Promise<CrawlerName | null> }

export function createCrawlerVerifier(options: CrawlerVerifierOptions): CrawlerVerifier {
  const { resolver, ttlMs } = options;
  const errorTtlMs = options.errorTtlMs ?? Math.min(ttlMs, 60_000);
  const timeoutMs = options.timeoutMs ?? 1500;
  const maxEntries = options.maxEntries ?? 10_000;
  const now = options.now ?? Date.now;
  const cache = new Map<string, CacheEntry>();

  function claimedCrawler(userAgent: string): CrawlerName | null {
    return CRAWLERS.find((crawler) => crawler.userAgent.test(userAgent))?.name ?? null;
  }

  /** Which crawler, if any, this address provably belongs to. */
  async function resolveCrawler(ip: string): Promise<{ crawler: CrawlerName | null; ttl: number }> {
    try {
      const names = await withTimeout(resolver.reverse(ip), timeoutMs).catch((error: unknown) => {
        if (isNoRecord(error)) return [];
        throw error;
      });
      for (const rawName of names) {
        const name = rawName.toLowerCase().replace(/\.$/, '');
        const crawler = CRAWLERS.find((c) => c.domains.some((domain) => name.endsWith(domain)));
        if (!crawler) continue;
        const addresses = await withTimeout(resolver.lookup(name), timeoutMs).catch((error: unknown) => {
          if (isNoRecord(error)) return [];
          throw error;
        });
        if (addresses.some((address) => normaliseIp(address) === ip)) return { crawler: crawler.name, ttl: ttlMs };
      }
      return { crawler: null, ttl: ttlMs };
    } catch {
      return { crawler: null, ttl: errorTtlMs };
    }
  }

  function remember(ip: string, entry: CacheEntry): void {
    cache.delete(ip);
    if (cache.size >= maxEntries) cache.delete(cache.keys().next().value!);
    cache.set(ip, entry);
  }

  function crawlerAt(ip: string): Promise<CrawlerName | null> {
    const cached = cache.get(ip);
    if (cached?.pending) return cached.pending;
    if (cached && cached.expiresAt > now()) return Promise.resolve(cached.crawler);
    // Concurrent requests from one address share a single lookup.
    const pending = resolveCrawler(ip).then(({ crawler, ttl }) => {
      remember(ip, { crawler, expiresAt: now() + ttl });
      return crawler;
    });
    remember(ip, { crawler: null, expiresAt: 0, pending });
    return pending;
  }

  async function verify(ip: string, userAgent: string): Promise<CrawlerVerdict> {
    const crawler = claimedCrawler(userAgent);
    const address = normaliseIp(ip);
    // No DNS for ordinary visitors: only a claimed crawler is worth a lookup.
    if (!crawler || !address) return { crawler, verified: false };
    return { crawler, verified: (await crawlerAt(address)) === crawler };
  }

  return { claimedCrawler, verify };
}
