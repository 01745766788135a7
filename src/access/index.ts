// Public face of the access domain: who may read what, content keys and ciphertext, the decoy, crawler verification, meter, gifts, subscriptions.
export { AccessError, type AccessErrorCode } from './access-error.ts';
export {
  checkAccess,
  type AccessArticle, type AccessContext, type AccessDecision, type AccessLevel, type AccessNeed, type AccessReader, type InstitutionStanding,
  type GrantReason, type MeterStatus, type ReaderMeter,
} from './access-policy.ts';
export {
  decryptPremium, deriveDecoySeed, encryptPremium, generateContentKey, loadOrCreateMasterKey, parseMasterKey,
  newKeyId, premiumPlaintext, unwrapContentKey, wrapContentKey,
} from './content-crypto.ts';
export {
  findMasterKeyRing, loadMasterKeyRing, masterKeyFingerprint, rewrapContentKey, ringKeys, singleKeyRing, unwrapWithRing, type MasterKeyRing,
} from './master-key-ring.ts';
export { makeDecoy, type DecoySourceBlock } from './decoy.ts';
export {
  createCrawlerVerifier, dnsResolver, normaliseIp,
  type CrawlerName, type CrawlerVerdict, type CrawlerVerifier, type CrawlerVerifierOptions, type HostResolver,
} from './crawler-verification.ts';
export { berlinMonth, berlinMonthStart } from './berlin-calendar.ts';
export { createContentKeyStore, premiumHash, type ContentKey, type ContentKeyStore } from './content-key.store.ts';
export { createArticleFactsReader, type ArticleFacts, type ArticleFactsReader } from './article-facts.queries.ts';
export {
  cachedSubscriptionCheck, hasActiveSubscription, type SubscriptionCheck,
} from './subscription.queries.ts';
export { readMeter } from './meter.queries.ts';
export { deriveMeterAddressKey, meterAddressOf, normaliseMeterAddress, type MeterSettings } from './meter-address.ts';
export {
  GIFT_LINKS_PER_MONTH, GIFT_LINK_DAYS, GIFT_TOKEN_PATTERN, GIVER_NOT_ENTITLED, createGiftLink, mayGive, giftLinksThisMonth, giftState, listGiftLinks, revokeGiftLink,
  type GiftLink, type GiftState,
} from './gift-link.service.ts';
export { readsAllPlus, recordMeterUnlock, resolveEntitlement, type AccessUser, type Entitlement, type EntitlementInput } from './entitlement.service.ts';
export { unlockArticle, type UnlockDeps, type UnlockInput, type UnlockResult } from './unlock.service.ts';
export { INSTITUTION_KINDS, INSTITUTION_KIND_LABELS, emailDomainOf, parseInstitutionInput, type InstitutionInput, type InstitutionKind } from './institution-input.ts';
export { MIN_PREFIX, parseNetwork, isNetworkProblem, type Network } from './institution-network.ts';
export { createInstitutionDirectory, INSTITUTION_REFRESH_MS, type InstitutionDirectory } from './institution-directory.ts';
export { institutionUnlocks, institutionUnlocksByDay, listMembers, seatsTaken, type Institution, type InstitutionMember } from './institution.queries.ts';
export {
  claimInstitutionSeat, findInstitution, freeSeat, institutionStanding, institutionStatus, listInstitutions, noteSeatUse, revokeInstitution, saveInstitution,
  type InstitutionStatus, type SeatClaim,
} from './institution.service.ts';
