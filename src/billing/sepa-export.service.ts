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
import { tryApplyLifecycle, type Actor, type Db } from './subscription.store.ts';

export interface SepaBatchReport { messageId: string; file: string; count: number; controlSumCents: number; invoices: number }

const CHUNK = 500;

/** One collected debit, reduced to what the database step needs after the file is written. */
interface Taken { id: string; mandateId: string; firstDebit: boolean; subId: string; recovering: boolean }

/**
 * Collects every pending SEPA charge due within the lead time. The file is written first (private, under a name
 * with the message id); the database then takes the batch in one transaction that only succeeds if every charge
 * was still pending — a second run racing this one gets 0 of n, rolls back and removes its file.
 * Memory stays flat in the number of debits apart from the file itself: rows are read in chunks and reduced to the
 * debit at once (sealed data dropped), and the invoices are issued chunk by chunk from the database (bench:billing).
 */
export async function exportSepaBatch(ctx: BillingContext, o: { at: Date; actor: Actor }): Promise<SepaBatchReport | null> {
  const runDate = berlinDate(o.at);
  const horizon = addDays(runDate, SEPA_LEAD_DAYS);
  const collections: DirectDebit[] = [];
  const taken: Taken[] = [];
  const firstUse = new Set<string>();
  // The ids first, once; then the rows by id in chunks (a keyset loop would re-read and sort every pending charge per chunk).
  const ids = (await ctx.db.selectFrom('charges').select('id')
    .where('state', '=', 'pending').where('provider', '=', 'sepa').where('batch_id', 'is', null).where('due_on', '<=', horizon)
    .orderBy('id').execute()).map((r) => r.id);
  for (let i = 0; i < ids.length; i += CHUNK) {
    const rows = await ctx.db.selectFrom('charges')
      .innerJoin('subscriptions', 'subscriptions.id', 'charges.subscription_id')
      .innerJoin('sepa_mandates', (j) => j.onRef('sepa_mandates.subscription_id', '=', 'charges.subscription_id').on('sepa_mandates.revoked_at', 'is', null))
      .select([
        'charges.id', 'charges.amount_cents', 'charges.due_on', 'charges.end_to_end_id',
        'subscriptions.id as sub_id', 'subscriptions.number', 'subscriptions.offer_name', 'subscriptions.state as sub_state',
        'sepa_mandates.id as mandate_id', 'sepa_mandates.reference', 'sepa_mandates.signed_on', 'sepa_mandates.first_collected_at',
        'sepa_mandates.iban_sealed', 'sepa_mandates.holder_sealed', 'sepa_mandates.bic',
      ])
      .where('charges.id', 'in', ids.slice(i, i + CHUNK)).where('charges.state', '=', 'pending').where('charges.batch_id', 'is', null)
      .orderBy('charges.id').execute();
    for (const r of rows) {
      if (r.first_collected_at === null) firstUse.add(r.mandate_id);
      taken.push({ id: r.id, mandateId: r.mandate_id, firstDebit: r.first_collected_at === null, subId: r.sub_id, recovering: r.sub_state === 'past_due' || r.sub_state === 'dunning' });
      collections.push({
        endToEndId: r.end_to_end_id, amountCents: r.amount_cents, mandateId: r.reference, mandateSignedOn: r.signed_on,
        sequenceType: r.first_collected_at === null ? 'FRST' : 'RCUR',
        dueDate: r.due_on > runDate ? r.due_on : addDays(runDate, 1),
        debtorName: openPaymentData(r.holder_sealed, ctx.paymentKey, 'holder'), debtorIban: openPaymentData(r.iban_sealed, ctx.paymentKey, 'iban'), debtorBic: r.bic,
        remittanceInfo: `${r.offer_name} ${r.number} ${r.end_to_end_id.slice(r.number.length + 1)}`,
      });
    }
  }
  if (taken.length === 0) return null;

  const messageId = `KT${runDate.replaceAll('-', '')}${randomBytes(6).toString('hex').toUpperCase()}`;
  ensurePrivateDir(ctx.sepaDir);
  const file = path.join(ctx.sepaDir, `pain008-${messageId}.xml`);
  const { count, controlSumCents } = writeBatchFile(file, { messageId, createdAt: o.at, creditor: ctx.creditor, collections });
  collections.length = 0;
  const now = nowIso(o.at);
  try {
    const invoices = await ctx.db.transaction().execute(async (trx) => {
      const batchId = newId();
      await trx.insertInto('sepa_batches').values({ id: batchId, message_id: messageId, run_on: runDate, count, control_sum_cents: controlSumCents, file, created_at: now }).execute();
      let n = 0;
      for (let i = 0; i < taken.length; i += CHUNK) {
        const r = await trx.updateTable('charges').set({ state: 'submitted', batch_id: batchId, updated_at: now })
          .where('id', 'in', taken.slice(i, i + CHUNK).map((t) => t.id)).where('state', '=', 'pending').where('batch_id', 'is', null).executeTakeFirst();
        n += Number(r.numUpdatedRows);
      }
      if (n !== taken.length) throw new DomainError('busy', 'Ein anderer Abrechnungslauf hat diese Lastschriften gerade übernommen.', 'billing');
      const mandates = [...firstUse];
      for (let i = 0; i < mandates.length; i += CHUNK) {
        await trx.updateTable('sepa_mandates').set({ first_collected_at: now }).where('id', 'in', mandates.slice(i, i + CHUNK)).where('first_collected_at', 'is', null).execute();
      }
      // FRST/RCUR is fixed per charge now that the file exists
      const frst = taken.filter((t) => t.firstDebit).map((t) => t.id);
      for (let i = 0; i < frst.length; i += CHUNK) await trx.updateTable('charges').set({ sequence_type: 'FRST' }).where('id', 'in', frst.slice(i, i + CHUNK)).execute();
      await trx.updateTable('charges').set({ sequence_type: 'RCUR' }).where('batch_id', '=', batchId).where('sequence_type', 'is', null).execute();
      // A debit presented again during dunning brings the contract back (a renewed return would put it back into dunning).
      for (const id of new Set(taken.filter((t) => t.recovering).map((t) => t.subId))) {
        const s = await trx.selectFrom('subscriptions').selectAll().where('id', '=', id).executeTakeFirst();
        if (s) await tryApplyLifecycle(trx, s, { type: 'payment-recovered', at: now }, { cause: 'Lastschrift erneut eingereicht', actor: o.actor, graceMs: ctx.graceMs });
      }
      let issued = 0;
      for (let i = 0; i < taken.length; i += CHUNK) issued += await invoiceChunk(ctx, trx, taken.slice(i, i + CHUNK).map((t) => t.id), o.at);
      return issued;
    });
    return { messageId, file, count, controlSumCents, invoices };
  } catch (e) {
    fs.rmSync(file, { force: true });
    if (e instanceof DomainError && e.code === 'busy') return null;
    throw e;
  }
}

/** Builds and writes the file; the XML string lives only inside this call. */
function writeBatchFile(file: string, batch: Parameters<typeof buildPain008>[0]): { count: number; controlSumCents: number } {
  const built = buildPain008(batch);
  fs.writeFileSync(file, built.xml, { mode: PRIVATE_FILE_MODE, flag: 'wx' });
  return { count: built.count, controlSumCents: built.controlSumCents };
}

/** Invoices for the charges of one chunk — except a debit presented again (dunning), which was invoiced the first time round. */
async function invoiceChunk(ctx: BillingContext, trx: Db, ids: string[], at: Date): Promise<number> {
  const already = new Set((await trx.selectFrom('invoices').select('charge_id').where('charge_id', 'in', ids).execute()).map((r) => r.charge_id));
  const fresh = ids.filter((id) => !already.has(id));
  if (fresh.length === 0) return 0;
  const rows = await trx.selectFrom('charges')
    .innerJoin('subscriptions', 'subscriptions.id', 'charges.subscription_id')
    .innerJoin('sepa_mandates', (j) => j.onRef('sepa_mandates.subscription_id', '=', 'charges.subscription_id').on('sepa_mandates.revoked_at', 'is', null))
    .select([
      'charges.id', 'charges.amount_cents', 'charges.period_start', 'charges.period_end', 'charges.kind',
      'subscriptions.id as sub_id', 'subscriptions.number', 'subscriptions.user_id', 'subscriptions.offer_name', 'subscriptions.holder_name', 'subscriptions.buyer_email',
      'sepa_mandates.reference',
    ])
    .where('charges.id', 'in', fresh).orderBy('charges.id').execute();
  return issueInvoices(trx, rows.map((r) => ({
    charge: { id: r.id, amount_cents: r.amount_cents, period_start: r.period_start, period_end: r.period_end, kind: r.kind },
    subscription: { id: r.sub_id, number: r.number, user_id: r.user_id, offer_name: r.offer_name, holder_name: r.holder_name, buyer_email: r.buyer_email },
    paymentNote: `Der Betrag wird per SEPA-Lastschrift mit Mandatsreferenz ${r.reference} und Gläubiger-ID ${ctx.creditor.creditorId} eingezogen.`,
  })), at);
}
