// Bounds argon2 work: a few hashes at once, a short queue, a steady rate — so logins cannot starve the threadpool that serves files and DNS.
import { DomainError } from '../domain-error.ts';

export const HASHING_BUSY = 'Gerade melden sich sehr viele Menschen an. Bitte versuchen Sie es in ein paar Sekunden noch einmal.';

/** The queue for password checks is full: the server is busy for everyone, so 503 with Retry-After. */
export class HashingBusyError extends DomainError {
  constructor(readonly retryAfterSeconds: number) { super('busy', HASHING_BUSY); }
}

export interface HashGateOptions {
  /** argon2 runs at once; each takes a libuv threadpool thread (shared with file reads and DNS) and memoryCost KiB */
  concurrency: number;
  /** callers that may wait for a slot; one more is refused with HashingBusyError */
  queue: number;
  /** hashes per second on average over all callers (token bucket); `burst` tokens may be spent at once, default one second's worth */
  perSecond: number;
  burst?: number;
  /** for tests: a monotonic clock in ms and the wait that stands in for a verify */
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

export const DEFAULT_HASH_GATE = Object.freeze({ concurrency: 2, queue: 16, perSecond: 4 });

/** How many recent real verify durations the imitation draws from, and how old the newest may be before a real one is due again. */
const SAMPLES = 32;
const SAMPLE_MAX_AGE_MS = 60_000;

export type HashKind = 'hash' | 'verify';

/**
 * A limiter for argon2, one per app (made in createApp, passed along with the hashing cost). Every hash and verify
 * runs in a slot; a login for an unknown address takes a slot too and holds it as long as a recent real verify took,
 * so under load both wait alike and are refused alike — without the 64 MiB and the thread.
 */
export class HashGate {
  private active = 0;
  private readonly waiting: (() => void)[] = [];
  private tokens: number;
  private refilledAt: number;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly samples: number[] = [];
  private sampledAt = -Infinity;
  private refreshing = false;
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly capacity: number;
  /** counters for tests and the log: slots taken per kind (an imitated verify counts as a verify), refusals */
  readonly counts = { hash: 0, verify: 0, imitated: 0, refused: 0 };

  constructor(readonly options: HashGateOptions) {
    this.now = options.now ?? (() => performance.now());
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.capacity = Math.max(1, options.burst ?? options.perSecond);
    this.tokens = this.capacity;
    this.refilledAt = this.now();
  }

  /** Runs argon2 work in a slot; a verify's duration feeds the imitation. Throws HashingBusyError when the queue is full. */
  async run<T>(kind: HashKind, work: () => Promise<T>): Promise<T> {
    await this.acquire(kind);
    const started = this.now();
    try {
      const result = await work();
      if (kind === 'verify') this.record(this.now() - started);
      return result;
    } finally {
      this.release();
    }
  }

  /**
   * Stands in for a verify whose answer is known to be "no": queues and holds a slot like one, for as long as a recent
   * real verify took. When there is no recent real verify (none yet, or the newest is older than a minute) and no other
   * slot is already refreshing the estimate, `verify` (argon2 against a throwaway hash, which `prepare` makes once) runs
   * in the slot instead and is measured — so at most one real verify a minute while only unknown addresses come.
   */
  async imitateVerify(verify: () => Promise<unknown>, prepare: () => Promise<unknown> = async () => {}): Promise<void> {
    await this.acquire('verify');
    try {
      const stale = this.now() - this.sampledAt > SAMPLE_MAX_AGE_MS;
      if (!this.samples.length || (stale && !this.refreshing)) {
        this.refreshing = true;
        try {
          await prepare();
          const started = this.now();
          await verify();
          this.record(this.now() - started);
        } finally {
          this.refreshing = false;
        }
        return;
      }
      this.counts.imitated++;
      await this.sleep(this.samples[Math.floor(Math.random() * this.samples.length)]!);
    } finally {
      this.release();
    }
  }

  /**
   * Refuses at once when the queue is full, before a login or registration touches the database: under a flood the
   * refusals stay cheap (no throttle rows, no lookup). The same for every address, so it tells nothing about accounts.
   */
  refuseIfFull(): void {
    if (this.waiting.length < this.options.queue || this.active < this.options.concurrency) return;
    this.counts.refused++;
    throw new HashingBusyError(this.retryAfterSeconds());
  }

  /** Recent real verify durations in ms, newest last. */
  recentVerifyMs(): readonly number[] { return this.samples; }

  state(): { active: number; waiting: number } { return { active: this.active, waiting: this.waiting.length }; }

  private record(ms: number): void {
    this.samples.push(ms);
    if (this.samples.length > SAMPLES) this.samples.shift();
    this.sampledAt = this.now();
  }

  private acquire(kind: HashKind): Promise<void> {
    if (!this.waiting.length && this.take()) { this.counts[kind]++; return Promise.resolve(); }
    if (this.waiting.length >= this.options.queue) {
      this.counts.refused++;
      return Promise.reject(new HashingBusyError(this.retryAfterSeconds()));
    }
    return new Promise<void>((resolve) => {
      this.waiting.push(() => { this.counts[kind]++; resolve(); });
      this.schedule();
    });
  }

  private release(): void {
    this.active--;
    this.drain();
  }

  /** A slot and a token, if both are free. */
  private take(): boolean {
    const now = this.now();
    if (Number.isFinite(this.capacity)) this.tokens = Math.min(this.capacity, this.tokens + ((now - this.refilledAt) / 1000) * this.options.perSecond);
    this.refilledAt = now;
    if (this.active >= this.options.concurrency || this.tokens < 1) return false;
    this.active++;
    this.tokens--;
    return true;
  }

  private drain(): void {
    while (this.waiting.length && this.take()) this.waiting.shift()!();
    this.schedule();
  }

  /** A slot is free but the bucket is empty: wake the queue when the next token is due (a release wakes it otherwise). */
  private schedule(): void {
    if (!this.waiting.length || this.timer || this.active >= this.options.concurrency) return;
    const ms = Math.max(1, Math.ceil(((1 - this.tokens) * 1000) / this.options.perSecond));
    this.timer = setTimeout(() => { this.timer = undefined; this.drain(); }, ms);
  }

  /** About when the queue will have room again: limited by the rate and by the slots, at least 1 s, at most a minute. */
  private retryAfterSeconds(): number {
    const ahead = this.waiting.length + this.active;
    const verifyMs = this.samples.length ? this.samples.reduce((a, b) => a + b, 0) / this.samples.length : 500;
    const seconds = Math.max(ahead / this.options.perSecond, (ahead * verifyMs) / this.options.concurrency / 1000);
    return Math.min(60, Math.max(1, Math.ceil(seconds)));
  }
}

/** No limit: for the CLI and tests that hash outside an app. */
export const unboundedHashGate = (): HashGate => new HashGate({ concurrency: Infinity, queue: Infinity, perSecond: Infinity });
