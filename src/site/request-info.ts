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

const NEXT_FALLBACK = '/konto';
const MAX_NEXT_LENGTH = 500;
const LOCAL_ORIGIN = 'http://klartext.invalid';

/**
 * A path on this site to continue to after login, safe to put into a Location header; anything else becomes /konto:
 * other hosts (`//evil`, `/\\evil`, `/.//evil`), control characters (C0, DEL, C1: Node refuses them in a header,
 * which would end the login in a 500 after the session was made), and over-long values. The path comes back as
 * the URL parser writes it: printable ASCII, everything else percent-encoded.
 */
export function safeNextPath(raw: string | undefined): string {
  if (!raw || raw.length > MAX_NEXT_LENGTH || !raw.startsWith('/') || /[\u0000-\u001f\u007f-\u009f\\]/.test(raw)) return NEXT_FALLBACK;
  let url: URL;
  try { url = new URL(raw, LOCAL_ORIGIN); } catch { return NEXT_FALLBACK; }
  const path = url.pathname + url.search + url.hash;
  if (url.origin !== LOCAL_ORIGIN || path.startsWith('//') || path.length > MAX_NEXT_LENGTH) return NEXT_FALLBACK;
  return path;
}
