// SQL for users: rows in, domain objects out.
import type { Kysely, Transaction } from 'kysely';
import type { Database, UserRow } from '../db/index.ts';
import type { User } from './account.types.ts';

export type Db = Kysely<Database> | Transaction<Database>;

export function toUser(r: UserRow): User {
  return {
    id: r.id, email: r.email, role: r.role, displayName: r.display_name || r.email.split('@')[0]!,
    emailVerified: r.email_verified_at !== null, newsletterOptIn: r.newsletter_opt_in === 1, createdAt: r.created_at,
  };
}

export const findUserRowByEmail = (db: Db, email: string): Promise<UserRow | undefined> =>
  db.selectFrom('users').selectAll().where('email', '=', email).executeTakeFirst();

export const findUserRowById = (db: Db, id: string): Promise<UserRow | undefined> =>
  db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();

export async function findUserById(db: Db, id: string): Promise<User | undefined> {
  const r = await findUserRowById(db, id);
  return r && toUser(r);
}

export async function insertUserRow(db: Db, row: UserRow): Promise<void> {
  await db.insertInto('users').values(row).execute();
}

export async function updateUserRow(db: Db, id: string, changes: Partial<Omit<UserRow, 'id' | 'created_at'>> & { updated_at: string }): Promise<void> {
  await db.updateTable('users').set(changes).where('id', '=', id).execute();
}

export async function listUsers(db: Db): Promise<User[]> {
  const rows = await db.selectFrom('users').selectAll().orderBy('created_at').orderBy('email').execute();
  return rows.map(toUser);
}

export async function countAdmins(db: Db): Promise<number> {
  const r = await db.selectFrom('users').select((eb) => eb.fn.countAll<string | number>().as('n')).where('role', '=', 'admin').executeTakeFirstOrThrow();
  return Number(r.n);
}

/** True for the unique-constraint error of either engine (two registrations racing for one address). */
export function isUniqueViolation(e: unknown): boolean {
  const err = e as { code?: string; message?: string } | null;
  return !!err && (err.code === '23505' || err.code === 'SQLITE_CONSTRAINT_UNIQUE' || /UNIQUE constraint failed/.test(err.message ?? ''));
}
