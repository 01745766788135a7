// Institutions' IP ranges: CIDR text parsed strictly and normalised (ipaddr.js), and a table that finds the most specific range an address is in.
import ipaddr from 'ipaddr.js';
import { isIPv6 } from 'node:net';

/** One normalised range: `cidr` as stored (`192.0.2.0/24`, `2001:db8::/48`); IPv4-mapped IPv6 ranges become IPv4. */
export interface Network { cidr: string; family: 4 | 6; bytes: number[]; prefix: number }

/**
 * The widest ranges an institution may name. A /8 is 16 million addresses, a /32 an IPv6 provider's allocation; anything
 * wider is a typo (or `0.0.0.0/0`), and would open Plus to a good part of the internet.
 */
export const MIN_PREFIX = { 4: 8, 6: 32 } as const;

/**
 * Ranges no reader on the internet comes from: private, shared (carrier-grade NAT), loopback, link-local, unspecified,
 * multicast and reserved. A request shows such an address only from inside our own network — typically the reverse proxy
 * when KLARTEXT_TRUST_PROXY is not set — so a range covering one would open Plus to everybody behind that proxy.
 * Documentation ranges (192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24, 2001:db8::/32) are allowed: the demo and the tests use them.
 */
const NOT_ON_THE_INTERNET = [
  '0.0.0.0/8', '10.0.0.0/8', '100.64.0.0/10', '127.0.0.0/8', '169.254.0.0/16', '172.16.0.0/12', '192.168.0.0/16', '224.0.0.0/4', '240.0.0.0/4',
  '::/127', 'fc00::/7', 'fe80::/10', 'ff00::/8',
].map((cidr) => { const [a, p] = ipaddr.parseCIDR(cidr); return toNetwork(a, p); });

/** Why a line is not a usable range (German, for the form); null when it is one. */
export type NetworkProblem = { line: string; message: string };

function toNetwork(address: ipaddr.IPv4 | ipaddr.IPv6, prefix: number): Network {
  let a = address;
  let p = prefix;
  if (a.kind() === 'ipv6' && (a as ipaddr.IPv6).isIPv4MappedAddress() && p >= 96) {
    a = (a as ipaddr.IPv6).toIPv4Address();
    p -= 96;
  }
  const family = a.kind() === 'ipv4' ? 4 : 6;
  const bytes = a.toByteArray();
  // the network address: host bits cleared (192.0.2.17/24 is stored as 192.0.2.0/24)
  for (let i = 0; i < bytes.length; i++) {
    const keep = Math.max(0, Math.min(8, p - i * 8));
    bytes[i]! &= (0xff << (8 - keep)) & 0xff;
  }
  const network = ipaddr.fromByteArray(bytes);
  const text = network.kind() === 'ipv6' ? (network as ipaddr.IPv6).toRFC5952String() : network.toString();
  return { cidr: `${text}/${p}`, family, bytes, prefix: p };
}

/** Whether `inner`'s first `prefix` bits equal `outer`'s (same family). */
function within(bytes: number[], outer: Pick<Network, 'bytes' | 'prefix'>): boolean {
  let bits = outer.prefix;
  for (let i = 0; bits > 0; i++, bits -= 8) {
    const mask = bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff;
    if ((bytes[i]! & mask) !== (outer.bytes[i]! & mask)) return false;
  }
  return true;
}

const overlaps = (a: Network, b: Network): boolean => a.family === b.family && (within(a.bytes, b) || within(b.bytes, a));

/**
 * One line of the networks field: an address (a /32 or /128 of its own) or `address/prefix`. Strict on purpose:
 * ipaddr.js alone also reads `192.0.2/24` (as 192.0.0.2) and octal or hex parts, which nobody means.
 */
export function parseNetwork(line: string): Network | NetworkProblem {
  const text = line.trim();
  const example = 'Schreiben Sie einen Bereich wie 192.0.2.0/24 oder 2001:db8:1::/48 oder eine einzelne Adresse.';
  const bad = (message: string): NetworkProblem => ({ line: text, message });
  const m = /^([^/\s]+)(?:\/(\d{1,3}))?$/.exec(text);
  if (!m) return bad(`„${text}“ ist kein Adressbereich. ${example}`);
  const [, address, prefixText] = m as unknown as [string, string, string | undefined];
  const v4 = ipaddr.IPv4.isValidFourPartDecimal(address);
  if (!v4 && !(isIPv6(address) && !address.includes('%'))) return bad(`„${address}“ ist keine IP-Adresse. ${example}`);
  const parsed = ipaddr.parse(address);
  const max = parsed.kind() === 'ipv4' ? 32 : 128;
  const prefix = prefixText === undefined ? max : Number(prefixText);
  if (prefix > max) return bad(`„/${prefixText}“ ist zu lang: bei ${parsed.kind() === 'ipv4' ? 'IPv4' : 'IPv6'} höchstens /${max}.`);
  const network = toNetwork(parsed, prefix);
  if (network.prefix < MIN_PREFIX[network.family]) {
    return bad(`„${text}“ ist zu groß: höchstens /${MIN_PREFIX[4]} bei IPv4 und /${MIN_PREFIX[6]} bei IPv6, damit kein Tippfehler Plus für halbe Provider freischaltet.`);
  }
  if (NOT_ON_THE_INTERNET.some((n) => overlaps(n, network))) {
    return bad(`„${network.cidr}“ ist ein privater oder besonderer Adressbereich. Von dort kommen Leserinnen und Leser nie aus dem Internet – hinter einem falsch eingestellten Proxy hätten sonst alle Zugang.`);
  }
  return network;
}

export const isNetworkProblem = (n: Network | NetworkProblem): n is NetworkProblem => 'message' in n;

/** An address as bytes, IPv4-mapped IPv6 as IPv4; null if it is not an IP (e.g. the client `unknown`). */
export function addressBytes(ip: string): { family: 4 | 6; bytes: number[] } | null {
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(ip);
  if (v4) {
    const bytes = v4.slice(1).map(Number);
    return bytes.every((b) => b <= 255) ? { family: 4, bytes } : null;
  }
  if (!isIPv6(ip)) return null;
  let a: ipaddr.IPv4 | ipaddr.IPv6;
  try { a = ipaddr.parse(ip.includes('%') ? ip.slice(0, ip.indexOf('%')) : ip); } catch { return null; }
  if (a.kind() === 'ipv6' && (a as ipaddr.IPv6).isIPv4MappedAddress()) a = (a as ipaddr.IPv6).toIPv4Address();
  return { family: a.kind() === 'ipv4' ? 4 : 6, bytes: a.toByteArray() };
}

/** An address as four 32-bit words (IPv4: one), for the table's masked compares. */
function words(bytes: number[]): number[] {
  const out: number[] = [];
  for (let i = 0; i < bytes.length; i += 4) out.push(((bytes[i]! << 24) | (bytes[i + 1]! << 16) | (bytes[i + 2]! << 8) | bytes[i + 3]!) >>> 0);
  return out;
}
const maskWords = (prefix: number, count: number): number[] =>
  Array.from({ length: count }, (_, w) => { const bits = Math.max(0, Math.min(32, prefix - w * 32)); return bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0; });

/**
 * Ranges with what they belong to, most specific first: an address in a /28 of one institution inside the /16 of another
 * belongs to the /28's. A scan over masked 32-bit words in typed arrays, not a trie: at 1,000 institutions (3,000 ranges)
 * a lookup of an address outside every range stays in the microseconds (docs/performance.md, bench:institutions).
 */
export class NetworkTable<T> {
  private readonly v4: { net: Uint32Array; mask: Uint32Array; owners: T[] };
  private readonly v6: { net: Uint32Array; mask: Uint32Array; owners: T[] };
  readonly size: number;
  constructor(entries: Iterable<{ network: Network; owner: T }>) {
    const sorted = [...entries].sort((a, b) => b.network.prefix - a.network.prefix);
    const pack = (family: 4 | 6) => {
      const list = sorted.filter((e) => e.network.family === family);
      const n = family === 4 ? 1 : 4;
      const net = new Uint32Array(list.length * n);
      const mask = new Uint32Array(list.length * n);
      list.forEach((e, i) => { net.set(words(e.network.bytes), i * n); mask.set(maskWords(e.network.prefix, n), i * n); });
      return { net, mask, owners: list.map((e) => e.owner) };
    };
    this.v4 = pack(4);
    this.v6 = pack(6);
    this.size = sorted.length;
  }
  /** The owner of the most specific range holding `ip` that `accept` takes (the caller skips owners that no longer count). */
  find(ip: string, accept: (owner: T) => boolean = () => true): T | null {
    if (this.size === 0) return null;
    const address = addressBytes(ip);
    if (!address) return null;
    const a = words(address.bytes);
    if (address.family === 4) {
      const { net, mask, owners } = this.v4;
      const x = a[0]!;
      for (let i = 0; i < owners.length; i++) if (((x & mask[i]!) >>> 0) === net[i] && accept(owners[i]!)) return owners[i]!;
      return null;
    }
    const { net, mask, owners } = this.v6;
    const [a0, a1, a2, a3] = a as [number, number, number, number];
    for (let i = 0, j = 0; i < owners.length; i++, j += 4) {
      if (((a0 & mask[j]!) >>> 0) === net[j] && ((a1 & mask[j + 1]!) >>> 0) === net[j + 1]
        && ((a2 & mask[j + 2]!) >>> 0) === net[j + 2] && ((a3 & mask[j + 3]!) >>> 0) === net[j + 3] && accept(owners[i]!)) return owners[i]!;
    }
    return null;
  }
}
