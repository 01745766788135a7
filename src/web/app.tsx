// createApp(deps): the composition root. Two apps — public (page cache, no session) and private (session, CSRF, no-store) — and one
// dispatcher that picks the app by the path alone (platform/private-paths.ts), so no route's privacy depends on the order of lines.
import type { RequestListener } from 'node:http';
import { getRequestListener } from '@hono/node-server';
import { Hono, type MiddlewareHandler } from 'hono';
import type { Logger } from 'pino';
import { sql } from 'kysely';
import type { Store } from '../db/index.ts';
import type { ServingConfig } from '../config.ts';
import { systemClock, type Clock } from '../clock.ts';
import {
  getArticleBySlug, IMAGE_CONTENT_TYPES, listArticles, listSections, nextPublicationAfter, readImageVariant, type ContentChangeFeed,
} from '../content/index.ts';
import { createInstitutionDirectory, dnsResolver, type HostResolver } from '../access/index.ts';
import { HashGate, STANDARD_HASHING, atLeastStandard, type PasswordHashing } from '../accounts/index.ts';
import { outboxMailer, smtpMailer, type Mailer } from '../mail/index.ts';
import { HttpError } from './platform/app-error.ts';
import { PageCache } from './platform/page-cache.ts';
import { publicCache } from './platform/public-cache.middleware.ts';
import type { AppEnv } from './platform/request-context.middleware.ts';
import { loadAssets, type Assets } from './platform/assets.ts';
import { isHttps } from './platform/request-info.ts';
import type { SiteDeps } from './platform/render.tsx';
import { DEFAULT_SITE, type SiteInfo } from './platform/site-info.ts';
import { isPrivatePath } from './platform/private-paths.ts';
import { sessionMiddleware } from './platform/session.middleware.ts';
import { createWebApp } from './platform/web-app.tsx';
import { cachedPageListener } from './platform/cached-page-listener.ts';
import { operationsRoutes } from './platform/operations.routes.ts';
import { collectProcessMetrics, countFastPathHit, watchSources } from '../metrics/index.ts';
import { jobQueueDepth } from '../jobs/index.ts';
import { startCacheInvalidation, type CacheInvalidationOptions } from './platform/cache-invalidation.ts';
import { feedRoutes, readerRoutes, searchRoutes } from './reader/index.ts';
import { createPaywall } from './paywall/index.ts';
import { accountRoutes } from './account/index.ts';
import { billingRoutes } from './billing/index.ts';
import { MEDIA_UPLOAD_PATHS, newsroomRoutes } from './newsroom/index.ts';
import { publisherRoutes } from './publisher/index.ts';
import { createBillingContext, featuredOffer, paymentDataOfUser, type BillingContext } from '../billing/index.ts';
import { createEventFacts, createEventRecorder, runningExperiment, type EventRecorder } from '../analytics/index.ts';
import { beaconListener, beaconRoutes, createBeaconIntake, BEACON_PATH, type BeaconOptions } from './analytics/index.ts';

export interface AppDeps {
  /** with a definite public origin: servingConfig() in src/config.ts */
  config: Readonly<ServingConfig>;
  store: Store;
  logger: Logger;
  clientJs: string;
  /** the newsroom editor's bundle (buildClient({ editor: true })); tests that do not open the editor leave it out */
  editorJs?: string;
  site?: SiteInfo;
  /** paywall: DNS for crawler verification (default: the system resolver) */
  crawlerResolver?: HostResolver;
  /** the one clock of the app (default: the system's): publishing, feeds, page cache, meter, gift links, unlock memory (not yet: session expiry and the account services) */
  now?: Clock;
  /** where account mails go; default: SMTP when config.smtpUrl is set, else the outbox table */
  mailer?: Mailer;
  /** argon2id cost; tests pass TEST_HASHING, production never goes below argon2's defaults */
  passwordHashing?: PasswordHashing;
  /** bounds argon2 work (default: one gate per app from config.hashGate); tests pass a tiny one */
  hashGate?: HashGate;
  /** billing (checkout, SEPA, Stripe, invoices); default: from config, with this app's mailer and clock */
  billing?: BillingContext;
  /** tests: how the content-change feed polls, and a look at the changes read and the purges sent to KLARTEXT_PURGE_URL */
  contentChanges?: Pick<CacheInvalidationOptions, 'feed' | 'onChanges' | 'onPurge' | 'repurgeAfterMs'>;
  /** insights: where events go (default: a batched writer into analytics_events with this app's clock) */
  analytics?: EventRecorder;
  /** the beacon's rate limit and replay memory (default: DEFAULT_BEACON_OPTIONS in web/analytics) */
  beacon?: BeaconOptions;
}

export interface KlartextApp {
  /** the dispatcher: `fetch` and `request` for servers and tests */
  app: Hono<AppEnv>;
  /** pages that are the same bytes for everyone: never reads the session, never sets a cookie, `Cache-Control: public` */
  publicApp: Hono<AppEnv>;
  /** pages per person: session, CSRF, always `private, no-store` */
  privateApp: Hono<AppEnv>;
  pageCache: PageCache;
  /** this process's reader of the content changes: drops the cached pages they name (docs/decisions/018) */
  contentChanges: ContentChangeFeed;
  /** resolves once the feed knows where the changes stand (and listens, on PostgreSQL) */
  ready: Promise<void>;
  /** stops the feed (the store stays open) */
  close(): Promise<void>;
  /** SIGTERM: from now on /readyz answers 503 ("draining") so load balancers send no new requests; open ones finish */
  startDraining(): void;
  assets: Assets;
  /** the billing context the routes use; the server's job runner bills with the same one */
  billing: BillingContext;
  /** the event recorder of this app; tests `await analytics.flush()` before reading analytics_events */
  analytics: EventRecorder;
  /**
   * For a Node `http` server: cache hits answered before routing, everything else through `app`. Made on demand:
   * @hono/node-server's listener replaces the global Request/Response with its lighter ones, which a process that
   * only calls `app.request()` (tests) should not get as a side effect of building an app.
   */
  nodeListener(): RequestListener;
}

/** Every answer of the private app is private, whatever a route set: no shared cache may ever store it. */
const alwaysPrivate: MiddlewareHandler<AppEnv> = async (c, next) => {
  await next();
  c.res.headers.set('cache-control', 'private, no-store');
};

/** A public route that tried to set a cookie is a bug; the cookie is dropped (and logged) rather than shared through a cache. */
const neverSetsCookies = (logger: Logger): MiddlewareHandler<AppEnv> => async (c, next) => {
  await next();
  if (c.res.headers.has('set-cookie')) {
    logger.error({ path: c.req.path, reqId: c.get('requestId') }, 'a public route set a cookie; dropped');
    c.res.headers.delete('set-cookie');
  }
};

/** The path of a request target as the router sees it: without the query, percent-decoded where that is valid. */
function requestPath(url: string | undefined): string {
  const raw = url ?? '/';
  const q = raw.indexOf('?');
  const path = q === -1 ? raw : raw.slice(0, q);
  if (!path.includes('%')) return path;
  try { return decodeURI(path); } catch { return path; }
}

export function createApp(deps: AppDeps): KlartextApp {
  const { config, store, logger } = deps;
  const now = deps.now ?? systemClock;
  const assets = loadAssets(deps.clientJs, deps.editorJs);
  // Pages and memos carry surrogate keys; each recorded content change drops exactly the ones it names, in every
  // process (the feed: NOTIFY on PostgreSQL, polling on SQLite), and offers are changes like articles ('offers').
  const pageCache = new PageCache({ ttlMs: config.pageCacheSeconds * 1000, now });
  const invalidation = startCacheInvalidation({ store, pageCache, logger, purgeUrl: config.purgeUrl, ...deps.contentChanges });
  const site: SiteDeps = {
    db: store.db, caps: store.caps, site: deps.site ?? DEFAULT_SITE, assets: assets.urls, publicUrl: config.publicUrl, dataDir: config.dataDir,
    // the section list of the navigation: until the sections change ('nav')
    sections: () => pageCache.memo('sections', () => listSections(store.db), ['nav']),
    // an article once published stays so as time passes: kept until it changes (its section's name is in it too);
    // one not (yet) published is not kept
    publishedArticle: (slug) => pageCache.memoUntil(`article:${slug}`, async (at) => {
      const value = await getArticleBySlug(store.db, slug, { now: new Date(at) });
      return value ? { value, until: Infinity, keys: [`article:${value.id}`, 'nav'] } : { value, until: at };
    }),
    // what is published changes with the front page's content and with time: remembered until the next scheduled article is due
    latestArticles: (limit) => pageCache.memoUntil(`latest:${limit}`, async (at) => {
      const when = new Date(at);
      const [value, next] = await Promise.all([listArticles(store.db, { limit, now: when }), nextPublicationAfter(store.db, when)]);
      const due = next === undefined ? Infinity : Date.parse(next);
      return { value, until: Number.isNaN(due) ? at : due }; // a time we cannot read: not kept
    }, ['front', 'nav']),
    now,
  };
  const analytics = deps.analytics ?? createEventRecorder({
    db: store.db, now, onError: (err, lost) => logger.warn({ err, lost }, 'insight events could not be written; this batch is lost'),
  });
  // what beacons and attribution fields may name (live articles, offers, variants), remembered a minute
  const eventFacts = createEventFacts(store.db, now);
  const proxyTrust = { trustProxy: config.trustProxy, publicUrl: config.publicUrl, acceptedHosts: config.acceptedHosts };
  const frame = { logger, site, acceptedHosts: config.acceptedHosts, isHttps: (c: Parameters<typeof isHttps>[0]) => isHttps(c, proxyTrust) };
  // the offer the paywall box sells, kept until the offers change (billing records 'offers')
  const featured = () => pageCache.memo('featured-offer', () => featuredOffer(store.db), ['offers']);
  // the running offer experiment, kept until the offers change (starting and stopping one records 'offers')
  const experiment = () => pageCache.memo('running-experiment', () => runningExperiment(store.db), ['offers']);
  // institutions' networks and domains in memory: the unlock path and search ask it, the publisher area reports changes to it
  const institutions = createInstitutionDirectory(store.db);
  const paywall = createPaywall({ site, config, resolver: deps.crawlerResolver ?? dnsResolver, now, featuredOffer: featured, runningExperiment: experiment, analytics, institutions });

  // What /metrics reads from this app when scraped: the job table and, on PostgreSQL, the connection pool.
  collectProcessMetrics();
  const unwatch = watchSources({ jobQueue: () => jobQueueDepth(store.db), ...(store.poolStats ? { dbPool: store.poolStats } : {}), engine: store.caps.name });
  const operations = operationsRoutes({ store, metricsToken: config.metricsToken, log: logger });

  // --- public: same bytes for everyone ---
  const publicApp = createWebApp(frame);
  publicApp.use('*', neverSetsCookies(logger));
  // /livez, /readyz, /metrics: before the page cache, each answer `no-store`
  publicApp.route('/', operations.routes);
  publicApp.get('/healthz', async (c) => {
    try {
      await sql`select 1`.execute(store.db);
      return c.json({ status: 'ok', database: store.caps.name }, 200, { 'cache-control': 'no-store' });
    } catch {
      return c.json({ status: 'unavailable', database: store.caps.name, error: 'Die Datenbank ist nicht erreichbar.' }, 503, { 'cache-control': 'no-store' });
    }
  });
  publicApp.get('/assets/:file', (c) => {
    const asset = assets.byPath.get(c.req.path);
    if (!asset) throw new HttpError('not-found', 'Diese Datei gibt es nicht.');
    const ae = c.req.header('accept-encoding') ?? '';
    const enc = asset.brotli && /\bbr\b/.test(ae) ? 'br' : asset.gzip && /\bgzip\b/.test(ae) ? 'gzip' : null;
    const body = enc === 'br' ? asset.brotli! : enc === 'gzip' ? asset.gzip! : asset.body;
    const headers: Record<string, string> = { 'content-type': asset.contentType, 'cache-control': 'public, max-age=31536000, immutable', vary: 'Accept-Encoding' };
    if (enc) headers['content-encoding'] = enc;
    return c.body(new Uint8Array(body), 200, headers);
  });
  // Image variants: a strict name (id, width, known extension; no dots or slashes reach the disk), the type from the
  // extension, cached for a year (a file never changes under its name). Images from before the media library get
  // their missing variants made the first time one is asked for.
  publicApp.get('/bilder/:file{[A-Za-z0-9_-]+-[0-9]+\\.(?:avif|webp|jpg)}', async (c) => {
    const found = await readImageVariant(store.db, config.dataDir, c.req.param('file'));
    if (!found) throw new HttpError('not-found', 'Dieses Bild gibt es nicht.');
    return c.body(new Uint8Array(found.data), 200, { 'content-type': IMAGE_CONTENT_TYPES[found.format], 'cache-control': 'public, max-age=31536000, immutable' });
  });
  // A claimed crawler is checked before the cache; everyone else gets the cached page.
  publicApp.use('/artikel/:slug', paywall.crawlerGate);
  publicApp.use('*', publicCache(pageCache));
  publicApp.route('/', feedRoutes(site));
  publicApp.route('/', paywall.publicRoutes);
  publicApp.route('/', readerRoutes(site, paywall.premiumSlot));

  // --- private: per person ---
  // the image upload reads its own body under its own 20 MB limit, the beacon under 4 KB
  const privateApp = createWebApp({ ...frame, ownBodyLimit: [...MEDIA_UPLOAD_PATHS, BEACON_PATH] });
  privateApp.use('*', alwaysPrivate);
  // The beacon answers before the session middleware: it never reads a cookie or a session (decision 028).
  const beacons = createBeaconIntake({ recorder: analytics, facts: eventFacts, now, ...proxyTrust, ...(deps.beacon ? { options: deps.beacon } : {}) });
  privateApp.route('/', beaconRoutes(beacons, proxyTrust));
  // The unlock endpoint remembers sessions briefly; the session middleware then skips the database.
  privateApp.use('/api/unlock/*', paywall.unlockSession);
  privateApp.use('*', sessionMiddleware({ db: store.db, ...proxyTrust }));
  const mailer = deps.mailer ?? (config.smtpUrl ? smtpMailer(config.smtpUrl, config.mailFrom) : outboxMailer(store.db, { keepSecrets: !config.production }));
  const cost = config.production ? atLeastStandard(deps.passwordHashing ?? STANDARD_HASHING) : deps.passwordHashing ?? STANDARD_HASHING;
  // every argon2 call of the app waits here, so a login flood cannot take the threadpool that serves /bilder and DNS
  const hashing: PasswordHashing = { ...cost, gate: deps.hashGate ?? new HashGate(config.hashGate) };
  const billing = deps.billing ?? createBillingContext({ config, store, mailer, clock: now, siteName: site.site.name, baseUrl: config.publicUrl });
  privateApp.route('/', accountRoutes({ site, mailer, hashing, logger, paymentData: (userId) => paymentDataOfUser(billing, userId), analytics, eventFacts, ...proxyTrust }));
  privateApp.route('/', billingRoutes({ site, billing, mailer, hashing, logger, analytics, eventFacts, ...proxyTrust }));
  privateApp.route('/', publisherRoutes({ site, billing, logger, institutions, analytics }));
  privateApp.route('/', newsroomRoutes({ site, logger, previewSlot: paywall.previewSlot }));
  privateApp.route('/', paywall.privateRoutes);
  privateApp.route('/', searchRoutes({ site, now, institutions, trustProxy: config.trustProxy }));

  const app = new Hono<AppEnv>();
  app.all('*', (c) => (isPrivatePath(c.req.path) ? privateApp : publicApp).fetch(c.req.raw, c.env));
  const nodeListener = () => {
    // At the Node level the choice of app is made before any web Request exists: one listener per app.
    const toPublic = getRequestListener(publicApp.fetch) as RequestListener;
    const toPrivate = getRequestListener(privateApp.fetch) as RequestListener;
    const dispatch: RequestListener = (req, res) => (isPrivatePath(requestPath(req.url)) ? toPrivate : toPublic)(req, res);
    // A hit of the Node-level path is counted here (it never reaches the frame that counts the other requests); onHit is
    // called synchronously inside the listener, after the answer's head is written.
    let hit = false;
    const listener = cachedPageListener({
      pageCache, acceptedHosts: config.acceptedHosts, publicUrl: config.publicUrl, claimsCrawler: paywall.claimsCrawler, logger,
      onHit: () => { hit = true; },
    }, dispatch);
    const counted: RequestListener = (req, res) => {
      hit = false;
      listener(req, res);
      if (hit) countFastPathHit(req.method ?? 'GET', res.statusCode);
    };
    // beacons are answered at this level too (web/analytics/beacon-listener.ts): the same intake as the private app's route
    return beaconListener(beacons, proxyTrust, counted);
  };
  return {
    app, publicApp, privateApp, pageCache, assets, billing, analytics, nodeListener,
    contentChanges: invalidation.feed, ready: invalidation.ready, startDraining: operations.startDraining,
    close: async () => { unwatch(); await analytics.close(); await invalidation.stop(); },
  };
}
