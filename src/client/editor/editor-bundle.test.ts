// The editor bundle: a separate asset, free of eval, within its budget; only the editor page loads it, no reader page.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildClient } from '../build.ts';
import { createTestApp } from '../../testing/test-app.ts';
import { importFixture } from '../../newsroom/newsroom.fixtures.ts';
import { newArticle, staffBrowser } from '../../testing/newsroom-app.ts';
import { TestBrowser } from '../../testing/test-browser.ts';

/** Regression guard, not a target: TipTap core + ProseMirror + the editor are about 110 KB gzipped (bench:editor). */
const EDITOR_GZIP_BUDGET = 150 * 1024;

test('the editor is its own bundle: an IIFE without eval, within budget, and the article-page script stays without it', async () => {
  const { js, editorJs, editorGzipBytes } = await buildClient({ editor: true });
  assert.ok(editorJs && editorGzipBytes);
  assert.ok(editorGzipBytes <= EDITOR_GZIP_BUDGET, `${editorGzipBytes} bytes gzipped`);
  assert.doesNotMatch(editorJs, /\beval\b|new Function\b/);
  assert.match(editorJs, /^("use strict";)?\(\(\)=>\{/);
  assert.doesNotMatch(editorJs, /^\s*(import|export)\b/m);
  assert.match(editorJs, /kt-editor-data/);
  assert.doesNotMatch(js, /ProseMirror|kt-editor-data/, 'the reader script does not carry the editor');
  const plain = await buildClient();
  assert.equal(plain.editorJs, undefined, 'reader-only builds leave the editor out');
  assert.equal(plain.js, js);
});

test('only the editor page loads the editor script; reader pages never do; the asset is served and cached for a year', async () => {
  const t = await createTestApp('sqlite', { editorJs: '/* editor bundle */' });
  try {
    await importFixture(t.store.db);
    const url = t.klartext.assets.urls.editor;
    assert.match(url, /^\/assets\/editor\.[0-9a-f]{10}\.js$/);
    const asset = await t.app.request(url);
    assert.equal(asset.status, 200);
    assert.match(asset.headers.get('content-type') ?? '', /javascript/);
    assert.match(asset.headers.get('cache-control') ?? '', /immutable/);
    assert.equal(await asset.text(), '/* editor bundle */');
    const guest = new TestBrowser(t.app);
    for (const path of ['/', '/stadt', '/artikel/haushalt-in-not', '/anmelden', '/suche?q=Haushalt']) {
      const page = await guest.get(path);
      assert.equal(page.status, 200, path);
      assert.ok(!page.text.includes(url) && !page.text.includes('editor.'), `${path} does not load the editor`);
    }
    const { browser: author } = await staffBrowser(t, 'author', 'Anna Autorin');
    const id = await newArticle(author);
    const editor = await author.get(`/redaktion/artikel/${id}`);
    assert.equal(editor.status, 200);
    assert.ok(editor.text.includes(`<script type="module" src="${url}"></script>`), 'the editor page loads it');
  } finally { await t.close(); }
});
