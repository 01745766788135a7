// Invoices: one per payment, numbered without gaps per year (the counter moves in the same transaction as the invoice), PDF on demand.
import { newId, nowIso } from '../db/index.ts';
import { DomainError } from '../domain-error.ts';
import { berlinDate, lastDayBefore } from './billing-calendar.ts';
import type { BillingContext, Seller } from './billing-context.ts';
import { splitGross, VAT_RATE_PERMILLE } from './money.ts';
import type { Db } from './subscription.store.ts';
import type { ChargeRow, InvoiceRow } from '../db/index.ts';

export interface InvoiceCharge {
  charge: Pick<ChargeRow, 'id' | 'amount_cents' | 'period_start' | 'period_end' | 'kind'>;
  subscription: { id: string; number: string; user_id: string | null; offer_name: string; holder_name: string; buyer_email: string };
  paymentNote: string;
}

/**
 * Issues invoices for the given charges inside the caller's transaction. Numbers are reserved in one step
 * (`last = last + n`): on PostgreSQL the counter row stays locked until the transaction ends, so concurrent runs
 * queue behind each other, and a rolled-back run gives its numbers back — no gaps, no duplicates.
 */
export async function issueInvoices(db: Db, items: InvoiceCharge[], at: Date): Promise<number> {
  if (items.length === 0) return 0;
  const year = Number(berlinDate(at).slice(0, 4));
  await db.insertInto('invoice_counters').values({ year, last: 0 }).onConflict((oc) => oc.column('year').doNothing()).execute();
  const row = await db.updateTable('invoice_counters').set((eb) => ({ last: eb('last', '+', items.length) })).where('year', '=', year).returning('last').executeTakeFirstOrThrow();
  const first = Number(row.last) - items.length + 1;
  const createdAt = nowIso(at);
  const issuedOn = berlinDate(at);
  const rows: InvoiceRow[] = items.map((it, i) => {
    const sign = it.charge.kind === 'refund' ? -1 : 1;
    const split = splitGross(it.charge.amount_cents, VAT_RATE_PERMILLE);
    const seq = first + i;
    return {
      id: newId(), number: `RE-${year}-${String(seq).padStart(6, '0')}`, year, seq, charge_id: it.charge.id,
      subscription_id: it.subscription.id, subscription_number: it.subscription.number, user_id: it.subscription.user_id,
      buyer_name: it.subscription.holder_name || it.subscription.buyer_email, buyer_email: it.subscription.buyer_email,
      issued_on: issuedOn, service_from: berlinDate(new Date(it.charge.period_start)), service_to: lastDayBefore(it.charge.period_end),
      description: `${it.charge.kind === 'refund' ? 'Erstattung: ' : ''}${it.subscription.offer_name} (Abo ${it.subscription.number})`,
      gross_cents: sign * split.grossCents, net_cents: sign * split.netCents, vat_cents: sign * split.vatCents, vat_rate_permille: VAT_RATE_PERMILLE,
      payment_note: it.paymentNote, created_at: createdAt,
    };
  });
  for (let i = 0; i < rows.length; i += 500) await db.insertInto('invoices').values(rows.slice(i, i + 500)).execute();
  return rows.length;
}

export interface InvoiceSummary { id: string; number: string; issuedOn: string; description: string; grossCents: number; subscriptionNumber: string }

export async function invoicesOfUser(db: Db, userId: string): Promise<InvoiceSummary[]> {
  const rows = await db.selectFrom('invoices').selectAll().where('user_id', '=', userId).orderBy('year', 'desc').orderBy('seq', 'desc').execute();
  return rows.map((r) => ({ id: r.id, number: r.number, issuedOn: r.issued_on, description: r.description, grossCents: r.gross_cents, subscriptionNumber: r.subscription_number }));
}

/** The invoice as PDF, for its owner (or staff: `userId` null skips the owner check). Rendered on demand. */
export async function invoicePdf(ctx: Pick<BillingContext, 'db' | 'seller'>, number: string, userId: string | null): Promise<{ number: string; pdf: Buffer }> {
  const r = await ctx.db.selectFrom('invoices').selectAll().where('number', '=', number).executeTakeFirst();
  if (!r || (userId !== null && r.user_id !== userId)) throw new DomainError('not-found', 'Diese Rechnung gibt es nicht.', 'invoice');
  // pdfkit and its fonts (~30 MB) are loaded with the first download, not in every process that bills
  const { renderInvoicePdf } = await import('./invoice-pdf.ts');
  const pdf = await renderInvoicePdf({
    number: r.number, issuedOn: r.issued_on, servicePeriod: { from: r.service_from, to: r.service_to }, seller: sellerInfo(ctx.seller),
    buyer: { name: r.buyer_name, email: r.buyer_email }, subscriptionNumber: r.subscription_number,
    lines: [{ description: r.description, grossCents: r.gross_cents, ratePermille: r.vat_rate_permille }], paymentNote: r.payment_note,
  });
  return { number: r.number, pdf };
}

const sellerInfo = (s: Seller) => ({ name: s.name, address: s.address, email: s.email, vatId: s.vatId, ...(s.taxNumber ? { taxNumber: s.taxNumber } : {}), ...(s.register ? { register: s.register } : {}) });
