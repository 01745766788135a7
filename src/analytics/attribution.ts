// Attribution of an order: the last Plus paywall the reader's own browser remembers, if it is at most 7 days old — an article id, not a profile.

/** How long a paywall seen counts for an order: 7 days, inclusive. */
export const ATTRIBUTION_WINDOW_MS = 7 * 24 * 3600_000;

/** The browser's localStorage key holding the last Plus paywall seen (written only without GPC/DNT). */
export const ATTRIBUTION_STORAGE_KEY = 'klartext:paywall';

/** What the browser keeps under `klartext:paywall`: article id, when (epoch ms), the offer-box variant shown (or null). */
export interface AttributionEntry { a: string; t: number; v: string | null }

export interface Attribution { articleId: string; variantId: string | null }

const ID = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * The attribution an entry gives at `now`, or null: not an entry, ids that cannot be ids, a time in the future (a clock
 * running ahead, or made up) or older than the window. Runs in the browser (beacon script) and on the server alike; the
 * server still checks that the ids name a live Plus article and an existing variant, since the browser can send anything.
 */
export function attributionOf(entry: unknown, now: number): Attribution | null {
  if (typeof entry !== 'object' || entry === null) return null;
  const { a, t, v } = entry as Partial<Record<keyof AttributionEntry, unknown>>;
  if (typeof a !== 'string' || !ID.test(a)) return null;
  if (typeof t !== 'number' || !Number.isFinite(t)) return null;
  const age = now - t;
  if (age < 0 || age > ATTRIBUTION_WINDOW_MS) return null;
  const variantId = typeof v === 'string' && ID.test(v) ? v : null;
  return { articleId: a, variantId };
}
