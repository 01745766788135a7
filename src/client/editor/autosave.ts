// Autosave of the working copy: debounced PUTs with the version the edit started from, retries with backoff while the
// network or the session is gone, and a copy in localStorage until the server confirms (nothing typed is ever lost).
import type { DraftDocument } from '../../newsroom/draft-document.ts';
import type { ApiProblem, SaveConflict, SaveOk } from '../../web/newsroom/editor-contract.ts';

export type SaveStatus =
  | { kind: 'saved'; at: string; version: number }
  | { kind: 'dirty' }
  | { kind: 'saving' }
  /** network down, server error or session gone: the copy is in the browser, the save is tried again */
  | { kind: 'retrying'; reason: 'offline' | 'server' | 'login'; attempt: number; retryInMs: number }
  /** the server refused this document (400, 403, 413): shown, tried again after the next change */
  | { kind: 'error'; message: string; problems: ApiProblem[] }
  | { kind: 'conflict'; current: SaveConflict['current'] };

export type FlushResult = 'saved' | 'unchanged' | 'failed' | 'conflict';

/** What the browser keeps until the server confirms: the document and the version it was based on. */
export interface StashedDraft { articleId: string; baseVersion: number; doc: DraftDocument; stashedAt: string }

type StorageLike = Pick<Storage, 'getItem' | 'setItem' | 'removeItem' | 'key' | 'length'>;

export interface AutosaveOptions {
  articleId: string;
  url: string;
  csrf: string;
  baseVersion: number;
  /**
   * The document as the server has it (the boot data, as the editor would send it back): no save is needed while the
   * editor shows the same. A function is asked the first time it matters, not while the page opens.
   */
  savedDoc: DraftDocument | (() => DraftDocument);
  getDoc: () => DraftDocument;
  /** a document from the server as the editor would send it back (so showing it is not an edit); default: as it is */
  normalize?: (doc: DraftDocument) => DraftDocument;
  onStatus: (status: SaveStatus) => void;
  onSaved?: (ok: SaveOk) => void;
  fetch?: typeof fetch;
  storage?: StorageLike | null;
  setTimeout?: (fn: () => void, ms: number) => unknown;
  clearTimeout?: (handle: unknown) => void;
  now?: () => Date;
  debounceMs?: number;
  /** how often a failed save is tried again: 2 s, 4 s, 8 s … up to this */
  maxBackoffMs?: number;
}

const STASH_PREFIX = 'klartext:entwurf:';

/** JSON with object keys sorted: two documents with the same content compare equal whatever order the keys came in. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => (v && typeof v === 'object' && !Array.isArray(v)
    ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
    : v));
}
export const stashKey = (articleId: string, baseVersion: number): string => `${STASH_PREFIX}${articleId}:${baseVersion}`;

/** The browser's copy of an article's draft, if one is left from an earlier visit (the newest when several are). */
export function findStash(storage: StorageLike | null | undefined, articleId: string): StashedDraft | null {
  if (!storage) return null;
  let best: StashedDraft | null = null;
  for (const key of stashKeys(storage, articleId)) {
    try {
      const value = JSON.parse(storage.getItem(key) ?? 'null') as StashedDraft | null;
      if (value && value.articleId === articleId && value.doc && typeof value.baseVersion === 'number' && (!best || value.stashedAt > best.stashedAt)) best = value;
    } catch { /* a broken entry is no draft */ }
  }
  return best;
}

function stashKeys(storage: StorageLike, articleId: string): string[] {
  const keys: string[] = [];
  for (let i = 0; i < storage.length; i++) {
    const key = storage.key(i);
    if (key?.startsWith(`${STASH_PREFIX}${articleId}:`)) keys.push(key);
  }
  return keys;
}

export function dropStash(storage: StorageLike | null | undefined, articleId: string): void {
  if (storage) for (const key of stashKeys(storage, articleId)) storage.removeItem(key);
}

/** The error text of any JSON error shape the app answers with (ApiError or the frame's { error: { message } }). */
function problemOf(body: unknown, status: number): { message: string; problems: ApiProblem[] } {
  const b = (body ?? {}) as { error?: unknown; message?: unknown; field?: unknown; problems?: unknown };
  const err = b.error && typeof b.error === 'object' ? (b.error as { message?: unknown; field?: unknown }) : null;
  const message = typeof b.error === 'string' ? b.error : typeof err?.message === 'string' ? err.message : typeof b.message === 'string' ? b.message : '';
  const field = typeof b.field === 'string' ? b.field : typeof err?.field === 'string' ? err.field : '';
  let problems = Array.isArray(b.problems) ? (b.problems as ApiProblem[]).filter((p) => p && typeof p.path === 'string' && typeof p.message === 'string') : [];
  if (!problems.length && field) problems = [{ path: field, message }];
  const fallback = status === 413 ? 'Der Artikel ist zu groß zum Speichern.' : status === 403 ? 'Sie dürfen diesen Artikel nicht ändern.' : `Der Server hat das Speichern abgelehnt (${status}).`;
  return { message: message || fallback, problems };
}

export class Autosaver {
  baseVersion: number;
  status: SaveStatus;
  private saved: string | (() => DraftDocument);
  private readonly o: Required<Omit<AutosaveOptions, 'onSaved' | 'storage' | 'savedDoc'>> & Pick<AutosaveOptions, 'onSaved' | 'storage'>;
  private timer: unknown = null;
  private stashTimer: unknown = null;
  private inFlight: Promise<FlushResult> | null = null;
  private attempt = 0;
  /** set while a conflict is open: nothing is saved until the person chose */
  private blocked = false;
  /** a stash from an earlier visit not yet restored or discarded: kept, not overwritten */
  stashFrozen = false;

  constructor(options: AutosaveOptions) {
    this.o = {
      fetch: (...args) => fetch(...args), storage: null, normalize: (doc) => doc, debounceMs: 2000, maxBackoffMs: 30_000, now: () => new Date(), onSaved: undefined,
      setTimeout: (fn, ms) => setTimeout(fn, ms), clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>), ...options,
    };
    this.baseVersion = options.baseVersion;
    const saved = options.savedDoc;
    this.saved = typeof saved === 'function' ? saved : canonicalJson(this.o.normalize(saved));
    this.status = { kind: 'saved', at: '', version: options.baseVersion };
  }

  private get lastSaved(): string {
    if (typeof this.saved === 'function') this.saved = canonicalJson(this.saved());
    return this.saved;
  }

  private set lastSaved(json: string) { this.saved = json; }

  get dirty(): boolean { return canonicalJson(this.o.getDoc()) !== this.lastSaved; }

  private set(status: SaveStatus): void {
    this.status = status;
    this.o.onStatus(status);
  }

  /** Called on every edit: the browser copy soon, the server save after a quiet moment. */
  changed(): void {
    if (this.blocked) { this.scheduleStash(); return; }
    if (this.status.kind !== 'retrying' && this.status.kind !== 'saving') this.set({ kind: 'dirty' });
    this.scheduleStash();
    if (this.status.kind === 'retrying') return; // the retry timer picks up the newest text
    this.schedule(this.o.debounceMs);
  }

  private schedule(ms: number): void {
    if (this.timer !== null) this.o.clearTimeout(this.timer);
    this.timer = this.o.setTimeout(() => { this.timer = null; void this.flush({ autosave: true }); }, ms);
  }

  private scheduleStash(): void {
    if (this.stashTimer !== null) return;
    this.stashTimer = this.o.setTimeout(() => { this.stashTimer = null; this.stash(); }, 300);
  }

  /** Writes the browser copy now (also on beforeunload): only while the server has not got this text. */
  stash(): void {
    const storage = this.o.storage;
    if (!storage || this.stashFrozen) return;
    const doc = this.o.getDoc();
    const json = canonicalJson(doc);
    try {
      dropStash(storage, this.o.articleId);
      if (json === this.lastSaved) return;
      const value: StashedDraft = { articleId: this.o.articleId, baseVersion: this.baseVersion, doc, stashedAt: this.o.now().toISOString() };
      storage.setItem(stashKey(this.o.articleId, this.baseVersion), JSON.stringify(value));
    } catch { /* storage full or disabled: the server save still runs */ }
  }

  /**
   * Saves now. Resolves when the server has the current text, or why not. `autosave`: a save nobody asked for (the
   * timer, leaving a field or the tab) — it replaces the same person's last autosave revision instead of adding one.
   */
  async flush(o: { autosave?: boolean } = {}): Promise<FlushResult> {
    if (this.timer !== null) { this.o.clearTimeout(this.timer); this.timer = null; }
    if (this.blocked) return 'conflict';
    while (this.inFlight) await this.inFlight;
    if (!this.dirty) {
      if (this.status.kind === 'dirty') this.set({ kind: 'saved', at: '', version: this.baseVersion });
      return 'unchanged';
    }
    this.inFlight = this.save(o.autosave === true);
    try { return await this.inFlight; } finally { this.inFlight = null; }
  }

  private async save(autosave: boolean): Promise<FlushResult> {
    const doc = this.o.getDoc();
    const sent = canonicalJson(doc);
    const baseVersion = this.baseVersion;
    this.set({ kind: 'saving' });
    let res: Response;
    try {
      res = await this.o.fetch(this.o.url, {
        method: 'PUT',
        credentials: 'same-origin',
        // a login redirect must not be followed into a 200 HTML page that looks like success
        redirect: 'manual',
        headers: { 'content-type': 'application/json', accept: 'application/json', 'x-klartext-csrf': this.o.csrf },
        body: JSON.stringify({ baseVersion, doc, autosave }),
      });
    } catch {
      return this.retry('offline');
    }
    const body: unknown = await res.json().catch(() => null);
    if (res.ok && body && typeof (body as SaveOk).version === 'number') {
      const ok = body as SaveOk;
      this.attempt = 0;
      this.baseVersion = ok.version;
      this.lastSaved = sent;
      this.o.onSaved?.(ok);
      this.stash(); // drops the copy, or re-keys it to the new base version when the text moved on meanwhile
      this.set({ kind: 'saved', at: ok.savedAt, version: ok.version });
      if (this.dirty) { this.set({ kind: 'dirty' }); this.schedule(this.o.debounceMs); }
      return 'saved';
    }
    if (res.status === 409 && body && typeof (body as SaveConflict).current === 'object') {
      this.attempt = 0;
      this.blocked = true;
      this.stash();
      this.set({ kind: 'conflict', current: (body as SaveConflict).current });
      return 'conflict';
    }
    if (res.type === 'opaqueredirect' || res.status === 401) return this.retry('login');
    if (res.status >= 500 || res.status === 0 || res.status === 408 || res.status === 429) return this.retry('server');
    this.attempt = 0;
    this.stash();
    this.set({ kind: 'error', ...problemOf(body, res.status) });
    return 'failed';
  }

  private retry(reason: 'offline' | 'server' | 'login'): FlushResult {
    this.attempt++;
    const retryInMs = Math.min(this.o.maxBackoffMs, 2000 * 2 ** (this.attempt - 1));
    this.stash();
    this.set({ kind: 'retrying', reason, attempt: this.attempt, retryInMs });
    this.schedule(retryInMs);
    return 'failed';
  }

  /** The browser is back online: try at once instead of waiting out the backoff. */
  retryNow(): void {
    if (this.status.kind === 'retrying') this.schedule(0);
  }

  /** Conflict resolved by taking the other version: it becomes the base, the caller shows it. */
  takeTheirs(current: SaveConflict['current']): void {
    this.blocked = false;
    this.baseVersion = current.version;
    this.lastSaved = canonicalJson(this.o.normalize(current.doc));
    dropStash(this.o.storage, this.o.articleId);
    this.set({ kind: 'saved', at: current.savedAt, version: current.version });
  }

  /** Conflict resolved by keeping this text: saved on top of the other version (which stays in the revisions). */
  keepMine(current: SaveConflict['current']): Promise<FlushResult> {
    this.blocked = false;
    this.baseVersion = current.version;
    this.lastSaved = canonicalJson(this.o.normalize(current.doc));
    return this.flush();
  }

  /** Continues from a browser copy: its base version, so a save that came in between shows as a conflict. */
  restore(stash: StashedDraft): void {
    this.stashFrozen = false;
    this.baseVersion = stash.baseVersion;
    this.changed();
  }
}
