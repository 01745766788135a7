// Which cached pages a content change touches (surrogate keys) and the record of the change that every process reads.
import { PostgresAdapter, sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { Listening, Store } from '../db/index.ts';

/** The surrogate keys of the pages that show an article: its page, the front, its section, its authors, feeds, sitemaps. */
export function articleSurrogateKeys(a: { id: string; section: { slug: string }; authors: { slug: string }[] }): string[] {
  return [`article:${a.id}`, 'front', `section:${a.section.slug}`, ...a.authors.map((x) => `author:${x.slug}`), 'feeds', 'sitemaps'];
}

/** The PostgreSQL channel a recorded change is announced on (payload: its seq); every process's feed listens. */
export const CONTENT_CHANGES_CHANNEL = 'klartext_content_changes';

/** Keys travel space-separated (Surrogate-Key, the table) and comma-separated (Cache-Tag): neither may be in one. */
const KEY = /^[A-Za-z0-9:_.-]{1,200}$/;

/** The keys once each, in the order given; a malformed key is a programming error. */
export function surrogateKeyList(keys: Iterable<string>): string[] {
  const out = new Set<string>();
  for (const k of keys) {
    if (!KEY.test(k)) throw new Error(`not a surrogate key: ${JSON.stringify(k)}`);
    out.add(k);
  }
  return [...out];
}

/** Feeds of this process that want to hear of a change recorded here at once (SQLite has no NOTIFY). */
const localWrites = new Set<() => void>();

/**
 * Records that the pages with these keys changed, inside the caller's transaction, so the record commits with the
 * content (and a rolled-back change was never announced). On PostgreSQL the change is announced with pg_notify, which
 * the database delivers on commit. Call it last in the transaction: the seq is taken here, and other processes read the
 * changes in seq order (a change holding a small seq for long is caught up later, see ContentChangeFeed).
 */
export async function recordContentChange(db: Kysely<Database> | Transaction<Database>, keys: readonly string[], o: { now?: Date } = {}): Promise<void> {
  const list = surrogateKeyList(keys);
  if (!list.length) return;
  const { seq } = await db.insertInto('content_changes').values({ keys: list.join(' '), at: (o.now ?? new Date()).toISOString(), purge_claimed: 0 })
    .returning('seq').executeTakeFirstOrThrow();
  if (db.getExecutor().adapter instanceof PostgresAdapter) await sql`select pg_notify(${CONTENT_CHANGES_CHANNEL}, ${String(seq)})`.execute(db);
  for (const nudge of localWrites) nudge();
}

/**
 * Takes on telling the CDN about these changes: answers the seqs no process took on before (one update, so of several
 * processes reading the same change exactly one gets it).
 */
export async function claimContentChangesForPurge(db: Kysely<Database>, seqs: readonly number[]): Promise<number[]> {
  const claimed: number[] = [];
  for (let i = 0; i < seqs.length; i += 500) {
    const rows = await db.updateTable('content_changes').set({ purge_claimed: 1 })
      .where('seq', 'in', seqs.slice(i, i + 500)).where('purge_claimed', '=', 0).returning('seq').execute();
    claimed.push(...rows.map((r) => Number(r.seq)));
  }
  return claimed;
}

export interface ContentChange { seq: number; keys: string[] }

export interface ContentChangeFeedOptions {
  store: Pick<Store, 'db' | 'listen'>;
  /** the changes a poll found, in seq order */
  onChanges: (changes: ContentChange[]) => void | Promise<void>;
  /** the feed cannot tell what changed (it just started, or lost track): everything kept may be stale */
  onReset: () => void;
  /** how often the table is read while nothing announces changes (SQLite, or PostgreSQL while not listening); default 1 s */
  pollMs?: number;
  /** how often it is read anyway while listening, in case an announcement was lost; default 10 s */
  listeningPollMs?: number;
  /** read at once when this process records a change (default true) */
  followLocalWrites?: boolean;
  /** how long rows are kept; default one day */
  retentionMs?: number;
  /** a failed read or cleanup (the database is away); the feed tries again at the next tick */
  onError?: (err: unknown, what: 'poll' | 'cleanup') => void;
}

/** How long a gap in the seqs is asked for again: a transaction that took a seq but has not committed yet fills it later. */
const HOLE_MS = 120_000;
const MAX_HOLES = 1000;
const BATCH = 500;
const CLEANUP_EVERY_MS = 10 * 60_000;
/** start() waits this long at most for the listening connection before it resolves (polling covers the rest) */
const LISTEN_WAIT_MS = 3000;

/**
 * Each process's reader of the content changes: it reads the rows after the last one it saw (an indexed range, cheap)
 * every `pollMs`, at once when PostgreSQL announces a change (then only every `listeningPollMs` as a safety net), and
 * at once when this process records one. On PostgreSQL, seqs are taken in one order and committed in another: a gap
 * is remembered and asked for again for two minutes, so a change committed late is not skipped. Rows older than
 * `retentionMs` are deleted every ten minutes.
 */
export class ContentChangeFeed {
  private last: number | undefined;
  private readonly holes = new Map<number, number>();
  private running: Promise<number> | undefined;
  private rerun: Promise<number> | undefined;
  private started: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private listening: Listening | undefined;
  private isListening = false;
  private lastPoll = 0;
  private lastCleanup = 0;
  private stopped = false;
  private readonly nudge = () => { if (!this.isListening) setImmediate(() => { void this.poll().catch((e) => this.o.onError?.(e, 'poll')); }); };

  constructor(private readonly o: ContentChangeFeedOptions) {}

  /** whether PostgreSQL's announcements reach this feed right now */
  get listens(): boolean { return this.isListening; }

  /**
   * Starts from the newest change (earlier ones are not replayed: onReset says everything may be stale) and resolves
   * once that is read and, on PostgreSQL, the listening connection is up (or did not come up within 3 s).
   */
  start(): Promise<void> {
    return (this.started ??= (async () => {
      let listeningUp: (() => void) | undefined;
      const up = new Promise<void>((resolve) => { listeningUp = resolve; });
      if (this.o.store.listen) {
        this.listening = this.o.store.listen(CONTENT_CHANGES_CHANNEL, {
          notify: (payload) => {
            const seq = Number(payload);
            if (this.last !== undefined && seq <= this.last && !this.holes.has(seq)) return;
            void this.poll().catch((e) => this.o.onError?.(e, 'poll'));
          },
          state: (listening) => {
            this.isListening = listening;
            // what was announced while the connection was down is read now
            if (listening) { listeningUp?.(); void this.poll().catch((e) => this.o.onError?.(e, 'poll')); }
          },
        });
      } else listeningUp!();
      if (this.o.followLocalWrites ?? true) localWrites.add(this.nudge);
      this.timer = setInterval(() => this.tick(), Math.min(this.o.pollMs ?? 1000, 1000));
      this.timer.unref();
      await this.poll().catch((e) => this.o.onError?.(e, 'poll'));
      let waited: NodeJS.Timeout | undefined;
      await Promise.race([up, new Promise<void>((resolve) => { waited = setTimeout(resolve, LISTEN_WAIT_MS); waited.unref(); })]);
      clearTimeout(waited);
    })());
  }

  async stop(): Promise<void> {
    this.stopped = true;
    localWrites.delete(this.nudge);
    if (this.timer) clearInterval(this.timer);
    this.isListening = false;
    await this.listening?.close();
  }

  /**
   * Reads the changes after the last one seen (and the gaps still open) and hands them to onChanges; resolves with
   * how many there were. A poll asked for while one runs runs again after it, so whatever committed before the call
   * is seen by the time the returned promise settles.
   */
  poll(): Promise<number> {
    if (this.running) {
      return (this.rerun ??= this.running.then(() => undefined, () => undefined).then(() => { this.rerun = undefined; return this.poll(); }));
    }
    const run = this.readOnce().finally(() => { if (this.running === run) this.running = undefined; });
    this.running = run;
    return run;
  }

  /** Deletes the rows older than the retention; answers how many. */
  async cleanup(now = Date.now()): Promise<number> {
    this.lastCleanup = now;
    const cutoff = new Date(now - (this.o.retentionMs ?? 24 * 3600_000)).toISOString();
    const r = await this.o.store.db.deleteFrom('content_changes').where('at', '<', cutoff).executeTakeFirst();
    return Number(r.numDeletedRows);
  }

  private tick(): void {
    if (this.stopped) return;
    const now = Date.now();
    const every = this.isListening ? (this.o.listeningPollMs ?? 10_000) : (this.o.pollMs ?? 1000);
    if (now - this.lastPoll >= every) void this.poll().catch((e) => this.o.onError?.(e, 'poll'));
    if (now - this.lastCleanup >= CLEANUP_EVERY_MS) void this.cleanup(now).catch((e) => this.o.onError?.(e, 'cleanup'));
  }

  private async readOnce(): Promise<number> {
    if (this.stopped) return 0;
    this.lastPoll = Date.now();
    const db = this.o.store.db;
    if (this.last === undefined) {
      const r = await db.selectFrom('content_changes').select((eb) => eb.fn.max('seq').as('m')).executeTakeFirst();
      this.last = Number(r?.m ?? 0);
      this.o.onReset();
      return 0;
    }
    const now = Date.now();
    for (const [seq, since] of this.holes) if (now - since > HOLE_MS) this.holes.delete(seq);
    let delivered = 0;
    let last: number = this.last;
    for (;;) {
      const from = last;
      const holes = [...this.holes.keys()];
      const rows: { seq: number; keys: string }[] = await db.selectFrom('content_changes').select(['seq', 'keys'])
        .where((eb) => (holes.length ? eb.or([eb('seq', '>', from), eb('seq', 'in', holes)]) : eb('seq', '>', from)))
        .orderBy('seq').limit(BATCH).execute();
      if (!rows.length) break;
      const changes: ContentChange[] = [];
      for (const r of rows) {
        const seq = Number(r.seq);
        if (seq > last) {
          for (let s = last + 1; s < seq && this.holes.size <= MAX_HOLES; s++) this.holes.set(s, now);
          last = this.last = seq;
        } else if (!this.holes.delete(seq)) continue;
        changes.push({ seq, keys: r.keys.split(' ').filter(Boolean) });
      }
      if (this.holes.size > MAX_HOLES) {
        // more open gaps than can be followed: what they will hold is unknown, so everything counts as changed
        this.holes.clear();
        this.o.onReset();
      }
      if (changes.length) await this.o.onChanges(changes);
      delivered += changes.length;
      if (rows.length < BATCH) break;
    }
    return delivered;
  }
}
