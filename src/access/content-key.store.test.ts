// Content keys per article version: one key per premium text, a new one when it changes, shared by racing processes, cached, never stored in clear.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { importDocument } from '../content/index.ts';
import { fixtureDocument, writeFixtureImages } from '../content/content.fixtures.ts';
import { openTestStore, testEngines, type TestStore } from '../db/test-stores.ts';
import { createContentKeyStore, premiumHash } from './content-key.store.ts';
import { generateContentKey, unwrapContentKey } from './content-crypto.ts';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

for (const engine of testEngines()) {
  describe(`content keys on ${engine}`, () => {
    let store: TestStore;
    let articleId: string;
    const master = generateContentKey();
    before(async () => {
      store = await openTestStore(engine);
      const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'klartext-keys-'));
      await writeFixtureImages(dir);
      await importDocument(store.db, fixtureDocument(), { baseDir: dir, dataDir: dir });
      articleId = (await store.db.selectFrom('articles').select('id').where('slug', '=', 'haushalt-in-not').executeTakeFirstOrThrow()).id;
    });
    after(async () => { await store.close(); });

    test('one version, one key: stored wrapped under the master key and the same for every process', async () => {
      const hash = premiumHash([{ type: 'paragraph', text: 'Version eins' }]);
      const a = createContentKeyStore(master);
      const b = createContentKeyStore(master);
      const [k1, k2] = await Promise.all([a.currentKey(store.db, articleId, hash), b.currentKey(store.db, articleId, hash)]);
      assert.equal(k1.keyId, k2.keyId, 'two processes racing agree on one key');
      assert.ok(k1.key.equals(k2.key));
      const row = await store.db.selectFrom('content_keys').selectAll().where('id', '=', k1.keyId).executeTakeFirstOrThrow();
      assert.ok(!row.wrapped_key.includes(k1.key.toString('base64url')), 'the key is not stored in clear');
      assert.ok(unwrapContentKey(row.wrapped_key, master).equals(k1.key));
      assert.equal((await a.currentKey(store.db, articleId, hash)).keyId, k1.keyId);
    });

    test('a changed premium text gets a new key and the old row stays', async () => {
      const keys = createContentKeyStore(master);
      const v1 = await keys.currentKey(store.db, articleId, premiumHash([{ type: 'paragraph', text: 'alt' }]));
      const v2 = await keys.currentKey(store.db, articleId, premiumHash([{ type: 'paragraph', text: 'neu' }]));
      assert.notEqual(v1.keyId, v2.keyId);
      assert.ok(!v1.key.equals(v2.key));
      const ids = (await store.db.selectFrom('content_keys').select('id').where('article_id', '=', articleId).execute()).map((r) => r.id);
      assert.ok(ids.includes(v1.keyId) && ids.includes(v2.keyId));
    });

    test('the decoy is computed once per key id and differs between versions', () => {
      const keys = createContentKeyStore(master);
      const blocks = [{ type: 'paragraph', text: 'Die Kämmerin rechnet mit einem Fehlbetrag von genau 417.000 Euro im zweiten Quartal.' }];
      const first = keys.decoy('AAAAAAAAAA', blocks);
      assert.equal(keys.decoy('AAAAAAAAAA', blocks), first, 'cached: the very same array');
      assert.notDeepEqual(keys.decoy('BBBBBBBBBB', blocks), first);
    });
  });
}
