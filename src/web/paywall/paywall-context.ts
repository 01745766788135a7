// What the paywall's routes share: their dependencies, the content keys and crawler verifier made once, and who is asking.
import type { Offer } from '../../billing/index.ts';
import type { Experiment } from '../../analytics/index.ts';
import type { Context, MiddlewareHandler } from 'hono';
import type { Clock } from '../../clock.ts';
import {
  cachedSubscriptionCheck, createArticleFactsReader, createContentKeyStore, createCrawlerVerifier, deriveMeterAddressKey, loadMasterKeyRing,
  type ArticleFactsReader, type ContentKeyStore, type CrawlerVerifier, type HostResolver, type MeterSettings, type SubscriptionCheck,
} from '../../access/index.ts';
import type { ServingConfig } from '../../config.ts';
import type { EventRecorder } from '../../analytics/index.ts';
import type { InstitutionDirectory } from '../../access/index.ts';
import type { AppEnv } from '../platform/request-context.middleware.ts';
import type { SiteDeps } from '../platform/render.tsx';
import { clientIp } from '../platform/request-info.ts';
import { rememberSessions } from '../platform/session.middleware.ts';


export interface PaywallDeps {
  site: SiteDeps;
  config: Pick<ServingConfig, 'dataDir' | 'masterKey' | 'masterKeyPrevious' | 'meterPerMonth' | 'trustProxy' | 'publicUrl' | 'acceptedHosts'>;
  /** DNS for crawler verification; tests pass a fake one */
  resolver: HostResolver;
  /** the clock for meter months, gift expiry and the unlock path's session memory; tests move it instead of sleeping */
  now: Clock;
  /** the featured offer for the box (kept until the offers change), null when none is on sale */
  featuredOffer: () => Promise<Offer | null>;
  /** the running offer experiment (kept until the offers change: start and stop record `offers`), null when none runs */
  runningExperiment?: () => Promise<Experiment | null>;
  /** insights: meter unlocks, opened gift links and institution unlocks are recorded here (never who) */
  analytics: EventRecorder;
  /** institutions' networks and domains, kept in memory (the publisher area reports its changes to the same one) */
  institutions: InstitutionDirectory;
}

export interface Paywall extends PaywallDeps {
  keys: ContentKeyStore;
  articleFacts: ArticleFactsReader;
  verifier: CrawlerVerifier;
  /** the meter's limit and address key */
  meter: MeterSettings;
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
  const ring = loadMasterKeyRing(deps.config.dataDir, deps.config.masterKey, deps.config.masterKeyPrevious);
  return {
    ...deps,
    keys: createContentKeyStore(ring, { now: deps.now }),
    articleFacts: createArticleFactsReader({ now: deps.now }),
    verifier: createCrawlerVerifier({ resolver: deps.resolver, ttlMs: CRAWLER_VERDICT_TTL_MS }),
    meter: { limit: deps.config.meterPerMonth, addressKey: deriveMeterAddressKey(ring.current) },
    isSubscriber: cachedSubscriptionCheck({ ttlMs: UNLOCK_MEMORY_MS }),
    unlockSession: rememberSessions({ ttlMs: UNLOCK_MEMORY_MS, now: deps.now }),
  };
}

/** DNS is asked only when the user agent claims to be a search crawler; everyone else is simply not one. */
export async function isVerifiedCrawler(c: Context, p: Paywall): Promise<boolean> {
  const userAgent = c.req.header('user-agent') ?? '';
  if (!p.verifier.claimedCrawler(userAgent)) return false;
  return (await p.verifier.verify(clientIp(c, p.config), userAgent)).verified;
}
