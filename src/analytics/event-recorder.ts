// Where events go: a buffer written in batches, so recording one never waits for the database.
import type { Kysely } from 'kysely';
import type { Database } from '../db/index.ts';
import { eventRow, type AnalyticsEvent } from './events.ts';

export interface EventRecorder {
  /** never throws, never waits: the event is buffered (or dropped when the buffer is full) */
  record(event: AnalyticsEvent): void;
  /** writes what is buffered */
  flush(): Promise<void>;
  /** flushes and stops the timer */
  close(): Promise<void>;
}

/** Contract version (issue 12 helpers replace the body): buffers and writes on flush. */
export function createEventRecorder(o: { db: Kysely<Database>; now?: () => Date }): EventRecorder {
  const now = o.now ?? (() => new Date());
  let buffer: AnalyticsEvent[] = [];
  const flush = async () => {
    if (buffer.length === 0) return;
    const batch = buffer;
    buffer = [];
    const at = now();
    await o.db.insertInto('analytics_events').values(batch.map((e) => eventRow(e, at))).execute();
  };
  return { record: (e) => { buffer.push({ ...e, at: e.at ?? now() }); }, flush, close: flush };
}
