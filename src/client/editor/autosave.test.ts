// Autosave without a browser: debounce, the PUT body, retries with backoff, the browser copy, 400, 409 and its two ways out.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EMPTY_DRAFT, type DraftDocument } from '../../newsroom/draft-document.ts';
import { Autosaver, findStash, stashKey, type AutosaveOptions, type SaveStatus } from './autosave.ts';

class FakeTimers {
  private next = 1;
  readonly pending = new Map<number, { fn: () => void; ms: number }>();
  setTimeout = (fn: () => void, ms: number): number => { const id = this.next++; this.pending.set(id, { fn, ms }); return id; };
  clearTimeout = (id: unknown): void => { this.pending.delete(id as number); };
  /** runs every timer due within `ms` (in order of delay), as if that much time passed */
  async advance(ms: number): Promise<void> {
    const due = [...this.pending].filter(([, t]) => t.ms <= ms).sort((a, b) => a[1].ms - b[1].ms);
    for (const [id, t] of due) { this.pending.delete(id); t.fn(); }
    for (let i = 0; i < 10; i++) await Promise.resolve();
    await new Promise((r) => setImmediate(r));
  }
  delays(): number[] { return [...this.pending.values()].map((t) => t.ms); }
}

class MemoryStorage {
  readonly map = new Map<string, string>();
  get length() { return this.map.size; }
  key(i: number) { return [...this.map.keys()][i] ?? null; }
  getItem(k: string) { return this.map.get(k) ?? null; }
  setItem(k: string, v: string) { this.map.set(k, v); }
  removeItem(k: string) { this.map.delete(k); }
}

type Reply = { status: number; body?: unknown } | 'network-down';

function setup(replies: Reply[], extra: Partial<AutosaveOptions> = {}) {
  const timers = new FakeTimers();
  const storage = new MemoryStorage();
  const requests: { url: string; init: RequestInit; body: { baseVersion: number; doc: DraftDocument; autosave: boolean } }[] = [];
  const statuses: SaveStatus[] = [];
  let doc: DraftDocument = { ...EMPTY_DRAFT, headline: 'Alt' };
  const fetchFake = (async (url: string, init: RequestInit) => {
    requests.push({ url, init, body: JSON.parse(String(init.body)) });
    const reply = replies.shift() ?? { status: 200, body: { version: 99, savedAt: '2026-05-04T08:42:00Z', state: 'draft' } };
    if (reply === 'network-down') throw new TypeError('Failed to fetch');
    return new Response(JSON.stringify(reply.body ?? {}), { status: reply.status, headers: { 'content-type': 'application/json' } });
  }) as unknown as typeof fetch;
  const saver = new Autosaver({
    articleId: 'a1', url: '/redaktion/api/artikel/a1', csrf: 'tok', baseVersion: 3, savedDoc: doc, getDoc: () => doc,
    onStatus: (s) => statuses.push(s), fetch: fetchFake, storage, setTimeout: timers.setTimeout, clearTimeout: timers.clearTimeout,
    now: () => new Date('2026-05-04T08:41:00Z'), ...extra,
  });
  return { timers, storage, requests, statuses, saver, edit: (patch: Partial<DraftDocument>) => { doc = { ...doc, ...patch }; saver.changed(); }, doc: () => doc };
}

test('edits are saved once after a quiet moment, with the base version, the document and the CSRF header', async () => {
  const t = setup([{ status: 200, body: { version: 4, savedAt: '2026-05-04T08:42:00Z', state: 'draft' } }]);
  t.edit({ headline: 'N' });
  t.edit({ headline: 'Neu' });
  assert.equal(t.statuses.at(-1)!.kind, 'dirty');
  await t.timers.advance(2000);
  assert.equal(t.requests.length, 1);
  assert.equal(t.requests[0]!.init.method, 'PUT');
  assert.equal((t.requests[0]!.init.headers as Record<string, string>)['x-klartext-csrf'], 'tok');
  assert.deepEqual(t.requests[0]!.body, { baseVersion: 3, doc: t.doc(), autosave: true }, 'a timed save is an autosave');
  assert.deepEqual(t.statuses.at(-1), { kind: 'saved', at: '2026-05-04T08:42:00Z', version: 4 });
  assert.equal(t.saver.baseVersion, 4);
  assert.equal(t.storage.map.size, 0, 'the browser copy is gone once the server has the text');
  // nothing changed since: flushing does not send again
  assert.equal(await t.saver.flush(), 'unchanged');
  assert.equal(t.requests.length, 1);
});

test('a network drop keeps the draft in the browser and retries with growing delays until it gets through', async () => {
  const t = setup(['network-down', 'network-down', { status: 503 }, { status: 200, body: { version: 4, savedAt: '2026-05-04T08:45:00Z', state: 'draft' } }]);
  t.edit({ headline: 'Offline geschrieben' });
  await t.timers.advance(2000);
  assert.deepEqual(t.statuses.at(-1), { kind: 'retrying', reason: 'offline', attempt: 1, retryInMs: 2000 });
  const stash = findStash(t.storage, 'a1');
  assert.equal(stash?.doc.headline, 'Offline geschrieben');
  assert.equal(stash?.baseVersion, 3);
  assert.ok(t.storage.getItem(stashKey('a1', 3)));
  await t.timers.advance(2000);
  assert.deepEqual(t.statuses.at(-1), { kind: 'retrying', reason: 'offline', attempt: 2, retryInMs: 4000 });
  // typing meanwhile does not reset the backoff, and the retry sends the newest text
  t.edit({ headline: 'Offline weitergeschrieben' });
  assert.deepEqual(t.timers.delays().filter((d) => d !== 300), [4000]);
  await t.timers.advance(4000);
  assert.deepEqual(t.statuses.at(-1), { kind: 'retrying', reason: 'server', attempt: 3, retryInMs: 8000 });
  await t.timers.advance(8000);
  assert.equal(t.requests.length, 4);
  assert.equal(t.requests[3]!.body.doc.headline, 'Offline weitergeschrieben');
  assert.equal(t.statuses.at(-1)!.kind, 'saved');
  assert.equal(findStash(t.storage, 'a1'), null);
});

test('a login redirect is not taken for success: the save waits for a new session', async () => {
  const t = setup([]);
  const redirect = Object.assign(new Response(null, { status: 200 }), {});
  Object.defineProperty(redirect, 'type', { value: 'opaqueredirect' });
  Object.defineProperty(redirect, 'status', { value: 0 });
  Object.defineProperty(redirect, 'ok', { value: false });
  const saver = new Autosaver({
    articleId: 'a1', url: '/s', csrf: 't', baseVersion: 1, savedDoc: EMPTY_DRAFT, getDoc: () => ({ ...EMPTY_DRAFT, headline: 'x' }), onStatus: () => {},
    fetch: (async () => redirect) as unknown as typeof fetch, storage: t.storage, setTimeout: t.timers.setTimeout, clearTimeout: t.timers.clearTimeout,
  });
  assert.equal(await saver.flush(), 'failed');
  assert.deepEqual(saver.status, { kind: 'retrying', reason: 'login', attempt: 1, retryInMs: 2000 });
  assert.equal(findStash(t.storage, 'a1')?.doc.headline, 'x');
});

test('400 shows the message and the named block, keeps the draft, and is not retried until the next change', async () => {
  const t = setup([{ status: 400, body: { error: 'Ungültiger Block', problems: [{ path: 'blocks[3].speaker', message: 'Bitte eine Person angeben.' }] } }]);
  t.edit({ headline: 'x' });
  await t.timers.advance(2000);
  assert.deepEqual(t.statuses.at(-1), { kind: 'error', message: 'Ungültiger Block', problems: [{ path: 'blocks[3].speaker', message: 'Bitte eine Person angeben.' }] });
  assert.deepEqual(t.timers.delays(), []);
  assert.ok(findStash(t.storage, 'a1'));
  t.edit({ headline: 'xy' });
  await t.timers.advance(2000);
  assert.equal(t.requests.length, 2);
});

test('the frame\'s JSON error shape names the field too', async () => {
  const t = setup([{ status: 400, body: { error: { code: 'invalid-input', message: 'Die Überschrift ist zu lang.', field: 'headline', requestId: 'r' } } }]);
  t.edit({ headline: 'x' });
  assert.equal(await t.saver.flush(), 'failed');
  assert.deepEqual(t.saver.status, { kind: 'error', message: 'Die Überschrift ist zu lang.', problems: [{ path: 'headline', message: 'Die Überschrift ist zu lang.' }] });
});

test('409 stops saving until the person chooses; keeping mine saves on top of their version', async () => {
  const theirs = { version: 5, doc: { ...EMPTY_DRAFT, headline: 'Ihre' }, savedBy: 'Ben Kollege', savedAt: '2026-05-04T08:40:00Z' };
  const t = setup([{ status: 409, body: { error: 'Konflikt', current: theirs } }, { status: 200, body: { version: 6, savedAt: '2026-05-04T08:46:00Z', state: 'draft' } }]);
  t.edit({ headline: 'Meine' });
  await t.timers.advance(2000);
  assert.deepEqual(t.statuses.at(-1), { kind: 'conflict', current: theirs });
  t.edit({ headline: 'Meine, weiter' });
  await t.timers.advance(2000);
  assert.equal(t.requests.length, 1, 'no save while the conflict is open');
  assert.equal(findStash(t.storage, 'a1')?.doc.headline, 'Meine, weiter');
  assert.equal(await t.saver.keepMine(theirs), 'saved');
  assert.deepEqual(t.requests[1]!.body, { baseVersion: 5, doc: t.doc(), autosave: false }, 'keeping mine is a deliberate save');
  assert.equal(t.saver.baseVersion, 6);
});

test('taking their version makes it the base and drops the browser copy', async () => {
  const theirs = { version: 5, doc: { ...EMPTY_DRAFT, headline: 'Ihre' }, savedBy: 'Ben', savedAt: '2026-05-04T08:40:00Z' };
  const t = setup([{ status: 409, body: { error: 'Konflikt', current: theirs } }]);
  t.edit({ headline: 'Meine' });
  await t.timers.advance(2000);
  t.saver.takeTheirs(theirs);
  assert.equal(t.saver.baseVersion, 5);
  assert.equal(findStash(t.storage, 'a1'), null);
  assert.deepEqual(t.statuses.at(-1), { kind: 'saved', at: '2026-05-04T08:40:00Z', version: 5 });
});

test('edits made while a save is under way are saved right after it, under the new base version', async () => {
  let release: (r: Response) => void = () => {};
  const timers = new FakeTimers();
  const sent: number[] = [];
  let doc: DraftDocument = { ...EMPTY_DRAFT, headline: 'a' };
  const saver = new Autosaver({
    articleId: 'a1', url: '/s', csrf: 't', baseVersion: 1, savedDoc: EMPTY_DRAFT, getDoc: () => doc, onStatus: () => {},
    fetch: ((_u: string, init: RequestInit) => { sent.push((JSON.parse(String(init.body)) as { baseVersion: number }).baseVersion); return new Promise<Response>((r) => { release = r; }); }) as unknown as typeof fetch,
    setTimeout: timers.setTimeout, clearTimeout: timers.clearTimeout,
  });
  const first = saver.flush();
  doc = { ...doc, headline: 'ab' };
  saver.changed();
  release(new Response(JSON.stringify({ version: 2, savedAt: 'x', state: 'draft' }), { status: 200 }));
  assert.equal(await first, 'saved');
  assert.equal(saver.status.kind, 'dirty');
  const second = saver.flush();
  await Promise.resolve(); await new Promise((r) => setImmediate(r));
  release(new Response(JSON.stringify({ version: 3, savedAt: 'y', state: 'draft' }), { status: 200 }));
  assert.equal(await second, 'saved');
  assert.deepEqual(sent, [1, 2]);
});

test('the same document with its keys in another order (as the server sent it) is no change; the baseline is read lazily', async () => {
  let asked = 0;
  const server = JSON.parse('{"blocks":[{"text":"a","type":"paragraph"}],"speakers":[],"image":null,"seoDescription":"","seoTitle":"","paywallAfter":0,"access":"free","authors":[],"section":"","teaser":"","headline":"H","kicker":"","slug":""}') as DraftDocument;
  const saver = new Autosaver({
    articleId: 'a1', url: '/s', csrf: 't', baseVersion: 1, savedDoc: () => { asked++; return server; }, getDoc: () => ({ ...EMPTY_DRAFT, headline: 'H', blocks: [{ type: 'paragraph', text: 'a' }] }),
    onStatus: () => {}, fetch: (async () => { throw new Error('no save expected'); }) as unknown as typeof fetch,
  });
  assert.equal(asked, 0, 'nothing compared while the page opens');
  assert.equal(saver.dirty, false);
  assert.equal(await saver.flush(), 'unchanged');
  assert.equal(asked, 1);
});
