// The unlock of a Plus article: decide, check the page's key id is the current one, count the meter, hand out the content key.
import type { Kysely } from 'kysely';
import { nowIso, type Database } from '../db/index.ts';
import { DomainError } from '../domain-error.ts';
import { isStaffRole } from '../accounts/index.ts';
import type { AccessNeed, GrantReason, MeterStatus } from './access-policy.ts';
import type { ArticleFactsReader } from './article-facts.queries.ts';
import type { ContentKeyStore } from './content-key.store.ts';
import { recordMeterUnlock, resolveEntitlement, type AccessUser } from './entitlement.service.ts';
import type { GiftState } from './gift-link.service.ts';
import type { MeterSettings } from './meter-address.ts';
import type { SubscriptionCheck } from './subscription.queries.ts';
import { countUnlock } from '../metrics/index.ts';

export interface UnlockDeps {
  keys: ContentKeyStore;
  articleFacts: ArticleFactsReader;
  meter: MeterSettings;
  isSubscriber?: SubscriptionCheck;
}

export interface UnlockInput {
  articleId: string;
  keyId: string;
  giftToken?: string | undefined;
  user: AccessUser | null;
  verifiedCrawler: boolean;
  now: Date;
}

export type UnlockResult =
  /** `counted`: this unlock used up a free meter article just now (the insights count it as a meter unlock) */
  | { granted: true; key: Buffer; keyId: string; reason: GrantReason; meter?: MeterStatus; counted?: boolean }
  | { granted: false; need: AccessNeed; signedIn: boolean; meter?: MeterStatus; gift: GiftState | null; articleSlug: string };

/**
 * Order matters: unknown article (not-found) → entitlement (a denial says nothing about keys) → key id of the
 * page (conflict when the text changed since the page was rendered: the old key would keep a corrected text
 * readable) → only then the meter is counted, so a stale page never uses up a free article.
 */
export async function unlockArticle(db: Kysely<Database>, deps: UnlockDeps, input: UnlockInput): Promise<UnlockResult> {
  const result = await decideUnlock(db, deps, input);
  // /metrics: unlocks by reason (granted) or by what was missing (denied); errors (unknown article, stale key) are not unlocks
  if (result.granted) countUnlock('granted', result.reason); else countUnlock('denied', result.need);
  return result;
}

async function decideUnlock(db: Kysely<Database>, deps: UnlockDeps, input: UnlockInput): Promise<UnlockResult> {
  const { user, now } = input;
  let article = await deps.articleFacts(db, input.articleId);
  // A scheduled article does not exist yet for readers and subscribers: its key must not leave before it is published.
  // A newsroom draft or an unpublished article does not exist for anyone here (the newsroom previews without keys).
  const visible = article && article.live && (article.publishedAt <= nowIso(now) || (user !== null && isStaffRole(user.role)));
  if (!article || !visible) throw new DomainError('not-found', 'Diesen Artikel gibt es nicht (mehr).', 'articleId');
  // A free article has no premium part and no key; asking for one is a client's mistake, not a reason to make a key.
  if (article.access === 'free') throw new DomainError('invalid-input', 'Dieser Artikel ist frei lesbar; es gibt nichts freizuschalten.', 'articleId');

  const { decision, gift } = await resolveEntitlement(db, {
    article, user, giftToken: input.giftToken, verifiedCrawler: input.verifiedCrawler, meter: deps.meter, now,
    ...(deps.isSubscriber ? { isSubscriber: deps.isSubscriber } : {}),
  });
  if (!decision.granted) return { ...decision, gift, articleSlug: article.slug };

  let current = await deps.keys.currentKey(db, article.id, article.premiumHash);
  if (current.keyId !== input.keyId) {
    // The facts may be a few seconds old: ask the database before telling the reader to reload.
    article = (await deps.articleFacts(db, input.articleId, { fresh: true })) ?? article;
    current = await deps.keys.currentKey(db, article.id, article.premiumHash);
  }
  if (current.keyId !== input.keyId) {
    throw new DomainError('conflict', 'Der Artikel wurde inzwischen aktualisiert. Bitte laden Sie die Seite neu.', 'keyId');
  }
  if (decision.reason !== 'meter') return { granted: true, key: current.key, keyId: current.keyId, reason: decision.reason };
  if (!decision.recordUnlock || !user) return { granted: true, key: current.key, keyId: current.keyId, reason: 'meter', meter: decision.meter };
  const recorded = await recordMeterUnlock(db, { user, article, meter: deps.meter, now });
  if (!recorded.granted) return { ...recorded, gift, articleSlug: article.slug };
  return { granted: true, key: current.key, keyId: current.keyId, reason: recorded.reason, ...(recorded.reason === 'meter' ? { meter: recorded.meter, counted: recorded.recordUnlock } : {}) };
}
