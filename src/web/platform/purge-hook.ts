// Tells a CDN or Varnish which surrogate keys to drop (KLARTEXT_PURGE_URL): a PURGE request per batch of keys, never awaited by a reader.
import http from 'node:http';
import https from 'node:https';
import type { Logger } from 'pino';

/** Keys per request: about 3 kB of header at most, well under the 8 kB most servers accept for one header line. */
export const PURGE_KEYS_PER_REQUEST = 100;

export interface PurgeHookOptions {
  /** where the PURGE goes, e.g. http://varnish:6081/ */
  url: string;
  logger: Logger;
  /** how long one request may take before it is given up (default 3 s) */
  timeoutMs?: number;
}

/**
 * `PURGE <url>` with the keys space-separated in `xkey-purge` (the header Varnish's xkey examples purge by) and in
 * `Surrogate-Key` (what Fastly-style purge endpoints read). Resolves with whether every request was answered 2xx;
 * a failure is logged (warn) and not retried: the CDN's own lifetime (s-maxage) bounds what it keeps.
 */
export function createPurgeHook(o: PurgeHookOptions): (keys: readonly string[]) => Promise<boolean> {
  const target = new URL(o.url);
  const send = target.protocol === 'https:' ? https.request : http.request;
  const timeout = o.timeoutMs ?? 3000;
  const one = (keys: readonly string[]) => new Promise<boolean>((resolve) => {
    const value = keys.join(' ');
    const started = Date.now();
    const req = send(target, { method: 'PURGE', headers: { 'xkey-purge': value, 'surrogate-key': value }, timeout }, (res) => {
      res.resume();
      const ok = res.statusCode !== undefined && res.statusCode >= 200 && res.statusCode < 300;
      if (ok) o.logger.debug({ keys: keys.length, status: res.statusCode, ms: Date.now() - started }, 'purge sent');
      else o.logger.warn({ url: target.origin + target.pathname, status: res.statusCode, keys: value }, 'purge refused by the CDN');
      resolve(ok);
    });
    req.on('timeout', () => req.destroy(new Error(`no answer within ${timeout} ms`)));
    req.on('error', (err) => {
      o.logger.warn({ url: target.origin + target.pathname, err: err.message, keys: value }, 'purge failed');
      resolve(false);
    });
    req.end();
  });
  return async (keys) => {
    const results: boolean[] = [];
    for (let i = 0; i < keys.length; i += PURGE_KEYS_PER_REQUEST) results.push(await one(keys.slice(i, i + PURGE_KEYS_PER_REQUEST)));
    return results.every(Boolean);
  };
}
