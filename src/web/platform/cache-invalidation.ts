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
  /** tests: after each attempt to claim changes for the purge hook: the keys this process sent (none: another process had them); `repeat` for the second sending */
  onPurge?: (outcome: { keys: readonly string[]; ok: boolean; repeat?: boolean }) => void;
  /** how long after a purge the same keys are purged again (default REPURGE_AFTER_MS; tests shorten it) */
  repurgeAfterMs?: number;
}

/**
 * A purge is sent again this long after the first: the process that sends it may be ahead of another that has not yet
 * dropped its own copy of a page (on SQLite its poll may be up to 1 s behind). A request the CDN sends to that process
 * in between would store the old page for its whole s-maxage; the second purge bounds that to this delay.
 */
export const REPURGE_AFTER_MS = 2000;

/** A failed poll is logged at most this often (the database being away is logged elsewhere anyway). */
const ERROR_LOG_EVERY_MS = 60_000;

/** Starts the feed (call `start()`'s promise `ready`); `stop()` stops it and drops purges still to be repeated. */
export function startCacheInvalidation(o: CacheInvalidationOptions): { feed: ContentChangeFeed; ready: Promise<void>; stop: () => Promise<void> } {
  const purge = o.purgeUrl ? createPurgeHook({ url: o.purgeUrl, logger: o.logger }) : undefined;
  const repeats = new Set<NodeJS.Timeout>();
  const repeatLater = (keys: readonly string[]) => {
    const timer = setTimeout(() => {
      repeats.delete(timer);
      void purge!(keys).then((ok) => o.onPurge?.({ keys, ok, repeat: true }));
    }, o.repurgeAfterMs ?? REPURGE_AFTER_MS);
    timer.unref();
    repeats.add(timer);
  };
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
        if (mine.length) repeatLater(mine);
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
  const stop = async () => {
    for (const t of repeats) clearTimeout(t);
    repeats.clear();
    await feed.stop();
  };
  return { feed, ready: feed.start(), stop };
}
