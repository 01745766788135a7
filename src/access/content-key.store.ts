// Content keys per article version: created on first use, stored wrapped under the master key, cached unwrapped in memory.
import { createHash } from 'node:crypto';
import { systemClock, type Clock } from '../clock.ts';
import type { Kysely, Transaction } from 'kysely';
import { nowIso, type Database } from '../db/index.ts';
import { deriveDecoySeed, generateContentKey, newKeyId, wrapContentKey } from './content-crypto.ts';
import { ringOf, unwrapWithRing, type MasterKeyRing } from './master-key-ring.ts';
import { makeDecoy, type DecoySourceBlock } from './decoy.ts';

type Db = Kysely<Database> | Transaction<Database>;

export interface ContentKey { keyId: string; key: Buffer }

export interface ContentKeyStore {
  /** The key of the article version whose premium blocks hash to `premiumHash`; made and stored if there is none yet. */
  currentKey(db: Db, articleId: string, premiumHash: string): Promise<ContentKey>;
  /** The decoy of an article version, computed once per key id. */
  decoy(keyId: string, premiumBlocks: readonly DecoySourceBlock[]): string[];
}

/** sha256 over the JSON of the premium blocks: the identity of an article version for its key. */
export const premiumHash = (premiumBlocks: readonly unknown[]): string =>
  createHash('sha256').update(JSON.stringify(premiumBlocks)).digest('hex');

/** A Map that forgets its oldest entry when full: the caches here are derived data and may be rebuilt at any time. */
class BoundedMap<K, V> extends Map<K, V> {
  constructor(private readonly limit: number) { super(); }
  override set(key: K, value: V): this {
    if (!this.has(key) && this.size >= this.limit) this.delete(this.keys().next().value!);
    return super.set(key, value);
  }
}

/**
 * New keys are wrapped under the ring's current master key; stored keys are unwrapped under whichever key of the ring
 * opens them, so processes keep serving while `klartext keys rotate` re-wraps the table (docs/decisions/025).
 */
export function createContentKeyStore(masterKeys: Buffer | MasterKeyRing, o: { maxEntries?: number; now?: Clock } = {}): ContentKeyStore {
  const ring = ringOf(masterKeys);
  const masterKey = ring.current;
  const maxEntries = o.maxEntries ?? 20_000;
  const now = o.now ?? systemClock;
  const keys = new BoundedMap<string, Promise<ContentKey>>(maxEntries);
  const decoys = new BoundedMap<string, string[]>(maxEntries);

  async function loadOrCreate(db: Db, articleId: string, hash: string): Promise<ContentKey> {
    const find = () => db.selectFrom('content_keys').select(['id', 'wrapped_key'])
      .where('article_id', '=', articleId).where('premium_hash', '=', hash).executeTakeFirst();
    let row = await find();
    if (!row) {
      // Two processes may race here; the unique (article, hash) constraint keeps one key and both read it back.
      await db.insertInto('content_keys')
        .values({ id: newKeyId(), article_id: articleId, premium_hash: hash, wrapped_key: wrapContentKey(generateContentKey(), masterKey), created_at: nowIso(now()) })
        .onConflict((oc) => oc.columns(['article_id', 'premium_hash']).doNothing())
        .execute();
      row = await find();
      if (!row) throw new Error(`content key for article ${articleId} vanished after insert`);
    }
    return { keyId: row.id, key: unwrapWithRing(row.wrapped_key, ring).key };
  }

  return {
    currentKey(db, articleId, hash) {
      const cacheKey = `${articleId}\0${hash}`;
      let pending = keys.get(cacheKey);
      if (!pending) {
        // Concurrent renders of one version share one lookup; a failure is not remembered.
        pending = loadOrCreate(db, articleId, hash);
        keys.set(cacheKey, pending);
        pending.catch(() => keys.delete(cacheKey));
      }
      return pending;
    },
    decoy(keyId, premiumBlocks) {
      let paragraphs = decoys.get(keyId);
      if (!paragraphs) {
        paragraphs = makeDecoy(premiumBlocks, deriveDecoySeed(masterKey, keyId));
        decoys.set(keyId, paragraphs);
      }
      return paragraphs;
    },
  };
}
