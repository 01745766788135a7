// Surrogate keys: what a public page shows, so the page cache and a CDN drop exactly the pages a content change touched.
import type { Context } from 'hono';

/**
 * The surrogate-key headers of a shared answer: `Surrogate-Key` space-separated (Fastly, Varnish with xkey), `Cache-Tag`
 * comma-separated (Cloudflare, Akamai). None when the page names no keys.
 */
export function surrogateKeyHeaders(keys: readonly string[]): [string, string][] {
  return keys.length ? [['surrogate-key', keys.join(' ')], ['cache-tag', keys.join(',')]] : [];
}

const SURROGATE_KEYS = 'klartext.surrogateKeys';

/**
 * A public page names what it shows, in the vocabulary of docs/decisions/018 (`front`, `section:<slug>`,
 * `author:<slug>`, `article:<id>`, `feeds`, `sitemaps`, `nav`, `offers`): the page cache drops it when a change names
 * one of them, and the answer carries them for a CDN. Adds to what the request named before (renderPage adds `nav`).
 */
export function surrogateKeys(c: Context, ...keys: string[]): void {
  const ctx = c as Context<{ Variables: Record<string, string[] | undefined> }>;
  const list = ctx.get(SURROGATE_KEYS);
  if (list) { for (const k of keys) if (!list.includes(k)) list.push(k); } else ctx.set(SURROGATE_KEYS, [...new Set(keys)]);
}

/** What the request's page named so far. */
export const surrogateKeysOf = (c: Context): string[] => (c as Context<{ Variables: Record<string, string[] | undefined> }>).get(SURROGATE_KEYS) ?? [];

