// The frame both web apps share: request context and security headers, body limit, 404, and the one onError that turns any error into a page or JSON.
import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { HTTPException } from 'hono/http-exception';
import type { Logger } from 'pino';
import { escapeHtml } from '../../html-escape.ts';
import { HttpError, RequestAbortedError } from './app-error.ts';
import { bodyReadError } from './request-body.ts';
import { hostGuard } from './host-guard.middleware.ts';
import { OPERATIONS_PATHS } from './operations.routes.ts';
import { errorView } from './error-response.ts';
import { renderPage, type SiteDeps } from './render.tsx';
import { requestContext, type AppEnv } from './request-context.middleware.ts';
import { wantsJson } from './request-info.ts';

export interface WebAppOptions {
  logger: Logger;
  site: SiteDeps;
  /** host names this site answers to; any other Host gets 421 before anything could render a link or send a mail (issue 7) */
  acceptedHosts: readonly string[];
  /** whether the request came over HTTPS (directly or through a trusted proxy): HSTS */
  isHttps: (c: Context) => boolean;
  /**
   * POST paths whose route reads its body itself under a larger limit it enforces while reading (the newsroom's
   * image upload: 20 MB); every other request keeps the 1 MB limit.
   */
  ownBodyLimit?: readonly string[];
}

const MAX_BODY = 1024 * 1024;
const tooLarge = (): never => { throw new HttpError('payload-too-large', 'Die Anfrage ist größer als 1 MB.'); };


function ErrorPage({ status, title, message, requestId }: { status: number; title: string; message: string; requestId?: string }) {
  return (
    <section class="error-page">
      <p class="code">Fehler {status}</p>
      <h1>{title}</h1>
      <p>{message}</p>
      {requestId && <p class="teaser__meta">Vorgangsnummer: {requestId}</p>}
      <p><a class="button" href="/">Zur Startseite</a> <a class="button button--ghost" href="/suche">Suche</a></p>
    </section>
  );
}

/** A Hono app with the shared frame; the caller adds its own middleware and routes. */
export function createWebApp(o: WebAppOptions): Hono<AppEnv> {
  const { logger } = o;
  const app = new Hono<AppEnv>();
  app.use('*', requestContext(logger, { isHttps: o.isHttps }));
  app.use('*', hostGuard({ accepted: o.acceptedHosts, exempt: OPERATIONS_PATHS }));
  const limitBody = bodyLimit({ maxSize: MAX_BODY, onError: tooLarge });
  // Reading requests without a body must not build the full Request object the limit inspects: that is the hot path.
  // A declared Content-Length is checked from the header alone, for the same reason (the unlock endpoint reads its small body itself).
  app.use('*', (c, next) => {
    if (c.req.method === 'GET' || c.req.method === 'HEAD') return next();
    if (c.req.method === 'POST' && o.ownBodyLimit?.includes(c.req.path)) return next();
    const declared = c.req.header('content-length');
    if (declared !== undefined && !c.req.header('transfer-encoding') && /^\d+$/.test(declared)) {
      if (Number(declared) > MAX_BODY) tooLarge();
      return next();
    }
    // The limit reads a chunked body itself: a client hanging up meanwhile is an abort, not a database outage.
    return limitBody(c, next).catch((e: unknown) => { throw bodyReadError(c, e); });
  });

  app.notFound(() => { throw new HttpError('not-found', 'Diese Seite gibt es nicht. Vielleicht wurde sie verschoben oder die Adresse ist falsch geschrieben.'); });

  app.onError(async (err, c) => {
    const e = err instanceof HTTPException && err.status === 413 ? new HttpError('payload-too-large', 'Die Anfrage ist größer als 1 MB.') : err;
    const v = errorView(e);
    const requestId = c.get('requestId');
    if (v.status >= 500 && v.code !== 'busy') logger.error({ err, reqId: requestId }, 'request failed'); // a full hashing queue is load, not a bug
    else if (e instanceof RequestAbortedError) logger.info({ reqId: requestId }, 'request aborted by the client');
    const headers: Record<string, string> = { 'cache-control': 'no-store', ...(v.retryAfterSeconds ? { 'retry-after': String(v.retryAfterSeconds) } : {}) };
    if (wantsJson(c)) return c.json({ error: { code: v.code, message: v.message, ...(v.field ? { field: v.field } : {}), requestId } }, v.status as 400, headers);
    try {
      const res = await renderPage(c, o.site, { title: v.title, noindex: true }, <ErrorPage status={v.status} title={v.title} message={v.message} requestId={requestId} />, { status: v.status });
      for (const [k, val] of Object.entries(headers)) res.headers.set(k, val);
      return res;
    } catch {
      // The layout needs the database; when it is away, a page without the section navigation.
      // Plain string, no JSX to escape for us: everything interpolated goes through escapeHtml (messages may quote input).
      const t = escapeHtml(v.title);
      return c.html(`<!doctype html><html lang="de"><head><meta charset="utf-8"><title>${t}</title><link rel="stylesheet" href="${escapeHtml(o.site.assets.css)}"></head><body><main class="wrap error-page"><p class="code">Fehler ${v.status}</p><h1>${t}</h1><p>${escapeHtml(v.message)}</p><p>Vorgangsnummer: ${escapeHtml(String(requestId))}</p></main><footer class="site-footer"><p class="wrap"><a href="/kuendigen">Verträge hier kündigen</a></p></footer></body></html>`, v.status as 500, headers);
    }
  });
  return app;
}
