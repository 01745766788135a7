// Keeps the article-page script within its 5 KB gzipped budget and free of eval.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildClient } from './build.ts';

test('the bundled unlock script is at most 5120 bytes gzipped and uses no eval', async () => {
  const { js, gzipBytes } = await buildClient();
  console.log(`unlock bundle: ${Buffer.byteLength(js)} bytes, ${gzipBytes} bytes gzipped`);
  assert.ok(gzipBytes <= 5120, `${gzipBytes} bytes gzipped`);
  assert.doesNotMatch(js, /\beval\b|new Function\b/);
  assert.match(js, /^("use strict";)?\(\(\)=>\{/, 'an IIFE that leaks no globals');
  assert.match(js, /AES-GCM/);
  assert.doesNotMatch(js, /^\s*(import|export)\b/m, 'no module syntax left');
});
