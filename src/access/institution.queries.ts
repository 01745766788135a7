// The institution tables: institutions with their networks and domains, seat claims, and the unlocks the daily rollups counted per institution.
import type { Kysely, Transaction } from 'kysely';
import type { Database, InstitutionRow } from '../db/index.ts';
import type { InstitutionKind } from './institution-input.ts';

type Db = Kysely<Database> | Transaction<Database>;

export interface Institution {
  id: string;
  name: string;
  kind: InstitutionKind;
  seats: number | null;
  endsOn: string;
  createdAt: string;
  updatedAt: string;
  revokedAt: string | null;
  networks: string[];
  domains: string[];
}

export interface InstitutionMember { userId: string; email: string; displayName: string; claimedAt: string; lastUsedAt: string }

const toInstitution = (r: InstitutionRow, networks: string[], domains: string[]): Institution => ({
  id: r.id, name: r.name, kind: r.kind, seats: r.seats, endsOn: r.ends_on, createdAt: r.created_at, updatedAt: r.updated_at, revokedAt: r.revoked_at, networks, domains,
});

const grouped = <T extends { institution_id: string }>(rows: T[], value: (r: T) => string): Map<string, string[]> => {
  const m = new Map<string, string[]>();
  for (const r of rows) m.set(r.institution_id, [...(m.get(r.institution_id) ?? []), value(r)]);
  return m;
};

/** Institutions with their networks and domains; `activeOnly`: not revoked (the end date is for the caller to check against its day). */
export async function readInstitutions(db: Db, o: { id?: string; activeOnly?: boolean } = {}): Promise<Institution[]> {
  let q = db.selectFrom('institutions').selectAll().orderBy('name').orderBy('id');
  if (o.id !== undefined) q = q.where('id', '=', o.id);
  if (o.activeOnly) q = q.where('revoked_at', 'is', null);
  const rows = await q.execute();
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const [networks, domains] = await Promise.all([
    db.selectFrom('institution_networks').select(['institution_id', 'cidr']).where('institution_id', 'in', ids).orderBy('cidr').execute(),
    db.selectFrom('institution_domains').select(['institution_id', 'domain']).where('institution_id', 'in', ids).orderBy('domain').execute(),
  ]);
  const n = grouped(networks, (r) => r.cidr);
  const d = grouped(domains, (r) => r.domain);
  return rows.map((r) => toInstitution(r, n.get(r.id) ?? [], d.get(r.id) ?? []));
}

/** Seats taken per institution. */
export async function seatsTaken(db: Db, institutionId?: string): Promise<Map<string, number>> {
  let q = db.selectFrom('institution_members').select((eb) => ['institution_id', eb.fn.countAll<string | number>().as('n')]).groupBy('institution_id');
  if (institutionId !== undefined) q = q.where('institution_id', '=', institutionId);
  return new Map((await q.execute()).map((r) => [r.institution_id, Number(r.n)]));
}

/**
 * The no-op update that makes every seat decision of one institution wait for the others: on PostgreSQL the row lock,
 * on SQLite the database write lock (it must be the transaction's first statement, see lockReader).
 */
export async function lockInstitution(trx: Transaction<Database>, id: string): Promise<boolean> {
  const r = await trx.updateTable('institutions').set((eb) => ({ updated_at: eb.ref('updated_at') })).where('id', '=', id).executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

/** How many seats are taken and whether this reader holds one (with the last use), in one query. */
export async function seatOf(db: Db, institutionId: string, userId: string): Promise<{ taken: number; lastUsedAt: string | null }> {
  const r = await db.selectNoFrom((eb) => [
    eb.selectFrom('institution_members').select((e) => e.fn.countAll<string | number>().as('n')).where('institution_id', '=', institutionId).as('taken'),
    eb.selectFrom('institution_members').select('last_used_at').where('institution_id', '=', institutionId).where('user_id', '=', userId).as('last_used_at'),
  ]).executeTakeFirstOrThrow();
  return { taken: Number(r.taken ?? 0), lastUsedAt: r.last_used_at ?? null };
}

export async function insertMember(trx: Db, m: { institutionId: string; userId: string; at: string }): Promise<void> {
  await trx.insertInto('institution_members').values({ institution_id: m.institutionId, user_id: m.userId, claimed_at: m.at, last_used_at: m.at })
    .onConflict((oc) => oc.columns(['institution_id', 'user_id']).doNothing()).execute();
}

export async function touchMember(db: Db, m: { institutionId: string; userId: string; at: string }): Promise<void> {
  await db.updateTable('institution_members').set({ last_used_at: m.at }).where('institution_id', '=', m.institutionId).where('user_id', '=', m.userId).execute();
}

export async function deleteMember(db: Db, institutionId: string, userId: string): Promise<boolean> {
  const r = await db.deleteFrom('institution_members').where('institution_id', '=', institutionId).where('user_id', '=', userId).executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}

/** The readers holding a seat, the most recently active first. Personal data: the pages show it to admins only. */
export async function listMembers(db: Db, institutionId: string): Promise<InstitutionMember[]> {
  const rows = await db.selectFrom('institution_members as m').innerJoin('users as u', 'u.id', 'm.user_id')
    .select(['m.user_id', 'u.email', 'u.display_name', 'm.claimed_at', 'm.last_used_at'])
    .where('m.institution_id', '=', institutionId).orderBy('m.last_used_at', 'desc').orderBy('u.email').execute();
  return rows.map((r) => ({ userId: r.user_id, email: r.email, displayName: r.display_name, claimedAt: r.claimed_at, lastUsedAt: r.last_used_at }));
}

/** Domains among `domains` that belong to another institution than `exceptId`, with that institution's name. */
export async function domainOwners(db: Db, domains: string[], exceptId: string | null): Promise<{ domain: string; name: string }[]> {
  if (domains.length === 0) return [];
  let q = db.selectFrom('institution_domains as d').innerJoin('institutions as i', 'i.id', 'd.institution_id').select(['d.domain', 'i.name']).where('d.domain', 'in', domains);
  if (exceptId !== null) q = q.where('d.institution_id', '<>', exceptId);
  return q.orderBy('d.domain').execute();
}

/** Unlocks through institutions per institution in a range of Berlin days (both included), from the daily rollups. */
export async function institutionUnlocks(db: Db, range: { from: string; to: string }): Promise<Map<string, number>> {
  const rows = await db.selectFrom('analytics_daily').select((eb) => ['institution_id', eb.fn.sum<string | number>('count').as('n')])
    .where('kind', '=', 'institution_unlock').where('day', '>=', range.from).where('day', '<=', range.to).where('institution_id', '<>', '')
    .groupBy('institution_id').execute();
  return new Map(rows.map((r) => [r.institution_id, Number(r.n)]));
}

/** One institution's unlocks per Berlin day of a range (days without any left out), from the daily rollups. */
export async function institutionUnlocksByDay(db: Db, institutionId: string, range: { from: string; to: string }): Promise<{ day: string; count: number }[]> {
  const rows = await db.selectFrom('analytics_daily').select((eb) => ['day', eb.fn.sum<string | number>('count').as('n')])
    .where('kind', '=', 'institution_unlock').where('institution_id', '=', institutionId).where('day', '>=', range.from).where('day', '<=', range.to)
    .groupBy('day').orderBy('day').execute();
  return rows.map((r) => ({ day: r.day, count: Number(r.n) }));
}
