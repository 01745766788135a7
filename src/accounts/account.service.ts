// Registering, verifying, logging in and resetting passwords: the rules, each state change in one transaction.
import type { Kysely } from 'kysely';
import { newId, nowIso, type Database } from '../db/index.ts';
import { DomainError } from '../domain-error.ts';
import type { User } from './account.types.ts';
import type { AccountNotice } from './account.notices.ts';
import { FieldProblems, readEmail, normalizeEmail, INVALID_EMAIL } from './account-input.rules.ts';
import { MAX_PASSWORD_LENGTH, burnVerifyTime, hashPassword, needsRehash, passwordProblem, refuseIfHashingBusy, verifyPassword, type PasswordHashing } from './password.rules.ts';
import { findUserRowByEmail, findUserRowById, insertUserRow, isUniqueViolation, toUser, updateUserRow, type Db } from './user.queries.ts';
import { createSession, endAllSessions, type NewSession } from './session.queries.ts';
import { checkAccountToken, consumeAccountToken, createAccountToken, endAccountTokens, LINKS_ENDED_BY_PASSWORD_CHANGE } from './account-token.queries.ts';
import { THROTTLES, clearThrottle, hitThrottle, type ThrottleRule } from './throttle.queries.ts';

/** A refused attempt: too many in a short time. Carries when to try again. */
export class ThrottledError extends DomainError {
  constructor(message: string, readonly retryAfterSeconds: number) { super('rate-limited', message); }
}

export async function enforceThrottle(db: Db, rule: ThrottleRule, subject: string, message: string, now = new Date()): Promise<void> {
  const v = await hitThrottle(db, rule, subject, now);
  if (!v.allowed) throw new ThrottledError(message, v.retryAfterSeconds);
}

export interface RegisterInput { email: string; password: string; acceptTerms: boolean; acceptPrivacy: boolean; newsletter: boolean }
export interface Requester { ip: string; userAgent: string }

/**
 * Creates an unverified reader and a verification link. For an address that already has an account nothing is
 * created and its owner is told instead — the caller answers both cases with the same page.
 */
export async function register(db: Kysely<Database>, input: RegisterInput, o: { hashing: PasswordHashing; requester: Requester; now?: Date }): Promise<{ notice: AccountNotice }> {
  const now = o.now ?? new Date();
  refuseIfHashingBusy(o.hashing);
  await enforceThrottle(db, THROTTLES.registerIp, o.requester.ip, 'Von Ihrem Anschluss kamen in der letzten Stunde sehr viele Registrierungen. Bitte versuchen Sie es später noch einmal.', now);
  const problems = new FieldProblems();
  const email = readEmail(problems, 'email', input.email);
  const pw = input.password ? passwordProblem(input.password, email || undefined) : 'Bitte wählen Sie ein Passwort.';
  if (pw) problems.add('password', pw);
  if (!input.acceptTerms) problems.add('acceptTerms', 'Bitte stimmen Sie den Nutzungsbedingungen zu.');
  if (!input.acceptPrivacy) problems.add('acceptPrivacy', 'Bitte bestätigen Sie, dass Sie die Datenschutzerklärung gelesen haben.');
  problems.throwIfAny();

  // hashed in both cases, so the answer takes as long for a known address as for a new one
  const hash = await hashPassword(input.password, o.hashing);
  if (await findUserRowByEmail(db, email)) return { notice: { kind: 'already-registered', to: email } };
  const id = newId();
  const at = nowIso(now);
  try {
    const token = await db.transaction().execute(async (trx) => {
      await insertUserRow(trx, {
        id, email, password_hash: hash, role: 'reader', display_name: '', email_verified_at: null, newsletter_opt_in: input.newsletter ? 1 : 0,
        terms_accepted_at: at, privacy_accepted_at: at, created_at: at, updated_at: at,
      });
      return createAccountToken(trx, id, 'verify-email', { now });
    });
    return { notice: { kind: 'verify-email', to: email, token } };
  } catch (e) {
    if (isUniqueViolation(e)) return { notice: { kind: 'already-registered', to: email } };
    throw e;
  }
}

/** Marks the address of the link's account as confirmed; the link works once. */
export async function verifyEmail(db: Kysely<Database>, token: string, now = new Date()): Promise<User> {
  return db.transaction().execute(async (trx) => {
    const t = await consumeAccountToken(trx, token, 'verify-email', now);
    const row = await findUserRowById(trx, t.user_id);
    if (!row) throw new DomainError('invalid-input', 'Dieses Konto gibt es nicht mehr.', 'token');
    if (!row.email_verified_at) await updateUserRow(trx, row.id, { email_verified_at: nowIso(now), updated_at: nowIso(now) });
    return toUser({ ...row, email_verified_at: row.email_verified_at ?? nowIso(now) });
  });
}

/** A new verification link for a logged-in reader whose address is not confirmed yet. */
export async function requestVerificationMail(db: Kysely<Database>, userId: string, now = new Date()): Promise<AccountNotice | null> {
  const row = await findUserRowById(db, userId);
  if (!row || row.email_verified_at) return null;
  await enforceThrottle(db, THROTTLES.resetAccount, `verify:${row.id}`, 'Wir haben Ihnen gerade erst eine Mail geschickt. Bitte warten Sie ein paar Minuten.', now);
  return { kind: 'verify-email', to: row.email, token: await createAccountToken(db, row.id, 'verify-email', { now }) };
}

export const WRONG_LOGIN = 'E-Mail-Adresse oder Passwort stimmen nicht. Bitte prüfen Sie beides.';
const TOO_MANY_LOGINS = 'Zu viele Anmeldeversuche für dieses Konto. Bitte warten Sie eine Minute und versuchen Sie es dann noch einmal.';

export interface LoginInput { email: string; password: string; persistent: boolean }

/** Checks the password and opens a new session (a new token at every login: no session fixation). */
export async function logIn(db: Kysely<Database>, input: LoginInput, o: { hashing: PasswordHashing; requester: Requester; now?: Date }): Promise<{ user: User; session: NewSession }> {
  const now = o.now ?? new Date();
  const problems = new FieldProblems();
  const email = normalizeEmail(input.email);
  if (!email) problems.add('email', input.email.trim() ? INVALID_EMAIL : 'Bitte geben Sie Ihre E-Mail-Adresse ein.');
  if (!input.password) problems.add('password', 'Bitte geben Sie Ihr Passwort ein.');
  problems.throwIfAny();
  refuseIfHashingBusy(o.hashing);
  await enforceThrottle(db, THROTTLES.loginIp, o.requester.ip, 'Von Ihrem Anschluss kamen sehr viele Anmeldeversuche. Bitte warten Sie einige Minuten.', now);
  await enforceThrottle(db, THROTTLES.loginAccount, email!, TOO_MANY_LOGINS, now);
  const row = await findUserRowByEmail(db, email!);
  const password = input.password.slice(0, MAX_PASSWORD_LENGTH * 4);
  if (!row) {
    await burnVerifyTime(password, o.hashing);
    throw new DomainError('unauthenticated', WRONG_LOGIN, 'password');
  }
  if (!(await verifyPassword(row.password_hash, password, o.hashing))) throw new DomainError('unauthenticated', WRONG_LOGIN, 'password');
  await clearThrottle(db, THROTTLES.loginAccount, email!);
  if (needsRehash(row.password_hash, o.hashing)) await updateUserRow(db, row.id, { password_hash: await hashPassword(password, o.hashing), updated_at: nowIso(now) });
  const session = await createSession(db, row.id, { persistent: input.persistent, userAgent: o.requester.userAgent, ip: o.requester.ip, now });
  return { user: toUser(row), session };
}

/**
 * Sends a reset link when the address has an account; answers the same when it has none (no mail then).
 * Over the per-account limit no further mail goes out, still with the same answer.
 */
export async function requestPasswordReset(db: Kysely<Database>, rawEmail: string, o: { requester: Requester; now?: Date }): Promise<{ notice: AccountNotice | null }> {
  const now = o.now ?? new Date();
  const problems = new FieldProblems();
  const email = readEmail(problems, 'email', rawEmail);
  problems.throwIfAny();
  await enforceThrottle(db, THROTTLES.resetIp, o.requester.ip, 'Von Ihrem Anschluss kamen sehr viele Anfragen. Bitte versuchen Sie es in einer Viertelstunde noch einmal.', now);
  const row = await findUserRowByEmail(db, email);
  if (!row) return { notice: null };
  if (!(await hitThrottle(db, THROTTLES.resetAccount, email, now)).allowed) return { notice: null };
  return { notice: { kind: 'reset-password', to: row.email, token: await createAccountToken(db, row.id, 'reset-password', { now }) } };
}

/** Whether a reset link can still be used, before showing its form. */
export async function checkResetToken(db: Kysely<Database>, token: string, now = new Date()): Promise<void> {
  await checkAccountToken(db, token, 'reset-password', now);
}

/** Sets the new password, uses up the link, confirms the address (the mail arrived), ends every session and every other open reset link and email change. */
export async function resetPassword(db: Kysely<Database>, input: { token: string; password: string }, o: { hashing: PasswordHashing; now?: Date }): Promise<{ user: User; notice: AccountNotice }> {
  const now = o.now ?? new Date();
  const t = await checkAccountToken(db, input.token, 'reset-password', now);
  const owner = await findUserRowById(db, t.user_id);
  const problem = input.password ? passwordProblem(input.password, owner?.email) : 'Bitte wählen Sie ein neues Passwort.';
  if (problem) throw new DomainError('invalid-input', problem, 'password', [{ path: 'password', message: problem }]);
  const hash = await hashPassword(input.password, o.hashing);
  return db.transaction().execute(async (trx) => {
    const used = await consumeAccountToken(trx, input.token, 'reset-password', now);
    const row = await findUserRowById(trx, used.user_id);
    if (!row) throw new DomainError('invalid-input', 'Dieses Konto gibt es nicht mehr.', 'token');
    await updateUserRow(trx, row.id, { password_hash: hash, email_verified_at: row.email_verified_at ?? nowIso(now), updated_at: nowIso(now) });
    await endAllSessions(trx, row.id);
    await endAccountTokens(trx, row.id, LINKS_ENDED_BY_PASSWORD_CHANGE, now);
    await clearThrottle(trx, THROTTLES.loginAccount, row.email);
    return { user: toUser(row), notice: { kind: 'password-changed', to: row.email } };
  });
}
