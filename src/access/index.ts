// Public face of the access domain: who may read what, content keys and ciphertext, the decoy, crawler verification.
export { AccessError, type AccessErrorCode } from './access-error.ts';
export {
  checkAccess,
  type AccessArticle, type AccessContext, type AccessDecision, type AccessLevel, type AccessReader,
  type GrantReason, type MeterStatus, type ReaderMeter, type UserRole,
} from './access-policy.ts';
export {
  decryptPremium, deriveDecoySeed, encryptPremium, generateContentKey, loadOrCreateMasterKey,
  newKeyId, premiumPlaintext, unwrapContentKey, wrapContentKey,
} from './content-crypto.ts';
export { makeDecoy, type DecoySourceBlock } from './decoy.ts';
export {
  createCrawlerVerifier, dnsResolver, normaliseIp,
  type CrawlerName, type CrawlerVerdict, type CrawlerVerifier, type CrawlerVerifierOptions, type HostResolver,
} from './crawler-verification.ts';
