// Gathers the facts checkAccess needs — subscription, institution, gift link, meter — asking the database only for those that can still matter, and records meter unlocks.
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/index.ts';
import { checkAccess, type AccessDecision, type AccessLevel, type ReaderMeter } from './access-policy.ts';
import { isStaffRole, type Role } from '../accounts/index.ts';
import { giftState, type GiftState } from './gift-link.service.ts';
import { meterAddressOf, type MeterSettings } from './meter-address.ts';
import { insertMeterUnlock, lockReader, pruneMeterAddresses, readMeter } from './meter.queries.ts';
import { hasActiveSubscription, type SubscriptionCheck } from './subscription.queries.ts';
import type { InstitutionDirectory } from './institution-directory.ts';
import { institutionStanding, type Standing } from './institution.service.ts';

type Db = Kysely<Database> | Transaction<Database>;

/** The signed-in reader as access decisions need them: the address counts for the meter once it is confirmed. */
export interface AccessUser { id: string; role: Role; email: string; emailVerified: boolean }

export interface EntitlementInput {
  article: { id: string; access: AccessLevel };
  user: AccessUser | null;
  /** the token of a gift link the request carries, unchecked */
  giftToken?: string | undefined;
  /** the caller verified the request's IP as a search crawler */
  verifiedCrawler: boolean;
  meter: MeterSettings;
  now: Date;
  /** how to ask for a subscription; default: the database every time */
  isSubscriber?: SubscriptionCheck;
  /** the client's address as the web platform determines it (KLARTEXT_TRUST_PROXY rules, never a header the client wrote) */
  clientIp?: string | undefined;
  /** the institutions' networks and domains; without it no institution grants */
  institutions?: InstitutionDirectory | undefined;
}

export interface Entitlement {
  decision: AccessDecision;
  /** what the gift token was worth; null when none was given or it did not need looking at */
  gift: GiftState | null;
  /** what an institution said; null when none or it did not need looking at */
  institution: Standing | null;
}

/** Only a confirmed address is counted by: an unconfirmed one may be someone else's. */
const addressHashOf = (user: AccessUser, meter: MeterSettings): string | null =>
  user.emailVerified ? meterAddressOf(meter.addressKey, user.email) : null;

/**
 * Decides without changing anything. A meter grant comes back with `recordUnlock: true` when this article still
 * has to be counted: the caller then calls recordMeterUnlock, which decides again under a lock before writing.
 * Facts are fetched in precedence order and only while they can change the outcome, so a subscriber's unlock
 * costs one query and a staff member's none; the institutions are asked from memory (a query only for a reader whose
 * confirmed address has an institution's domain). A grant with `claimSeat` is decided, not yet taken: the caller
 * calls claimInstitutionSeat, which decides again under the institution's lock.
 */
export async function resolveEntitlement(db: Db, input: EntitlementInput): Promise<Entitlement> {
  const { article, user, now } = input;
  const noMeter: ReaderMeter = { limit: input.meter.limit, used: 0, alreadyCounted: false };
  let institution: Standing | null = null;
  const decide = (subscriber: boolean, gift: GiftState | null, meter: ReaderMeter): Entitlement => ({
    decision: checkAccess(article, { user, subscriber, meter }, { giftLinkValid: gift === 'valid', verifiedCrawler: input.verifiedCrawler, institution }),
    gift, institution,
  });
  if (article.access === 'free' || (user && isStaffRole(user.role))) return decide(false, null, noMeter);
  const subscriber = user ? await (input.isSubscriber ?? hasActiveSubscription)(db, user.id, now) : false;
  if (subscriber || (user && article.access === 'registered')) return decide(subscriber, null, noMeter);
  if (input.institutions) {
    institution = await institutionStanding(db as Kysely<Database>, input.institutions, { clientIp: input.clientIp, user, now });
    if (institution && institution.via !== 'full') {
      const d = decide(false, null, noMeter);
      if (d.decision.granted) return d;
    }
  }
  if (input.verifiedCrawler) return decide(false, null, noMeter);
  const gift = input.giftToken ? await giftState(db, { token: input.giftToken, articleId: article.id, now }) : null;
  if (gift === 'valid' || !user || article.access !== 'plus') return decide(false, gift, noMeter);
  const meter = await readMeter(db, { userId: user.id, addressHash: addressHashOf(user, input.meter), articleId: article.id, limit: input.meter.limit, now });
  return decide(false, gift, meter);
}

/**
 * Counts a meter unlock exactly once: under the reader's lock it reads the meter again, decides again and
 * stores the unlock only if the decision still says so. Returns that fresh decision — a denial when a
 * concurrent request took the last free article first, or when the address is not confirmed.
 */
export async function recordMeterUnlock(db: Kysely<Database>, input: { user: AccessUser; article: { id: string; access: AccessLevel }; meter: MeterSettings; now: Date }): Promise<AccessDecision> {
  const { user, article, now } = input;
  const addressHash = addressHashOf(user, input.meter);
  return db.transaction().execute(async (trx) => {
    // First statement of the transaction, see lockReader: on SQLite it takes the write lock before anything is read.
    await lockReader(trx, user.id);
    const meter = await readMeter(trx, { userId: user.id, addressHash, articleId: article.id, limit: input.meter.limit, now });
    const decision = checkAccess(article, { user, subscriber: false, meter }, { giftLinkValid: false, verifiedCrawler: false });
    if (decision.granted && decision.reason === 'meter' && decision.recordUnlock && addressHash !== null) {
      await insertMeterUnlock(trx, { userId: user.id, addressHash, articleId: article.id, now });
      await pruneMeterAddresses(trx, now);
    }
    return decision;
  });
}

/**
 * Whether the reader may read every Plus article — staff, subscriber, or (with `via`) an institution: a network the
 * request comes from, or a seat the reader already holds (search takes no seat). What search asks before looking into
 * premium text. Gift links ask without `via`: only what the reader has personally may be passed on.
 */
export async function readsAllPlus(
  db: Db, user: { id: string; role: Role; email?: string; emailVerified?: boolean } | null, now: Date,
  via?: { clientIp: string; institutions: InstitutionDirectory },
): Promise<boolean> {
  if (user && (isStaffRole(user.role) || (await hasActiveSubscription(db, user.id, now)))) return true;
  if (!via) return false;
  const reader = user && user.email !== undefined ? { id: user.id, email: user.email, emailVerified: user.emailVerified === true } : null;
  const standing = await institutionStanding(db as Kysely<Database>, via.institutions, { clientIp: via.clientIp, user: reader, now });
  return standing?.via === 'network' || standing?.via === 'seat';
}
