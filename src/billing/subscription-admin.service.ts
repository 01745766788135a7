// The publisher's view of all contracts: search with paging, the CSV export rows, and ending a contract at once.
import { sql } from 'kysely';
import { nowIso, type SubscriptionRow, type SubscriptionState } from '../db/index.ts';
import { DomainError } from '../domain-error.ts';
import type { BillingContext } from './billing-context.ts';
import { syncStripe } from './stripe-sync.ts';
import { applyLifecycle, findSubscription, type Actor, type Db, type Subscription } from './subscription.store.ts';

export const SEARCH_PAGE_SIZE = 50;

export interface SubscriptionSearch {
  /** part of a name, an email address or a subscription number */
  q?: string;
  state?: SubscriptionState | '';
  /** the offer's name as sold (subscriptions keep it) */
  offerName?: string;
  /** 1-based */
  page?: number;
}

export interface SubscriptionListItem {
  id: string; number: string; state: SubscriptionState; kind: SubscriptionRow['kind']; provider: SubscriptionRow['provider'];
  offerName: string; email: string; name: string; createdAt: string; accessUntil: string | null; cancelEffectiveAt: string | null;
}

/** LIKE with the user's text taken literally (a % or _ in the search box is no wildcard). */
const likePattern = (q: string) => `%${q.toLowerCase().replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;

function listQuery(db: Db, s: SubscriptionSearch) {
  let q = db.selectFrom('subscriptions').leftJoin('users', 'users.id', 'subscriptions.user_id').select([
    'subscriptions.id', 'subscriptions.number', 'subscriptions.state', 'subscriptions.kind', 'subscriptions.provider', 'subscriptions.offer_name',
    'subscriptions.buyer_email', 'subscriptions.holder_name', 'subscriptions.created_at', 'subscriptions.access_until', 'subscriptions.cancel_effective_at',
    'users.email as user_email', 'users.display_name as user_name',
  ]);
  const text = s.q?.trim();
  if (text) {
    const p = likePattern(text);
    // lower() on both sides: PostgreSQL's LIKE is case-sensitive, SQLite's only for ASCII — this is the same on both.
    q = q.where((eb) => eb.or([
      eb(sql`lower(subscriptions.number)`, 'like', sql`${p} escape '\\'`),
      eb(sql`lower(subscriptions.buyer_email)`, 'like', sql`${p} escape '\\'`),
      eb(sql`lower(subscriptions.holder_name)`, 'like', sql`${p} escape '\\'`),
      eb(sql`lower(users.email)`, 'like', sql`${p} escape '\\'`),
      eb(sql`lower(users.display_name)`, 'like', sql`${p} escape '\\'`),
    ]));
  }
  if (s.state) q = q.where('subscriptions.state', '=', s.state);
  if (s.offerName) q = q.where('subscriptions.offer_name', '=', s.offerName);
  return q;
}

const itemOf = (r: Awaited<ReturnType<ReturnType<typeof listQuery>['execute']>>[number]): SubscriptionListItem => ({
  id: r.id, number: r.number, state: r.state, kind: r.kind, provider: r.provider, offerName: r.offer_name,
  email: r.user_email ?? r.buyer_email, name: r.holder_name || r.user_name || '', createdAt: r.created_at, accessUntil: r.access_until, cancelEffectiveAt: r.cancel_effective_at,
});

/** One page of contracts, newest first, and whether there is a next page. */
export async function searchSubscriptions(db: Db, s: SubscriptionSearch): Promise<{ items: SubscriptionListItem[]; hasMore: boolean }> {
  const page = Math.max(1, s.page ?? 1);
  const rows = await listQuery(db, s).orderBy('subscriptions.created_at', 'desc').orderBy('subscriptions.id', 'desc')
    .limit(SEARCH_PAGE_SIZE + 1).offset((page - 1) * SEARCH_PAGE_SIZE).execute();
  return { items: rows.slice(0, SEARCH_PAGE_SIZE).map(itemOf), hasMore: rows.length > SEARCH_PAGE_SIZE };
}

/** Every contract matching the search, for the CSV export, read in pages so a big list never sits in one result. */
export async function* subscriptionsForExport(db: Db, s: Omit<SubscriptionSearch, 'page'> = {}): AsyncGenerator<SubscriptionListItem> {
  for (let offset = 0; ; offset += 1000) {
    const rows = await listQuery(db, s).orderBy('subscriptions.created_at').orderBy('subscriptions.id').limit(1000).offset(offset).execute();
    for (const r of rows) yield itemOf(r);
    if (rows.length < 1000) return;
  }
}

/** The offer names contracts were sold under, for the search filter. */
export async function soldOfferNames(db: Db): Promise<string[]> {
  return (await db.selectFrom('subscriptions').select('offer_name').distinct().orderBy('offer_name').execute()).map((r) => r.offer_name);
}

/**
 * Ends a contract now (fraud, a court order, a decided extraordinary cancellation): access ends at once, no further
 * charges. A Stripe contract must also be cancelled at Stripe; its webhook then finds the contract already ended.
 */
export async function terminateSubscription(ctx: BillingContext, subscriptionId: string, o: { actor: Actor; reason: string }): Promise<Subscription> {
  const reason = o.reason.trim();
  if (reason.length < 3) throw new DomainError('invalid-input', 'Bitte geben Sie einen Grund an.', 'reason');
  const done = await ctx.db.transaction().execute(async (trx) => {
    const sub = await findSubscription(trx, subscriptionId);
    if (!sub) throw new DomainError('not-found', 'Dieses Abo gibt es nicht.', 'subscription');
    if (sub.state === 'ended') throw new DomainError('conflict', 'Dieses Abo ist bereits beendet.', 'subscription');
    return applyLifecycle(trx, sub, { type: 'terminate', at: nowIso(ctx.clock()), reason: 'terminated' }, { cause: `Sofort beendet durch den Verlag: ${reason.slice(0, 200)}`, actor: o.actor, graceMs: 0 });
  });
  await syncStripe(ctx, done, 'cancel-now');
  return done;
}
