// Who may read an article: one pure function from article, reader and request context to a decision the paywall and unlock endpoint act on.
import { isStaffRole, type Role } from '../accounts/index.ts';

export type AccessLevel = 'free' | 'registered' | 'plus';
export type GrantReason = 'free' | 'registered' | 'subscriber' | 'staff' | 'institution' | 'meter' | 'gift' | 'crawler';

export interface AccessArticle { access: AccessLevel }

export interface ReaderMeter {
  /** Plus articles a reader may unlock per calendar month; 0 disables the meter. */
  limit: number;
  /** Articles unlocked this month, this one not included unless alreadyCounted. */
  used: number;
  /** This article was already unlocked by the meter this month. */
  alreadyCounted: boolean;
}

export interface AccessReader {
  /** `emailVerified`: the account's address is confirmed — the meter is only for confirmed addresses. */
  user: null | { role: Role; emailVerified: boolean };
  subscriber: boolean;
  meter: ReaderMeter;
}

/**
 * What an institution (school, library, company) says about this request, found by the caller:
 * - `network`: the request comes from one of its networks — anyone there reads, guests too;
 * - `seat`: the reader's confirmed address is of its email domain and holds a seat;
 * - `claim`: the same, and a seat is free for the reader (taken on this first use);
 * - `full`: the same, but every seat is taken.
 * Only institutions whose access runs today (not revoked, end date not passed) are given.
 */
export interface InstitutionStanding { id: string; name: string; via: 'network' | 'seat' | 'claim' | 'full' }

export interface AccessContext {
  giftLinkValid: boolean;
  verifiedCrawler: boolean;
  /** none when left out */
  institution?: InstitutionStanding | null;
}

export interface MeterStatus { limit: number; used: number; remaining: number }

export type AccessDecision =
  | { granted: true; reason: Exclude<GrantReason, 'meter' | 'institution'> }
  /** `claimSeat`: the caller must take a seat for the reader first (claimInstitutionSeat decides again under a lock) */
  | { granted: true; reason: 'institution'; institution: { id: string; name: string }; claimSeat: boolean }
  /** `recordUnlock`: the caller must store a meter unlock for this month; `meter` already counts it. */
  | { granted: true; reason: 'meter'; recordUnlock: boolean; meter: MeterStatus }
  /**
   * `need: 'login'` — a registered article and a guest; `need: 'subscription'` — a Plus article;
   * `need: 'verification'` — a signed-in reader the meter would let in once the address is confirmed. `signedIn`
   * tells the offer box whether to offer login too; `meter` (when the meter is on) lets it say how many
   * free articles a registration gives or that this month's are used up; `institutionFull`: the reader's
   * institution would grant, but all its seats are taken.
   */
  | { granted: false; need: AccessNeed; signedIn: boolean; meter?: MeterStatus; institutionFull?: { id: string; name: string } };

export type AccessNeed = 'login' | 'subscription' | 'verification';

const meterStatus = (limit: number, used: number): MeterStatus => ({ limit, used, remaining: Math.max(0, limit - used) });

/**
 * Precedence, first match wins:
 *   1. free article → free
 *   2. staff role (author, editor, admin) → staff
 *   3. subscriber with an account → subscriber
 *   4. registered article and signed in → registered
 *   5. institution: the request comes from one of its networks (anyone, guests too), or the reader's confirmed
 *      address is of its email domain and holds a seat or a seat is free (claimSeat) → institution
 *   6. verified crawler → crawler
 *   7. valid gift link → gift
 *   8. Plus article, signed-in reader, meter (already counted this month, or limit > used) → meter when the
 *      address is confirmed, otherwise need verification
 *   9. otherwise: registered article → need login; Plus article → need subscription (with `institutionFull`
 *      when the reader's institution has no seat left)
 * Lasting entitlements tied to the person come first so the reason is the most telling one; an institution's
 * access is lasting too and never touches the meter, so it comes before crawler, gift and meter; the gift
 * link comes before the meter so opening a gift never uses up a free article; the meter comes last
 * because it is the only grant that changes state for the reader. A seat by email domain needs a confirmed
 * address like the meter (an unconfirmed account may carry anybody's address); a network needs nothing,
 * it is where the reader sits. Subscription and meter count only with an account:
 * a guest flagged as subscriber is a caller's mistake and is not trusted. An article already unlocked
 * this month stays readable even after the publisher lowers or disables the meter — the reader was told so.
 * The meter needs a confirmed address (already counted articles too: an unconfirmed account may carry someone
 * else's address, whose count it must not use), so a throwaway address buys nothing; registered articles ask only
 * for an account, as they always did — registering is all they ask for.
 */
export function checkAccess(article: AccessArticle, reader: AccessReader, context: AccessContext): AccessDecision {
  if (article.access === 'free') return { granted: true, reason: 'free' };
  const { user, meter } = reader;
  if (user && isStaffRole(user.role)) return { granted: true, reason: 'staff' };
  if (user && reader.subscriber) return { granted: true, reason: 'subscriber' };
  if (user && article.access === 'registered') return { granted: true, reason: 'registered' };
  const inst = context.institution;
  if (inst && (inst.via === 'network' || ((inst.via === 'seat' || inst.via === 'claim') && user?.emailVerified))) {
    return { granted: true, reason: 'institution', institution: { id: inst.id, name: inst.name }, claimSeat: inst.via === 'claim' };
  }
  if (context.verifiedCrawler) return { granted: true, reason: 'crawler' };
  if (context.giftLinkValid) return { granted: true, reason: 'gift' };
  if (article.access === 'registered') return { granted: false, need: 'login', signedIn: false };

  const meterOn = meter.limit > 0;
  const meterWouldGrant = user !== null && (meter.alreadyCounted || (meterOn && meter.used < meter.limit));
  if (user && meterWouldGrant && !user.emailVerified) {
    const denied = { granted: false as const, need: 'verification' as const, signedIn: true };
    return meterOn ? { ...denied, meter: meterStatus(meter.limit, meter.used) } : denied;
  }
  if (user && meter.alreadyCounted) {
    return { granted: true, reason: 'meter', recordUnlock: false, meter: meterStatus(meter.limit, meter.used) };
  }
  if (user && meterOn && meter.used < meter.limit) {
    return { granted: true, reason: 'meter', recordUnlock: true, meter: meterStatus(meter.limit, meter.used + 1) };
  }
  const full = inst?.via === 'full' && user?.emailVerified ? { institutionFull: { id: inst.id, name: inst.name } } : {};
  const denied = { granted: false as const, need: 'subscription' as const, signedIn: user !== null, ...full };
  return meterOn ? { ...denied, meter: meterStatus(meter.limit, user ? meter.used : 0) } : denied;
}
