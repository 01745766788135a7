// For the newsroom route tests: an app with the content fixture, staff logged in through the form, and the editor's save call.
import assert from 'node:assert/strict';
import type { Role } from '../accounts/index.ts';
import { importFixture } from '../newsroom/newsroom.fixtures.ts';
import type { DraftDocument } from '../newsroom/index.ts';
import { createTestApp, type TestApp } from './test-app.ts';
import { loggedInAs } from './test-accounts.ts';
import type { PageResponse, TestBrowser } from './test-browser.ts';

export async function withNewsroom(engine: string, fn: (t: TestApp, imageIds: string[]) => Promise<void>, o: { now?: () => Date } = {}): Promise<void> {
  const t = await createTestApp(engine, o.now ? { now: o.now } : {});
  try {
    const { imageIds } = await importFixture(t.store.db);
    await fn(t, imageIds);
  } finally { await t.close(); }
}

/** A staff member with a display name, logged in. */
export async function staffBrowser(t: TestApp, role: Role, displayName: string): Promise<{ browser: TestBrowser; userId: string }> {
  const r = await loggedInAs(t, role, `${role}-${displayName.replace(/\W/g, '').toLowerCase()}@example.de`);
  await t.store.db.updateTable('users').set({ display_name: displayName }).where('id', '=', r.userId).execute();
  return r;
}

/** POST /redaktion/artikel as the browser; returns the new article's id. */
export async function newArticle(b: TestBrowser): Promise<string> {
  await b.get('/redaktion');
  const r = await b.post('/redaktion/artikel', {});
  assert.equal(r.status, 303, `new article: ${r.status} ${r.text.slice(0, 300)}`);
  const m = /^\/redaktion\/artikel\/([A-Za-z0-9_-]+)$/.exec(r.location ?? '');
  assert.ok(m, `redirect to the editor, got ${r.location}`);
  return m[1]!;
}

/** The boot data embedded in the editor page, parsed as the editor script would. */
export function bootOf(html: string): { version: number; doc: DraftDocument; csrf: string; state: string; can: Record<string, boolean>; urls: Record<string, string> } {
  const m = /<script type="application\/json" id="kt-editor-data">([\s\S]*?)<\/script>/.exec(html);
  assert.ok(m, 'the editor page embeds its boot data');
  return JSON.parse(m[1]!);
}

/** The editor's save call: PUT JSON with the CSRF header. */
export function save(b: TestBrowser, articleId: string, body: unknown, o: { csrf?: string | null; contentType?: string } = {}): Promise<PageResponse> {
  const headers: Record<string, string> = { 'content-type': o.contentType ?? 'application/json', accept: 'application/json' };
  const csrf = o.csrf === undefined ? b.csrf : o.csrf;
  if (csrf) headers['x-klartext-csrf'] = csrf;
  return b.request(`/redaktion/api/artikel/${articleId}`, { method: 'PUT', body: typeof body === 'string' ? body : JSON.stringify(body), headers });
}
