// The bare error page used when the layout itself fails (database away) escapes what it shows, like every other page.
import { test, after } from 'node:test';
import fs from 'node:fs/promises';
import assert from 'node:assert/strict';
import { createTestApp } from './testing/test-app.ts';
import { HttpError } from './web/platform/app-error.ts';

test('when the layout fails, the fallback error page shows the message escaped, never as markup', async () => {
  const t = await createTestApp('sqlite');
  after(() => fs.rm(t.config.dataDir, { recursive: true, force: true }));
  // A route that fails with a message quoting input, mounted on the finished app like any late route.
  t.klartext.publicApp.patch('/fehlerprobe', () => { throw new HttpError('bad-request', 'Ungültiger Wert „<script>alert(1)</script>“ im Feld q.', 'q'); });
  // The layout reads the sections from the database: with the store closed it throws, and onError falls back to the bare page.
  await t.store.close();
  const r = await t.app.request('/fehlerprobe', { method: 'PATCH', headers: { accept: 'text/html' } });
  const html = await r.text();
  assert.equal(r.status, 400);
  assert.match(html, /<p class="code">Fehler 400<\/p>/, 'it is the fallback page, not the layout');
  assert.doesNotMatch(html, /<script>/);
  assert.match(html, /„&lt;script&gt;alert\(1\)&lt;\/script&gt;“ im Feld q\./);
  assert.equal(r.headers.get('cache-control'), 'no-store');
});
