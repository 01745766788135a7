// The subscription lifecycle as one explicit state machine: which event may move a contract from which state, and what it writes.
import type { SubscriptionState } from '../db/index.ts';
import { DomainError } from '../domain-error.ts';

/** The part of a contract the lifecycle reads and writes. Instants are ISO strings (UTC). */
export interface LifecycleSnapshot {
  kind: 'paid' | 'gift' | 'comp';
  state: SubscriptionState;
  currentPeriodStart: string | null;
  currentPeriodEnd: string | null;
  cancelEffectiveAt: string | null;
  cancelRequestedAt: string | null;
  pastDueSince: string | null;
  dunningAttempts: number;
  nextDunningAt: string | null;
  periodsPaid: number;
  introMonths: number;
  monthsPerPeriod: number;
  endedAt: string | null;
  endReason: string | null;
}

export type LifecycleEvent =
  /** the order is complete (mandate signed, or Stripe confirmed the checkout): the first period begins */
  | { type: 'start'; at: string; periodEnd: string }
  /** the next period was charged (or Stripe renewed it) */
  | { type: 'renew'; at: string; periodStart: string; periodEnd: string }
  /** a charge failed or a debit came back */
  | { type: 'payment-failed'; at: string; reason: string }
  /** a dunning step: reminder sent, payment tried again */
  | { type: 'dunning-step'; at: string; nextAt: string }
  /** the outstanding payment arrived (re-presented debit, new payment method, Stripe paid) */
  | { type: 'payment-recovered'; at: string; periodEnd?: string }
  | { type: 'cancel'; at: string; effectiveAt: string }
  | { type: 'withdraw-cancellation'; at: string }
  /** the contract's time is up: cancellation reached, gift over, dunning exhausted */
  | { type: 'expire'; at: string; reason: string }
  /** ended at once: extraordinary cancellation, withdrawal (Widerruf), admin */
  | { type: 'terminate'; at: string; reason: string };

export type LifecycleEventType = LifecycleEvent['type'];

const LIVE: readonly SubscriptionState[] = ['intro', 'active', 'past_due', 'dunning'];

/** Which states each event may leave from. Everything not listed is a forbidden transition. */
export const ALLOWED_FROM: Readonly<Record<LifecycleEventType, readonly SubscriptionState[]>> = {
  start: ['pending'],
  renew: ['intro', 'active'],
  'payment-failed': ['intro', 'active', 'past_due', 'dunning'],
  'dunning-step': ['past_due', 'dunning'],
  'payment-recovered': ['past_due', 'dunning'],
  cancel: ['pending', ...LIVE],
  'withdraw-cancellation': LIVE,
  expire: ['pending', ...LIVE],
  terminate: ['pending', ...LIVE],
};

/** Dunning: three attempts over fourteen days (day 0, 7, 14), then the contract ends. */
export const DUNNING_ATTEMPTS = 3;
export const DUNNING_DAYS = 14;

export interface Transition { from: SubscriptionState; to: SubscriptionState; next: LifecycleSnapshot }

function forbidden(s: LifecycleSnapshot, e: LifecycleEvent, why?: string): never {
  throw new DomainError('conflict', why ?? `Das geht in diesem Zustand nicht (${STATE_LABELS[s.state]}: ${e.type}).`, 'state');
}

/** Applies one event; throws DomainError('conflict') for a transition the table does not allow. Pure. */
export function transition(s: LifecycleSnapshot, e: LifecycleEvent): Transition {
  if (!ALLOWED_FROM[e.type].includes(s.state)) forbidden(s, e);
  const n: LifecycleSnapshot = { ...s };
  switch (e.type) {
    case 'start':
      n.currentPeriodStart = e.at;
      n.currentPeriodEnd = e.periodEnd;
      n.periodsPaid = 1;
      n.state = s.kind === 'paid' && s.introMonths > 0 ? 'intro' : 'active';
      break;
    case 'renew':
      if (s.cancelEffectiveAt !== null && s.cancelEffectiveAt <= e.periodStart) forbidden(s, e, 'Ein gekündigtes Abo wird nicht verlängert.');
      if (s.kind !== 'paid') forbidden(s, e, 'Nur bezahlte Abos werden verlängert.');
      n.currentPeriodStart = e.periodStart;
      n.currentPeriodEnd = e.periodEnd;
      n.periodsPaid = s.periodsPaid + 1;
      n.dunningAttempts = 0;
      n.state = n.periodsPaid * s.monthsPerPeriod <= s.introMonths ? 'intro' : 'active';
      break;
    case 'payment-failed':
      n.state = s.state === 'dunning' ? 'dunning' : 'past_due';
      n.pastDueSince = s.pastDueSince ?? e.at;
      n.nextDunningAt = s.nextDunningAt ?? e.at;
      break;
    case 'dunning-step':
      if (s.dunningAttempts >= DUNNING_ATTEMPTS) forbidden(s, e, 'Alle Mahnstufen sind ausgeschöpft.');
      n.state = 'dunning';
      n.dunningAttempts = s.dunningAttempts + 1;
      n.nextDunningAt = e.nextAt;
      break;
    case 'payment-recovered':
      n.state = 'active';
      n.pastDueSince = null;
      n.nextDunningAt = null;
      // attempts are kept: a re-presented debit that comes back again continues the count (three in all, not three per return)
      if (e.periodEnd) n.currentPeriodEnd = e.periodEnd;
      break;
    case 'cancel':
      if (s.kind === 'gift') forbidden(s, e, 'Ein Geschenk-Abo endet von selbst; eine Kündigung ist nicht nötig.');
      if (s.cancelEffectiveAt !== null) forbidden(s, e, 'Dieses Abo ist bereits gekündigt.');
      n.cancelRequestedAt = e.at;
      n.cancelEffectiveAt = e.effectiveAt;
      break;
    case 'withdraw-cancellation':
      if (s.cancelEffectiveAt === null) forbidden(s, e, 'Dieses Abo ist nicht gekündigt.');
      if (s.cancelEffectiveAt <= e.at) forbidden(s, e, 'Die Kündigung ist bereits wirksam geworden.');
      n.cancelRequestedAt = null;
      n.cancelEffectiveAt = null;
      break;
    case 'expire':
    case 'terminate':
      n.state = 'ended';
      n.endedAt = e.at;
      n.endReason = e.reason;
      n.nextDunningAt = null;
      break;
  }
  return { from: s.state, to: n.state, next: n };
}

/**
 * Until when the contract entitles its reader: what the paywall reads. A running period counts to its end (or the
 * cancellation date, whichever is first); while a payment is outstanding, only the grace period counts.
 */
export function accessUntil(s: LifecycleSnapshot, graceMs: number): string | null {
  const cap = (iso: string | null) => (iso !== null && s.cancelEffectiveAt !== null && s.cancelEffectiveAt < iso ? s.cancelEffectiveAt : iso);
  switch (s.state) {
    case 'pending': return null;
    case 'intro': case 'active': return cap(s.currentPeriodEnd);
    case 'past_due': case 'dunning': {
      const grace = new Date(Date.parse(s.pastDueSince!) + graceMs).toISOString();
      return cap(grace);
    }
    case 'ended': return s.endedAt;
  }
}

export const STATE_LABELS: Readonly<Record<SubscriptionState, string>> = {
  pending: 'Bestellung wird bearbeitet',
  intro: 'Einführungszeitraum',
  active: 'aktiv',
  past_due: 'Zahlung offen',
  dunning: 'Zahlungserinnerung',
  ended: 'beendet',
};
