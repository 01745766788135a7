// createApp(deps): middleware, one route() per module, one onError.
import fs from 'node:fs';
import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { HTTPException } from 'hono/http-exception';
import type { Logger } from 'pino';
import { sql } from 'kysely';
import type { Store } from '../db/index.ts';
import type { Config } from '../config.ts';
import { imageFile } from '../content/index.ts';
import { HttpError } from './platform/app-error.ts';
import { errorView } from './platform/error-response.ts';
import { escapeHtml } from '../html-escape.ts';
import { PageCache } from './platform/page-cache.ts';
import { publicCache } from './platform/public-cache.middleware.ts';
import { requestContext, type AppEnv } from './platform/request-context.middleware.ts';
import { contentStamp, listSections } from '../content/index.ts';
import { loadAssets, type Assets } from './platform/assets.ts';
import { isHttps } from './platform/request-info.ts';
import { renderPage, type SiteDeps } from './platform/render.tsx';
import { siteRoutes } from './reader/reader.routes.tsx';
import type { PremiumSlot } from './ui/article-page.view.tsx';
import { feedRoutes } from './reader/feeds.routes.ts';
import { searchRoutes } from './reader/search.routes.tsx';
import { ErrorPage } from './ui/simple-pages.view.tsx';
import { DEFAULT_SITE, type SiteInfo } from './platform/site-info.ts';
// --- paywall (issue 4) ---
import { dnsResolver, type HostResolver } from '../access/index.ts';
import { createPaywall } from './paywall/paywall.routes.tsx';
// --- end paywall ---
import { STANDARD_HASHING, atLeastStandard, type PasswordHashing } from '../accounts/index.ts';
import { outboxMailer, smtpMailer, type Mailer } from '../mail/index.ts';
import { mountAccounts, isPrivatePath, sessionMiddleware } from './account/index.ts';

export interface AppDeps {
  config: Readonly<Config>;
  store: Store;
  logger: Logger;
  clientJs: string;
  site?: SiteInfo;
  /** paywall: DNS for crawler verification (default: the system resolver) and the clock for meter and gift links (tests) */
  crawlerResolver?: HostResolver;
  now?: () => Date;
  /** where account mails go; default: SMTP when config.smtpUrl is set, else the outbox table */
  mailer?: Mailer;
  /** argon2id cost; tests pass TEST_HASHING, production never goes below argon2's defaults */
  passwordHashing?: PasswordHashing;
}

export interface KlartextApp {
  app: Hono<AppEnv>;
  pageCache: PageCache;
  assets: Assets;
}

const wantsJson = (c: Context) => new URL(c.req.url).pathname.startsWith('/api/') || (c.req.header('accept') ?? '').startsWith('application/json');

export function createApp(deps: AppDeps): KlartextApp {
  const { config, store, logger } = deps;
  const assets = loadAssets(deps.clientJs);
  const pageCache = new PageCache({ ttlMs: config.pageCacheSeconds * 1000, stamp: () => contentStamp(store.db) });
  const siteDeps: SiteDeps = {
    db: store.db, caps: store.caps, site: deps.site ?? DEFAULT_SITE, assets: assets.urls, publicUrl: config.publicUrl, dataDir: config.dataDir,
    sections: () => pageCache.memo('sections', () => listSections(store.db)),
  };

  const app = new Hono<AppEnv>();
  const proxyTrust = { trustProxy: config.trustProxy, publicUrl: config.publicUrl };
  app.use('*', requestContext(logger, { isHttps: (c) => isHttps(c, proxyTrust) }));
  const MAX_BODY = 1024 * 1024;
  const tooLarge = (): never => { throw new HttpError('payload-too-large', 'Die Anfrage ist größer als 1 MB.'); };
  const limitBody = bodyLimit({ maxSize: MAX_BODY, onError: tooLarge });
  // Reading requests without a body must not build the full Request object the limit inspects: that is the hot path.
  // A declared Content-Length is checked from the header alone, for the same reason (the unlock endpoint reads its small body itself).
  app.use('*', (c, next) => {
    if (c.req.method === 'GET' || c.req.method === 'HEAD') return next();
    const declared = c.req.header('content-length');
    if (declared !== undefined && !c.req.header('transfer-encoding') && /^\d+$/.test(declared)) {
      if (Number(declared) > MAX_BODY) tooLarge();
      return next();
    }
    return limitBody(c, next);
  });

  app.get('/healthz', async (c) => {
    try {
      await sql`select 1`.execute(store.db);
      return c.json({ status: 'ok', database: store.caps.name }, 200, { 'cache-control': 'no-store' });
    } catch {
      return c.json({ status: 'unavailable', database: store.caps.name, error: 'Die Datenbank ist nicht erreichbar.' }, 503, { 'cache-control': 'no-store' });
    }
  });

  app.get('/assets/:file', (c) => {
    const asset = assets.byPath.get(new URL(c.req.url).pathname);
    if (!asset) throw new HttpError('not-found', 'Diese Datei gibt es nicht.');
    const ae = c.req.header('accept-encoding') ?? '';
    const enc = asset.brotli && /\bbr\b/.test(ae) ? 'br' : asset.gzip && /\bgzip\b/.test(ae) ? 'gzip' : null;
    const body = enc === 'br' ? asset.brotli! : enc === 'gzip' ? asset.gzip! : asset.body;
    const headers: Record<string, string> = { 'content-type': asset.contentType, 'cache-control': 'public, max-age=31536000, immutable', vary: 'Accept-Encoding' };
    if (enc) headers['content-encoding'] = enc;
    return c.body(new Uint8Array(body), 200, headers);
  });

  app.get('/bilder/:file{[A-Za-z0-9_-]+-(640|1200)\\.jpg}', async (c) => {
    const m = /^([A-Za-z0-9_-]+)-(640|1200)\.jpg$/.exec(c.req.param('file'))!;
    try {
      const data = await fs.promises.readFile(imageFile(config.dataDir, m[1]!, Number(m[2])));
      return c.body(new Uint8Array(data), 200, { 'content-type': 'image/jpeg', 'cache-control': 'public, max-age=31536000, immutable' });
    } catch {
      throw new HttpError('not-found', 'Dieses Bild gibt es nicht.');
    }
  });

  const cached = publicCache(pageCache, { keyByHost: !config.publicUrl });
  app.use('/feed.xml', cached);
  app.use('/sitemap.xml', cached);
  app.use('/news-sitemap.xml', cached);
  app.use('/:section/feed.xml', cached);
  app.route('/', feedRoutes(siteDeps));
  // One session middleware for every private route: account pages, /api/*, and the paywall's private pages.
  const session = sessionMiddleware({ db: store.db, ...proxyTrust });
  // --- paywall (issue 4): the unlock endpoint remembers sessions briefly; it must run before the account session middleware ---
  const paywall = createPaywall({ site: siteDeps, config, cached, session, resolver: deps.crawlerResolver ?? dnsResolver, now: deps.now ?? (() => new Date()) });
  app.use('/api/unlock/*', paywall.unlockSession);
  // --- end paywall ---
  // --- accounts (issue 3): session on private paths, account pages; mounted before the public cache ---
  const mailer = deps.mailer ?? (config.smtpUrl ? smtpMailer(config.smtpUrl, config.mailFrom) : outboxMailer(store.db));
  const hashing = config.production ? atLeastStandard(deps.passwordHashing ?? STANDARD_HASHING) : deps.passwordHashing ?? STANDARD_HASHING;
  mountAccounts(app, { session, site: siteDeps, mailer, hashing, logger, ...proxyTrust });
  // --- end accounts ---
  // --- paywall (issue 4): unlock API, no-JS reading page, crawler check, gifts, search, /abo; mounted before the public cache ---
  app.route('/', paywall.routes);
  app.route('/', searchRoutes({ site: siteDeps, now: deps.now ?? (() => new Date()), session }));
  const premiumSlot: PremiumSlot = paywall.premiumSlot;
  // --- end paywall ---
  app.use('*', async (c, next) => (c.req.method === 'GET' || c.req.method === 'HEAD') && !isPrivatePath(c.req.path) ? cached(c, next) : next());
  app.route('/', siteRoutes(siteDeps, premiumSlot));

  app.notFound(() => { throw new HttpError('not-found', 'Diese Seite gibt es nicht. Vielleicht wurde sie verschoben oder die Adresse ist falsch geschrieben.'); });

  app.onError(async (err, c) => {
    const e = err instanceof HTTPException && err.status === 413 ? new HttpError('payload-too-large', 'Die Anfrage ist größer als 1 MB.') : err;
    const v = errorView(e);
    const requestId = c.get('requestId');
    if (v.status >= 500) logger.error({ err, reqId: requestId }, 'request failed');
    const headers = { 'cache-control': 'no-store' };
    if (wantsJson(c)) return c.json({ error: { code: v.code, message: v.message, ...(v.field ? { field: v.field } : {}), requestId } }, v.status as 400, headers);
    try {
      const res = await renderPage(c, siteDeps, { title: v.title, noindex: true }, <ErrorPage status={v.status} title={v.title} message={v.message} requestId={requestId} />, { status: v.status });
      for (const [k, val] of Object.entries(headers)) res.headers.set(k, val);
      return res;
    } catch {
      // The layout needs the database; when it is away, a page without the section navigation.
      // Plain string, no JSX to escape for us: everything interpolated goes through escapeHtml (messages may quote input).
      const t = escapeHtml(v.title);
      return c.html(`<!doctype html><html lang="de"><head><meta charset="utf-8"><title>${t}</title><link rel="stylesheet" href="${escapeHtml(assets.urls.css)}"></head><body><main class="wrap error-page"><p class="code">Fehler ${v.status}</p><h1>${t}</h1><p>${escapeHtml(v.message)}</p><p>Vorgangsnummer: ${escapeHtml(String(requestId))}</p></main></body></html>`, v.status as 500, headers);
    }
  });

  return { app, pageCache, assets };
}
