// Throttling through the database, so every process behind a load balancer counts the same attempts.
import { nowIso, sha256 } from '../db/index.ts';
import type { Db } from './user.queries.ts';

export interface ThrottleRule { name: string; limit: number; windowMs: number }

/** The limits: a 6th wrong password for one account within a minute is refused. */
export const THROTTLES = {
  loginAccount: { name: 'login:account', limit: 5, windowMs: 60_000 },
  loginIp: { name: 'login:ip', limit: 50, windowMs: 10 * 60_000 },
  registerIp: { name: 'register:ip', limit: 10, windowMs: 60 * 60_000 },
  resetIp: { name: 'reset:ip', limit: 10, windowMs: 15 * 60_000 },
  /** over this limit reset mails are silently not sent; the answer stays the same */
  resetAccount: { name: 'reset:account', limit: 3, windowMs: 15 * 60_000 },
} satisfies Record<string, ThrottleRule>;

/** Subjects are hashed: the table holds no email address or IP in clear. */
const keyOf = (rule: ThrottleRule, subject: string): string => `${rule.name}:${sha256(subject.toLowerCase()).slice(0, 32)}`;

export interface ThrottleVerdict { allowed: boolean; retryAfterSeconds: number }

/**
 * Records an attempt, then counts the attempts in the window including this one. Recording first means that
 * a burst of parallel requests cannot all pass a check made before any of them was written.
 */
export async function hitThrottle(db: Db, rule: ThrottleRule, subject: string, now: Date = new Date()): Promise<ThrottleVerdict> {
  const key = keyOf(rule, subject);
  const since = nowIso(new Date(now.getTime() - rule.windowMs));
  await db.deleteFrom('throttle_events').where('key', '=', key).where('at', '<', since).execute();
  await db.insertInto('throttle_events').values({ key, at: nowIso(now) }).execute();
  const r = await db.selectFrom('throttle_events').select((eb) => [eb.fn.countAll<string | number>().as('n'), eb.fn.min('at').as('oldest')])
    .where('key', '=', key).where('at', '>=', since).executeTakeFirstOrThrow();
  const count = Number(r.n);
  const oldest = r.oldest ? Date.parse(String(r.oldest)) : now.getTime();
  return { allowed: count <= rule.limit, retryAfterSeconds: Math.max(1, Math.ceil((oldest + rule.windowMs - now.getTime()) / 1000)) };
}

/** Forgets the attempts of one subject (a correct password clears that account's failures). */
export async function clearThrottle(db: Db, rule: ThrottleRule, subject: string): Promise<void> {
  await db.deleteFrom('throttle_events').where('key', '=', keyOf(rule, subject)).execute();
}

/** Removes every event older than the longest window; called now and then, not on every request. */
export async function pruneThrottleEvents(db: Db, now: Date = new Date()): Promise<void> {
  const longest = Math.max(...Object.values(THROTTLES).map((r) => r.windowMs));
  await db.deleteFrom('throttle_events').where('at', '<', nowIso(new Date(now.getTime() - longest))).execute();
}
