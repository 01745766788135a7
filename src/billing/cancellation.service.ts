// Cancellation (§ 312k BGB): received from anyone, matched to a contract only when the person proves it is theirs, confirmed with time of receipt and end date.
import { createHash, randomInt, timingSafeEqual } from 'node:crypto';
import { newId, nowIso } from '../db/index.ts';
import { DomainError } from '../domain-error.ts';
import { addDays, addMonths, berlinDate, berlinMidnight, isCalendarDate, periodEnd } from './billing-calendar.ts';
import type { BillingContext } from './billing-context.ts';
import { cancellationReceiptMail } from './billing-mails.ts';
import { syncStripe } from './stripe-sync.ts';
import { applyLifecycle, findSubscription, monthsPerPeriod, type Actor, type Db, type Subscription } from './subscription.store.ts';

const CANCELLABLE = ['pending', 'intro', 'active', 'past_due', 'dunning'] as const;

/**
 * The earliest instant a contract can end if notice is received at `received` (§ 309 Nr. 9 BGB): not before the
 * minimum term; monthly contracts at the end of a billing month; after the minimum term at most one month's notice.
 * `preferred` (a later wish, a Berlin date = last day) moves the end to the first possible end on or after it.
 */
export function earliestEnd(sub: Subscription, received: Date, preferred: string | null = null): string {
  if (sub.state === 'pending' || sub.current_period_end === null) return nowIso(received);
  const pm = monthsPerPeriod(sub);
  const anchor = berlinDate(new Date(sub.starts_at));
  const minEnd = sub.min_term_end ? Date.parse(sub.min_term_end) : 0;
  const notice = berlinMidnight(addMonths(berlinDate(received), sub.notice_months)).getTime();
  const wish = preferred ? berlinMidnight(addDays(preferred, 1)).getTime() : 0;
  const threshold = Math.max(minEnd, notice, wish, received.getTime());
  if (pm === 1 || threshold <= minEnd) {
    // monthly contracts (and anything still in its minimum term) end with a billing period
    let k = 1;
    while (periodEnd(anchor, k, 1).getTime() < threshold) k++;
    return periodEnd(anchor, k, 1).toISOString();
  }
  // a yearly contract past its minimum term: one month's notice at most, to the day
  return new Date(Math.max(notice, wish)).toISOString();
}

export interface CancellationInput {
  name: string; email: string; contractHint: string; kind: 'ordinary' | 'extraordinary'; reason: string;
  preferredDate: string | null; userId: string | null; userEmail: string | null; submitKey: string;
}

export interface CancellationReceipt {
  number: string; receivedAt: string; kind: 'ordinary' | 'extraordinary'; name: string; email: string; contractHint: string;
  /** only when the cancellation was matched to the sender's own contract */
  effectiveAt: string | null; subscriptionNumber: string | null; matched: boolean;
  /** only on the answer that received it (not on a repeat of the same form): the matched contract's offer, for the insights */
  received?: { offerId: string | null };
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const SUBMIT_KEY = /^[A-Za-z0-9_-]{16,64}$/;

function validate(i: CancellationInput): void {
  const fields: { path: string; message: string }[] = [];
  if (i.name.trim().length < 2) fields.push({ path: 'name', message: 'Bitte geben Sie Ihren Namen an.' });
  if (i.name.length > 120) fields.push({ path: 'name', message: 'Der Name ist zu lang (höchstens 120 Zeichen).' });
  if (!EMAIL.test(i.email.trim()) || i.email.length > 254) fields.push({ path: 'email', message: 'Bitte geben Sie eine gültige E-Mail-Adresse für die Bestätigung an.' });
  if (i.contractHint.trim().length < 3 || i.contractHint.length > 254) fields.push({ path: 'contract', message: 'Bitte geben Sie Ihre Abo-Nummer oder die E-Mail-Adresse an, mit der Sie bestellt haben.' });
  if (i.kind !== 'ordinary' && i.kind !== 'extraordinary') fields.push({ path: 'kind', message: 'Bitte wählen Sie, ob Sie ordentlich oder außerordentlich kündigen.' });
  if (i.kind === 'extraordinary' && i.reason.trim().length < 3) fields.push({ path: 'reason', message: 'Für eine außerordentliche Kündigung brauchen wir den Grund.' });
  if (i.reason.length > 2000) fields.push({ path: 'reason', message: 'Der Grund ist zu lang (höchstens 2000 Zeichen).' });
  if (i.preferredDate !== null && !isCalendarDate(i.preferredDate)) fields.push({ path: 'date', message: 'Das Wunschdatum ist kein gültiges Datum (TT.MM.JJJJ).' });
  if (!SUBMIT_KEY.test(i.submitKey)) fields.push({ path: 'form', message: 'Das Formular ist unvollständig. Bitte laden Sie die Seite neu.' });
  if (fields.length) throw new DomainError('invalid-input', fields[0]!.message, fields[0]!.path, fields);
}

/**
 * Finds the contract a cancellation is about, and only one that belongs to the sender: the logged-in reader's own,
 * or one whose number AND order/account address match the address given. Anything else stays unmatched, so the
 * form never tells a stranger whether a number or an address has a contract.
 */
async function matchContract(db: Db, i: CancellationInput): Promise<Subscription | null> {
  const email = i.email.trim().toLowerCase();
  const hint = i.contractHint.trim();
  const live = (q: ReturnType<typeof base>) => q.where('subscriptions.state', 'in', [...CANCELLABLE]).where('subscriptions.kind', '=', 'paid');
  const base = () => db.selectFrom('subscriptions').leftJoin('users', 'users.id', 'subscriptions.user_id').selectAll('subscriptions').select('users.email as account_email');
  if (i.userId) {
    const own = await live(base()).where('subscriptions.user_id', '=', i.userId).execute();
    const byNumber = own.find((s) => s.number === hint.toUpperCase());
    if (byNumber) return byNumber;
    if (own.length === 1) return own[0]!;
  }
  const candidates = EMAIL.test(hint)
    ? (hint.toLowerCase() === email ? await live(base()).where((eb) => eb.or([eb('subscriptions.buyer_email', '=', email), eb('users.email', '=', email)])).execute() : [])
    : await live(base()).where('subscriptions.number', '=', hint.toUpperCase()).execute();
  const mine = candidates.filter((s) => s.buyer_email.toLowerCase() === email || s.account_email?.toLowerCase() === email);
  return mine.length === 1 ? mine[0]! : null;
}

const newReceiptNumber = (at: Date) => `KD-${berlinDate(at).replaceAll('-', '')}-${String(randomInt(100000, 999999))}`;

export async function receiveCancellation(ctx: BillingContext, input: CancellationInput): Promise<CancellationReceipt> {
  const known = await ctx.db.selectFrom('cancellations').selectAll().where('submit_key', '=', input.submitKey).executeTakeFirst();
  if (known) return receiptOf(known, await subNumber(ctx.db, known.subscription_id));
  validate(input);
  const now = ctx.clock();
  const at = nowIso(now);
  const sub = await matchContract(ctx.db, input);
  const actor: Actor = input.userId ? `reader:${input.userId}` : 'public-form';
  let effectiveAt: string | null = null;
  let state: 'applied' | 'queued' = 'queued';
  const number = newReceiptNumber(now);
  const row = await ctx.db.transaction().execute(async (trx) => {
    if (sub && input.kind === 'ordinary') {
      const fresh = (await findSubscription(trx, sub.id))!;
      if (fresh.cancel_effective_at !== null) {
        effectiveAt = fresh.cancel_effective_at;
      } else {
        effectiveAt = earliestEnd(fresh, now, input.preferredDate);
        await applyLifecycle(trx, fresh, { type: 'cancel', at, effectiveAt }, { cause: `Kündigung ${number} (Kündigungsbutton)`, actor, graceMs: ctx.graceMs });
      }
      state = 'applied';
    }
    const values = {
      id: newId(), number, received_at: at, name: input.name.trim(), email: input.email.trim(), contract_hint: input.contractHint.trim(), kind: input.kind,
      reason: input.reason.trim(), preferred_date: input.preferredDate, subscription_id: sub?.id ?? null, user_id: input.userId,
      effective_at: effectiveAt, state, handled_by: null, submit_key: input.submitKey, created_at: at,
    };
    await trx.insertInto('cancellations').values(values).execute();
    return values;
  }).catch(async (e) => {
    const raced = await ctx.db.selectFrom('cancellations').selectAll().where('submit_key', '=', input.submitKey).executeTakeFirst();
    if (raced) return raced;
    throw e;
  });
  if (row.number !== number) return receiptOf(row, await subNumber(ctx.db, row.subscription_id));
  if (sub && row.state === 'applied') await syncStripe(ctx, sub, 'cancel-at-period-end');
  const receipt: CancellationReceipt = { ...receiptOf(row, sub?.number ?? null), received: { offerId: sub?.offer_id ?? null } };
  // The receipt goes to the address given on the form; the contract's own address hears of it too when it differs.
  const mail = { name: row.name, number: row.number, receivedAt: row.received_at, kind: row.kind, contractHint: row.contract_hint, effectiveAt: receipt.effectiveAt, matched: receipt.matched };
  await ctx.sendMail(cancellationReceiptMail(ctx, { to: row.email, ...mail }));
  const owner = sub ? (sub.buyer_email || null) : null;
  if (owner && owner.toLowerCase() !== row.email.toLowerCase()) await ctx.sendMail(cancellationReceiptMail(ctx, { to: owner, ...mail }));
  return receipt;
}

async function subNumber(db: Db, id: string | null): Promise<string | null> {
  if (!id) return null;
  return (await db.selectFrom('subscriptions').select('number').where('id', '=', id).executeTakeFirst())?.number ?? null;
}

function receiptOf(r: { number: string; received_at: string; kind: 'ordinary' | 'extraordinary'; name: string; email: string; contract_hint: string; effective_at: string | null; subscription_id: string | null }, subscriptionNumber: string | null): CancellationReceipt {
  return {
    number: r.number, receivedAt: r.received_at, kind: r.kind, name: r.name, email: r.email, contractHint: r.contract_hint,
    effectiveAt: r.effective_at, subscriptionNumber: r.subscription_id ? subscriptionNumber : null, matched: r.subscription_id !== null,
  };
}

/** Cancels a contract on behalf of its reader (Mein Konto) or an admin, at the earliest possible end. */
export async function cancelSubscription(ctx: BillingContext, subscriptionId: string, o: { actor: Actor; ownerId?: string; preferredDate?: string | null }): Promise<Subscription> {
  const now = ctx.clock();
  const done = await ctx.db.transaction().execute(async (trx) => {
    const sub = await findSubscription(trx, subscriptionId);
    if (!sub || (o.ownerId !== undefined && sub.user_id !== o.ownerId)) throw new DomainError('not-found', 'Dieses Abo gibt es nicht.', 'subscription');
    const effectiveAt = earliestEnd(sub, now, o.preferredDate ?? null);
    return applyLifecycle(trx, sub, { type: 'cancel', at: nowIso(now), effectiveAt }, { cause: o.actor.startsWith('admin:') ? 'Kündigung durch den Verlag' : 'Kündigung in Mein Konto', actor: o.actor, graceMs: ctx.graceMs });
  });
  await syncStripe(ctx, done, 'cancel-at-period-end');
  return done;
}

export async function withdrawCancellation(ctx: BillingContext, subscriptionId: string, o: { actor: Actor; ownerId?: string }): Promise<Subscription> {
  const now = ctx.clock();
  const done = await ctx.db.transaction().execute(async (trx) => {
    const sub = await findSubscription(trx, subscriptionId);
    if (!sub || (o.ownerId !== undefined && sub.user_id !== o.ownerId)) throw new DomainError('not-found', 'Dieses Abo gibt es nicht.', 'subscription');
    return applyLifecycle(trx, sub, { type: 'withdraw-cancellation', at: nowIso(now) }, { cause: 'Kündigung zurückgenommen', actor: o.actor, graceMs: ctx.graceMs });
  });
  await syncStripe(ctx, done, 'resume');
  return done;
}

export interface QueuedCancellation { id: string; number: string; receivedAt: string; name: string; email: string; contractHint: string; kind: string; reason: string; preferredDate: string | null; subscriptionNumber: string | null; state: string }

/** The publisher's queue: cancellations that matched no contract, and extraordinary ones to be decided. */
export async function cancellationQueue(db: Db, o: { includeDone?: boolean } = {}): Promise<QueuedCancellation[]> {
  let q = db.selectFrom('cancellations').leftJoin('subscriptions', 'subscriptions.id', 'cancellations.subscription_id')
    .selectAll('cancellations').select('subscriptions.number as sub_number').orderBy('cancellations.received_at', 'desc').limit(500);
  q = o.includeDone ? q : q.where('cancellations.state', '=', 'queued');
  return (await q.execute()).map((r) => ({
    id: r.id, number: r.number, receivedAt: r.received_at, name: r.name, email: r.email, contractHint: r.contract_hint, kind: r.kind,
    reason: r.reason, preferredDate: r.preferred_date, subscriptionNumber: r.sub_number, state: r.state,
  }));
}

export async function markCancellationHandled(db: Db, id: string, adminId: string): Promise<void> {
  const r = await db.updateTable('cancellations').set({ state: 'done', handled_by: adminId }).where('id', '=', id).where('state', '=', 'queued').executeTakeFirst();
  if (Number(r.numUpdatedRows) !== 1) throw new DomainError('not-found', 'Diese Kündigung ist nicht (mehr) in der Warteschlange.', 'cancellation');
}

/**
 * The receipt of one cancellation for its confirmation page: only with the submit key of the form it came from (a
 * secret only that browser had), so receipt numbers cannot be tried one after another to read other people's.
 */
export async function findCancellationReceipt(db: Db, number: string, submitKey: string): Promise<CancellationReceipt | null> {
  const row = await db.selectFrom('cancellations').selectAll().where('number', '=', number).executeTakeFirst();
  if (!row?.submit_key || !SUBMIT_KEY.test(submitKey)) return null;
  const digest = (s: string) => createHash('sha256').update(s).digest();
  if (!timingSafeEqual(digest(row.submit_key), digest(submitKey))) return null;
  return receiptOf(row, await subNumber(db, row.subscription_id));
}
