// Staff roles: who works in the newsroom, changing a user's role (never removing the last admin), and the log of changes.
import type { Kysely } from 'kysely';
import { newId, nowIso, type Database } from '../db/index.ts';
import { DomainError } from '../domain-error.ts';
import { ROLES, type Role, type User } from './account.types.ts';
import { FieldProblems, readEmail } from './account-input.rules.ts';
import { isRole } from './account-settings.service.ts';
import { findUserRowByEmail, toUser } from './user.queries.ts';

export interface RoleChange {
  at: string;
  /** null when the account was deleted since */
  user: { id: string; email: string | null };
  from: Role | string;
  to: Role | string;
  /** null: from the command line (or an admin account deleted since) */
  actor: { id: string; email: string | null } | null;
}

/** Everyone with a newsroom role, admins first. */
export async function listStaff(db: Kysely<Database>): Promise<User[]> {
  const rows = await db.selectFrom('users').selectAll().where('role', '!=', 'reader').execute();
  const rank = (r: Role) => ROLES.length - ROLES.indexOf(r);
  return rows.map(toUser).sort((a, b) => rank(a.role) - rank(b.role) || a.email.localeCompare(b.email));
}

export async function listRoleChanges(db: Kysely<Database>, o: { limit: number }): Promise<RoleChange[]> {
  const rows = await db.selectFrom('staff_role_changes as c')
    .leftJoin('users as u', 'u.id', 'c.user_id').leftJoin('users as a', 'a.id', 'c.actor_id')
    .select(['c.at', 'c.user_id', 'u.email as user_email', 'c.from_role', 'c.to_role', 'c.actor_id', 'a.email as actor_email'])
    .orderBy('c.at', 'desc').orderBy('c.id', 'desc').limit(o.limit).execute();
  return rows.map((r) => ({
    at: r.at, user: { id: r.user_id, email: r.user_email }, from: r.from_role, to: r.to_role,
    actor: r.actor_id ? { id: r.actor_id, email: r.actor_email } : null,
  }));
}

/**
 * Gives the account with this address a new role and logs the change. An admin cannot be made something else
 * while they are the only one: the site would have nobody left to manage it. Sessions stay: the session lookup
 * reads the role on every request, so the new role applies from the person's next request (decision 020).
 * Returns the change, or null when the account already had that role (nothing is logged then).
 */
export async function setUserRole(db: Kysely<Database>, input: { email: string; role: string }, o: { actorId: string | null; now?: Date }): Promise<{ user: User; from: Role } | null> {
  const problems = new FieldProblems();
  if (!input.email.trim()) problems.add('email', 'Bitte geben Sie die E-Mail-Adresse des Kontos an.');
  const email = readEmail(problems, 'email', input.email);
  if (!isRole(input.role)) problems.add('role', `Unbekannte Rolle „${input.role}“: erlaubt sind ${ROLES.join(', ')}.`);
  problems.throwIfAny();
  const role = input.role as Role;
  const at = nowIso(o.now ?? new Date());
  return db.transaction().execute(async (trx) => {
    // Every admin row is locked before counting, so two admins demoting each other at once cannot both pass the
    // check below (PostgreSQL: the second waits and then counts one admin; SQLite has one writer anyway).
    await trx.updateTable('users').set((eb) => ({ updated_at: eb.ref('updated_at') })).where('role', '=', 'admin').execute();
    const row = await findUserRowByEmail(trx, email);
    if (!row) {
      throw new DomainError('invalid-input', `Es gibt kein Konto mit der Adresse ${email}. Die Person muss sich zuerst registrieren (oder ein Admin legt das Konto mit „klartext user create“ an).`, 'email');
    }
    if (row.role === role) return null;
    if (row.role === 'admin') {
      const admins = await trx.selectFrom('users').select((eb) => eb.fn.countAll<string | number>().as('n')).where('role', '=', 'admin').executeTakeFirstOrThrow();
      if (Number(admins.n) <= 1) {
        throw new DomainError('conflict', `${row.email} ist die einzige Administratorin bzw. der einzige Administrator. Ernennen Sie zuerst jemand anderen zum Admin.`, 'role');
      }
    }
    await trx.updateTable('users').set({ role, updated_at: at }).where('id', '=', row.id).execute();
    await trx.insertInto('staff_role_changes').values({ id: newId(), user_id: row.id, from_role: row.role, to_role: role, actor_id: o.actorId, at }).execute();
    return { user: toUser({ ...row, role, updated_at: at }), from: row.role };
  });
}
