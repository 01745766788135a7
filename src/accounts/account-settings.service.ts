// "Mein Konto": profile, email and password changes, the data export, deleting an account; and staff accounts made by an admin.
import { randomInt } from 'node:crypto';
import type { Kysely } from 'kysely';
import { newId, nowIso, type Database, type UserRow } from '../db/index.ts';
import { DomainError } from '../domain-error.ts';
import { ROLES, type Role, type User } from './account.types.ts';
import type { AccountNotice } from './account.notices.ts';
import { FieldProblems, readDisplayName, readEmail } from './account-input.rules.ts';
import { assertPasswordAcceptable, hashPassword, passwordProblem, verifyPassword, type PasswordHashing } from './password.rules.ts';
import { countAdmins, findUserRowByEmail, findUserRowById, insertUserRow, isUniqueViolation, toUser, updateUserRow } from './user.queries.ts';
import { endOtherSessions } from './session.queries.ts';
import { consumeAccountToken, createAccountToken, checkAccountToken, endAccountTokens, LINKS_ENDED_BY_PASSWORD_CHANGE } from './account-token.queries.ts';
import { THROTTLES, clearThrottle } from './throttle.queries.ts';
import { enforceThrottle } from './account.service.ts';

async function userRow(db: Kysely<Database>, userId: string): Promise<UserRow> {
  const row = await findUserRowById(db, userId);
  if (!row) throw new DomainError('unauthenticated', 'Bitte melden Sie sich an.');
  return row;
}

/** Asks for the current password before a sensitive change; wrong guesses count toward the login limit. */
async function confirmPassword(db: Kysely<Database>, row: UserRow, password: string, field: string, hashing: PasswordHashing): Promise<void> {
  if (!password) throw new DomainError('invalid-input', 'Bitte geben Sie zur Bestätigung Ihr aktuelles Passwort ein.', field, [{ path: field, message: 'Bitte geben Sie zur Bestätigung Ihr aktuelles Passwort ein.' }]);
  await enforceThrottle(db, THROTTLES.loginAccount, row.email, 'Zu viele falsche Passwörter. Bitte warten Sie eine Minute.');
  if (!(await verifyPassword(row.password_hash, password, hashing))) {
    const message = 'Das Passwort stimmt nicht.';
    throw new DomainError('invalid-input', message, field, [{ path: field, message }]);
  }
  await clearThrottle(db, THROTTLES.loginAccount, row.email);
}

export async function updateProfile(db: Kysely<Database>, userId: string, input: { displayName: string; newsletter: boolean }, now = new Date()): Promise<User> {
  const row = await userRow(db, userId);
  const problems = new FieldProblems();
  const displayName = readDisplayName(problems, 'displayName', input.displayName);
  problems.throwIfAny();
  await updateUserRow(db, userId, { display_name: displayName, newsletter_opt_in: input.newsletter ? 1 : 0, updated_at: nowIso(now) });
  return toUser({ ...row, display_name: displayName, newsletter_opt_in: input.newsletter ? 1 : 0 });
}

/**
 * Starts an email change: a link to the new address confirms it, the old address is told. When the new address
 * belongs to another account, only that address hears of it, and the caller answers the same way.
 */
export async function requestEmailChange(db: Kysely<Database>, userId: string, input: { newEmail: string; password: string }, o: { hashing: PasswordHashing; now?: Date }): Promise<AccountNotice[]> {
  const now = o.now ?? new Date();
  const row = await userRow(db, userId);
  const problems = new FieldProblems();
  const newEmail = readEmail(problems, 'newEmail', input.newEmail);
  if (newEmail && newEmail === row.email) problems.add('newEmail', 'Das ist bereits Ihre E-Mail-Adresse.');
  problems.throwIfAny();
  await confirmPassword(db, row, input.password, 'password', o.hashing);
  if (await findUserRowByEmail(db, newEmail)) return [{ kind: 'email-taken', to: newEmail }];
  const token = await createAccountToken(db, userId, 'change-email', { newEmail, now });
  return [{ kind: 'confirm-new-email', to: newEmail, token }, { kind: 'email-change-requested', to: row.email, newEmail }];
}

/** The new address a change link would set, to show it before confirming. */
export async function pendingEmailChange(db: Kysely<Database>, token: string, now = new Date()): Promise<string> {
  return (await checkAccountToken(db, token, 'change-email', now)).new_email ?? '';
}

export async function confirmEmailChange(db: Kysely<Database>, token: string, now = new Date()): Promise<User> {
  try {
    return await db.transaction().execute(async (trx) => {
      const t = await consumeAccountToken(trx, token, 'change-email', now);
      const row = await findUserRowById(trx, t.user_id);
      if (!row || !t.new_email) throw new DomainError('invalid-input', 'Dieses Konto gibt es nicht mehr.', 'token');
      if (await findUserRowByEmail(trx, t.new_email)) throw new DomainError('conflict', 'Diese Adresse gehört inzwischen zu einem anderen Konto.', 'token');
      await updateUserRow(trx, row.id, { email: t.new_email, email_verified_at: nowIso(now), updated_at: nowIso(now) });
      return toUser({ ...row, email: t.new_email, email_verified_at: nowIso(now) });
    });
  } catch (e) {
    if (isUniqueViolation(e)) throw new DomainError('conflict', 'Diese Adresse gehört inzwischen zu einem anderen Konto.', 'token');
    throw e;
  }
}

/**
 * Sets a new password after checking the current one; every other session of the account ends, and so does every
 * open reset link and email change: they were asked for under the old password, perhaps by whoever knew it.
 */
export async function changePassword(db: Kysely<Database>, userId: string, keepSessionId: string, input: { currentPassword: string; newPassword: string }, o: { hashing: PasswordHashing; now?: Date }): Promise<AccountNotice> {
  const now = o.now ?? new Date();
  const row = await userRow(db, userId);
  const problem = input.newPassword ? passwordProblem(input.newPassword, row.email) : 'Bitte wählen Sie ein neues Passwort.';
  if (problem) throw new DomainError('invalid-input', problem, 'newPassword', [{ path: 'newPassword', message: problem }]);
  await confirmPassword(db, row, input.currentPassword, 'currentPassword', o.hashing);
  const hash = await hashPassword(input.newPassword, o.hashing);
  await db.transaction().execute(async (trx) => {
    await updateUserRow(trx, userId, { password_hash: hash, updated_at: nowIso(now) });
    await endOtherSessions(trx, userId, keepSessionId);
    await endAccountTokens(trx, userId, LINKS_ENDED_BY_PASSWORD_CHANGE, now);
  });
  return { kind: 'password-changed', to: row.email };
}

/** Everything stored about a person, for Art. 15/20 DSGVO; secrets (password hash, tokens) are left out. */
export async function exportUserData(db: Kysely<Database>, userId: string, now = new Date()): Promise<object> {
  const u = await userRow(db, userId);
  const [sessions, subscriptions, meter, gifts, mails, mandates, invoices] = await Promise.all([
    db.selectFrom('sessions').select(['user_agent', 'ip', 'persistent', 'created_at', 'last_seen_at', 'expires_at']).where('user_id', '=', userId).orderBy('created_at').execute(),
    db.selectFrom('subscriptions').select(['id', 'number', 'offer_name', 'kind', 'provider', 'state', 'starts_at', 'access_until', 'cancel_effective_at', 'ended_at', 'holder_name', 'buyer_email', 'created_at', 'updated_at']).where('user_id', '=', userId).orderBy('created_at').execute(),
    db.selectFrom('meter_unlocks').select(['article_id', 'month', 'created_at']).where('user_id', '=', userId).orderBy('created_at').execute(),
    db.selectFrom('gift_links').select(['article_id', 'created_at', 'expires_at', 'revoked_at']).where('user_id', '=', userId).orderBy('created_at').execute(),
    db.selectFrom('mail_outbox').select(['subject', 'created_at']).where('recipient', '=', u.email).orderBy('created_at').execute(),
    db.selectFrom('sepa_mandates').innerJoin('subscriptions', 'subscriptions.id', 'sepa_mandates.subscription_id')
      .select(['sepa_mandates.reference', 'sepa_mandates.iban_masked', 'sepa_mandates.bic', 'sepa_mandates.signed_on', 'sepa_mandates.revoked_at', 'subscriptions.number'])
      .where('subscriptions.user_id', '=', userId).orderBy('sepa_mandates.created_at').execute(),
    db.selectFrom('invoices').select(['number', 'issued_on', 'description', 'gross_cents', 'subscription_number']).where('user_id', '=', userId).orderBy('year').orderBy('seq').execute(),
  ]);
  return {
    exportedAt: nowIso(now),
    account: {
      id: u.id, email: u.email, displayName: u.display_name, role: u.role, emailVerifiedAt: u.email_verified_at, newsletterOptIn: u.newsletter_opt_in === 1,
      termsAcceptedAt: u.terms_accepted_at, privacyAcceptedAt: u.privacy_accepted_at, createdAt: u.created_at, updatedAt: u.updated_at,
    },
    sessions: sessions.map((s) => ({ userAgent: s.user_agent, ip: s.ip, stayLoggedIn: s.persistent === 1, createdAt: s.created_at, lastSeenAt: s.last_seen_at, expiresAt: s.expires_at })),
    subscriptions: subscriptions.map((s) => ({ id: s.id, number: s.number, offer: s.offer_name, kind: s.kind, paymentProvider: s.provider, state: s.state, startsAt: s.starts_at, accessUntil: s.access_until, cancellationEffectiveAt: s.cancel_effective_at, endedAt: s.ended_at, accountHolder: s.holder_name, email: s.buyer_email, createdAt: s.created_at, updatedAt: s.updated_at })),
    sepaMandates: mandates.map((m) => ({ subscription: m.number, reference: m.reference, iban: m.iban_masked, bic: m.bic, signedOn: m.signed_on, revokedAt: m.revoked_at })),
    invoices: invoices.map((i) => ({ number: i.number, issuedOn: i.issued_on, description: i.description, grossCents: i.gross_cents, subscription: i.subscription_number })),
    meterUnlocks: meter.map((m) => ({ articleId: m.article_id, month: m.month, createdAt: m.created_at })),
    giftLinks: gifts.map((g) => ({ articleId: g.article_id, createdAt: g.created_at, expiresAt: g.expires_at, revokedAt: g.revoked_at })),
    mailsInOutbox: mails.map((m) => ({ subject: m.subject, createdAt: m.created_at })),
  };
}

/**
 * Deletes the account after checking the password: the person's data goes (sessions, tokens, meter, gift links,
 * mails), subscription records stay for the books without a link to the person. The meter's keyed address hashes
 * (meter_address_unlocks) are not linked to the account and stay until their month ends, so registering the same
 * address again does not renew the free articles (src/access/CONTEXT.md).
 */
export async function deleteAccount(db: Kysely<Database>, userId: string, password: string, o: { hashing: PasswordHashing }): Promise<void> {
  const row = await userRow(db, userId);
  await confirmPassword(db, row, password, 'password', o.hashing);
  await db.transaction().execute(async (trx) => {
    if (row.role === 'admin' && (await countAdmins(trx)) <= 1) {
      throw new DomainError('conflict', 'Sie sind die einzige Administratorin bzw. der einzige Administrator. Bitte ernennen Sie zuerst jemand anderen.', 'password');
    }
    // Payment data of finished contracts goes with the account; a running contract keeps its mandate until it ends
    // (billing erases it then). Invoices stay, without the link to the login, as tax law requires.
    await trx.deleteFrom('sepa_mandates').where('subscription_id', 'in', (eb) => eb.selectFrom('subscriptions').select('id').where('user_id', '=', userId).where('state', '=', 'ended')).execute();
    await trx.updateTable('invoices').set({ user_id: null }).where('user_id', '=', userId).execute();
    await trx.updateTable('subscriptions').set({ user_id: null }).where('user_id', '=', userId).execute();
    await trx.deleteFrom('mail_outbox').where('recipient', '=', row.email).execute();
    await clearThrottle(trx, THROTTLES.loginAccount, row.email);
    await clearThrottle(trx, THROTTLES.resetAccount, row.email);
    await trx.deleteFrom('users').where('id', '=', userId).execute();
  });
}

const PASSWORD_ALPHABET = 'abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';
/** 4 groups of 5 characters from 55: about 115 bits, readable aloud. */
export function generatePassword(): string {
  const group = () => Array.from({ length: 5 }, () => PASSWORD_ALPHABET[randomInt(PASSWORD_ALPHABET.length)]).join('');
  return [group(), group(), group(), group()].join('-');
}

export const isRole = (s: string): s is Role => (ROLES as readonly string[]).includes(s);

/** An account made by an admin (CLI, demo seed): address counts as confirmed; the password is generated when none is given. */
export async function createUser(db: Kysely<Database>, input: { email: string; role: string; password?: string; displayName?: string }, o: { hashing: PasswordHashing; now?: Date }): Promise<{ user: User; generatedPassword?: string }> {
  const now = o.now ?? new Date();
  const problems = new FieldProblems();
  const email = readEmail(problems, 'email', input.email);
  if (!isRole(input.role)) problems.add('role', `Unbekannte Rolle „${input.role}“: erlaubt sind ${ROLES.join(', ')}.`);
  const displayName = readDisplayName(problems, 'displayName', input.displayName ?? '');
  problems.throwIfAny();
  const generatedPassword = input.password === undefined ? generatePassword() : undefined;
  const password = input.password ?? generatedPassword!;
  assertPasswordAcceptable(password, 'password', email);
  const at = nowIso(now);
  const row: UserRow = {
    id: newId(), email, password_hash: await hashPassword(password, o.hashing), role: input.role as Role, display_name: displayName,
    email_verified_at: at, newsletter_opt_in: 0, terms_accepted_at: null, privacy_accepted_at: null, created_at: at, updated_at: at,
  };
  try {
    await insertUserRow(db, row);
  } catch (e) {
    if (isUniqueViolation(e)) throw new DomainError('conflict', `Es gibt schon ein Konto mit der Adresse ${email}.`, 'email');
    throw e;
  }
  return { user: toUser(row), ...(generatedPassword ? { generatedPassword } : {}) };
}
