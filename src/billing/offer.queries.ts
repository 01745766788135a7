// Offers in the database: list, find, create and update (admins via the publisher page and `klartext offer`).
import type { Kysely, Transaction } from 'kysely';
import { newId, nowIso, type Database, type OfferRow } from '../db/index.ts';
import { DomainError } from '../domain-error.ts';
import { recordContentChange } from '../content/index.ts';
import { parseOfferInput, type Offer, type OfferInput, type PaymentMethod } from './offer.ts';

type Db = Kysely<Database> | Transaction<Database>;

export function offerFromRow(r: OfferRow): Offer {
  return {
    id: r.id, slug: r.slug, name: r.name, description: r.description, kind: r.kind,
    introPriceCents: r.intro_price_cents, introMonths: r.intro_months, priceCents: r.price_cents, period: r.period,
    minTermMonths: r.min_term_months, noticeMonths: r.notice_months,
    giftMonths: r.gift_months ? r.gift_months.split(',').map(Number) : [],
    paymentMethods: r.payment_methods.split(',').filter(Boolean) as PaymentMethod[], active: r.active === 1, position: r.position,
  };
}

export async function listOffers(db: Db, o: { activeOnly?: boolean } = {}): Promise<Offer[]> {
  let q = db.selectFrom('offers').selectAll().orderBy('position').orderBy('name');
  if (o.activeOnly) q = q.where('active', '=', 1);
  return (await q.execute()).map(offerFromRow);
}

export async function findOffer(db: Db, slugOrId: string): Promise<Offer | null> {
  const row = await db.selectFrom('offers').selectAll().where((eb) => eb.or([eb('slug', '=', slugOrId), eb('id', '=', slugOrId)])).executeTakeFirst();
  return row ? offerFromRow(row) : null;
}

function columns(o: ReturnType<typeof parseOfferInput>) {
  return {
    slug: o.slug, name: o.name, description: o.description, kind: o.kind, intro_price_cents: o.introPriceCents, intro_months: o.introMonths,
    price_cents: o.priceCents, period: o.period, min_term_months: o.minTermMonths, notice_months: o.noticeMonths,
    gift_months: o.giftMonths.join(','), payment_methods: [...new Set(o.paymentMethods)].join(','), active: o.active ? 1 : 0, position: o.position,
  };
}

/** In the caller's transaction, or in one of its own: the offer and the record of its change commit together. */
const inTransaction = <T>(db: Db, work: (trx: Transaction<Database>) => Promise<T>): Promise<T> =>
  db.isTransaction ? work(db as Transaction<Database>) : db.transaction().execute(work);

/**
 * The pages showing offers (/abo, the box of every Plus article) carry the surrogate key `offers`: a change drops them
 * in every process and at the CDN (docs/decisions/018).
 */
const OFFER_PAGES = ['offers'];

export async function createOffer(db: Db, input: OfferInput, now: Date): Promise<Offer> {
  const parsed = parseOfferInput(input);
  return inTransaction(db, async (trx) => {
    if (await findOffer(trx, parsed.slug)) throw new DomainError('conflict', `Es gibt schon ein Angebot „${parsed.slug}“.`, 'slug');
    const at = nowIso(now);
    const row = { id: newId(), ...columns(parsed), created_at: at, updated_at: at };
    await trx.insertInto('offers').values(row).execute();
    await recordContentChange(trx, OFFER_PAGES);
    return offerFromRow(row);
  });
}

/**
 * Updates an offer. Running subscriptions keep the terms they were sold with (copied at the order), so a new
 * price applies to new orders only; an order placed against the old price is refused (see checkout).
 */
export async function updateOffer(db: Db, slug: string, patch: Partial<OfferInput>, now: Date): Promise<Offer> {
  return inTransaction(db, async (trx) => {
    const current = await findOffer(trx, slug);
    if (!current) throw new DomainError('not-found', `Es gibt kein Angebot „${slug}“.`, 'slug');
    const parsed = parseOfferInput({ ...current, ...patch, slug: current.slug });
    await trx.updateTable('offers').set({ ...columns(parsed), updated_at: nowIso(now) }).where('id', '=', current.id).execute();
    await recordContentChange(trx, OFFER_PAGES);
    return (await findOffer(trx, current.id))!;
  });
}

/** Inserts the given offers that do not exist yet (by slug); the demo seed and tests use it. */
export async function ensureOffers(db: Db, inputs: readonly OfferInput[], now: Date): Promise<void> {
  for (const input of inputs) if (!(await findOffer(db, input.slug))) await createOffer(db, input, now);
}

/** The offer the paywall's box sells: the first active subscription offer (by position), or null when none is on sale. */
export async function featuredOffer(db: Db): Promise<Offer | null> {
  const row = await db.selectFrom('offers').selectAll().where('active', '=', 1).where('kind', '=', 'recurring').orderBy('position').orderBy('name').limit(1).executeTakeFirst();
  return row ? offerFromRow(row) : null;
}
