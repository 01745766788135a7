// Every transition of the lifecycle, every forbidden one, and what the paywall reads in each state.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DomainError } from '../domain-error.ts';
import type { SubscriptionState } from '../db/index.ts';
import { ALLOWED_FROM, accessUntil, transition, type LifecycleEvent, type LifecycleSnapshot } from './subscription-lifecycle.ts';

const T0 = '2027-01-31T10:00:00.000Z';
const END = '2027-02-27T23:00:00.000Z';
const base = (state: SubscriptionState, extra: Partial<LifecycleSnapshot> = {}): LifecycleSnapshot => ({
  kind: 'paid', state, currentPeriodStart: state === 'pending' ? null : T0, currentPeriodEnd: state === 'pending' ? null : END,
  cancelEffectiveAt: null, cancelRequestedAt: null, pastDueSince: state === 'past_due' || state === 'dunning' ? T0 : null,
  dunningAttempts: state === 'dunning' ? 1 : 0, nextDunningAt: null, periodsPaid: state === 'pending' ? 0 : 1, introMonths: 1, monthsPerPeriod: 1,
  endedAt: state === 'ended' ? T0 : null, endReason: null, ...extra,
});
const EVENTS: LifecycleEvent[] = [
  { type: 'start', at: T0, periodEnd: END },
  { type: 'renew', at: END, periodStart: END, periodEnd: '2027-03-30T22:00:00.000Z' },
  { type: 'payment-failed', at: T0, reason: 'AM04' },
  { type: 'dunning-step', at: T0, nextAt: END },
  { type: 'payment-recovered', at: T0 },
  { type: 'cancel', at: T0, effectiveAt: END },
  { type: 'withdraw-cancellation', at: T0 },
  { type: 'expire', at: END, reason: 'cancelled' },
  { type: 'terminate', at: T0, reason: 'admin' },
];
const STATES: SubscriptionState[] = ['pending', 'intro', 'active', 'past_due', 'dunning', 'ended'];
const EXPECTED_TO: Record<string, SubscriptionState | ((from: SubscriptionState) => SubscriptionState)> = {
  start: 'intro', renew: 'active', 'payment-failed': (f) => (f === 'dunning' ? 'dunning' : 'past_due'), 'dunning-step': 'dunning',
  'payment-recovered': 'active', cancel: (f) => f, 'withdraw-cancellation': (f) => f, expire: 'ended', terminate: 'ended',
};

for (const e of EVENTS) {
  for (const from of STATES) {
    const allowed = ALLOWED_FROM[e.type].includes(from);
    test(`${e.type} from ${from} is ${allowed ? 'allowed' : 'forbidden'}`, () => {
      const s = base(from, e.type === 'withdraw-cancellation' ? { cancelEffectiveAt: END, cancelRequestedAt: T0 } : {});
      if (!allowed) {
        assert.throws(() => transition(s, e), (x: unknown) => x instanceof DomainError && x.code === 'conflict');
        return;
      }
      const t = transition(s, e);
      const want = EXPECTED_TO[e.type]!;
      assert.equal(t.to, typeof want === 'function' ? want(from) : want);
      assert.equal(t.from, from);
    });
  }
}

test('ended is final: no event leaves it', () => {
  for (const e of EVENTS) assert.throws(() => transition(base('ended'), e), DomainError);
});

test('a cancelled contract is not renewed, cannot be cancelled twice, and its cancellation can be withdrawn only before it takes effect', () => {
  const cancelled = transition(base('active'), { type: 'cancel', at: T0, effectiveAt: END }).next;
  assert.throws(() => transition(cancelled, { type: 'renew', at: END, periodStart: END, periodEnd: '2027-03-30T22:00:00.000Z' }), /nicht verlängert/);
  assert.throws(() => transition(cancelled, { type: 'cancel', at: T0, effectiveAt: END }), /bereits gekündigt/);
  assert.throws(() => transition(cancelled, { type: 'withdraw-cancellation', at: END }), /bereits wirksam/);
  assert.equal(transition(cancelled, { type: 'withdraw-cancellation', at: T0 }).next.cancelEffectiveAt, null);
});

test('a gift cannot be cancelled (it ends by itself) and dunning stops after three attempts', () => {
  assert.throws(() => transition(base('active', { kind: 'gift' }), { type: 'cancel', at: T0, effectiveAt: END }), /Geschenk/);
  assert.throws(() => transition(base('dunning', { dunningAttempts: 3 }), { type: 'dunning-step', at: T0, nextAt: END }), /ausgeschöpft/);
});

test('renewal leaves the intro after the intro months', () => {
  const started = transition(base('pending', { introMonths: 2 }), { type: 'start', at: T0, periodEnd: END }).next;
  assert.equal(started.state, 'intro');
  const second = transition(started, { type: 'renew', at: END, periodStart: END, periodEnd: '2027-03-30T22:00:00.000Z' }).next;
  assert.equal(second.state, 'intro');
  const third = transition(second, { type: 'renew', at: END, periodStart: '2027-03-30T22:00:00.000Z', periodEnd: '2027-04-29T22:00:00.000Z' }).next;
  assert.equal(third.state, 'active');
});

test('entitlement follows the state: period end, capped by the cancellation, grace while a payment is open, nothing pending or ended', () => {
  const grace = 3 * 86_400_000;
  assert.equal(accessUntil(base('pending'), grace), null);
  assert.equal(accessUntil(base('active'), grace), END);
  assert.equal(accessUntil(base('active', { cancelEffectiveAt: '2027-02-10T23:00:00.000Z' }), grace), '2027-02-10T23:00:00.000Z');
  assert.equal(accessUntil(base('past_due'), grace), new Date(Date.parse(T0) + grace).toISOString());
  assert.equal(accessUntil(base('ended'), grace), T0);
});
