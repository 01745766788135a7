// What the paywall's routes share: their dependencies, the content keys and crawler verifier made once, and who is asking.
import type { Context, MiddlewareHandler } from 'hono';
import {
  cachedSubscriptionCheck, createArticleFactsReader, createContentKeyStore, createCrawlerVerifier, loadOrCreateMasterKey,
  type ArticleFactsReader, type ContentKeyStore, type CrawlerVerifier, type HostResolver, type SubscriptionCheck, type UserRole,
} from '../access/index.ts';
import type { Config } from '../config.ts';
import type { AppEnv } from '../http/request-context.middleware.ts';
import type { SiteDeps } from './render.tsx';
import { clientIp } from './request-info.ts';
import { rememberSessions } from './session.middleware.ts';

export interface PaywallDeps {
  site: SiteDeps;
  config: Pick<Config, 'dataDir' | 'masterKey' | 'meterPerMonth' | 'trustProxy' | 'publicUrl'>;
  /** the public page cache middleware, for the pages of the paywall that are the same for everyone */
  cached: MiddlewareHandler;
  /** DNS for crawler verification; tests pass a fake one */
  resolver: HostResolver;
  /** the clock for meter months, gift expiry and the unlock path's session memory; tests move it instead of sleeping */
  now: () => Date;
  /** the app's session middleware (the same instance the account pages use) */
  session: MiddlewareHandler<AppEnv>;
}

export interface Paywall extends PaywallDeps {
  keys: ContentKeyStore;
  articleFacts: ArticleFactsReader;
  verifier: CrawlerVerifier;
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

export function makePaywall(deps: PaywallDeps): Paywall {
  const masterKey = loadOrCreateMasterKey(deps.config.dataDir, deps.config.masterKey);
  return {
    ...deps,
    keys: createContentKeyStore(masterKey, { now: deps.now }),
    articleFacts: createArticleFactsReader({ now: () => deps.now().getTime() }),
    verifier: createCrawlerVerifier({ resolver: deps.resolver, ttlMs: CRAWLER_VERDICT_TTL_MS }),
    isSubscriber: cachedSubscriptionCheck({ ttlMs: UNLOCK_MEMORY_MS }),
    unlockSession: rememberSessions({ ttlMs: UNLOCK_MEMORY_MS, now: () => deps.now().getTime() }),
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
