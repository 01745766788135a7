// The unlock of a Plus article: decide, check the page's key id is the current one, count the meter or take an institution's seat, hand out the content key.
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
import type { InstitutionDirectory } from './institution-directory.ts';
import { claimInstitutionSeat, noteSeatUse } from './institution.service.ts';
import { countUnlock } from '../metrics/index.ts';

export interface UnlockDeps {
  keys: ContentKeyStore;
  articleFacts: ArticleFactsReader;
  meter: MeterSettings;
  isSubscriber?: SubscriptionCheck;
  /** institutions' networks and domains; without it no institution grants */
  institutions?: InstitutionDirectory;
}

export interface UnlockInput {
  articleId: string;
  keyId: string;
  giftToken?: string | undefined;
  user: AccessUser | null;
  verifiedCrawler: boolean;
  /** the client's address as the web platform determines it (trusted proxies only) */
  clientIp?: string | undefined;
  now: Date;
}

/** `institution` with reason `institution`: whose access opened it (`via`: its network or a seat by email domain). */
export type UnlockResult =
  /** `counted`: this unlock used up a free meter article just now (the insights count it as a meter unlock) */
  | { granted: true; key: Buffer; keyId: string; reason: GrantReason; meter?: MeterStatus; counted?: boolean; institution?: { id: string; name: string; via: 'network' | 'domain' } }
  | { granted: false; need: AccessNeed; signedIn: boolean; meter?: MeterStatus; gift: GiftState | null; articleSlug: string; institutionFull?: { id: string; name: string } };

/**
 * Order matters: unknown article (not-found) → entitlement (a denial says nothing about keys) → key id of the
 * page (conflict when the text changed since the page was rendered: the old key would keep a corrected text
 * readable) → only then the meter is counted or an institution's seat taken, so a stale page never uses up a free
 * article or a seat.
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

  const { decision, gift, institution } = await resolveEntitlement(db, {
    article, user, giftToken: input.giftToken, verifiedCrawler: input.verifiedCrawler, meter: deps.meter, now,
    clientIp: input.clientIp, institutions: deps.institutions,
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
  if (decision.reason === 'institution') {
    const via = institution?.via === 'network' ? 'network' as const : 'domain' as const;
    if (decision.claimSeat && user) {
      const claim = await claimInstitutionSeat(db, { institutionId: decision.institution.id, user, now });
      if (claim !== 'member') {
        // Another reader took the last seat first (or the access ended meanwhile): closed, and the reader is told why.
        return {
          granted: false, need: 'subscription', signedIn: true, gift, articleSlug: article.slug,
          ...(claim === 'full' ? { institutionFull: decision.institution } : {}),
        };
      }
    } else if (institution?.staleUse && user) {
      await noteSeatUse(db, decision.institution.id, user.id, now);
    }
    return { granted: true, key: current.key, keyId: current.keyId, reason: 'institution', institution: { ...decision.institution, via } };
  }
  if (decision.reason !== 'meter') return { granted: true, key: current.key, keyId: current.keyId, reason: decision.reason };
  if (!decision.recordUnlock || !user) return { granted: true, key: current.key, keyId: current.keyId, reason: 'meter', meter: decision.meter };
  const recorded = await recordMeterUnlock(db, { user, article, meter: deps.meter, now });
  if (!recorded.granted) return { ...recorded, gift, articleSlug: article.slug };
  return { granted: true, key: current.key, keyId: current.keyId, reason: recorded.reason, ...(recorded.reason === 'meter' ? { meter: recorded.meter, counted: recorded.recordUnlock } : {}) };
}
