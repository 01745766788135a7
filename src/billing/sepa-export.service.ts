// Writes the due SEPA debits into one pain.008 file and marks them submitted, invoiced and (for a first debit) the mandate used — all or nothing.
import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { ensurePrivateDir, newId, nowIso, PRIVATE_FILE_MODE } from '../db/index.ts';
import { DomainError } from '../domain-error.ts';
import { addDays, berlinDate } from './billing-calendar.ts';
import type { BillingContext } from './billing-context.ts';
import { SEPA_LEAD_DAYS } from './checkout.service.ts';
import { issueInvoices } from './invoice.service.ts';
import { openPaymentData } from './payment-data.ts';
import { buildPain008, type DirectDebit } from './sepa/index.ts';
import { tryApplyLifecycle, type Actor } from './subscription.store.ts';

export interface SepaBatchReport { messageId: string; file: string; count: number; controlSumCents: number; invoices: number }

/**
 * Collects every pending SEPA charge due within the lead time. The file is written first (private, under a name
 * with the message id); the database then takes the batch in one transaction that only succeeds if every charge
 * was still pending — a second run racing this one gets 0 of n, rolls back and removes its file.
 */
export async function exportSepaBatch(ctx: BillingContext, o: { at: Date; actor: Actor }): Promise<SepaBatchReport | null> {
  const runDate = berlinDate(o.at);
  const horizon = addDays(runDate, SEPA_LEAD_DAYS);
  const rows = await ctx.db.selectFrom('charges')
    .innerJoin('subscriptions', 'subscriptions.id', 'charges.subscription_id')
    .innerJoin('sepa_mandates', (j) => j.onRef('sepa_mandates.subscription_id', '=', 'charges.subscription_id').on('sepa_mandates.revoked_at', 'is', null))
    .select([
      'charges.id', 'charges.amount_cents', 'charges.due_on', 'charges.end_to_end_id', 'charges.period_start', 'charges.period_end', 'charges.kind',
      'subscriptions.id as sub_id', 'subscriptions.number', 'subscriptions.user_id', 'subscriptions.offer_name', 'subscriptions.holder_name', 'subscriptions.buyer_email', 'subscriptions.state as sub_state',
      'sepa_mandates.id as mandate_id', 'sepa_mandates.reference', 'sepa_mandates.signed_on', 'sepa_mandates.first_collected_at',
      'sepa_mandates.iban_sealed', 'sepa_mandates.holder_sealed', 'sepa_mandates.bic',
    ])
    .where('charges.state', '=', 'pending').where('charges.provider', '=', 'sepa').where('charges.batch_id', 'is', null).where('charges.due_on', '<=', horizon)
    .orderBy('charges.id').execute();
  if (rows.length === 0) return null;

  const firstUse = new Set<string>();
  const collections: DirectDebit[] = rows.map((r) => {
    const first = r.first_collected_at === null && !firstUse.has(r.mandate_id);
    if (first) firstUse.add(r.mandate_id);
    return {
      endToEndId: r.end_to_end_id, amountCents: r.amount_cents, mandateId: r.reference, mandateSignedOn: r.signed_on,
      sequenceType: r.first_collected_at === null ? 'FRST' : 'RCUR',
      dueDate: r.due_on > runDate ? r.due_on : addDays(runDate, 1),
      debtorName: openPaymentData(r.holder_sealed, ctx.paymentKey, 'holder'), debtorIban: openPaymentData(r.iban_sealed, ctx.paymentKey, 'iban'), debtorBic: r.bic,
      remittanceInfo: `${r.offer_name} ${r.number} ${r.end_to_end_id.slice(r.number.length + 1)}`,
    };
  });
  const messageId = `KT${runDate.replaceAll('-', '')}${randomBytes(6).toString('hex').toUpperCase()}`;
  const built = buildPain008({ messageId, createdAt: o.at, creditor: ctx.creditor, collections });
  ensurePrivateDir(ctx.sepaDir);
  const file = path.join(ctx.sepaDir, `pain008-${messageId}.xml`);
  fs.writeFileSync(file, built.xml, { mode: PRIVATE_FILE_MODE, flag: 'wx' });
  const now = nowIso(o.at);
  try {
    const invoices = await ctx.db.transaction().execute(async (trx) => {
      const batchId = newId();
      await trx.insertInto('sepa_batches').values({ id: batchId, message_id: messageId, run_on: runDate, count: built.count, control_sum_cents: built.controlSumCents, file, created_at: now }).execute();
      let taken = 0;
      for (let i = 0; i < rows.length; i += 500) {
        const ids = rows.slice(i, i + 500).map((r) => r.id);
        const r = await trx.updateTable('charges').set({ state: 'submitted', batch_id: batchId, updated_at: now })
          .where('id', 'in', ids).where('state', '=', 'pending').where('batch_id', 'is', null).executeTakeFirst();
        taken += Number(r.numUpdatedRows);
      }
      if (taken !== rows.length) throw new DomainError('busy', 'Ein anderer Abrechnungslauf hat diese Lastschriften gerade übernommen.', 'billing');
      const mandates = [...firstUse];
      for (let i = 0; i < mandates.length; i += 500) {
        await trx.updateTable('sepa_mandates').set({ first_collected_at: now }).where('id', 'in', mandates.slice(i, i + 500)).where('first_collected_at', 'is', null).execute();
      }
      // FRST/RCUR is fixed per charge now that the file exists
      const frst = rows.filter((r) => r.first_collected_at === null).map((r) => r.id);
      for (let i = 0; i < frst.length; i += 500) await trx.updateTable('charges').set({ sequence_type: 'FRST' }).where('id', 'in', frst.slice(i, i + 500)).execute();
      await trx.updateTable('charges').set({ sequence_type: 'RCUR' }).where('batch_id', '=', batchId).where('sequence_type', 'is', null).execute();
      // A debit presented again during dunning brings the contract back (a renewed return would put it back into dunning).
      const recovering = [...new Set(rows.filter((r) => r.sub_state === 'past_due' || r.sub_state === 'dunning').map((r) => r.sub_id))];
      for (const id of recovering) {
        const s = await trx.selectFrom('subscriptions').selectAll().where('id', '=', id).executeTakeFirst();
        if (s) await tryApplyLifecycle(trx, s, { type: 'payment-recovered', at: now }, { cause: 'Lastschrift erneut eingereicht', actor: o.actor, graceMs: ctx.graceMs });
      }
      // A debit presented again (dunning) was invoiced the first time round.
      const already = new Set<string>();
      for (let i = 0; i < rows.length; i += 500) {
        for (const r of await trx.selectFrom('invoices').select('charge_id').where('charge_id', 'in', rows.slice(i, i + 500).map((x) => x.id)).execute()) already.add(r.charge_id);
      }
      const fresh = rows.filter((r) => !already.has(r.id));
      return issueInvoices(trx, fresh.map((r) => ({
        charge: { id: r.id, amount_cents: r.amount_cents, period_start: r.period_start, period_end: r.period_end, kind: r.kind },
        subscription: { id: r.sub_id, number: r.number, user_id: r.user_id, offer_name: r.offer_name, holder_name: r.holder_name, buyer_email: r.buyer_email },
        paymentNote: `Der Betrag wird per SEPA-Lastschrift mit Mandatsreferenz ${r.reference} und Gläubiger-ID ${ctx.creditor.creditorId} eingezogen.`,
      })), o.at);
    });
    return { messageId, file, count: built.count, controlSumCents: built.controlSumCents, invoices };
  } catch (e) {
    fs.rmSync(file, { force: true });
    if (e instanceof DomainError && e.code === 'busy') return null;
    throw e;
  }
}
