// The premium slot of the guest page, made once per article version: only ciphertext and decoy go in, and the result is kept by key id.
import { raw } from 'hono/html';
import type { HtmlEscapedString } from 'hono/utils/html';
import type { Kysely } from 'kysely';
import { encryptPremium, premiumHash, premiumPlaintext, type ContentKeyStore } from '../../access/index.ts';
import { premiumBlocks, type Article, type Block } from '../../content/index.ts';
import type { Database } from '../../db/index.ts';
import { LruMap } from '../../lru-map.ts';
import { blocksHtml } from '../ui/article-page.view.tsx';
import { PremiumSection } from './paywall.view.tsx';
import type { BoxExperiment, BoxOffer } from './paywall-offer.ts';

/** About 20 KB per Plus article: 2,000 recent versions are some 40 MB at most. */
export const SEALED_SECTIONS_MAX = 2000;

export type SealedPremiumRenderer = (db: Kysely<Database>, article: Article, offer: BoxOffer | null, experiment?: BoxExperiment | null) => Promise<HtmlEscapedString>;

/** Everything of an offer the box prints, so a changed price or name never comes from an older entry. */
const offerKey = (offer: BoxOffer | null): string => (offer ? `${offer.slug}\u0001${offer.priceText}\u0001${offer.termsText}\u0001${offer.name}` : '');

/**
 * The running experiment in the key: starting or stopping one, or a variant's offer changing its price, renders the
 * section anew (the content change `offers` drops the pages; this keeps the section cache from answering with the old box).
 */
const experimentKey = (e: BoxExperiment | null | undefined): string =>
  e ? `${e.id}\u0002${e.variants.map((v) => `${v.id}\u0001${v.headline}\u0001${v.body}\u0001${v.share}\u0001${offerKey(v.offer)}`).join('\u0002')}` : '';

/**
 * Encrypting the premium HTML, making the decoy and rendering the section around them cost more than the rest
 * of a Plus page, and change only with the premium text. The cache key starts with the key id, which belongs to
 * one (article, premium hash) pair, and the premium hash itself: a changed text gets a new key id and is never
 * answered from an older entry. The slug and access level are in the key too, because the section links to the
 * article and names its level, and so is everything the offer box prints (the offer, the running experiment). Only
 * finished guest HTML is stored — ciphertext and decoy, never the plain text, which exists only for the moment it is
 * encrypted.
 */
export function createSealedPremium(keys: ContentKeyStore, o: { maxEntries?: number } = {}): SealedPremiumRenderer {
  const sections = new LruMap<string, string>(o.maxEntries ?? SEALED_SECTIONS_MAX);
  // The premium blocks and their hash (JSON and sha256 of the whole premium text) per article object: the app hands
  // the same remembered object to every render until the article changes, and a changed article is a new object.
  const versions = new WeakMap<Article, { premium: Block[]; hash: string }>();
  return async (db, article, offer, experiment) => {
    // an experiment varies the Plus box only
    const running = article.access === 'plus' ? experiment ?? null : null;
    let version = versions.get(article);
    if (!version) {
      const blocks = premiumBlocks(article);
      versions.set(article, (version = { premium: blocks, hash: premiumHash(blocks) }));
    }
    const { premium, hash } = version;
    const { keyId, key } = await keys.currentKey(db, article.id, hash);
    // the box's offer is in the key too: a new price must not be served from a section made with the old one
    const cacheKey = `${keyId}\0${hash}\0${article.id}\0${article.slug}\0${article.access}\0${offerKey(offer)}\0${experimentKey(running)}`;
    let html = sections.get(cacheKey);
    if (html === undefined) {
      const ciphertext = encryptPremium(premiumPlaintext(blocksHtml(premium)), key, keyId);
      html = String(<PremiumSection article={article} offer={offer} experiment={running} sealed={{ keyId, ciphertext, decoy: keys.decoy(keyId, premium) }} />);
      sections.set(cacheKey, html);
    }
    return raw(html);
  };
}
