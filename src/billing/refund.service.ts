// Refunds: a paid charge (or part of it) given back — a 'refund' charge and a credit note (Gutschrift/Rechnungskorrektur) in one transaction.
import { newId, nowIso } from '../db/index.ts';
import { DomainError } from '../domain-error.ts';
import { berlinDate } from './billing-calendar.ts';
import type { BillingContext } from './billing-context.ts';
import { formatEuro } from './offer.ts';
import { issueInvoices } from './invoice.service.ts';
import { recordEvent, type Actor } from './subscription.store.ts';

export interface RefundResult { refundChargeId: string; amountCents: number; invoiceNumber: string }

/**
 * Books a refund of `amountCents` (1 … the charge's amount) of a collected charge: a charge of kind 'refund' (paid out
 * by the publisher's bank transfer, or at Stripe — this records it, it does not move money) and a credit note with
 * negative amounts. One refund per charge: the refund row shares the charge's period, which the table keeps unique.
 * A full refund marks the original charge 'refunded'.
 */
export async function refundCharge(ctx: BillingContext, o: { chargeId: string; amountCents: number; actor: Actor }): Promise<RefundResult> {
  const at = ctx.clock();
  const now = nowIso(at);
  return ctx.db.transaction().execute(async (trx) => {
    const charge = await trx.selectFrom('charges').innerJoin('subscriptions', 'subscriptions.id', 'charges.subscription_id')
      .selectAll('charges').select(['subscriptions.number', 'subscriptions.user_id', 'subscriptions.offer_name', 'subscriptions.holder_name', 'subscriptions.buyer_email', 'subscriptions.state as sub_state'])
      .where('charges.id', '=', o.chargeId).executeTakeFirst();
    if (!charge || charge.kind === 'refund') throw new DomainError('not-found', 'Diese Zahlung gibt es nicht.', 'charge');
    if (charge.state !== 'submitted' && charge.state !== 'paid') throw new DomainError('conflict', 'Erstatten lässt sich nur eine eingezogene Zahlung.', 'charge');
    if (!Number.isSafeInteger(o.amountCents) || o.amountCents < 1 || o.amountCents > charge.amount_cents) {
      throw new DomainError('invalid-input', `Der Betrag muss zwischen 0,01 € und ${formatEuro(charge.amount_cents)} liegen.`, 'amount');
    }
    const taken = await trx.selectFrom('charges').select('id').where('subscription_id', '=', charge.subscription_id).where('kind', '=', 'refund')
      .where('period_start', '=', charge.period_start).executeTakeFirst();
    if (taken) throw new DomainError('conflict', 'Für diesen Zeitraum wurde schon erstattet.', 'charge');
    const id = newId();
    const refund = {
      id, subscription_id: charge.subscription_id, kind: 'refund' as const, amount_cents: o.amountCents, period_start: charge.period_start, period_end: charge.period_end,
      due_on: berlinDate(at), state: 'paid' as const, provider: charge.provider, sequence_type: null, end_to_end_id: `${charge.end_to_end_id.slice(0, 32)}-E`,
      batch_id: null, external_id: null, return_reason: null, created_at: now, updated_at: now,
    };
    await trx.insertInto('charges').values(refund).execute();
    if (o.amountCents === charge.amount_cents) await trx.updateTable('charges').set({ state: 'refunded', updated_at: now }).where('id', '=', charge.id).execute();
    await issueInvoices(trx, [{
      charge: refund,
      subscription: { id: charge.subscription_id, number: charge.number, user_id: charge.user_id, offer_name: charge.offer_name, holder_name: charge.holder_name, buyer_email: charge.buyer_email },
      paymentNote: `Der Betrag von ${formatEuro(o.amountCents)} wird Ihnen erstattet.`,
    }], at);
    const invoice = await trx.selectFrom('invoices').select('number').where('charge_id', '=', id).executeTakeFirstOrThrow();
    // Not a change of state, but who gave money back belongs in the contract's history.
    await recordEvent(trx, { id: charge.subscription_id }, { at: now, event: 'refund', from: charge.sub_state, to: charge.sub_state, cause: `Erstattung ${formatEuro(o.amountCents)} (Gutschrift ${invoice.number})`, actor: o.actor });
    return { refundChargeId: id, amountCents: o.amountCents, invoiceNumber: invoice.number };
  });
}
