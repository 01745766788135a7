// The newsroom's preview of the premium part: what a guest, a registered reader or a subscriber would see, never cached.
import type { Child } from 'hono/jsx';
import { checkAccess, premiumHash, type AccessReader } from '../../access/index.ts';
import { premiumBlocks, type Article } from '../../content/index.ts';
import { blocksHtml } from '../ui/article-page.view.tsx';
import type { Paywall } from './paywall-context.ts';
import type { BoxOffer } from './paywall-offer.ts';
import { PlainPremium, PremiumSection, denialMessage } from './paywall.view.tsx';

export type PreviewAudience = 'guest' | 'registered' | 'subscriber';

/**
 * The reader each audience stands for, decided by the same checkAccess the unlock endpoint asks. A registered
 * reader is one with a confirmed address and no subscription whose free Plus articles this month are used up
 * (with the meter on, that is the reader the paywall is for; one with articles left sees the text, like a subscriber).
 */
function readerOf(audience: PreviewAudience, meterLimit: number): AccessReader {
  const meter = { limit: meterLimit, used: audience === 'guest' ? 0 : meterLimit, alreadyCounted: false };
  if (audience === 'guest') return { user: null, subscriber: false, meter };
  return { user: { role: 'reader', emailVerified: true }, subscriber: audience === 'subscriber', meter };
}

/**
 * Entitled: the premium blocks in plain HTML, as the script shows them after unlocking (subscribers also get the
 * gift button). Not entitled: the section of the cached page with its decoy and offer box and the message the
 * script would write into the box, but without key id and ciphertext — a preview carries nothing to unlock, and no
 * content key is made for a version that may never be published. The decoy comes from the same generator with a
 * seed of its own, so it looks like the one the published page will have without being it.
 */
export function createPreviewSlot(p: Paywall, boxOffer: () => Promise<BoxOffer | null>) {
  return async (article: Article, audience: PreviewAudience): Promise<Child> => {
    if (article.access === 'free') return null;
    const decision = checkAccess(article, readerOf(audience, p.meter.limit), { giftLinkValid: false, verifiedCrawler: false });
    const premium = premiumBlocks(article);
    if (decision.granted) {
      return <PlainPremium article={article} html={blocksHtml(premium)} giftable={decision.reason === 'subscriber'} />;
    }
    const decoy = p.keys.decoy(`preview:${article.id}:${premiumHash(premium)}`, premium);
    return <PremiumSection article={article} sealed={{ decoy }} offer={await boxOffer()} message={denialMessage({ ...decision, gift: null })} />;
  };
}
