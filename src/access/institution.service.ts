// Institutional access: saving and revoking institutions, what one says about a request (network or seat by email domain), and seats taken at most `seats` times.
import type { Kysely } from 'kysely';
import { berlinDate } from '../berlin-time.ts';
import { newId, nowIso, type Database } from '../db/index.ts';
import { DomainError } from '../domain-error.ts';
import { isUniqueViolation } from '../accounts/index.ts';
import type { InstitutionStanding } from './access-policy.ts';
import type { InstitutionDirectory } from './institution-directory.ts';
import { emailDomainOf, type InstitutionInput } from './institution-input.ts';
import {
  deleteMember, domainOwners, insertMember, lockInstitution, readInstitutions, seatOf, seatsTaken, touchMember, type Institution,
} from './institution.queries.ts';

export type InstitutionStatus = 'active' | 'expired' | 'revoked';

/** Revoked wins over expired; access runs through the whole end day (Berlin). */
export function institutionStatus(i: Pick<Institution, 'revokedAt' | 'endsOn'>, now: Date): InstitutionStatus {
  if (i.revokedAt !== null) return 'revoked';
  return i.endsOn >= berlinDate(now) ? 'active' : 'expired';
}

export async function findInstitution(db: Kysely<Database>, id: string): Promise<Institution | null> {
  return (await readInstitutions(db, { id }))[0] ?? null;
}

export async function listInstitutions(db: Kysely<Database>): Promise<(Institution & { seatsTaken: number })[]> {
  const [all, taken] = await Promise.all([readInstitutions(db), seatsTaken(db)]);
  return all.map((i) => ({ ...i, seatsTaken: taken.get(i.id) ?? 0 }));
}

const domainConflict = (owners: { domain: string; name: string }[]): DomainError =>
  new DomainError('conflict', owners.map((o) => `Die Domain „${o.domain}“ gehört schon zu „${o.name}“.`).join(' '), 'domains');

/**
 * Creates or replaces an institution with its networks and domains in one transaction. A domain belongs to one
 * institution (409 naming it); seats below those already taken are refused (free seats first).
 */
export async function saveInstitution(db: Kysely<Database>, id: string | null, input: InstitutionInput, now: Date): Promise<Institution> {
  const at = nowIso(now);
  const savedId = await db.transaction().execute(async (trx) => {
    let institutionId: string;
    if (id === null) {
      institutionId = newId();
      await trx.insertInto('institutions').values({
        id: institutionId, name: input.name, kind: input.kind, seats: input.seats, ends_on: input.endsOn, created_at: at, updated_at: at, revoked_at: null,
      }).execute();
    } else {
      // the lock first: a seat claimed meanwhile is counted below
      if (!(await lockInstitution(trx, id))) throw new DomainError('not-found', 'Diese Institution gibt es nicht.', 'id');
      institutionId = id;
      const taken = (await seatsTaken(trx, id)).get(id) ?? 0;
      if (input.seats !== null && input.seats < taken) {
        throw new DomainError('invalid-input', `Es sind schon ${taken} Plätze vergeben. Geben Sie erst Plätze frei oder wählen Sie mindestens ${taken}.`, 'seats');
      }
      await trx.updateTable('institutions').set({ name: input.name, kind: input.kind, seats: input.seats, ends_on: input.endsOn, updated_at: at }).where('id', '=', id).execute();
      await trx.deleteFrom('institution_networks').where('institution_id', '=', id).execute();
      await trx.deleteFrom('institution_domains').where('institution_id', '=', id).execute();
    }
    const owners = await domainOwners(trx, input.domains, institutionId);
    if (owners.length > 0) throw domainConflict(owners);
    if (input.networks.length > 0) {
      await trx.insertInto('institution_networks').values(input.networks.map((cidr) => ({ id: newId(), institution_id: institutionId, cidr }))).execute();
    }
    if (input.domains.length > 0) {
      await trx.insertInto('institution_domains').values(input.domains.map((domain) => ({ domain, institution_id: institutionId }))).execute();
    }
    return institutionId;
  }).catch(async (e: unknown) => {
    // two admins saving the same domain at once: the primary key decides, the loser hears whose it is
    if (isUniqueViolation(e)) {
      throw domainConflict(await domainOwners(db, input.domains, id));
    }
    throw e;
  });
  return (await findInstitution(db, savedId))!;
}

/** Ends the access at once; seats and history stay for the record. Revoking twice keeps the first time. */
export async function revokeInstitution(db: Kysely<Database>, id: string, now: Date): Promise<void> {
  const r = await db.updateTable('institutions').set({ revoked_at: nowIso(now), updated_at: nowIso(now) }).where('id', '=', id).where('revoked_at', 'is', null).executeTakeFirst();
  if (Number(r.numUpdatedRows) === 0 && !(await findInstitution(db, id))) throw new DomainError('not-found', 'Diese Institution gibt es nicht.', 'id');
}

/** Frees a reader's seat (an admin's action); the reader takes one again on the next read while seats are free. */
export async function freeSeat(db: Kysely<Database>, institutionId: string, userId: string): Promise<void> {
  const freed = await db.transaction().execute(async (trx) => {
    await lockInstitution(trx, institutionId);
    return deleteMember(trx, institutionId, userId);
  });
  if (!freed) throw new DomainError('not-found', 'Diese Person hat bei dieser Institution keinen Platz (mehr).', 'userId');
}

export interface StandingInput {
  /** the client's address as the web platform determines it (trusted proxies only), or UNKNOWN_CLIENT */
  clientIp?: string | undefined;
  user: { id: string; email: string; emailVerified: boolean } | null;
  now: Date;
}

/** A standing with what the caller needs beyond the policy: whether a held seat's last use is from an earlier day. */
export type Standing = InstitutionStanding & { staleUse?: boolean };

/**
 * What the institutions say about a request, from the directory's table: a network holding the client's address first
 * (no query), then the reader's email domain when the address is confirmed (one query, only for a domain that has an
 * institution). Null for everyone else — the common case costs no query at all.
 */
export async function institutionStanding(db: Kysely<Database>, directory: InstitutionDirectory, input: StandingInput): Promise<Standing | null> {
  const table = await directory.table();
  const today = berlinDate(input.now);
  const network = input.clientIp ? table.byAddress(input.clientIp, today) : null;
  if (network) return { id: network.id, name: network.name, via: 'network' };
  const { user } = input;
  if (!user?.emailVerified) return null;
  const entry = table.byDomain(emailDomainOf(user.email), today);
  if (!entry) return null;
  const seat = await seatOf(db, entry.id, user.id);
  if (seat.lastUsedAt !== null) return { id: entry.id, name: entry.name, via: 'seat', staleUse: berlinDate(new Date(seat.lastUsedAt)) < today };
  const free = entry.seats === null || seat.taken < entry.seats;
  return { id: entry.id, name: entry.name, via: free ? 'claim' : 'full' };
}

export type SeatClaim = 'member' | 'full' | 'ended';

/**
 * Takes a seat for a reader on first use, at most `seats` per institution however many requests race: under the
 * institution's lock it checks again that the access runs, that the address's domain still belongs to it, that the
 * reader has no seat yet and that one is free, and only then inserts the claim.
 */
export async function claimInstitutionSeat(db: Kysely<Database>, input: { institutionId: string; user: { id: string; email: string; emailVerified: boolean }; now: Date }): Promise<SeatClaim> {
  const { institutionId, user, now } = input;
  if (!user.emailVerified) return 'ended';
  return db.transaction().execute(async (trx) => {
    // First statement of the transaction (see lockInstitution): every claim of this institution waits here.
    if (!(await lockInstitution(trx, institutionId))) return 'ended';
    const row = await trx.selectFrom('institutions as i')
      .innerJoin('institution_domains as d', 'd.institution_id', 'i.id')
      .select(['i.seats', 'i.ends_on', 'i.revoked_at'])
      .where('i.id', '=', institutionId).where('d.domain', '=', emailDomainOf(user.email)).executeTakeFirst();
    if (!row || institutionStatus({ revokedAt: row.revoked_at, endsOn: row.ends_on }, now) !== 'active') return 'ended';
    const seat = await seatOf(trx, institutionId, user.id);
    if (seat.lastUsedAt !== null) return 'member';
    if (row.seats !== null && seat.taken >= row.seats) return 'full';
    await insertMember(trx, { institutionId, userId: user.id, at: nowIso(now) });
    return 'member';
  });
}

/** Notes a seat's use (once a day at most: the caller asks only when the last use is from an earlier day). */
export const noteSeatUse = (db: Kysely<Database>, institutionId: string, userId: string, now: Date): Promise<void> =>
  touchMember(db, { institutionId, userId, at: nowIso(now) });
