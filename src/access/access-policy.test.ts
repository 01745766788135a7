// Checks every combination of article, reader and context against an independently written expectation, plus named cases.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkAccess, type AccessDecision, type AccessLevel, type AccessReader, type GrantReason, type InstitutionStanding, type ReaderMeter } from './access-policy.ts';
import type { Role } from '../accounts/index.ts';

type UserKind = 'guest' | Role;
type MeterState = 'disabled' | 'available' | 'exhausted' | 'alreadyCounted';

const LEVELS: AccessLevel[] = ['free', 'registered', 'plus'];
const USER_KINDS: UserKind[] = ['guest', 'reader', 'author', 'editor', 'admin'];
const METER_STATES: Record<MeterState, ReaderMeter> = {
  disabled: { limit: 0, used: 0, alreadyCounted: false },
  available: { limit: 3, used: 1, alreadyCounted: false },
  exhausted: { limit: 3, used: 3, alreadyCounted: false },
  alreadyCounted: { limit: 3, used: 2, alreadyCounted: true },
};
const BOOLS = [false, true];
type InstitutionState = 'none' | InstitutionStanding['via'];
const INSTITUTION_STATES: InstitutionState[] = ['none', 'network', 'seat', 'claim', 'full'];
const LIBRARY = { id: 'inst-1', name: 'Stadtbibliothek Musterstadt' };
const standing = (s: InstitutionState): InstitutionStanding | null => (s === 'none' ? null : { ...LIBRARY, via: s });

interface Case { level: AccessLevel; kind: UserKind; verified: boolean; subscriber: boolean; meter: MeterState; gift: boolean; crawler: boolean; institution: InstitutionState }

/**
 * The rules restated as "which reasons apply" plus one ranking, rather than as the implementation's
 * chain of ifs, so a slip in either shows up as a mismatch.
 */
function expected(c: Case): AccessDecision {
  const signedIn = c.kind !== 'guest';
  const staff = c.kind === 'author' || c.kind === 'editor' || c.kind === 'admin';
  const meter = METER_STATES[c.meter];
  const meterWouldOpen = c.level === 'plus' && c.kind === 'reader' && (c.meter === 'alreadyCounted' || c.meter === 'available');
  const applies: Record<GrantReason, boolean> = {
    free: c.level === 'free',
    staff: c.level !== 'free' && staff,
    subscriber: c.level !== 'free' && signedIn && c.subscriber,
    registered: c.level === 'registered' && signedIn,
    // A network opens for anyone there; a seat (held or free) only for a confirmed address — an unconfirmed one may be anybody's.
    institution: c.level !== 'free' && (c.institution === 'network' || ((c.institution === 'seat' || c.institution === 'claim') && signedIn && c.verified)),
    crawler: c.level !== 'free' && c.crawler,
    gift: c.level !== 'free' && c.gift,
    // The meter is for confirmed addresses only; registered articles ask for an account, confirmed or not.
    meter: meterWouldOpen && c.verified,
  };
  const ranking: GrantReason[] = ['free', 'staff', 'subscriber', 'registered', 'institution', 'crawler', 'gift', 'meter'];
  const reason = ranking.find((r) => applies[r]);
  if (reason === 'institution') return { granted: true, reason, institution: LIBRARY, claimSeat: c.institution === 'claim' };
  if (reason === 'meter') {
    const counted = c.meter === 'alreadyCounted';
    const used = counted ? meter.used : meter.used + 1;
    return { granted: true, reason, recordUnlock: !counted, meter: { limit: meter.limit, used, remaining: meter.limit - used } };
  }
  if (reason) return { granted: true, reason };
  if (c.level === 'registered') return { granted: false, need: 'login', signedIn: false };
  if (meterWouldOpen) {
    // only unconfirmed readers get here: confirming the address is what would open it
    const verification = { granted: false as const, need: 'verification' as const, signedIn: true };
    return meter.limit > 0 ? { ...verification, meter: { limit: meter.limit, used: meter.used, remaining: meter.limit - meter.used } } : verification;
  }
  // every seat taken: the reader hears so (only a confirmed address has a seat to speak of)
  const full = c.institution === 'full' && signedIn && c.verified ? { institutionFull: LIBRARY } : {};
  const denied = { granted: false as const, need: 'subscription' as const, signedIn, ...full };
  if (c.meter === 'disabled') return denied;
  const used = signedIn ? meter.used : 0;
  return { ...denied, meter: { limit: meter.limit, used, remaining: meter.limit - used } };
}

function readerFor(kind: UserKind, verified: boolean, subscriber: boolean, meter: ReaderMeter): AccessReader {
  return { user: kind === 'guest' ? null : { role: kind, emailVerified: verified }, subscriber, meter };
}

test('every combination of level, user, confirmed address, subscription, meter, gift, crawler and institution matches the rules', () => {
  let checked = 0;
  const grantsSeen = new Set<string>();
  for (const level of LEVELS) for (const kind of USER_KINDS) for (const verified of BOOLS) for (const subscriber of BOOLS)
    for (const meter of Object.keys(METER_STATES) as MeterState[]) for (const gift of BOOLS) for (const crawler of BOOLS) for (const institution of INSTITUTION_STATES) {
      const c: Case = { level, kind, verified, subscriber, meter, gift, crawler, institution };
      const actual = checkAccess({ access: level }, readerFor(kind, verified, subscriber, METER_STATES[meter]), { giftLinkValid: gift, verifiedCrawler: crawler, institution: standing(institution) });
      assert.deepEqual(actual, expected(c), JSON.stringify(c));
      grantsSeen.add(actual.granted ? actual.reason : `need-${actual.need}${'institutionFull' in actual ? '-full' : ''}`);
      checked++;
    }
  assert.equal(checked, 3 * 5 * 2 * 2 * 4 * 2 * 2 * 5);
  assert.deepEqual([...grantsSeen].sort(),
    ['crawler', 'free', 'gift', 'institution', 'meter', 'need-login', 'need-subscription', 'need-subscription-full', 'need-verification', 'registered', 'staff', 'subscriber']);
});

const guest = (meter: ReaderMeter = METER_STATES.available): AccessReader => ({ user: null, subscriber: false, meter });
const reader = (meter: ReaderMeter, subscriber = false, emailVerified = true): AccessReader => ({ user: { role: 'reader', emailVerified }, subscriber, meter });
const none = { giftLinkValid: false, verifiedCrawler: false };

test('a guest on a Plus article needs a subscription and is told a registration gives free articles', () => {
  assert.deepEqual(checkAccess({ access: 'plus' }, guest(), none),
    { granted: false, need: 'subscription', signedIn: false, meter: { limit: 3, used: 0, remaining: 3 } });
});

test('a guest on a registered article needs to log in', () => {
  assert.deepEqual(checkAccess({ access: 'registered' }, guest(), none), { granted: false, need: 'login', signedIn: false });
});

test('the last free meter article is granted and reported as leaving none', () => {
  assert.deepEqual(checkAccess({ access: 'plus' }, reader({ limit: 3, used: 2, alreadyCounted: false }), none),
    { granted: true, reason: 'meter', recordUnlock: true, meter: { limit: 3, used: 3, remaining: 0 } });
});

test('an article already unlocked this month opens again without counting, even past the limit', () => {
  assert.deepEqual(checkAccess({ access: 'plus' }, reader({ limit: 3, used: 3, alreadyCounted: true }), none),
    { granted: true, reason: 'meter', recordUnlock: false, meter: { limit: 3, used: 3, remaining: 0 } });
});

test('an article already unlocked this month stays readable after the meter is disabled', () => {
  const decision = checkAccess({ access: 'plus' }, reader({ limit: 0, used: 2, alreadyCounted: true }), none);
  assert.equal(decision.granted && decision.reason, 'meter');
});

test('a disabled meter grants nothing new and mentions no meter', () => {
  assert.deepEqual(checkAccess({ access: 'plus' }, reader({ limit: 0, used: 0, alreadyCounted: false }), none),
    { granted: false, need: 'subscription', signedIn: true });
});

test('a count above the limit (limit lowered mid-month) is exhausted, not negative', () => {
  assert.deepEqual(checkAccess({ access: 'plus' }, reader({ limit: 2, used: 5, alreadyCounted: false }), none),
    { granted: false, need: 'subscription', signedIn: true, meter: { limit: 2, used: 5, remaining: 0 } });
});

test('an unconfirmed reader the meter would let in is asked to confirm the address, and nothing is to be counted', () => {
  assert.deepEqual(checkAccess({ access: 'plus' }, reader(METER_STATES.available, false, false), none),
    { granted: false, need: 'verification', signedIn: true, meter: { limit: 3, used: 1, remaining: 2 } });
});

test('an unconfirmed reader does not reread a counted article either; an exhausted meter still asks for a subscription', () => {
  assert.equal(checkAccess({ access: 'plus' }, reader(METER_STATES.alreadyCounted, false, false), none).granted, false);
  assert.deepEqual(checkAccess({ access: 'plus' }, reader(METER_STATES.exhausted, false, false), none),
    { granted: false, need: 'subscription', signedIn: true, meter: { limit: 3, used: 3, remaining: 0 } });
});

test('an unconfirmed reader reads registered articles, as subscriber or with a gift link like anyone', () => {
  assert.deepEqual(checkAccess({ access: 'registered' }, reader(METER_STATES.available, false, false), none), { granted: true, reason: 'registered' });
  assert.deepEqual(checkAccess({ access: 'plus' }, reader(METER_STATES.available, true, false), none), { granted: true, reason: 'subscriber' });
  assert.deepEqual(checkAccess({ access: 'plus' }, reader(METER_STATES.available, false, false), { giftLinkValid: true, verifiedCrawler: false }), { granted: true, reason: 'gift' });
});

test('a subscriber never uses up the meter', () => {
  assert.deepEqual(checkAccess({ access: 'plus' }, reader(METER_STATES.available, true), none), { granted: true, reason: 'subscriber' });
});

test('a gift link does not use up the meter of a signed-in reader', () => {
  assert.deepEqual(checkAccess({ access: 'plus' }, reader(METER_STATES.available), { giftLinkValid: true, verifiedCrawler: false }),
    { granted: true, reason: 'gift' });
});

test('a guest claiming a subscription is not trusted', () => {
  const decision = checkAccess({ access: 'plus' }, { ...guest(METER_STATES.disabled), subscriber: true }, none);
  assert.equal(decision.granted, false);
});

test('a meter state on a guest grants nothing', () => {
  assert.equal(checkAccess({ access: 'plus' }, guest(METER_STATES.alreadyCounted), none).granted, false);
});

test('staff roles read registered and Plus articles as staff, even when subscribed', () => {
  for (const role of ['author', 'editor', 'admin'] as const) {
    for (const access of ['registered', 'plus'] as const) {
      assert.deepEqual(checkAccess({ access }, { user: { role, emailVerified: false }, subscriber: true, meter: METER_STATES.exhausted }, none), { granted: true, reason: 'staff' });
    }
  }
});

test('only a verified crawler reads Plus text; the flag is all that counts here', () => {
  assert.deepEqual(checkAccess({ access: 'plus' }, guest(METER_STATES.disabled), { giftLinkValid: false, verifiedCrawler: true }), { granted: true, reason: 'crawler' });
  assert.equal(checkAccess({ access: 'plus' }, guest(METER_STATES.disabled), none).granted, false);
});

test('the network of an institution opens Plus and registered articles for guests too, and never touches the meter', () => {
  const network = { ...none, institution: standing('network') };
  assert.deepEqual(checkAccess({ access: 'plus' }, guest(), network), { granted: true, reason: 'institution', institution: LIBRARY, claimSeat: false });
  assert.deepEqual(checkAccess({ access: 'registered' }, guest(), network), { granted: true, reason: 'institution', institution: LIBRARY, claimSeat: false });
  assert.deepEqual(checkAccess({ access: 'plus' }, reader(METER_STATES.available), network), { granted: true, reason: 'institution', institution: LIBRARY, claimSeat: false });
});

test('a seat by email domain needs a confirmed address: unconfirmed, the reader is treated as if there were no institution', () => {
  for (const via of ['seat', 'claim'] as const) {
    assert.equal(checkAccess({ access: 'plus' }, reader(METER_STATES.disabled, false, false), { ...none, institution: standing(via) }).granted, false);
    assert.deepEqual(checkAccess({ access: 'plus' }, reader(METER_STATES.disabled), { ...none, institution: standing(via) }),
      { granted: true, reason: 'institution', institution: LIBRARY, claimSeat: via === 'claim' });
  }
});

test('every seat taken: the meter still opens; without it the denial names the institution', () => {
  const full = { ...none, institution: standing('full') };
  assert.equal(checkAccess({ access: 'plus' }, reader(METER_STATES.available), full).granted && 'meter', 'meter');
  assert.deepEqual(checkAccess({ access: 'plus' }, reader(METER_STATES.disabled), full), { granted: false, need: 'subscription', signedIn: true, institutionFull: LIBRARY });
});

test('an institution comes after subscription and before crawler, gift and meter', () => {
  const all = { giftLinkValid: true, verifiedCrawler: true, institution: standing('network') };
  assert.equal(checkAccess({ access: 'plus' }, reader(METER_STATES.available, true), all).granted && 'subscriber', 'subscriber');
  const d = checkAccess({ access: 'plus' }, reader(METER_STATES.available), all);
  assert.equal(d.granted && d.reason, 'institution');
});

test('free articles are free for everyone', () => {
  assert.deepEqual(checkAccess({ access: 'free' }, guest(), none), { granted: true, reason: 'free' });
});
