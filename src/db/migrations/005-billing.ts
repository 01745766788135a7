// Billing: offers, subscriptions as contracts with a state and a history, SEPA mandates, charges, invoices, cancellations, payment events.
import { type Kysely, sql } from 'kysely';

/**
 * `subscriptions` is rebuilt rather than altered: SQLite cannot change the old status check, and the paywall's
 * question changes from "status active or canceled" to "access_until in the future", which the state machine
 * writes on every transition. Manual grants become subscriptions of kind `comp`.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.createTable('offers')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('slug', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('recurring', 'gift')`))
    .addColumn('intro_price_cents', 'integer')
    .addColumn('intro_months', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('price_cents', 'integer', (c) => c.notNull())
    .addColumn('period', 'text', (c) => c.notNull().check(sql`period in ('month', 'year')`))
    .addColumn('min_term_months', 'integer', (c) => c.notNull())
    .addColumn('notice_months', 'integer', (c) => c.notNull())
    .addColumn('gift_months', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('payment_methods', 'text', (c) => c.notNull())
    .addColumn('active', 'integer', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema.createTable('subscriptions_next')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('number', 'text', (c) => c.notNull().unique())
    .addColumn('user_id', 'text', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('offer_id', 'text', (c) => c.references('offers.id'))
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('paid', 'gift', 'comp')`))
    .addColumn('provider', 'text', (c) => c.notNull().check(sql`provider in ('sepa', 'stripe', 'none')`))
    .addColumn('state', 'text', (c) => c.notNull().check(sql`state in ('pending', 'intro', 'active', 'past_due', 'dunning', 'ended')`))
    .addColumn('starts_at', 'text', (c) => c.notNull())
    .addColumn('access_until', 'text')
    .addColumn('current_period_start', 'text')
    .addColumn('current_period_end', 'text')
    .addColumn('min_term_end', 'text')
    .addColumn('periods_paid', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('offer_name', 'text', (c) => c.notNull())
    .addColumn('intro_price_cents', 'integer')
    .addColumn('intro_months', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('price_cents', 'integer', (c) => c.notNull())
    .addColumn('period', 'text', (c) => c.notNull())
    .addColumn('min_term_months', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('notice_months', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('gift_months', 'integer')
    .addColumn('cancel_requested_at', 'text')
    .addColumn('cancel_effective_at', 'text')
    .addColumn('past_due_since', 'text')
    .addColumn('dunning_attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_dunning_at', 'text')
    .addColumn('reminder_sent_at', 'text')
    .addColumn('ended_at', 'text')
    .addColumn('end_reason', 'text')
    .addColumn('holder_name', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('buyer_email', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('order_key', 'text', (c) => c.unique())
    .addColumn('gift_code_hash', 'text', (c) => c.unique())
    .addColumn('external_ref', 'text', (c) => c.unique())
    .addColumn('external_customer', 'text')
    .addColumn('external_version', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await sql`insert into subscriptions_next (id, number, user_id, offer_id, kind, provider, state, starts_at, access_until, current_period_start, current_period_end,
      offer_name, price_cents, period, ended_at, end_reason, created_at, updated_at)
    select id, 'K-' || substr(id, 1, 10), user_id, null, 'comp', 'none', case when status = 'ended' then 'ended' else 'active' end, starts_at,
      coalesce(ends_at, '9999-12-31T00:00:00.000Z'), starts_at, ends_at, 'Plus (Freiabo)', 0, 'month',
      case when status = 'ended' then coalesce(ends_at, updated_at) else null end, case when status = 'ended' then 'revoked' else null end, created_at, updated_at
    from subscriptions`.execute(db);
  await db.schema.dropTable('subscriptions').execute();
  await db.schema.alterTable('subscriptions_next').renameTo('subscriptions').execute();
  await db.schema.createIndex('subscriptions_user').on('subscriptions').columns(['user_id']).execute();
  await db.schema.createIndex('subscriptions_state_period').on('subscriptions').columns(['state', 'current_period_end']).execute();
  await db.schema.createIndex('subscriptions_buyer_email').on('subscriptions').columns(['buyer_email']).execute();

  await db.schema.createTable('subscription_events')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('subscription_id', 'text', (c) => c.notNull().references('subscriptions.id').onDelete('cascade'))
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('event', 'text', (c) => c.notNull())
    .addColumn('from_state', 'text')
    .addColumn('to_state', 'text', (c) => c.notNull())
    .addColumn('cause', 'text', (c) => c.notNull())
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('seq', 'integer', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('subscription_events_sub').on('subscription_events').columns(['subscription_id', 'seq']).execute();

  await db.schema.createTable('sepa_mandates')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('subscription_id', 'text', (c) => c.notNull().references('subscriptions.id').onDelete('cascade'))
    .addColumn('reference', 'text', (c) => c.notNull().unique())
    .addColumn('holder_sealed', 'text', (c) => c.notNull())
    .addColumn('iban_sealed', 'text', (c) => c.notNull())
    .addColumn('iban_masked', 'text', (c) => c.notNull())
    .addColumn('bic', 'text')
    .addColumn('signed_on', 'text', (c) => c.notNull())
    .addColumn('first_collected_at', 'text')
    .addColumn('revoked_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('sepa_mandates_sub').on('sepa_mandates').columns(['subscription_id']).execute();

  await db.schema.createTable('sepa_batches')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('message_id', 'text', (c) => c.notNull().unique())
    .addColumn('run_on', 'text', (c) => c.notNull())
    .addColumn('count', 'integer', (c) => c.notNull())
    .addColumn('control_sum_cents', 'integer', (c) => c.notNull())
    .addColumn('file', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema.createTable('charges')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('subscription_id', 'text', (c) => c.notNull().references('subscriptions.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('intro', 'regular', 'gift', 'refund')`))
    .addColumn('amount_cents', 'integer', (c) => c.notNull())
    .addColumn('period_start', 'text', (c) => c.notNull())
    .addColumn('period_end', 'text', (c) => c.notNull())
    .addColumn('due_on', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull().check(sql`state in ('pending', 'submitted', 'paid', 'failed', 'returned', 'refunded')`))
    .addColumn('provider', 'text', (c) => c.notNull())
    .addColumn('sequence_type', 'text')
    .addColumn('end_to_end_id', 'text', (c) => c.notNull().unique())
    .addColumn('batch_id', 'text', (c) => c.references('sepa_batches.id'))
    .addColumn('external_id', 'text', (c) => c.unique())
    .addColumn('return_reason', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('charges_one_per_period', ['subscription_id', 'kind', 'period_start'])
    .execute();
  await db.schema.createIndex('charges_state_due').on('charges').columns(['state', 'due_on']).execute();
  await db.schema.createIndex('charges_batch').on('charges').columns(['batch_id']).execute();

  await db.schema.createTable('invoice_counters')
    .addColumn('year', 'integer', (c) => c.primaryKey())
    .addColumn('last', 'integer', (c) => c.notNull())
    .execute();
  await db.schema.createTable('invoices')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('number', 'text', (c) => c.notNull().unique())
    .addColumn('year', 'integer', (c) => c.notNull())
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('charge_id', 'text', (c) => c.notNull().unique())
    // no foreign keys to users or subscriptions: an invoice outlives the account (tax law keeps it 10 years)
    .addColumn('subscription_id', 'text', (c) => c.notNull())
    .addColumn('subscription_number', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text')
    .addColumn('buyer_name', 'text', (c) => c.notNull())
    .addColumn('buyer_email', 'text', (c) => c.notNull())
    .addColumn('issued_on', 'text', (c) => c.notNull())
    .addColumn('service_from', 'text', (c) => c.notNull())
    .addColumn('service_to', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('gross_cents', 'integer', (c) => c.notNull())
    .addColumn('net_cents', 'integer', (c) => c.notNull())
    .addColumn('vat_cents', 'integer', (c) => c.notNull())
    .addColumn('vat_rate_permille', 'integer', (c) => c.notNull())
    .addColumn('payment_note', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('invoices_year_seq', ['year', 'seq'])
    .execute();
  await db.schema.createIndex('invoices_user').on('invoices').columns(['user_id']).execute();
  await db.schema.createIndex('invoices_subscription').on('invoices').columns(['subscription_id']).execute();

  await db.schema.createTable('cancellations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('number', 'text', (c) => c.notNull().unique())
    .addColumn('received_at', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('contract_hint', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('ordinary', 'extraordinary')`))
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('preferred_date', 'text')
    .addColumn('subscription_id', 'text', (c) => c.references('subscriptions.id').onDelete('set null'))
    .addColumn('user_id', 'text', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('effective_at', 'text')
    .addColumn('state', 'text', (c) => c.notNull().check(sql`state in ('applied', 'queued', 'done')`))
    .addColumn('handled_by', 'text')
    .addColumn('submit_key', 'text', (c) => c.unique())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('cancellations_state').on('cancellations').columns(['state', 'received_at']).execute();

  await db.schema.createTable('payment_events')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('provider', 'text', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('received_at', 'text', (c) => c.notNull())
    .addColumn('outcome', 'text', (c) => c.notNull())
    .execute();
}
