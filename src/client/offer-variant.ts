// Shows the reader's variant of a running offer experiment: chosen in the browser from the same cached bytes, by a first-party random number.

/** localStorage key of the reader's random number in [0, 1): never sent anywhere, only read here. */
export const AB_STORAGE_KEY = 'klartext:ab';

/** Global Privacy Control or Do Not Track: then nothing is stored and every page view draws anew. */
export function privacySignal(nav: Pick<Navigator, 'doNotTrack'> & { globalPrivacyControl?: boolean } = navigator): boolean {
  // older Safari and Edge put the DNT flag on window, not navigator
  const windowDnt = typeof window !== 'undefined' && (window as { doNotTrack?: string }).doNotTrack === '1';
  return nav.globalPrivacyControl === true || nav.doNotTrack === '1' || windowDnt;
}

const validNumber = (s: string | null): number | null => {
  if (s === null || !/^0\.\d{1,20}$/.test(s)) return null;
  const n = Number(s);
  return n >= 0 && n < 1 ? n : null;
};

/**
 * The reader's number: the stored one, or a new one stored for the next page — unless the browser sends a privacy
 * signal, then a fresh number per page view and nothing written. A stored value that is not a number in [0, 1)
 * (edited by hand) is replaced. Storage may be off or full: then per page view too.
 */
export function readerNumber(storage: Pick<Storage, 'getItem' | 'setItem'> | null, privacy: boolean, random: () => number = Math.random): number {
  if (privacy || !storage) return random();
  try {
    const kept = validNumber(storage.getItem(AB_STORAGE_KEY));
    if (kept !== null) return kept;
    const fresh = random();
    storage.setItem(AB_STORAGE_KEY, String(fresh));
    return fresh;
  } catch {
    return random();
  }
}

/**
 * The number mixed with the experiment's id (FNV-1a, 32 bits): the same reader keeps a variant within an experiment
 * but lands independently in the next one, so the readers who happen to draw low numbers are not the control of every
 * experiment.
 */
export function pointFor(r: number, experimentId: string): number {
  let h = 0x811c9dc5;
  for (const ch of `${experimentId}:${r}`) {
    h ^= ch.charCodeAt(0);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h / 0x1_0000_0000;
}

/** Index of the variant whose share (whole percent, in order) the point falls into; the last one takes any rounding rest. */
export function variantIndex(point: number, shares: readonly number[]): number {
  const total = shares.reduce((s, x) => s + (x > 0 ? x : 0), 0);
  let edge = 0;
  for (let i = 0; i < shares.length; i++) {
    edge += shares[i]! > 0 ? shares[i]! : 0;
    if (point * total < edge) return i;
  }
  return Math.max(0, shares.length - 1);
}

/**
 * Runs first on the page (before the unlock and the beacon): picks the variant, swaps its template's content into the
 * box when it is not the control, and names it in `premium.dataset.variantId` for the beacon and the attribution entry.
 */
export function showOfferVariant(premium: HTMLElement, o: { storage?: Storage | null; privacy?: boolean } = {}): void {
  const box = premium.querySelector<HTMLElement>('.paywall-box[data-experiment]');
  const experimentId = box?.dataset.experiment;
  if (!box || !experimentId) return;
  const templates = [...box.querySelectorAll<HTMLTemplateElement>(':scope > template[data-variant]')];
  if (templates.length === 0) return;
  let storage: Storage | null;
  try { storage = o.storage === undefined ? window.localStorage : o.storage; } catch { storage = null; }
  const r = readerNumber(storage, o.privacy ?? privacySignal());
  const chosen = templates[variantIndex(pointFor(r, experimentId), templates.map((t) => Number(t.dataset.share) || 0))]!;
  if (chosen !== templates[0]) box.replaceChildren(chosen.content.cloneNode(true));
  premium.dataset.variantId = chosen.dataset.variant ?? '';
}
