// Stored images on every engine: private files, one row per source (idempotent), old images completed on demand, the
// media library's search, paging and changes.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { openTestStore, testEngines, type TestStore } from '../db/test-stores.ts';
import { DomainError } from '../domain-error.ts';
import { ensureVariants, imageFile, uploadImage } from './image.store.ts';
import { getMedia, listMedia, updateMedia } from './media.queries.ts';
import { IMAGE_FORMATS, imageWidths, parseVariantSet } from './image-variants.ts';
import { jpegWithGps } from './content.fixtures.ts';
import { sha256 } from '../db/ids.ts';

const photo = (width: number, height: number, color: string) => sharp({ create: { width, height, channels: 3, background: color } }).jpeg().toBuffer();

for (const engine of testEngines()) {
  describe(`stored images on ${engine}`, () => {
    let store: TestStore;
    let dataDir: string;
    before(async () => {
      store = await openTestStore(engine);
      dataDir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'klartext-images-')), 'data');
    });
    after(async () => { await store.close(); fs.rmSync(path.dirname(dataDir), { recursive: true, force: true }); });

    test('an upload stores every variant as a private file and the facts of the source', async () => {
      const { id, created } = await uploadImage(store.db, dataDir, await jpegWithGps(900, 600), { fileName: 'C:\\Fotos\\Rathaus.jpg', uploadedBy: 'u1' });
      assert.equal(created, true);
      assert.equal(fs.statSync(path.join(dataDir, 'images')).mode & 0o777, 0o700);
      const m = (await getMedia(store.db, id))!;
      assert.deepEqual([m.width, m.height, m.fileName, m.sourceType, m.uploadedBy], [600, 900, 'Rathaus.jpg', 'image/jpeg', 'u1']);
      assert.deepEqual(m.focal, { x: 0.5, y: 0.5 });
      for (const w of imageWidths(600)) {
        for (const f of IMAGE_FORMATS) {
          const file = imageFile(dataDir, id, w, f);
          assert.equal(fs.statSync(file).mode & 0o777, 0o600, file);
          assert.equal((await sharp(file).metadata()).exif, undefined, `${file} has no EXIF`);
        }
      }
      const row = await store.db.selectFrom('images').select('variants').where('id', '=', id).executeTakeFirstOrThrow();
      assert.deepEqual(parseVariantSet(row.variants), { avif: [480, 600], webp: [480, 600], jpg: [480, 600] });
    });

    test('the same bytes again are the same image (content-addressed), not a second one', async () => {
      const bytes = await photo(700, 500, '#c0504d');
      const first = await uploadImage(store.db, dataDir, bytes, { fileName: 'a.jpg', uploadedBy: 'u1' });
      const file = imageFile(dataDir, first.id, 700, 'avif');
      const written = fs.statSync(file).mtimeMs;
      const again = await uploadImage(store.db, dataDir, bytes, { fileName: 'b.jpg', uploadedBy: 'u2' });
      assert.deepEqual(again, { id: first.id, created: false });
      assert.equal(fs.statSync(file).mtimeMs, written, 'not encoded and written again');
      const n = await store.db.selectFrom('images').select((eb) => eb.fn.countAll<string | number>().as('n')).where('sha256', 'is not', null).executeTakeFirstOrThrow();
      assert.equal(Number(n.n), 2);
      assert.equal((await getMedia(store.db, first.id))!.fileName, 'a.jpg');
    });

    test('an image from before the media library gets its missing variants from its largest JPEG', async () => {
      // as import stored them until now: <id>-640.jpg and <id>-1200.jpg, default columns
      const id = 'legacyImage00001';
      fs.mkdirSync(path.join(dataDir, 'images'), { recursive: true });
      const big = await photo(1200, 675, '#6a8f3c');
      fs.writeFileSync(path.join(dataDir, 'images', `${id}-1200.jpg`), big);
      fs.writeFileSync(path.join(dataDir, 'images', `${id}-640.jpg`), await sharp(big).resize(640).jpeg().toBuffer());
      await store.db.insertInto('images').values({ id, file: `${id}.jpg`, width: 1200, height: 675, sha256: 'f'.repeat(64), created_at: '2026-01-01T00:00:00.000Z' }).execute();
      assert.equal(fs.existsSync(imageFile(dataDir, id, 800, 'avif')), false);
      assert.equal(await ensureVariants(store.db, dataDir, id), true);
      for (const w of [480, 800, 1200]) for (const f of IMAGE_FORMATS) assert.ok(fs.existsSync(imageFile(dataDir, id, w, f)), `${w}.${f}`);
      assert.deepEqual(fs.readFileSync(imageFile(dataDir, id, 1200)), big, 'the old JPEG stays as it was');
      assert.equal((await sharp(imageFile(dataDir, id, 800, 'webp')).metadata()).width, 800);
      const row = await store.db.selectFrom('images').select('variants').where('id', '=', id).executeTakeFirstOrThrow();
      assert.deepEqual(parseVariantSet(row.variants), { avif: [480, 800, 1200], webp: [480, 800, 1200], jpg: [480, 640, 800, 1200] });
      assert.equal(await ensureVariants(store.db, dataDir, 'doesNotExist1234'), false);
    });

    test('the source of an old image uploaded again completes it from the source, keeping its id and old files', async () => {
      const source = await photo(2000, 1000, '#884422');
      const id = 'legacyImage00002';
      const old = await sharp(source).resize(1200).jpeg().toBuffer();
      fs.writeFileSync(path.join(dataDir, 'images', `${id}-1200.jpg`), old);
      await store.db.insertInto('images').values({ id, file: `${id}.jpg`, width: 1200, height: 600, sha256: sha256(source), created_at: '2026-01-01T00:00:00.000Z' }).execute();
      assert.deepEqual(await uploadImage(store.db, dataDir, source, { fileName: 'x.jpg', uploadedBy: 'u1' }), { id, created: false });
      const m = (await getMedia(store.db, id))!;
      assert.deepEqual([m.width, m.height, m.sourceType], [1600, 800, 'image/jpeg']);
      for (const w of [480, 800, 1200, 1600]) for (const f of IMAGE_FORMATS) assert.ok(fs.existsSync(imageFile(dataDir, id, w, f)), `${w}.${f}`);
    });

    test('the library lists newest first, pages by cursor and searches name, caption and credit', async () => {
      const ids: string[] = [];
      for (const [i, name] of ['Marktplatz_100%.png', 'Hafen.jpg', 'Stadion.jpg'].entries()) {
        const { id } = await uploadImage(store.db, dataDir, await photo(40 + i, 30, '#123456'), { fileName: name, uploadedBy: 'u1', now: new Date(Date.UTC(2030, 0, 1 + i)) });
        ids.push(id);
      }
      await updateMedia(store.db, ids[1]!, { caption: 'Fähre im HAFEN', credit: 'Foto: Lotte Lenz' });
      const first = await listMedia(store.db, { limit: 2 });
      assert.deepEqual(first.items.map((m) => m.id), [ids[2], ids[1]]);
      assert.ok(first.next);
      const second = await listMedia(store.db, { limit: 2, before: first.next });
      assert.equal(second.items[0]!.id, ids[0]);
      assert.deepEqual((await listMedia(store.db, { q: 'hafen', limit: 10 })).items.map((m) => m.id), [ids[1]]);
      assert.deepEqual((await listMedia(store.db, { q: 'LENZ', limit: 10 })).items.map((m) => m.id), [ids[1]]);
      assert.deepEqual((await listMedia(store.db, { q: '100%', limit: 10 })).items.map((m) => m.id), [ids[0]]);
      assert.deepEqual((await listMedia(store.db, { q: '_', limit: 10 })).items.map((m) => m.id), [ids[0]], '_ is a letter, not a wildcard');
      assert.deepEqual((await listMedia(store.db, { q: "'; drop table images; --", limit: 10 })).items, []);
      await assert.rejects(listMedia(store.db, { limit: 2, before: 'kaputt' }), (e: unknown) => e instanceof DomainError && e.field === 'vor');
    });

    test('caption, credit and focal point are checked and stored; a bad one names its field and changes nothing', async () => {
      const { id } = await uploadImage(store.db, dataDir, await photo(50, 50, '#abcdef'), { fileName: 'f.jpg', uploadedBy: 'u1' });
      const m = await updateMedia(store.db, id, { caption: '  Der Rat tagt  ', credit: 'Foto: Ina', focal: { x: 0.25, y: 0.8 } });
      assert.deepEqual([m.caption, m.credit, m.focal], ['Der Rat tagt', 'Foto: Ina', { x: 0.25, y: 0.8 }]);
      const bad = async (input: unknown, field: string) => {
        await assert.rejects(updateMedia(store.db, id, input), (e: unknown) => e instanceof DomainError && e.code === 'invalid-input' && e.field === field && /[a-zäöü]/.test(e.message));
      };
      await bad({ focal: { x: 1.5, y: 0.5 } }, 'focal.x');
      await bad({ focal: { x: 0.5, y: -0.1 } }, 'focal.y');
      await bad({ focal: { x: '0.5', y: 0.5 } }, 'focal.x');
      await bad({ focal: { x: 0.5 } }, 'focal.y');
      await bad({ caption: 'x'.repeat(501) }, 'caption');
      await bad({ credit: 42 }, 'credit');
      await bad({ caption: 'ok', focal: { x: 0.1, y: 0.1 }, alt: 'nein' }, 'alt');
      await bad([1, 2], 'body');
      assert.deepEqual((await getMedia(store.db, id))!.focal, { x: 0.25, y: 0.8 });
      await assert.rejects(updateMedia(store.db, 'missingImage0001', { caption: 'x' }), (e: unknown) => e instanceof DomainError && e.code === 'not-found');
    });
  });
}
