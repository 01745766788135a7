// The daily billing run: end what is due to end, renew what is due to renew, step dunning, remind gifts, then write the SEPA file.
import { idsIn, newId, nowIso, type ChargeRow } from '../db/index.ts';
import { addDays, berlinDate, periodEnd } from './billing-calendar.ts';
import type { BillingContext } from './billing-context.ts';
import { dunningReminderMail, giftEndingMail, subscriptionEndedMail } from './billing-mails.ts';
import { endToEndId, SEPA_LEAD_DAYS } from './checkout.service.ts';
import { exportSepaBatch, type SepaBatchReport } from './sepa-export.service.ts';
import { DUNNING_ATTEMPTS, DUNNING_DAYS } from './subscription-lifecycle.ts';
import { applyLifecycleMany, monthsPerPeriod, tryApplyLifecycle, type Actor, type Subscription } from './subscription.store.ts';
import type { OutgoingMail } from '../mail/index.ts';

const CHUNK = 500;
const DAY_MS = 86_400_000;
const LIVE = ['intro', 'active', 'past_due', 'dunning'] as const;

export interface BillingRunReport {
  at: string;
  ended: number;
  renewed: number;
  dunningSteps: number;
  giftReminders: number;
  batch: SepaBatchReport | null;
  /** how long each step took, for the log and bench:billing */
  stepMs: { end: number; renew: number; dunning: number; gifts: number; sepa: number };
}

/** Runs every step in order; each step is idempotent, so an interrupted run is simply started again. */
export async function runBilling(ctx: BillingContext, o: { at?: Date; actor?: Actor } = {}): Promise<BillingRunReport> {
  const at = o.at ?? ctx.clock();
  const actor = o.actor ?? 'system:billing-run';
  const mails: OutgoingMail[] = [];
  let t = performance.now();
  const lap = () => { const now = performance.now(); const ms = Math.round(now - t); t = now; return ms; };
  const ended = await endDue(ctx, at, actor, mails);
  const end = lap();
  const renewed = await renewDue(ctx, at, actor);
  const renew = lap();
  const dunningSteps = await stepDunning(ctx, at, actor, mails);
  const dunning = lap();
  const giftReminders = await remindGifts(ctx, at, mails);
  const gifts = lap();
  const batch = await exportSepaBatch(ctx, { at, actor });
  const sepa = lap();
  // Mails go out after their changes are committed; a crash here loses a reminder, never sends one for nothing.
  for (const m of mails) await ctx.sendMail(m).catch(() => undefined);
  return { at: nowIso(at), ended, renewed, dunningSteps, giftReminders, batch, stepMs: { end, renew, dunning, gifts, sepa } };
}

/** Runs `apply` over the rows `select` finds, a chunk per transaction (keyset by id), until a select comes back short. */
async function eachChunk(ctx: BillingContext, select: (after: string) => Promise<Subscription[]>, apply: (db: BillingContext['db'], s: Subscription) => Promise<boolean>): Promise<number> {
  let done = 0;
  let after = '';
  for (;;) {
    const rows = await select(after);
    if (rows.length === 0) return done;
    await ctx.db.transaction().execute(async (trx) => {
      for (const s of rows) if (await apply(trx as unknown as BillingContext['db'], s)) done++;
    });
    after = rows[rows.length - 1]!.id;
    if (rows.length < CHUNK) return done;
  }
}

async function endDue(ctx: BillingContext, at: Date, actor: Actor, mails: OutgoingMail[]): Promise<number> {
  const now = nowIso(at);
  return eachChunk(ctx, (after) => ctx.db.selectFrom('subscriptions').selectAll().where('state', 'in', [...LIVE]).where('id', '>', after)
    .where((eb) => eb.or([
      eb('cancel_effective_at', '<=', now),
      eb.and([eb('kind', 'in', ['gift', 'comp']), eb('current_period_end', '<=', now)]),
    ])).orderBy('id').limit(CHUNK).execute(),
  async (db, s) => {
    const reason = s.cancel_effective_at !== null && s.cancel_effective_at <= now ? 'cancelled' : s.kind === 'gift' ? 'gift-over' : 'comp-over';
    const done = await tryApplyLifecycle(db, s, { type: 'expire', at: now, reason }, { cause: reason === 'cancelled' ? 'Kündigung wirksam' : 'Laufzeit zu Ende', actor, graceMs: ctx.graceMs });
    if (done && s.buyer_email) mails.push(subscriptionEndedMail(ctx, { to: s.buyer_email, sub: done }));
    return done !== null;
  });
}

/**
 * SEPA contracts whose period is over get their next period: a charge (collected by the file below) and the renewal.
 * Each contract is still renewed by its own compare-and-set, but the history lines and charges of a chunk are written
 * with one statement each: per-row inserts made a run over 100,000 contracts take minutes on PostgreSQL (bench:billing).
 */
async function renewDue(ctx: BillingContext, at: Date, actor: Actor): Promise<number> {
  const now = nowIso(at);
  const runDate = berlinDate(at);
  // The ids first, once: a keyset loop re-reads and sorts every still-due row per chunk, quadratic in a big run.
  const ids = (await ctx.db.selectFrom('subscriptions').select('id')
    .where('kind', '=', 'paid').where('provider', '=', 'sepa').where('state', 'in', ['intro', 'active']).where('current_period_end', '<=', now)
    .orderBy('id').execute()).map((r) => r.id);
  let done = 0;
  for (let i = 0; i < ids.length; i += CHUNK) {
    // Read again by id with the same conditions: a contract changed since the id list was made is left alone.
    // The conditions are checked here rather than in SQL: given them, SQLite walks the (state, period) index over every
    // still-due row instead of looking up these ids — quadratic over a big run.
    const rows = (await ctx.db.selectFrom('subscriptions').selectAll().where(idsIn(ctx.caps, 'id', ids.slice(i, i + CHUNK))).orderBy('id').execute())
      .filter((s) => s.kind === 'paid' && s.provider === 'sepa' && (s.state === 'intro' || s.state === 'active') && s.current_period_end !== null && s.current_period_end <= now);
    const due = rows.filter((s) => s.cancel_effective_at === null || s.cancel_effective_at > s.current_period_end!).map((s) => {
      const k = s.periods_paid + 1;
      const pm = monthsPerPeriod(s);
      const start = s.current_period_end!;
      const end = periodEnd(berlinDate(new Date(s.starts_at)), k, pm).toISOString();
      const inIntro = s.intro_price_cents !== null && (k - 1) * pm < s.intro_months;
      const dueOn = berlinDate(new Date(start)) > runDate ? berlinDate(new Date(start)) : addDays(runDate, 1);
      const charge: ChargeRow = {
        id: newId(), subscription_id: s.id, kind: inIntro ? 'intro' : 'regular', amount_cents: inIntro ? s.intro_price_cents! : s.price_cents,
        period_start: start, period_end: end, due_on: dueOn, state: 'pending', provider: 'sepa', sequence_type: null,
        end_to_end_id: endToEndId(s.number, k), batch_id: null, external_id: null, return_reason: null, created_at: now, updated_at: now,
      };
      return { sub: s, event: { type: 'renew', at: now, periodStart: start, periodEnd: end } as const, o: { cause: `Zeitraum ${k} beginnt`, actor, graceMs: ctx.graceMs }, charge };
    });
    await ctx.db.transaction().execute(async (trx) => {
      const renewed = await applyLifecycleMany(trx, due);
      const charges = due.filter((_, i) => renewed[i] !== null).map((d) => d.charge);
      for (let i = 0; i < charges.length; i += 500) {
        await trx.insertInto('charges').values(charges.slice(i, i + 500)).onConflict((oc) => oc.doNothing()).execute();
      }
      done += charges.length;
    });
  }
  return done;
}

/** Three attempts over fourteen days: each one a reminder and the debit presented again; after that the contract ends. */
async function stepDunning(ctx: BillingContext, at: Date, actor: Actor, mails: OutgoingMail[]): Promise<number> {
  const now = nowIso(at);
  return eachChunk(ctx, (after) => ctx.db.selectFrom('subscriptions').selectAll().where('state', 'in', ['past_due', 'dunning'])
    .where('next_dunning_at', '<=', now).where('id', '>', after).orderBy('id').limit(CHUNK).execute(),
  async (db, s) => {
    if (s.dunning_attempts >= DUNNING_ATTEMPTS) {
      const done = await tryApplyLifecycle(db, s, { type: 'expire', at: now, reason: 'unpaid' }, { cause: 'Zahlung nach drei Versuchen nicht eingegangen', actor, graceMs: ctx.graceMs });
      if (done && s.buyer_email) mails.push(subscriptionEndedMail(ctx, { to: s.buyer_email, sub: done }));
      return done !== null;
    }
    const attempt = s.dunning_attempts + 1;
    const since = Date.parse(s.past_due_since ?? now);
    const nextAt = new Date(attempt >= DUNNING_ATTEMPTS ? since + DUNNING_DAYS * DAY_MS : Math.max(at.getTime() + DAY_MS, since + attempt * (DUNNING_DAYS / (DUNNING_ATTEMPTS - 1)) * DAY_MS)).toISOString();
    const done = await tryApplyLifecycle(db, s, { type: 'dunning-step', at: now, nextAt }, { cause: `Zahlungserinnerung ${attempt} von ${DUNNING_ATTEMPTS}`, actor, graceMs: ctx.graceMs });
    if (!done) return false;
    const open = await db.selectFrom('charges').selectAll().where('subscription_id', '=', s.id).where('state', 'in', ['returned', 'failed']).execute();
    for (const c of open) {
      if (c.provider !== 'sepa') continue;
      await db.updateTable('charges').set({ state: 'pending', batch_id: null, due_on: addDays(berlinDate(at), SEPA_LEAD_DAYS), end_to_end_id: `${c.end_to_end_id.slice(0, 30)}-R${attempt}`, updated_at: now })
        .where('id', '=', c.id).execute();
    }
    const amount = open.reduce((sum, c) => sum + c.amount_cents, 0);
    if (s.buyer_email) mails.push(dunningReminderMail(ctx, { to: s.buyer_email, sub: done, attempt, amountCents: amount, dueOn: addDays(berlinDate(at), SEPA_LEAD_DAYS) }));
    return true;
  });
}

/** A week before a gift runs out, its holder hears about it once. */
async function remindGifts(ctx: BillingContext, at: Date, mails: OutgoingMail[]): Promise<number> {
  const now = nowIso(at);
  const weekAhead = nowIso(new Date(at.getTime() + 7 * DAY_MS));
  const due = await ctx.db.selectFrom('subscriptions').leftJoin('users', 'users.id', 'subscriptions.user_id')
    .selectAll('subscriptions').select('users.email as user_email')
    .where('subscriptions.kind', '=', 'gift').where('subscriptions.state', '=', 'active').where('subscriptions.reminder_sent_at', 'is', null)
    .where('subscriptions.current_period_end', '<=', weekAhead).where('subscriptions.current_period_end', '>', now).execute();
  let n = 0;
  for (const s of due) {
    const r = await ctx.db.updateTable('subscriptions').set({ reminder_sent_at: now }).where('id', '=', s.id).where('reminder_sent_at', 'is', null).executeTakeFirst();
    if (Number(r.numUpdatedRows) !== 1) continue;
    n++;
    const to = s.user_email ?? s.buyer_email;
    if (to) mails.push(giftEndingMail(ctx, { to, sub: s }));
  }
  return n;
}
