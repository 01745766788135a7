// Single-use, expiring tokens for links in mails (verify email, reset password, change email); only their sha256 is stored.
import { newToken, nowIso, sha256, type AccountTokenRow } from '../db/index.ts';
import { DomainError } from '../domain-error.ts';
import type { Db } from './user.queries.ts';

export type TokenKind = AccountTokenRow['kind'];

export const TOKEN_LIFETIME_MS: Record<TokenKind, number> = {
  'verify-email': 48 * 3600_000,
  'reset-password': 3600_000,
  'change-email': 24 * 3600_000,
};

export async function createAccountToken(db: Db, userId: string, kind: TokenKind, o: { newEmail?: string; now?: Date } = {}): Promise<string> {
  const now = o.now ?? new Date();
  const token = newToken();
  await db.insertInto('account_tokens').values({
    id: sha256(token), user_id: userId, kind, new_email: o.newEmail ?? null,
    created_at: nowIso(now), expires_at: nowIso(new Date(now.getTime() + TOKEN_LIFETIME_MS[kind])), used_at: null,
  }).execute();
  return token;
}

const MESSAGES = {
  invalid: 'Dieser Link ist ungültig. Bitte prüfen Sie, ob Sie ihn vollständig aus der Mail übernommen haben.',
  used: 'Dieser Link wurde schon benutzt. Jeder Link aus unseren Mails funktioniert nur einmal.',
  expired: 'Dieser Link ist abgelaufen. Bitte fordern Sie einen neuen an.',
  ended: 'Dieser Link gilt nicht mehr: Inzwischen wurde das Passwort des Kontos geändert oder ein neuerer Link benutzt. Bitte fordern Sie bei Bedarf einen neuen an.',
};

/** A new password ends these links: they were asked for under the old one, perhaps by whoever knew it. */
export const LINKS_ENDED_BY_PASSWORD_CHANGE: readonly TokenKind[] = ['reset-password', 'change-email'];

/**
 * Ends every open link of these kinds for the account, e.g. all reset links once the password changed. An ended
 * link has `used_at = expires_at`; a used one always has `used_at` before `expires_at` (using checks that), so the
 * two can be told apart without another column.
 */
export async function endAccountTokens(db: Db, userId: string, kinds: readonly TokenKind[], now: Date = new Date()): Promise<void> {
  const at = nowIso(now);
  await db.updateTable('account_tokens').set({ used_at: at, expires_at: at })
    .where('user_id', '=', userId).where('kind', 'in', [...kinds]).where('used_at', 'is', null).execute();
}

/** The token's row if it is valid now; otherwise a DomainError naming why (unknown, used, ended, expired). */
export async function checkAccountToken(db: Db, token: string, kind: TokenKind, now: Date = new Date()): Promise<AccountTokenRow> {
  const row = /^[A-Za-z0-9_-]{43}$/.test(token)
    ? await db.selectFrom('account_tokens').selectAll().where('id', '=', sha256(token)).where('kind', '=', kind).executeTakeFirst()
    : undefined;
  if (!row) throw new DomainError('invalid-input', MESSAGES.invalid, 'token');
  if (row.used_at) throw new DomainError('invalid-input', row.used_at === row.expires_at ? MESSAGES.ended : MESSAGES.used, 'token');
  if (row.expires_at <= nowIso(now)) throw new DomainError('invalid-input', MESSAGES.expired, 'token');
  return row;
}

/**
 * Checks and uses up a token in one statement, so two clicks racing on one link cannot both succeed;
 * all other open tokens of the same kind for that user are used up with it.
 */
export async function consumeAccountToken(db: Db, token: string, kind: TokenKind, now: Date = new Date()): Promise<AccountTokenRow> {
  const row = await checkAccountToken(db, token, kind, now);
  const r = await db.updateTable('account_tokens').set({ used_at: nowIso(now) }).where('id', '=', row.id).where('used_at', 'is', null).executeTakeFirst();
  if (Number(r.numUpdatedRows) !== 1) throw new DomainError('invalid-input', MESSAGES.used, 'token');
  await endAccountTokens(db, row.user_id, [kind], now);
  return row;
}
