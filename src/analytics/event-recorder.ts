// Where events go: a bounded buffer written in batches, so recording one never waits for the database and a flood cannot grow memory.
import type { CompiledQuery, Kysely } from 'kysely';
import type { Database } from '../db/index.ts';
import { countAnalyticsEvents } from '../metrics/index.ts';
import { eventRow, type AnalyticsEvent } from './events.ts';
import type { AnalyticsEventRow } from '../db/index.ts';

const COLUMNS = ['at', 'day', 'kind', 'article_id', 'offer_id', 'variant_id', 'institution_id', 'detail'] as const satisfies readonly (keyof AnalyticsEventRow)[];

export interface EventRecorder {
  /** never throws, never waits: the event is buffered (or dropped when the buffer is full) */
  record(event: AnalyticsEvent): void;
  /** writes what is buffered */
  flush(): Promise<void>;
  /** flushes and stops the timer */
  close(): Promise<void>;
}

/** How often the buffer is written when it does not fill up first. */
export const FLUSH_EVERY_MS = 250;
/** Events per multi-row insert: 500 rows × 8 columns stay far below SQLite's parameter limit (32,766). */
export const BATCH_SIZE = 500;
/**
 * Events held at most, written or not (about 200 bytes each: some 4 MB). A database that stops answering must not take the
 * process with it: beyond this, events are dropped and counted (klartext_analytics_events_total{outcome="dropped"}).
 */
export const BUFFER_LIMIT = 20_000;

export interface EventRecorderOptions {
  db: Kysely<Database>;
  now?: () => Date;
  flushEveryMs?: number;
  batchSize?: number;
  bufferLimit?: number;
  /** a failed write (the events of that batch are lost, counted as failed): default silent, the app logs it */
  onError?: (error: unknown, lost: number) => void;
  /** tests: no timer; writes happen on flush() and when a batch is full */
  timer?: boolean;
}

/**
 * Insight events are counts, not records anyone depends on: losing a batch when the database is down is acceptable,
 * slowing every page view down to the database's pace is not. So `record` only pushes into an array; a full batch or
 * the timer starts one write at a time (batches do not overtake each other and never compete with themselves for
 * SQLite's one writer); while a write runs, new events wait in the buffer up to its limit.
 */
export function createEventRecorder(o: EventRecorderOptions): EventRecorder {
  const now = o.now ?? (() => new Date());
  const batchSize = o.batchSize ?? BATCH_SIZE;
  const limit = o.bufferLimit ?? BUFFER_LIMIT;
  let buffer: AnalyticsEvent[] = [];
  let writing: Promise<void> | null = null;
  // Compiling a 500-row insert costs Kysely about twice what SQLite needs to run it: a full batch's statement is compiled
  // once and reused with the new rows' values (the rows always have the same columns in the same order).
  let fullBatch: CompiledQuery | null = null;
  const insert = (rows: AnalyticsEventRow[]) => {
    if (rows.length !== batchSize) return o.db.insertInto('analytics_events').values(rows).execute();
    fullBatch ??= o.db.insertInto('analytics_events').values(rows).compile();
    return o.db.executeQuery({ ...fullBatch, parameters: rows.flatMap((r) => COLUMNS.map((c) => r[c])) });
  };

  async function writeAll(): Promise<void> {
    while (buffer.length > 0) {
      const batch = buffer.length <= batchSize ? buffer : buffer.slice(0, batchSize);
      buffer = batch === buffer ? [] : buffer.slice(batchSize);
      try {
        const at = now();
        await insert(batch.map((e) => eventRow(e, at)));
        countAnalyticsEvents('written', batch.length);
      } catch (e) {
        countAnalyticsEvents('failed', batch.length);
        o.onError?.(e, batch.length);
      }
    }
  }

  /** one write at a time: a second call waits for the running one, which takes whatever arrived meanwhile */
  function startWrite(): Promise<void> {
    writing ??= writeAll().finally(() => { writing = null; });
    return writing;
  }

  const timer = o.timer === false ? null : setInterval(() => { if (buffer.length > 0) void startWrite(); }, o.flushEveryMs ?? FLUSH_EVERY_MS);
  timer?.unref();

  return {
    record(event) {
      if (buffer.length >= limit) { countAnalyticsEvents('dropped'); return; }
      buffer.push(event.at ? event : { ...event, at: now() });
      if (buffer.length >= batchSize && !writing) void startWrite();
    },
    async flush() {
      // a write may be running with more events waiting behind it: wait until both are written
      while (writing || buffer.length > 0) await startWrite();
    },
    async close() {
      if (timer) clearInterval(timer);
      await this.flush();
    },
  };
}
