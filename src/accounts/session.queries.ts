// Server-side sessions: the cookie carries a random token, the table keeps only its sha256, so a database leak opens no session.
import { newToken, nowIso, sha256, type SessionRow, type UserRow } from '../db/index.ts';
import type { Reader, SessionInfo } from './account.types.ts';
import type { Db } from './user.queries.ts';

/** "Angemeldet bleiben": 30 days since the last visit; otherwise 12 hours since the last visit and a browser-session cookie. */
export const PERSISTENT_SESSION_MS = 30 * 24 * 3600_000;
export const BROWSER_SESSION_MS = 12 * 3600_000;
/** last_seen_at is written at most this often, so reading pages does not mean writing rows. */
const TOUCH_EVERY_MS = 5 * 60_000;

const lifetime = (persistent: boolean): number => (persistent ? PERSISTENT_SESSION_MS : BROWSER_SESSION_MS);

export interface NewSession { token: string; sessionId: string; persistent: boolean; maxAgeSeconds: number | undefined }

export async function createSession(db: Db, userId: string, o: { persistent: boolean; userAgent: string; ip: string; now?: Date }): Promise<NewSession> {
  const now = o.now ?? new Date();
  const token = newToken();
  const id = sha256(token);
  await db.insertInto('sessions').values({
    id, user_id: userId, csrf_secret: newToken(), persistent: o.persistent ? 1 : 0,
    user_agent: o.userAgent.slice(0, 300), ip: o.ip.slice(0, 64),
    created_at: nowIso(now), last_seen_at: nowIso(now), expires_at: nowIso(new Date(now.getTime() + lifetime(o.persistent))),
  }).execute();
  return { token, sessionId: id, persistent: o.persistent, maxAgeSeconds: o.persistent ? PERSISTENT_SESSION_MS / 1000 : undefined };
}

export interface ResolvedSession {
  reader: Reader;
  csrfSecret: string;
  /** set when the expiry was moved on: a persistent cookie should be sent again with a fresh Max-Age */
  renewedMaxAgeSeconds?: number;
}

/** The reader behind a cookie token, or null for unknown or expired tokens (expired ones are deleted). */
export async function resolveSession(db: Db, token: string, now: Date = new Date()): Promise<ResolvedSession | null> {
  if (!/^[A-Za-z0-9_-]{43}$/.test(token)) return null;
  const id = sha256(token);
  const row = await db.selectFrom('sessions').innerJoin('users', 'users.id', 'sessions.user_id')
    .select(['sessions.id', 'sessions.csrf_secret', 'sessions.persistent', 'sessions.last_seen_at', 'sessions.expires_at',
      'users.id as user_id', 'users.email', 'users.role', 'users.display_name', 'users.email_verified_at'])
    .where('sessions.id', '=', id).executeTakeFirst();
  if (!row) return null;
  if (row.expires_at <= nowIso(now)) {
    await db.deleteFrom('sessions').where('id', '=', id).execute();
    return null;
  }
  const reader: Reader = {
    user: { id: row.user_id, email: row.email, role: row.role as UserRow['role'], displayName: row.display_name || row.email.split('@')[0]!, emailVerified: row.email_verified_at !== null },
    sessionId: row.id,
  };
  const result: ResolvedSession = { reader, csrfSecret: row.csrf_secret };
  if (now.getTime() - Date.parse(row.last_seen_at) >= TOUCH_EVERY_MS) {
    const persistent = row.persistent === 1;
    await db.updateTable('sessions').set({ last_seen_at: nowIso(now), expires_at: nowIso(new Date(now.getTime() + lifetime(persistent))) }).where('id', '=', id).execute();
    if (persistent) result.renewedMaxAgeSeconds = PERSISTENT_SESSION_MS / 1000;
  }
  return result;
}

const toInfo = (r: SessionRow): SessionInfo => ({
  id: r.id, userAgent: r.user_agent, ip: r.ip, persistent: r.persistent === 1, createdAt: r.created_at, lastSeenAt: r.last_seen_at, expiresAt: r.expires_at,
});

export async function listSessions(db: Db, userId: string, now: Date = new Date()): Promise<SessionInfo[]> {
  const rows = await db.selectFrom('sessions').selectAll().where('user_id', '=', userId).where('expires_at', '>', nowIso(now)).orderBy('last_seen_at', 'desc').execute();
  return rows.map(toInfo);
}

/** Ends one of the user's own sessions; ending someone else's session id does nothing. */
export async function endSession(db: Db, userId: string, sessionId: string): Promise<boolean> {
  const r = await db.deleteFrom('sessions').where('id', '=', sessionId).where('user_id', '=', userId).executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}

export async function endOtherSessions(db: Db, userId: string, keepSessionId: string): Promise<number> {
  const r = await db.deleteFrom('sessions').where('user_id', '=', userId).where('id', '!=', keepSessionId).executeTakeFirst();
  return Number(r.numDeletedRows);
}

export async function endAllSessions(db: Db, userId: string): Promise<void> {
  await db.deleteFrom('sessions').where('user_id', '=', userId).execute();
}

/** Logout: the session of this cookie token ends. */
export async function endSessionByToken(db: Db, token: string): Promise<void> {
  await db.deleteFrom('sessions').where('id', '=', sha256(token)).execute();
}

export async function pruneExpiredSessions(db: Db, now: Date = new Date()): Promise<void> {
  await db.deleteFrom('sessions').where('expires_at', '<=', nowIso(now)).execute();
}
