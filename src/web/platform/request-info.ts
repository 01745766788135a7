// Who is asking, as far as the request tells: the client's IP (X-Forwarded-For only as far as trusted proxies wrote it) and whether it came over HTTPS.
import type { Context } from 'hono';
import { getConnInfo } from '@hono/node-server/conninfo';
import { isIP } from 'node:net';
import { normaliseIp } from '../../access/index.ts';
import type { TrustProxy } from '../../config.ts';

/** What the site knows of its own address and proxies: the public origin and the hostnames it answers to (src/config.ts ServingConfig). */
export interface ProxyTrust { trustProxy: TrustProxy; publicUrl: string; acceptedHosts: readonly string[] }

/**
 * True when `url` (an Origin or Referer) is this site: the public origin's scheme and port, and its host or an accepted
 * alias. The request's own Host never counts — it is whatever the client wrote.
 */
/** JSON for the API and for clients that ask for it; everyone else gets pages. The one rule for errors and forms alike. */
export const wantsJson = (c: Context): boolean => c.req.path.startsWith('/api/') || (c.req.header('accept') ?? '').startsWith('application/json');

export function isOwnOrigin(url: string, own: Pick<ProxyTrust, 'publicUrl' | 'acceptedHosts'>): boolean {
  let u: URL;
  try { u = new URL(url); } catch { return false; }
  const pub = new URL(own.publicUrl);
  return u.protocol === pub.protocol && u.port === pub.port && (u.hostname === pub.hostname || own.acceptedHosts.includes(u.hostname));
}

/** The client when the request names no usable address: no crawler, one shared throttle bucket, no header text stored. */
export const UNKNOWN_CLIENT = 'unknown';

/**
 * One X-Forwarded-For entry or socket address as an IP in comparable form (`[v6]:port` and `v4:port` lose
 * the port, an IPv6 zone is dropped, IPv4-mapped IPv6 becomes IPv4); null if it is not an IP.
 */
export function parseAddress(entry: string): string | null {
  let a = entry.trim();
  const bracketed = /^\[([^\]]+)\](?::\d{1,5})?$/.exec(a);
  if (bracketed) a = bracketed[1]!;
  else if (/^\d{1,3}(?:\.\d{1,3}){3}:\d{1,5}$/.test(a)) a = a.slice(0, a.lastIndexOf(':'));
  if (isIP(a) === 6 && a.includes('%')) a = a.slice(0, a.indexOf('%'));
  return a.length <= 45 ? normaliseIp(a) : null;
}

const isTrustedAddress = (proxies: Extract<TrustProxy, { kind: 'list' }>['proxies'], ip: string): boolean =>
  proxies.check(ip, isIP(ip) === 4 ? 'ipv4' : 'ipv6');

/**
 * The client's address: the right-most address in [...X-Forwarded-For, socket peer] that no trusted proxy
 * added. Every proxy appends the address it saw, so the entries left of the nearest untrusted one are
 * whatever the client wrote and never count.
 * - `none`: the socket peer; the header is ignored.
 * - `hops` N: the socket peer is proxy 1, the right-most entry is what proxy 1 saw, so the client is the N-th
 *   entry from the right. With fewer entries the request skipped outer proxies (nothing in the header came from
 *   the client then), so the left-most entry, or the socket peer when there is no header.
 * - `list`: walk from the socket peer leftwards while the address is a trusted proxy; the first one that is
 *   not is the client. An untrusted socket peer is the client and the header is ignored. When every address is
 *   a trusted proxy, the left-most is the client.
 * An entry that is not an IP where the walk reaches it stops the walk: the client is then UNKNOWN_CLIENT.
 */
export function clientAddress(forwardedFor: string | undefined, socketAddress: string | undefined, trust: TrustProxy): string {
  const socket = socketAddress === undefined ? null : parseAddress(socketAddress);
  if (trust.kind === 'none' || !forwardedFor?.trim()) return socket ?? UNKNOWN_CLIENT;
  const entries = forwardedFor.split(',');
  for (let pos = 0; pos <= entries.length; pos++) {
    const address = pos === 0 ? socket : parseAddress(entries[entries.length - pos]!);
    // In hop mode the socket peer is the nearest proxy by definition, even where no socket is known (app.request in tests).
    const addedByProxy = trust.kind === 'hops'
      ? pos < trust.hops && (address !== null || pos === 0)
      : address !== null && isTrustedAddress(trust.proxies, address);
    if (!addedByProxy || pos === entries.length) return address ?? UNKNOWN_CLIENT;
  }
  return UNKNOWN_CLIENT;
}

function socketAddress(c: Context): string | undefined {
  try {
    return getConnInfo(c).remote.address;
  } catch {
    // app.request() in tests has no socket unless the test passes one (src/testing/remote-address.ts)
    return undefined;
  }
}

/** The client's IP, for throttles, crawler verification, session rows and logs. */
export function clientIp(c: Context, o: Pick<ProxyTrust, 'trustProxy'>): string {
  return clientAddress(c.req.header('x-forwarded-for'), socketAddress(c), o.trustProxy);
}

/** Whether the socket peer is a proxy whose X-Forwarded-* headers count. */
function fromTrustedProxy(c: Context, trust: TrustProxy): boolean {
  if (trust.kind !== 'list') return trust.kind === 'hops';
  const peer = parseAddress(socketAddress(c) ?? '');
  return peer !== null && isTrustedAddress(trust.proxies, peer);
}

/**
 * The request came over HTTPS: directly, through a trusted proxy (the right-most X-Forwarded-Proto entry, the one
 * the nearest proxy set), or the public URL says the site is HTTPS. Decides `Secure` cookies and HSTS.
 */
export function isHttps(c: Context, o: ProxyTrust): boolean {
  if (c.req.url.startsWith('https:') || o.publicUrl.startsWith('https:')) return true;
  return fromTrustedProxy(c, o.trustProxy) && c.req.header('x-forwarded-proto')?.split(',').at(-1)?.trim().toLowerCase() === 'https';
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
