// Who is asking, as far as the request tells: the client's IP (trusting X-Forwarded-For only when configured) and whether it came over HTTPS.
import type { Context } from 'hono';
import { getConnInfo } from '@hono/node-server/conninfo';

/** What the site knows of its own address: the public origin and the hostnames it answers to (src/config.ts ServingConfig). */
export interface ProxyTrust { trustProxy: boolean; publicUrl: string; acceptedHosts: readonly string[] }

/**
 * True when `url` (an Origin or Referer) is this site: the public origin's scheme and port, and its host or an accepted
 * alias. The request's own Host never counts — it is whatever the client wrote.
 */
export function isOwnOrigin(url: string, own: Pick<ProxyTrust, 'publicUrl' | 'acceptedHosts'>): boolean {
  let u: URL;
  try { u = new URL(url); } catch { return false; }
  const pub = new URL(own.publicUrl);
  return u.protocol === pub.protocol && u.port === pub.port && (u.hostname === pub.hostname || own.acceptedHosts.includes(u.hostname));
}

export function clientIp(c: Context, o: Pick<ProxyTrust, 'trustProxy'>): string {
  if (o.trustProxy) {
    const first = c.req.header('x-forwarded-for')?.split(',')[0]?.trim();
    if (first) return first.slice(0, 64);
  }
  try {
    return getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    // app.request() in tests has no socket
    return 'unknown';
  }
}

/** Cookies get `Secure` when the request came over HTTPS, directly, through a trusted proxy, or when the public URL says so. */
export function isHttps(c: Context, o: ProxyTrust): boolean {
  if (new URL(c.req.url).protocol === 'https:') return true;
  if (o.trustProxy && c.req.header('x-forwarded-proto')?.split(',')[0]?.trim() === 'https') return true;
  return o.publicUrl.startsWith('https:');
}

/** A relative path on this site to continue to after login; anything else (other hosts, `//evil`) becomes /konto. */
export function safeNextPath(raw: string | undefined): string {
  if (!raw || !raw.startsWith('/') || raw.startsWith('//') || raw.startsWith('/\\') || /[\u0000-\u001f]/.test(raw)) return '/konto';
  return raw.slice(0, 500);
}
