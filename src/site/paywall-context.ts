// What the paywall's routes share: their dependencies, the content keys and crawler verifier made once, and who is asking.
import type { Context, MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import {
  cachedSubscriptionCheck, createArticleFactsReader, createContentKeyStore, createCrawlerVerifier, loadOrCreateMasterKey,
  type ArticleFactsReader, type ContentKeyStore, type CrawlerVerifier, type HostResolver, type SubscriptionCheck, type UserRole,
} from '../access/index.ts';
import type { Reader } from '../accounts/index.ts';
import type { Config } from '../config.ts';
import type { AppEnv } from '../http/request-context.middleware.ts';
import type { SiteDeps } from './render.tsx';
import { clientIp } from './request-info.ts';
import { SESSION_COOKIE, sessionMiddleware } from './session.middleware.ts';

export interface PaywallDeps {
  site: SiteDeps;
  config: Pick<Config, 'dataDir' | 'masterKey' | 'meterPerMonth' | 'trustProxy' | 'publicUrl'>;
  /** the public page cache middleware, for the pages of the paywall that are the same for everyone */
  cached: MiddlewareHandler;
  /** DNS for crawler verification; tests pass a fake one */
  resolver: HostResolver;
  /** the clock for meter months and gift expiry; tests move it instead of sleeping */
  now: () => Date;
}

export interface Paywall extends PaywallDeps {
  keys: ContentKeyStore;
  articleFacts: ArticleFactsReader;
  verifier: CrawlerVerifier;
  session: MiddlewareHandler<AppEnv>;
  /** subscriptions as the unlock path asks: positive answers kept a few seconds */
  isSubscriber: SubscriptionCheck;
  /** mount before the account session middleware on the unlock path: sessions from memory for a few seconds */
  unlockSession: MiddlewareHandler<AppEnv>;
}

const CRAWLER_VERDICT_TTL_MS = 24 * 3600_000;
/**
 * How long the unlock path trusts what it learnt about a session or a subscription. A logout, revocation or
 * role change reaches the unlock endpoint of every process within this time; everything else sees it at once.
 */
export const UNLOCK_MEMORY_MS = 5000;

/**
 * The unlock endpoint is the one private request every article view of a logged-in reader makes, so it
 * remembers sessions for UNLOCK_MEMORY_MS instead of asking the database each time. A miss goes through the
 * account session middleware unchanged (which skips when `reader` is already set) and its answer is kept.
 */
function rememberedSessions(o: { ttlMs: number; maxEntries?: number }): MiddlewareHandler<AppEnv> {
  const maxEntries = o.maxEntries ?? 50_000;
  const known = new Map<string, { reader: Reader; until: number }>();
  return async (c, next) => {
    const token = getCookie(c, SESSION_COOKIE);
    if (!token || c.get('reader') !== undefined) return next();
    const hit = known.get(token);
    if (hit && hit.until > Date.now()) {
      // The route sets `no-store` itself; c.header() after the answer exists would rebuild the Response.
      c.set('reader', hit.reader);
      return next();
    }
    known.delete(token);
    await next();
    const reader = c.get('reader');
    if (!reader) return;
    if (known.size >= maxEntries) known.delete(known.keys().next().value!);
    known.set(token, { reader, until: Date.now() + o.ttlMs });
  };
}

export function makePaywall(deps: PaywallDeps): Paywall {
  const masterKey = loadOrCreateMasterKey(deps.config.dataDir, deps.config.masterKey);
  return {
    ...deps,
    keys: createContentKeyStore(masterKey, { now: deps.now }),
    articleFacts: createArticleFactsReader({ now: () => deps.now().getTime() }),
    verifier: createCrawlerVerifier({ resolver: deps.resolver, ttlMs: CRAWLER_VERDICT_TTL_MS }),
    session: sessionMiddleware({ db: deps.site.db, trustProxy: deps.config.trustProxy, publicUrl: deps.config.publicUrl }),
    isSubscriber: cachedSubscriptionCheck({ ttlMs: UNLOCK_MEMORY_MS }),
    unlockSession: rememberedSessions({ ttlMs: UNLOCK_MEMORY_MS }),
  };
}

/** The logged-in user as the access domain needs it; null for guests and wherever the session was not read. */
export function readerUser(c: Context<AppEnv>): { id: string; role: UserRole } | null {
  const reader = c.get('reader');
  return reader ? { id: reader.user.id, role: reader.user.role } : null;
}

/** DNS is asked only when the user agent claims to be a search crawler; everyone else is simply not one. */
export async function isVerifiedCrawler(c: Context, p: Paywall): Promise<boolean> {
  const userAgent = c.req.header('user-agent') ?? '';
  if (!p.verifier.claimedCrawler(userAgent)) return false;
  return (await p.verifier.verify(clientIp(c, p.config), userAgent)).verified;
}

/** Private answers: never stored by us, a CDN or the browser, and kept out of search indexes. */
export function markPrivate(c: Context, o: { noindex?: boolean } = {}): void {
  c.header('cache-control', 'private, no-store');
  if (o.noindex) c.header('x-robots-tag', 'noindex');
}
