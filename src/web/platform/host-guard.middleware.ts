// Answers 421 to a request naming a host this site is not: nothing behind it (mails, pages, caches) ever sees a foreign Host.
import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from './request-context.middleware.ts';
import { wantsJson } from './request-info.ts';

const MESSAGE = 'Diese Adresse gehört nicht zu dieser Website. Bitte rufen Sie die Zeitung über ihre offizielle Adresse auf.';

/** The hostname of a Host header value (`name`, `name:port`, `[v6]:port`), lowercased; null when it is not one. */
export function hostnameOf(host: string): string | null {
  try {
    const u = new URL(`http://${host}`);
    // anything the URL parser reads differently (userinfo, paths, fragments) is not a plain host
    return u.host === host.toLowerCase().replace(/:80$/, '') ? u.hostname : null;
  } catch {
    return null;
  }
}

/**
 * `accepted`: hostnames (no ports) the site answers to. The Host header and the URL the server built from it are both
 * checked, so a forged Host cannot slip through on either. `exempt` paths (health checks of load balancers) answer on any host.
 */
export function hostGuard(o: { accepted: readonly string[]; exempt?: readonly string[] }): MiddlewareHandler<AppEnv> {
  const accepted = new Set(o.accepted.map((h) => h.toLowerCase()));
  const exempt = new Set(o.exempt ?? []);
  return async (c, next) => {
    if (exempt.has(c.req.path)) return next();
    const header = c.req.header('host');
    const names = [new URL(c.req.url).hostname, ...(header === undefined ? [] : [hostnameOf(header)])];
    if (names.every((n) => n !== null && accepted.has(n))) return next();
    const headers = { 'cache-control': 'no-store' };
    if (wantsJson(c)) {
      return c.json({ error: { code: 'misdirected', message: MESSAGE, field: 'host', requestId: c.get('requestId') } }, 421, headers);
    }
    return c.html(`<!doctype html><html lang="de"><head><meta charset="utf-8"><meta name="robots" content="noindex"><title>Falsche Adresse</title></head><body><main><h1>Falsche Adresse</h1><p>${MESSAGE}</p></main></body></html>`, 421, headers);
  };
}
