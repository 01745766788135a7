// Changing how a subscription pays: a new SEPA mandate replaces the old one, and debits that came back are presented again on the new account.
import { newId, nowIso } from '../db/index.ts';
import { DomainError } from '../domain-error.ts';
import { addDays, berlinDate } from './billing-calendar.ts';
import { paymentKeysOf, type BillingContext } from './billing-context.ts';
import { SEPA_LEAD_DAYS } from './checkout.service.ts';
import { mandateChangedMail } from './billing-mails.ts';
import { openPaymentData, sealPaymentData } from './payment-data.ts';
import { checkBic, checkIban, maskIban, newMandateReference } from './sepa/index.ts';
import { findSubscription, recordEvent, type Actor, type Db } from './subscription.store.ts';

export interface SepaMandateChange {
  subscriptionId: string;
  /** the reader the subscription must belong to */
  ownerId: string;
  holderName: string;
  iban: string;
  bic?: string;
  mandateAccepted: boolean;
}

export interface SepaMandateChanged { reference: string; ibanMasked: string; representedCharges: number }

/** The current (not revoked) mandate of a subscription, as Mein Konto shows it: never the IBAN itself. */
export async function currentMandate(db: Db, subscriptionId: string): Promise<{ reference: string; ibanMasked: string; signedOn: string } | null> {
  const m = await db.selectFrom('sepa_mandates').select(['reference', 'iban_masked', 'signed_on']).where('subscription_id', '=', subscriptionId)
    .where('revoked_at', 'is', null).orderBy('created_at', 'desc').executeTakeFirst();
  return m ? { reference: m.reference, ibanMasked: m.iban_masked, signedOn: m.signed_on } : null;
}

/** The reference the next mandate of a subscription will carry: shown in the mandate text before the reader agrees. */
export async function nextMandateReference(db: Db, sub: { id: string; number: string }): Promise<string> {
  const n = await db.selectFrom('sepa_mandates').select((eb) => eb.fn.countAll<string | number>().as('n')).where('subscription_id', '=', sub.id).executeTakeFirstOrThrow();
  return newMandateReference(sub.number, Number(n.n) + 1);
}

function invalid(field: string, message: string): never { throw new DomainError('invalid-input', message, field); }

/**
 * Replaces the subscription's SEPA mandate: validates the account, revokes the current mandate, stores the new
 * one (reference `…-M<n+1>`, IBAN and holder sealed), and puts returned or failed SEPA debits back into the next
 * file with a fresh end-to-end id (a bank may refuse an id it has already seen) and the lead time a debit needs.
 * All in one transaction: either the new account is in place with its debits, or nothing changed.
 */
export async function changeSepaMandate(ctx: BillingContext, input: SepaMandateChange, o: { actor?: Actor } = {}): Promise<SepaMandateChanged> {
  const holder = input.holderName.trim().replace(/\s+/g, ' ');
  if (holder.length < 2) invalid('holderName', 'Bitte geben Sie die Kontoinhaberin oder den Kontoinhaber an.');
  if (holder.length > 70) invalid('holderName', 'Der Name der Kontoinhaberin/des Kontoinhabers ist zu lang (höchstens 70 Zeichen).');
  const iban = checkIban(input.iban);
  if (!iban.ok) invalid('iban', iban.message);
  const bic = checkBic(input.bic ?? '');
  if (!bic.ok) invalid('bic', bic.message);
  if (!input.mandateAccepted) invalid('mandate', 'Bitte erteilen Sie das SEPA-Lastschriftmandat für das neue Konto.');
  const actor: Actor = o.actor ?? `reader:${input.ownerId}`;
  const now = ctx.clock();
  const at = nowIso(now);
  const done = await ctx.db.transaction().execute(async (trx) => {
    const sub = await findSubscription(trx, input.subscriptionId);
    if (!sub || sub.user_id !== input.ownerId) throw new DomainError('not-found', 'Dieses Abo gibt es nicht.', 'subscription');
    if (sub.provider !== 'sepa') throw new DomainError('conflict', 'Dieses Abo wird über Stripe bezahlt; die Zahlungsart ändern Sie dort.', 'subscription');
    if (sub.state === 'ended') throw new DomainError('conflict', 'Dieses Abo ist beendet; eine neue Bankverbindung ist nicht nötig.', 'subscription');
    const mandates = await trx.selectFrom('sepa_mandates').select(['id', 'revoked_at']).where('subscription_id', '=', sub.id).execute();
    const reference = newMandateReference(sub.number, mandates.length + 1);
    await trx.updateTable('sepa_mandates').set({ revoked_at: at }).where('subscription_id', '=', sub.id).where('revoked_at', 'is', null).execute();
    const ibanMasked = maskIban(iban.iban);
    await trx.insertInto('sepa_mandates').values({
      id: newId(), subscription_id: sub.id, reference, holder_sealed: sealPaymentData(holder, ctx.paymentKey, 'holder'),
      iban_sealed: sealPaymentData(iban.iban, ctx.paymentKey, 'iban'), iban_masked: ibanMasked, bic: bic.bic, signed_on: berlinDate(now),
      first_collected_at: null, revoked_at: null, created_at: at,
    }).execute();
    // The holder is who invoices are addressed to; updated_at moves so a concurrent lifecycle change notices.
    const updatedAt = nowIso(new Date(Math.max(now.getTime(), Date.parse(sub.updated_at) + 1)));
    await trx.updateTable('subscriptions').set({ holder_name: holder, updated_at: updatedAt }).where('id', '=', sub.id).execute();
    const open = await trx.selectFrom('charges').selectAll().where('subscription_id', '=', sub.id).where('provider', '=', 'sepa')
      .where('state', 'in', ['returned', 'failed']).execute();
    const n = mandates.length + 1;
    for (const c of open) {
      await trx.updateTable('charges').set({
        state: 'pending', batch_id: null, sequence_type: null, due_on: addDays(berlinDate(now), SEPA_LEAD_DAYS),
        end_to_end_id: `${c.end_to_end_id.slice(0, 30)}-M${n}`, updated_at: at,
      }).where('id', '=', c.id).execute();
    }
    await recordEvent(trx, sub, { at, event: 'payment-method', from: sub.state, to: sub.state, cause: `Neues SEPA-Mandat ${reference} (${ibanMasked})`, actor });
    return { reference, ibanMasked, representedCharges: open.length, sub, openCents: open.reduce((sum, c) => sum + c.amount_cents, 0) };
  });
  // The new mandate in writing, with the pre-notification of what is collected from the new account (after commit).
  if (done.sub.buyer_email) {
    await ctx.sendMail(mandateChangedMail(ctx, {
      to: done.sub.buyer_email, sub: done.sub, reference: done.reference, ibanMasked: done.ibanMasked,
      open: done.openCents > 0 ? { amountCents: done.openCents, dueOn: addDays(berlinDate(now), SEPA_LEAD_DAYS) } : null,
    }));
  }
  return { reference: done.reference, ibanMasked: done.ibanMasked, representedCharges: done.representedCharges };
}

/** The reader's bank data in full, for their own DSGVO export (Art. 15/20): opened here, never shown on a page. */
export async function paymentDataOfUser(ctx: Pick<BillingContext, 'db' | 'paymentKey' | 'previousPaymentKeys'>, userId: string): Promise<{ subscription: string; mandateReference: string; accountHolder: string; iban: string; bic: string | null; signedOn: string; revokedAt: string | null }[]> {
  const rows = await ctx.db.selectFrom('sepa_mandates').innerJoin('subscriptions', 'subscriptions.id', 'sepa_mandates.subscription_id')
    .select(['subscriptions.number', 'sepa_mandates.reference', 'sepa_mandates.holder_sealed', 'sepa_mandates.iban_sealed', 'sepa_mandates.bic', 'sepa_mandates.signed_on', 'sepa_mandates.revoked_at'])
    .where('subscriptions.user_id', '=', userId).orderBy('sepa_mandates.created_at').execute();
  return rows.map((r) => ({
    subscription: r.number, mandateReference: r.reference, accountHolder: openPaymentData(r.holder_sealed, paymentKeysOf(ctx), 'holder'),
    iban: openPaymentData(r.iban_sealed, paymentKeysOf(ctx), 'iban'), bic: r.bic, signedOn: r.signed_on, revokedAt: r.revoked_at,
  }));
}
