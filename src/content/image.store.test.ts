// Stored image files are private to the service's user, like the rest of the data directory.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openTestStore } from '../db/test-stores.ts';
import { imageFile, storeImage } from './image.store.ts';

test('storing an image creates the images directory 0700 and its files 0600', async (t) => {
  const dataDir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'klartext-images-')), 'data');
  const store = await openTestStore('sqlite');
  t.after(async () => { await store.close(); fs.rmSync(path.dirname(dataDir), { recursive: true, force: true }); });
  const id = await storeImage(store.db, dataDir, { sha: 'a'.repeat(64), width: 640, height: 480, variants: new Map([[640, Buffer.from('jpeg')]]) });
  assert.equal(fs.statSync(path.join(dataDir, 'images')).mode & 0o777, 0o700);
  assert.equal(fs.statSync(imageFile(dataDir, id, 640)).mode & 0o777, 0o600);
});
