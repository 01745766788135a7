// Gift links ("Artikel verschenken"): a subscriber's link that opens one article for anyone for 14 days while the giver may still read it, limited per month, revocable.
import type { Kysely, Transaction } from 'kysely';
import { newId, newToken, nowIso, type Database } from '../db/index.ts';
import { isStaffRole } from '../accounts/index.ts';
import { DomainError } from '../domain-error.ts';
import { berlinMonthStart } from './berlin-calendar.ts';
import { lockReader } from './meter.queries.ts';
import { hasActiveSubscription } from './subscription.queries.ts';

type Db = Kysely<Database> | Transaction<Database>;

export const GIFT_LINK_DAYS = 14;
export const GIFT_LINKS_PER_MONTH = 10;
/** 32 random bytes in base64url, as newToken() makes them. */
export const GIFT_TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

/** `lapsed`: the giver no longer reads Plus (subscription ended, staff role gone) or has no confirmed address. */
export type GiftState = 'valid' | 'expired' | 'revoked' | 'lapsed' | 'unknown';

export interface GiftLink {
  id: string;
  token: string;
  article: { id: string; slug: string; headline: string };
  createdAt: string;
  expiresAt: string;
  revokedAt: string | null;
  state: Exclude<GiftState, 'unknown'>;
}

const stateOf = (row: { expires_at: string; revoked_at: string | null }, giverEntitled: boolean, now: Date): Exclude<GiftState, 'unknown'> =>
  row.revoked_at !== null ? 'revoked' : row.expires_at <= nowIso(now) ? 'expired' : giverEntitled ? 'valid' : 'lapsed';

/**
 * Whether a person may give Plus articles away: a confirmed address, and staff or a running subscription. A gift
 * passes on the giver's own right to read, so it lasts only as long as that right.
 */
export async function mayGive(db: Db, userId: string, now: Date): Promise<boolean> {
  const giver = await db.selectFrom('users').select(['role', 'email_verified_at']).where('id', '=', userId).executeTakeFirst();
  if (!giver || giver.email_verified_at === null) return false;
  return isStaffRole(giver.role) || hasActiveSubscription(db, userId, now);
}

/** What a token in a link is worth for this article: a token for another article is as good as none. */
export async function giftState(db: Db, input: { token: string; articleId: string; now: Date }): Promise<GiftState> {
  if (!GIFT_TOKEN_PATTERN.test(input.token)) return 'unknown';
  const at = nowIso(input.now);
  // One query: the link, and whether its giver still may give (confirmed address; staff or a running subscription).
  const row = await db.selectFrom('gift_links').innerJoin('users', 'users.id', 'gift_links.user_id')
    .select((eb) => ['gift_links.article_id', 'gift_links.expires_at', 'gift_links.revoked_at', 'users.role', 'users.email_verified_at',
      eb.exists(eb.selectFrom('subscriptions').select('subscriptions.id')
        .whereRef('subscriptions.user_id', '=', 'gift_links.user_id').where('subscriptions.access_until', '>', at)
        .where('subscriptions.starts_at', '<=', at))
        .as('subscribed')])
    .where('gift_links.token', '=', input.token).executeTakeFirst();
  if (!row || row.article_id !== input.articleId) return 'unknown';
  const giverEntitled = row.email_verified_at !== null && (isStaffRole(row.role) || Boolean(row.subscribed));
  return stateOf(row, giverEntitled, input.now);
}

/** How many gift links the reader made this Berlin month. */
export async function giftLinksThisMonth(db: Db, userId: string, now: Date): Promise<number> {
  const r = await db.selectFrom('gift_links').select((eb) => eb.fn.countAll<string | number>().as('n'))
    .where('user_id', '=', userId).where('created_at', '>=', nowIso(berlinMonthStart(now))).executeTakeFirstOrThrow();
  return Number(r.n);
}

/**
 * Makes a gift link. The caller has checked the article is not free. Whether the giver may give (mayGive), the
 * count and the insert share one transaction under the reader's lock, so two tabs cannot make an eleventh.
 */
export async function createGiftLink(db: Kysely<Database>, input: { userId: string; articleId: string; now: Date }): Promise<{ id: string; token: string; expiresAt: string }> {
  const { userId, articleId, now } = input;
  return db.transaction().execute(async (trx) => {
    await lockReader(trx, userId);
    if (!(await mayGive(trx, userId, now))) throw new DomainError('forbidden', GIVER_NOT_ENTITLED);
    if ((await giftLinksThisMonth(trx, userId, now)) >= GIFT_LINKS_PER_MONTH) {
      throw new DomainError('rate-limited', `Sie haben in diesem Monat schon ${GIFT_LINKS_PER_MONTH} Artikel verschenkt. Ab dem Ersten des nächsten Monats geht es wieder.`);
    }
    const link = { id: newId(), token: newToken(), expiresAt: nowIso(new Date(now.getTime() + GIFT_LINK_DAYS * 24 * 3600_000)) };
    await trx.insertInto('gift_links').values({
      id: link.id, token: link.token, article_id: articleId, user_id: userId, created_at: nowIso(now), expires_at: link.expiresAt, revoked_at: null,
    }).execute();
    return link;
  });
}

export const GIVER_NOT_ENTITLED = 'Artikel verschenken können Abonnentinnen und Abonnenten mit bestätigter E-Mail-Adresse.';

/** The reader's gift links, newest first; while the reader may not give, none of them is valid. */
export async function listGiftLinks(db: Db, userId: string, now: Date): Promise<GiftLink[]> {
  const giverEntitled = await mayGive(db, userId, now);
  const rows = await db.selectFrom('gift_links').innerJoin('articles', 'articles.id', 'gift_links.article_id')
    .select(['gift_links.id', 'gift_links.token', 'gift_links.created_at', 'gift_links.expires_at', 'gift_links.revoked_at',
      'articles.id as article_id', 'articles.slug', 'articles.headline'])
    .where('gift_links.user_id', '=', userId).where('articles.live', '=', 1).orderBy('gift_links.created_at', 'desc').orderBy('gift_links.id').limit(200).execute();
  return rows.map((r) => ({
    id: r.id, token: r.token, article: { id: r.article_id, slug: r.slug, headline: r.headline },
    createdAt: r.created_at, expiresAt: r.expires_at, revokedAt: r.revoked_at, state: stateOf(r, giverEntitled, now),
  }));
}

/** Revokes one of the reader's own links; revoking twice is fine, someone else's link is "not found". */
export async function revokeGiftLink(db: Db, input: { userId: string; giftId: string; now: Date }): Promise<void> {
  const row = await db.selectFrom('gift_links').select(['id', 'revoked_at']).where('id', '=', input.giftId).where('user_id', '=', input.userId).executeTakeFirst();
  if (!row) throw new DomainError('not-found', 'Diesen Geschenk-Link gibt es nicht (mehr).');
  if (row.revoked_at !== null) return;
  await db.updateTable('gift_links').set({ revoked_at: nowIso(input.now) }).where('id', '=', row.id).where('revoked_at', 'is', null).execute();
}
