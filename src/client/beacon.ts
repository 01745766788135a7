// Insights from the page itself (the cached page is the same for everyone): view, paywall and offer-click beacons, and the browser's own memory of the last Plus paywall for attribution.
import { ATTRIBUTION_STORAGE_KEY, attributionOf } from '../analytics/attribution.ts';
import { privacySignal } from './offer-variant.ts';

/** What the unlock endpoint answers a reader it turns away (the fields the meter state is read from). */
export interface Denial { need?: string; signedIn?: boolean; meter?: { limit: number; used: number; remaining?: number } }

interface BeaconEvent { k: 'view' | 'paywall' | 'offer_click'; a: string; o?: string; v?: string; d?: string }

const nav = navigator as Navigator & { globalPrivacyControl?: boolean };
/** Global Privacy Control or Do Not Track: then nothing is sent and nothing is written, not even the attribution memory. */
const optedOut = (): boolean => privacySignal(nav);

/** One random id per page view: lets the server drop a beacon sent twice, and says nothing about the reader (never stored anywhere). */
function pageViewId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

const pv = pageViewId();

/** sendBeacon: a text/plain POST that survives leaving the page, carries no custom header and waits for nothing. */
function send(events: BeaconEvent[]): void {
  if (events.length === 0 || optedOut() || typeof nav.sendBeacon !== 'function') return;
  try { nav.sendBeacon('/api/beacon', JSON.stringify({ pv, events })); } catch { /* insights never disturb reading */ }
}

/** The meter state the paywall was shown in (decision 028). */
export function meterState(d: Denial): string {
  if (!d.signedIn) return 'guest';
  if (d.need === 'verification') return 'verify';
  if (!d.meter || d.meter.limit <= 0) return 'no-meter';
  const left = d.meter.remaining ?? d.meter.limit - d.meter.used;
  return left > 0 ? 'meter-left' : 'meter-used';
}

function readAttribution(): { a: string; v: string | null } | null {
  try {
    const found = attributionOf(JSON.parse(localStorage.getItem(ATTRIBUTION_STORAGE_KEY) ?? 'null'), Date.now());
    return found && { a: found.articleId, v: found.variantId };
  } catch {
    return null;
  }
}

/**
 * Every order link and order form of the page gets the attribution, when the browser remembers a Plus paywall of the
 * last 7 days: `herkunft` and `variante` as query parameters of /abo/bestellen links, and in the order form's empty
 * hidden fields. The server checks both ids; they are hints.
 */
function carryAttribution(doc: Document): void {
  if (optedOut()) return;
  const found = readAttribution();
  if (!found) return;
  doc.querySelectorAll<HTMLAnchorElement>('a[href^="/abo/bestellen/"]').forEach((link) => {
    const url = new URL(link.href, location.href);
    url.searchParams.set('herkunft', found.a);
    if (found.v) url.searchParams.set('variante', found.v);
    link.href = url.pathname + url.search;
  });
  const fill = (which: string, value: string | null) => doc.querySelectorAll<HTMLInputElement>(`input[data-attribution="${which}"]`).forEach((input) => {
    if (!input.value && value) input.value = value;
  });
  fill('article', found.a);
  fill('variant', found.v);
}

/**
 * Starts the page's insights: on an article page a view (for Plus articles once the unlock has answered, together with
 * the paywall impression when it was denied, so a Plus page view is one request), offer clicks in the box, and the
 * attribution on order links. Returns what the unlock calls when it has its answer.
 */
export function startInsights(doc: Document): { unlocked(premium: HTMLElement, denial: Denial | null): void } {
  carryAttribution(doc);
  const article = doc.querySelector<HTMLElement>('article[data-article-id]');
  const articleId = article?.dataset.articleId;
  // the public article page only: not the no-JS reading page, not a preview
  const onArticlePage = !!articleId && /^\/artikel\/[^/]+$/.test(location.pathname);
  const waitsForUnlock = onArticlePage && article.dataset.access === 'plus' && !!doc.getElementById('premium')?.dataset.unlockUrl;
  if (onArticlePage && !waitsForUnlock) send([{ k: 'view', a: articleId }]);
  return {
    unlocked(premium, denial) {
      if (!waitsForUnlock || !articleId) return;
      const variant = premium.dataset.variantId;
      const events: BeaconEvent[] = [{ k: 'view', a: articleId }];
      if (denial) {
        events.push({ k: 'paywall', a: articleId, d: meterState(denial), ...(variant ? { v: variant } : {}) });
        if (!optedOut()) {
          try { localStorage.setItem(ATTRIBUTION_STORAGE_KEY, JSON.stringify({ a: articleId, t: Date.now(), v: variant ?? null })); } catch { /* storage full or off */ }
          carryAttribution(doc);
        }
        premium.querySelectorAll<HTMLAnchorElement>('a[data-order-link]').forEach((link) => link.addEventListener('click', () => {
          const slug = /^\/abo\/bestellen\/([a-z0-9-]+)/.exec(new URL(link.href, location.href).pathname)?.[1];
          if (slug) send([{ k: 'offer_click', a: articleId, o: slug, ...(variant ? { v: variant } : {}) }]);
        }));
      }
      send(events);
    },
  };
}
