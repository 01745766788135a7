// Returned debits from the bank (camt.054, pain.002): the charge is marked returned and its contract goes into dunning, once per return.
import { nowIso } from '../db/index.ts';
import type { BillingContext } from './billing-context.ts';
import { parseReturnsFile, type ReturnedDebit } from './sepa/index.ts';
import { applyLifecycle, findSubscription, type Actor } from './subscription.store.ts';

export interface ReturnsReport { applied: { endToEndId: string; subscription: string; reason: string }[]; alreadyKnown: number; unmatched: ReturnedDebit[] }

/**
 * Reads a returns file and applies each return in its own transaction. The whole file is parsed first, so a
 * malformed file changes nothing; a return already booked (same charge already returned) is counted, not booked twice.
 */
export async function applyReturnsFile(ctx: BillingContext, xml: string, o: { actor?: Actor } = {}): Promise<ReturnsReport> {
  const returns = parseReturnsFile(xml);
  const actor = o.actor ?? 'cli';
  const report: ReturnsReport = { applied: [], alreadyKnown: 0, unmatched: [] };
  for (const ret of returns) {
    const at = nowIso(ctx.clock());
    const outcome = await ctx.db.transaction().execute(async (trx) => {
      let q = trx.selectFrom('charges').selectAll().where('provider', '=', 'sepa');
      if (ret.endToEndId) q = q.where('end_to_end_id', '=', ret.endToEndId);
      else if (ret.mandateId) {
        q = q.where('subscription_id', 'in', (eb) => eb.selectFrom('sepa_mandates').select('subscription_id').where('reference', '=', ret.mandateId!))
          .where('state', '=', 'submitted').orderBy('due_on', 'desc').limit(1);
        if (ret.amountCents !== null) q = q.where('amount_cents', '=', ret.amountCents);
      } else return 'unmatched' as const;
      const charge = await q.executeTakeFirst();
      if (!charge) return 'unmatched' as const;
      if (charge.state === 'returned' || charge.state === 'failed') return 'known' as const;
      if (charge.state !== 'submitted' && charge.state !== 'paid') return 'unmatched' as const;
      const reason = `${ret.reasonCode}: ${ret.reasonText}`;
      await trx.updateTable('charges').set({ state: 'returned', return_reason: reason, updated_at: at }).where('id', '=', charge.id).execute();
      const sub = await findSubscription(trx, charge.subscription_id);
      if (sub && sub.state !== 'ended' && sub.state !== 'pending') {
        await applyLifecycle(trx, sub, { type: 'payment-failed', at, reason }, { cause: `Rücklastschrift ${reason}`, actor, graceMs: ctx.graceMs });
      }
      report.applied.push({ endToEndId: charge.end_to_end_id, subscription: sub?.number ?? '?', reason });
      return 'applied' as const;
    });
    if (outcome === 'known') report.alreadyKnown++;
    if (outcome === 'unmatched') report.unmatched.push(ret);
  }
  return report;
}
