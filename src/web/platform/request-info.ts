// Who is asking, as far as the request tells: the client's IP (trusting X-Forwarded-For only when configured) and whether it came over HTTPS.
import type { Context } from 'hono';
import { getConnInfo } from '@hono/node-server/conninfo';

export interface ProxyTrust { trustProxy: boolean; publicUrl: string | undefined }

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
  return o.publicUrl?.startsWith('https:') ?? false;
}

/** A relative path on this site to continue to after login; anything else (other hosts, `//evil`) becomes /konto. */
export function safeNextPath(raw: string | undefined): string {
  if (!raw || !raw.startsWith('/') || raw.startsWith('//') || raw.startsWith('/\\') || /[\u0000-\u001f]/.test(raw)) return '/konto';
  return raw.slice(0, 500);
}
