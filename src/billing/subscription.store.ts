// Subscriptions in the database: rows to contracts, numbers, and the one way a state changes (transition + history, in the caller's transaction).
import { randomInt } from 'node:crypto';
import { sql, type Kysely, type Transaction } from 'kysely';
import { newId, nowIso, type Database, type SubscriptionRow } from '../db/index.ts';
import { DomainError } from '../domain-error.ts';
import { accessUntil, transition, type LifecycleEvent, type LifecycleSnapshot } from './subscription-lifecycle.ts';

export type Db = Kysely<Database> | Transaction<Database>;
export type Subscription = SubscriptionRow;

/** Who caused a change: the reader, an admin (with id), the system (billing run, dunning) or a provider event. */
export type Actor = `reader:${string}` | `admin:${string}` | `system:${string}` | `stripe:${string}` | 'cli' | 'public-form';

const NUMBER_ALPHABET = '23456789ABCDEFGHJKLMNPQRSTUVWXYZ';
/** A subscription number a person can read out on the phone: "KT-4HX9-P2QM" (no 0/O, 1/I). */
export function newSubscriptionNumber(): string {
  const pick = () => Array.from({ length: 4 }, () => NUMBER_ALPHABET[randomInt(NUMBER_ALPHABET.length)]).join('');
  return `KT-${pick()}-${pick()}`;
}

/** A full row for a new subscription: every column the caller does not name starts empty. */
export function newSubscriptionRow(v: Pick<Subscription, 'id' | 'number' | 'user_id' | 'kind' | 'provider' | 'state' | 'starts_at' | 'offer_name' | 'price_cents' | 'period' | 'created_at' | 'updated_at'> & Partial<Subscription>): Subscription {
  return {
    offer_id: null, access_until: null, current_period_start: null, current_period_end: null, min_term_end: null, periods_paid: 0,
    intro_price_cents: null, intro_months: 0, min_term_months: 0, notice_months: 0, gift_months: null, cancel_requested_at: null,
    cancel_effective_at: null, past_due_since: null, dunning_attempts: 0, next_dunning_at: null, reminder_sent_at: null, ended_at: null,
    end_reason: null, holder_name: '', buyer_email: '', order_key: null, gift_code_hash: null, external_ref: null, external_customer: null,
    external_version: 0, attributed_article_id: null, experiment_variant_id: null, ...v,
  };
}

export const monthsPerPeriod = (s: Pick<Subscription, 'period'>): number => (s.period === 'year' ? 12 : 1);

export function snapshotOf(s: Subscription): LifecycleSnapshot {
  return {
    kind: s.kind, state: s.state, currentPeriodStart: s.current_period_start, currentPeriodEnd: s.current_period_end,
    cancelEffectiveAt: s.cancel_effective_at, cancelRequestedAt: s.cancel_requested_at, pastDueSince: s.past_due_since,
    dunningAttempts: s.dunning_attempts, nextDunningAt: s.next_dunning_at, periodsPaid: s.periods_paid,
    introMonths: s.intro_months, monthsPerPeriod: monthsPerPeriod(s), endedAt: s.ended_at, endReason: s.end_reason,
  };
}

export async function findSubscription(db: Db, id: string): Promise<Subscription | null> {
  return (await db.selectFrom('subscriptions').selectAll().where('id', '=', id).executeTakeFirst()) ?? null;
}

export async function findSubscriptionByNumber(db: Db, number: string): Promise<Subscription | null> {
  return (await db.selectFrom('subscriptions').selectAll().where('number', '=', number.trim().toUpperCase()).executeTakeFirst()) ?? null;
}

export async function subscriptionsOfUser(db: Db, userId: string): Promise<Subscription[]> {
  return db.selectFrom('subscriptions').selectAll().where('user_id', '=', userId).orderBy('created_at', 'desc').execute();
}

export async function recordEvent(db: Db, sub: Pick<Subscription, 'id'>, e: { at: string; event: string; from: string | null; to: string; cause: string; actor: Actor }): Promise<void> {
  // seq is computed in the insert itself: one round trip, and the subscription row's lock (taken by the state change
  // in the same transaction) keeps two writers from picking the same number.
  await db.insertInto('subscription_events').columns(['id', 'subscription_id', 'at', 'event', 'from_state', 'to_state', 'cause', 'actor', 'seq'])
    .expression((eb) => eb.selectFrom('subscription_events').select((s) => [
      s.val(newId()).as('id'), s.val(sub.id).as('subscription_id'), s.val(e.at).as('at'), s.val(e.event).as('event'), s.val(e.from).as('from_state'),
      s.val(e.to).as('to_state'), s.val(e.cause).as('cause'), s.val(e.actor).as('actor'),
      sql<number>`coalesce(max(seq), 0) + 1`.as('seq'),
    ]).where('subscription_id', '=', sub.id))
    .execute();
}

export interface ApplyOptions { cause: string; actor: Actor; graceMs: number }

type EventLine = { at: string; event: string; from: string | null; to: string; cause: string; actor: Actor };

/** The row after an event: what the lifecycle decides, with access_until and a new updated_at (the demo history replays contracts with it too). */
export function planChange(sub: Subscription, event: LifecycleEvent, o: ApplyOptions) {
  const t = transition(snapshotOf(sub), event);
  const n = t.next;
  const values = {
    state: n.state, current_period_start: n.currentPeriodStart, current_period_end: n.currentPeriodEnd,
    cancel_effective_at: n.cancelEffectiveAt, cancel_requested_at: n.cancelRequestedAt, past_due_since: n.pastDueSince,
    dunning_attempts: n.dunningAttempts, next_dunning_at: n.nextDunningAt, periods_paid: n.periodsPaid,
    ended_at: n.endedAt, end_reason: n.endReason, access_until: accessUntil(n, o.graceMs),
    updated_at: nowIso(new Date(Math.max(Date.parse(event.at), Date.parse(sub.updated_at) + 1))),
  };
  const line: EventLine = { at: event.at, event: event.type, from: t.from, to: t.to, cause: o.cause, actor: o.actor };
  return { values, line };
}

/**
 * Writes one subscription's change only if nobody changed it meanwhile (compare-and-set on updated_at); returns the
 * new row and its history line (not yet written), or null when the row had moved on.
 */
async function compareAndSet(db: Db, sub: Subscription, event: LifecycleEvent, o: ApplyOptions): Promise<{ next: Subscription; line: EventLine } | null> {
  const { values, line } = planChange(sub, event, o);
  const r = await db.updateTable('subscriptions').set(values).where('id', '=', sub.id).where('updated_at', '=', sub.updated_at).executeTakeFirst();
  if (Number(r.numUpdatedRows) !== 1) return null;
  return { next: { ...sub, ...values }, line };
}

const TEXT_COLUMNS = ['state', 'current_period_start', 'current_period_end', 'cancel_effective_at', 'cancel_requested_at', 'past_due_since',
  'next_dunning_at', 'ended_at', 'end_reason', 'access_until', 'updated_at'] as const;
const INT_COLUMNS = ['dunning_attempts', 'periods_paid'] as const;

/**
 * Many compare-and-sets in one statement: `update … from (values (id, expected, …), …) as v where id = v.column1 and
 * updated_at = v.column2 returning id` — each row is written only if it is unchanged, exactly as one by one, and the
 * ids that come back are the ones that were. Both engines name a VALUES list's columns column1, column2, …, so the
 * same SQL runs on SQLite (3.33+) and PostgreSQL; the casts tell PostgreSQL the parameters' types. (A UNION ALL of
 * selects works too, but PostgreSQL spends ~80 ms planning 200 of them — the whole billing run, on 100,000 contracts.)
 */
async function compareAndSetMany(db: Db, changes: { sub: Subscription; values: ReturnType<typeof planChange>['values'] }[]): Promise<Set<string>> {
  const done = new Set<string>();
  const columns = [...TEXT_COLUMNS, ...INT_COLUMNS];
  const set = sql.join(columns.map((c, i) => sql`${sql.ref(c)} = ${sql.ref(`v.column${i + 3}`)}`));
  for (let i = 0; i < changes.length; i += 200) {
    const rows = changes.slice(i, i + 200).map(({ sub, values }) => sql`(${sql.join([
      sql`cast(${sub.id} as text)`, sql`cast(${sub.updated_at} as text)`,
      ...TEXT_COLUMNS.map((c) => sql`cast(${values[c]} as text)`),
      ...INT_COLUMNS.map((c) => sql`cast(${values[c]} as integer)`),
    ])})`);
    const ids = changes.slice(i, i + 200).map(({ sub }) => sub.id);
    // `id in (…)` as well as the join: SQLite otherwise walks the whole table once per statement (quadratic in a big run).
    const r = await sql<{ id: string }>`update subscriptions set ${set} from (values ${sql.join(rows)}) as v
      where subscriptions.id in (${sql.join(ids)}) and subscriptions.id = v.column1 and subscriptions.updated_at = v.column2 returning id`.execute(db);
    for (const row of r.rows) done.add(row.id);
  }
  return done;
}

/**
 * The only way a subscription's state changes: the lifecycle decides, the row is written only if nobody changed it
 * meanwhile (compare-and-set on updated_at), access_until follows, and the history gets a line. Run it inside the
 * transaction that also writes the charge, mandate or cancellation the change belongs to.
 */
export async function applyLifecycle(db: Db, sub: Subscription, event: LifecycleEvent, o: ApplyOptions): Promise<Subscription> {
  const done = await compareAndSet(db, sub, event, o);
  if (!done) throw new DomainError('conflict', 'Das Abo wurde gerade anderweitig geändert. Bitte laden Sie die Seite neu.', 'subscription');
  await recordEvent(db, sub, done.line);
  return done.next;
}

/**
 * applyLifecycle for many subscriptions (each at most once) in the caller's transaction, for a billing-run chunk: every row
 * is still a compare-and-set of its own, but a few hundred go in one statement, and their history lines in another.
 * Rows changed meanwhile are skipped (null).
 */
export async function applyLifecycleMany(db: Db, items: { sub: Subscription; event: LifecycleEvent; o: ApplyOptions }[]): Promise<(Subscription | null)[]> {
  const planned = items.map((it) => ({ sub: it.sub, ...planChange(it.sub, it.event, it.o) }));
  const done = await compareAndSetMany(db, planned);
  const results = planned.map((p) => (done.has(p.sub.id) ? { ...p.sub, ...p.values } : null));
  const lines = planned.filter((p) => done.has(p.sub.id)).map((p) => ({ subscriptionId: p.sub.id, line: p.line }));
  if (lines.length === 0) return results;
  // The rows updated above stay locked until commit, so nobody else can add a line to these subscriptions and take the same seq.
  const last = new Map<string, number>();
  const ids = lines.map((l) => l.subscriptionId);
  for (let i = 0; i < ids.length; i += 500) {
    const rows = await db.selectFrom('subscription_events').select((eb) => ['subscription_id', eb.fn.max('seq').as('seq')])
      .where('subscription_id', 'in', ids.slice(i, i + 500)).groupBy('subscription_id').execute();
    for (const r of rows) last.set(r.subscription_id, Number(r.seq));
  }
  const values = lines.map(({ subscriptionId, line }) => {
    const seq = (last.get(subscriptionId) ?? 0) + 1;
    last.set(subscriptionId, seq);
    return { id: newId(), subscription_id: subscriptionId, at: line.at, event: line.event, from_state: line.from, to_state: line.to, cause: line.cause, actor: line.actor, seq };
  });
  for (let i = 0; i < values.length; i += 500) await db.insertInto('subscription_events').values(values.slice(i, i + 500)).execute();
  return results;
}

/** applyLifecycle for batch work: a subscription changed meanwhile (another run got there first) is skipped, not an error. */
export async function tryApplyLifecycle(db: Db, sub: Subscription, event: LifecycleEvent, o: ApplyOptions): Promise<Subscription | null> {
  try {
    return await applyLifecycle(db, sub, event, o);
  } catch (e) {
    if (e instanceof DomainError && e.code === 'conflict' && e.field === 'subscription') return null;
    throw e;
  }
}

export interface SubscriptionEvent { at: string; event: string; from: string | null; to: string; cause: string; actor: string }

export async function subscriptionHistory(db: Db, subscriptionId: string): Promise<SubscriptionEvent[]> {
  const rows = await db.selectFrom('subscription_events').selectAll().where('subscription_id', '=', subscriptionId).orderBy('seq').execute();
  return rows.map((r) => ({ at: r.at, event: r.event, from: r.from_state, to: r.to_state, cause: r.cause, actor: r.actor }));
}

