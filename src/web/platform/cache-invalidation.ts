// Wires the content-change feed to the page cache and the purge hook: every process drops exactly the pages a change names.
import type { Logger } from 'pino';
import type { Store } from '../../db/index.ts';
import { claimContentChangesForPurge, ContentChangeFeed, type ContentChange, type ContentChangeFeedOptions } from '../../content/index.ts';
import type { PageCache } from './page-cache.ts';
import { createPurgeHook } from './purge-hook.ts';

export interface CacheInvalidationOptions {
  store: Store;
  pageCache: PageCache;
  logger: Logger;
  /** KLARTEXT_PURGE_URL: where the keys of each change are sent once (by whichever process claims the change first) */
  purgeUrl?: string | undefined;
  /** tests: poll intervals, whether local writes are followed */
  feed?: Partial<Pick<ContentChangeFeedOptions, 'pollMs' | 'listeningPollMs' | 'followLocalWrites' | 'retentionMs'>>;
  /** tests: the changes this process read, after its cache dropped what they name */
  onChanges?: (changes: readonly ContentChange[], droppedPages: number) => void;
  /** tests: after each attempt to claim changes for the purge hook: the keys this process sent (none: another process had them) */
  onPurge?: (outcome: { keys: readonly string[]; ok: boolean }) => void;
}

/** A failed poll is logged at most this often (the database being away is logged elsewhere anyway). */
const ERROR_LOG_EVERY_MS = 60_000;

/** Starts the feed (call `start()`'s promise `ready`); stop it with `feed.stop()`. */
export function startCacheInvalidation(o: CacheInvalidationOptions): { feed: ContentChangeFeed; ready: Promise<void> } {
  const purge = o.purgeUrl ? createPurgeHook({ url: o.purgeUrl, logger: o.logger }) : undefined;
  let lastErrorLog = 0;
  const feed = new ContentChangeFeed({
    ...o.feed,
    store: o.store,
    onChanges: (changes) => {
      const keys = [...new Set(changes.flatMap((ch) => ch.keys))];
      const dropped = o.pageCache.purgeKeys(keys);
      o.logger.debug({ changes: changes.length, keys: keys.length, dropped }, 'content changed: cached pages dropped');
      o.onChanges?.(changes, dropped);
      if (!purge) return;
      // Not awaited: the CDN's answer must not hold up the next poll. Only the process that claims a change sends it.
      void (async () => {
        const claimed = new Set(await claimContentChangesForPurge(o.store.db, changes.map((ch) => ch.seq)));
        const mine = [...new Set(changes.filter((ch) => claimed.has(ch.seq)).flatMap((ch) => ch.keys))];
        const ok = mine.length ? await purge(mine) : true;
        o.onPurge?.({ keys: mine, ok });
      })().catch((err: unknown) => o.logger.warn({ err: (err as Error).message }, 'purge not sent: the change could not be claimed'));
    },
    onReset: () => o.pageCache.clear(),
    onError: (err, what) => {
      const now = Date.now();
      if (now - lastErrorLog < ERROR_LOG_EVERY_MS) return;
      lastErrorLog = now;
      o.logger.warn({ err: (err as Error).message, what }, 'content changes could not be read; cached pages are kept until it works again');
    },
  });
  return { feed, ready: feed.start() };
}
