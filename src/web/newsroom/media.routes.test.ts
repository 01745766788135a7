// The media library through HTTP on every engine: staff only, CSRF, 413/415 with German messages, focal point and
// caption checks, /bilder serving, file names shown escaped, the no-JS forms, <picture> on the article page.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { importDocument } from '../../content/index.ts';
import { fixtureDocument, jpegWithGps, writeFixtureImages } from '../../content/content.fixtures.ts';
import { testEngines } from '../../db/test-stores.ts';
import { createTestApp, type TestApp } from '../../testing/test-app.ts';
import { loggedInAs, registerAndLogIn } from '../../testing/test-accounts.ts';
import { TestBrowser, type PageResponse } from '../../testing/test-browser.ts';
import { listen } from '../../testing/test-server.ts';
import type { ApiError, MediaItem } from './editor-contract.ts';

const API = '/redaktion/api/medien';
const XSS_NAME = '<img src=x onerror=alert(1)>.jpg';
const photo = (width: number, height: number, color = '#3a6ea5') => sharp({ create: { width, height, channels: 3, background: color } }).jpeg().toBuffer();

async function withApp(engine: string, fn: (t: TestApp) => Promise<void>) {
  const t = await createTestApp(engine);
  try { await fn(t); } finally { await t.close(); }
}

/** A staff member's browser that has the CSRF token of the library page. */
async function staff(t: TestApp, role: 'author' | 'editor' = 'author'): Promise<TestBrowser> {
  const { browser } = await loggedInAs(t, role);
  assert.equal((await browser.get('/redaktion/medien')).status, 200);
  assert.ok(browser.csrf);
  return browser;
}

function upload(b: TestBrowser, body: BodyInit | Buffer, name: string, headers: Record<string, string> = {}): Promise<PageResponse> {
  return b.request(API, { method: 'POST', body: body as BodyInit, headers: { 'x-file-name': encodeURIComponent(name), 'x-klartext-csrf': b.csrf, 'content-type': 'application/octet-stream', accept: 'application/json', ...headers } });
}

const json = <T>(r: PageResponse): T => JSON.parse(r.text) as T;
const imageCount = async (t: TestApp) => Number((await t.store.db.selectFrom('images').select((eb) => eb.fn.countAll<string | number>().as('n')).executeTakeFirstOrThrow()).n);

for (const engine of testEngines()) {
  test(`[${engine}] the media library is for staff: guests go to the login, readers get 403, also for the API and uploads`, () => withApp(engine, async (t) => {
    const guest = new TestBrowser(t.app);
    assert.equal((await guest.get('/redaktion/medien')).location, '/anmelden?weiter=%2Fredaktion%2Fmedien');
    const guestUpload = await upload(guest, await photo(20, 20), 'a.jpg');
    assert.equal(guestUpload.status, 303);
    const reader = await registerAndLogIn(t);
    assert.equal((await reader.get('/redaktion/medien')).status, 403);
    assert.equal((await reader.get(API)).status, 403);
    assert.equal((await upload(reader, await photo(20, 20), 'a.jpg')).status, 403);
    assert.equal(await imageCount(t), 0);
  }));

  test(`[${engine}] an upload needs the CSRF header; with it the answer is 201 and a MediaItem whose URLs serve`, () => withApp(engine, async (t) => {
    const b = await staff(t);
    const bytes = await jpegWithGps(2400, 1800);
    const noToken = await b.request(API, { method: 'POST', body: bytes as unknown as BodyInit, headers: { 'x-file-name': 'a.jpg', accept: 'application/json' } });
    assert.equal(noToken.status, 403);
    assert.match(json<ApiError>(noToken).error, /CSRF/);
    assert.equal((await upload(b, bytes, 'a.jpg', { 'x-klartext-csrf': 'A'.repeat(86) })).status, 403);
    assert.equal(await imageCount(t), 0, 'nothing written without the token');

    const res = await upload(b, bytes, 'Rathaus im Schnee – Größe.jpg');
    assert.equal(res.status, 201);
    const item = json<MediaItem>(res);
    // turned upright by its EXIF orientation (1800 × 2400), then at most 1600 px wide
    assert.deepEqual([item.width, item.height, item.fileName, item.caption, item.credit], [1600, 2133, 'Rathaus im Schnee – Größe.jpg', '', '']);
    assert.deepEqual(item.focal, { x: 0.5, y: 0.5 });
    assert.equal(item.thumbUrl, `/bilder/${item.id}-480.webp`);
    assert.equal(item.previewUrl, `/bilder/${item.id}-1200.webp`);
    for (const [file, type] of [[`${item.id}-480.webp`, 'image/webp'], [`${item.id}-1200.avif`, 'image/avif'], [`${item.id}-800.jpg`, 'image/jpeg']]) {
      const img = await t.app.request(`/bilder/${file}`);
      assert.equal(img.status, 200, file);
      assert.equal(img.headers.get('content-type'), type);
      assert.equal(img.headers.get('cache-control'), 'public, max-age=31536000, immutable');
      assert.equal((await sharp(Buffer.from(await img.arrayBuffer())).metadata()).exif, undefined, `${file}: no EXIF/GPS`);
    }
    const again = await upload(b, bytes, 'nochmal.jpg');
    assert.equal(again.status, 201);
    assert.equal(json<MediaItem>(again).id, item.id, 'the same bytes are the same image');
    assert.equal(await imageCount(t), 1);
  }));

  test(`[${engine}] /bilder answers only strict variant names: no other types, widths or paths`, () => withApp(engine, async (t) => {
    const b = await staff(t);
    const item = json<MediaItem>(await upload(b, await photo(500, 300), 'x.jpg'));
    assert.equal((await t.app.request(`/bilder/${item.id}-480.webp`)).status, 200);
    for (const p of [`/bilder/${item.id}-480.gif`, `/bilder/${item.id}-481.webp`, `/bilder/${item.id}-480.webp.tmp`, `/bilder/${item.id}.jpg`,
      '/bilder/..%2F..%2F..%2Fetc%2Fpasswd-480.jpg', '/bilder/..%2Fimages%2Fx-480.jpg', `/bilder/${item.id}-480.WEBP`, '/bilder/%2e%2e-480.jpg']) {
      assert.equal((await t.app.request(p)).status, 404, p);
    }
  }));

  test(`[${engine}] wrong types are refused by content with 415 and a German message: a text named .png, a GIF or PDF named .jpg, a form`, () => withApp(engine, async (t) => {
    const b = await staff(t);
    const cases: [string, Buffer][] = [
      ['bild.png', Buffer.from('Das ist kein Bild, nur Text mit der Endung .png')],
      ['foto.jpg', await sharp({ create: { width: 30, height: 30, channels: 3, background: '#fff' } }).gif().toBuffer()],
      ['scan.jpg', Buffer.from('%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer\n%%EOF\n')],
    ];
    for (const [name, bytes] of cases) {
      const res = await upload(b, bytes, name, { 'content-type': 'image/jpeg' });
      assert.equal(res.status, 415, name);
      const err = json<ApiError>(res);
      assert.equal(err.field, 'file');
      assert.match(err.error, /JPEG, PNG oder WebP/);
    }
    const form = new FormData();
    form.set('datei', new Blob([await photo(20, 20)]), 'a.jpg');
    const multipart = await b.request(API, { method: 'POST', body: form, headers: { 'x-klartext-csrf': b.csrf, accept: 'application/json' } });
    assert.equal(multipart.status, 415);
    assert.match(json<ApiError>(multipart).error, /kein Formular/);
    assert.equal(await imageCount(t), 0);
  }));

  test(`[${engine}] 21 MB are refused with 413: by the declared length before reading, and while a chunked body streams`, () => withApp(engine, async (t) => {
    const b = await staff(t);
    const big = Buffer.alloc(30 * 1024 * 1024, 7);
    big.set([0xff, 0xd8, 0xff], 0);
    const declared = await upload(b, big.subarray(0, 21 * 1024 * 1024), 'gross.jpg', { 'content-length': String(21 * 1024 * 1024) });
    assert.equal(declared.status, 413);
    assert.match(json<ApiError>(declared).error, /größer als 20 MB/);
    let sent = 0;
    const chunked = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent >= big.length) { controller.close(); return; }
        controller.enqueue(big.subarray(sent, sent + 1024 * 1024));
        sent += 1024 * 1024;
      },
    });
    const streamed = await b.request(API, { method: 'POST', body: chunked, duplex: 'half', headers: { 'x-file-name': 'gross.jpg', 'x-klartext-csrf': b.csrf, accept: 'application/json' } } as RequestInit);
    assert.equal(streamed.status, 413);
    assert.ok(sent < big.length, `stopped reading at ${sent} of ${big.length} bytes`);
    assert.equal(await imageCount(t), 0);
  }));

  test(`[${engine}] over a real socket: a 21 MB Content-Length is refused before any body byte is sent`, () => withApp(engine, async (t) => {
    const b = await staff(t);
    const server = await listen(t.app);
    try {
      const cookie = [...b.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
      const { request } = await import('node:http');
      const status = await new Promise<number>((resolve, reject) => {
        const req = request({ host: '127.0.0.1', port: server.port, path: API, method: 'POST', headers: { cookie, 'x-klartext-csrf': b.csrf, 'x-file-name': 'a.jpg', 'content-length': String(21 * 1024 * 1024), accept: 'application/json' } }, (res) => { res.resume(); resolve(res.statusCode!); });
        req.on('error', reject);
        req.flushHeaders(); // headers only: the server must answer without waiting for 21 MB
      });
      assert.equal(status, 413);
    } finally {
      await server.close();
    }
  }));

  test(`[${engine}] caption, credit and focal point through the API: checked, 400 naming the field, 404 for an unknown image`, () => withApp(engine, async (t) => {
    const b = await staff(t);
    const item = json<MediaItem>(await upload(b, await photo(800, 600), 'f.jpg'));
    const change = (body: unknown, headers: Record<string, string> = {}) =>
      b.request(`${API}/${item.id}`, { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json', accept: 'application/json', 'x-klartext-csrf': b.csrf, ...headers } });
    assert.equal((await change({ focal: { x: 0.1, y: 0.1 } }, { 'x-klartext-csrf': '' })).status, 403);
    for (const [body, field] of [[{ focal: { x: 2, y: 0 } }, 'focal.x'], [{ focal: { x: 0.5, y: 'oben' } }, 'focal.y'], [{ caption: 'x'.repeat(501) }, 'caption'], [{ titel: 'x' }, 'titel']] as const) {
      const res = await change(body);
      assert.equal(res.status, 400, JSON.stringify(body));
      const err = json<ApiError>(res);
      assert.equal(err.field, field);
      assert.match(err.error, /[äöüß]|Fokuspunkt|Bildunterschrift|Feld/);
    }
    const bad = await b.request(`${API}/${item.id}`, { method: 'POST', body: '{kaputt', headers: { 'content-type': 'application/json', 'x-klartext-csrf': b.csrf } });
    assert.equal(bad.status, 400);
    const ok = await change({ caption: 'Blick auf den Markt', credit: 'Foto: Ina Beispiel', focal: { x: 0.3, y: 0.7 } });
    assert.equal(ok.status, 200);
    assert.deepEqual(json<MediaItem>(ok).focal, { x: 0.3, y: 0.7 });
    assert.equal(json<MediaItem>(ok).caption, 'Blick auf den Markt');
    assert.equal((await change({ caption: 'x' }, {}).then(() => b.request(`${API}/unbekanntesBild1`, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json', 'x-klartext-csrf': b.csrf } }))).status, 404);
    const found = json<{ items: MediaItem[]; next: string | null }>(await b.get(`${API}?q=ina%20beispiel`));
    assert.deepEqual(found.items.map((m) => m.id), [item.id]);
    assert.deepEqual(json<{ items: MediaItem[] }>(await b.get(`${API}?q=gibtsnicht`)).items, []);
  }));

  test(`[${engine}] a file named like markup is shown as text in the library, its page and the JSON`, () => withApp(engine, async (t) => {
    const b = await staff(t);
    const item = json<MediaItem>(await upload(b, await photo(300, 200), XSS_NAME));
    assert.equal(item.fileName, XSS_NAME);
    for (const page of [await b.get('/redaktion/medien'), await b.get(`/redaktion/medien/${item.id}`), await b.get(`/redaktion/medien?q=${encodeURIComponent('<img')}`)]) {
      assert.equal(page.status, 200);
      assert.ok(!page.text.includes('<img src=x'), 'no markup from the file name');
      assert.ok(page.text.includes('&lt;img src=x onerror=alert(1)&gt;.jpg'));
    }
  }));

  test(`[${engine}] without JavaScript: the upload form (multipart, CSRF) leads to the image's page; the edit form checks the focal point`, () => withApp(engine, async (t) => {
    const b = await staff(t);
    const form = (file: Blob, name: string, csrf = b.csrf) => {
      const f = new FormData();
      f.set('_csrf', csrf);
      f.set('datei', file, name);
      return b.request('/redaktion/medien', { method: 'POST', body: f });
    };
    assert.equal((await form(new Blob([await photo(40, 40)]), 'a.jpg', '')).status, 403);
    const gif = await form(new Blob([await sharp({ create: { width: 9, height: 9, channels: 3, background: '#000' } }).gif().toBuffer()]), 'b.jpg');
    assert.equal(gif.status, 415);
    assert.match(gif.text, /JPEG, PNG oder WebP/);
    const ok = await form(new Blob([await photo(640, 480)]), 'Marktplatz.jpg');
    assert.equal(ok.status, 303);
    const id = /^\/redaktion\/medien\/([A-Za-z0-9_-]+)\?neu=1$/.exec(ok.location ?? '')?.[1];
    assert.ok(id, ok.location ?? '');
    const page = await b.get(ok.location!);
    assert.match(page.text, /Marktplatz\.jpg/);
    assert.match(page.text, /Bitte ergänzen Sie Bildunterschrift und Quelle/);
    const wrong = await b.post(`/redaktion/medien/${id}`, { caption: 'Der Markt', credit: 'Foto: Ina', focal_x: '150', focal_y: '20' });
    assert.equal(wrong.status, 400);
    assert.match(wrong.text, /Bitte eine Zahl von 0 bis 100 angeben/);
    const saved = await b.post(`/redaktion/medien/${id}`, { caption: 'Der Markt', credit: 'Foto: Ina', focal_x: '25', focal_y: '80' });
    assert.equal(saved.status, 303);
    const item = json<MediaItem>(await b.get(`${API}/${id}`));
    assert.deepEqual([item.caption, item.credit, item.focal], ['Der Markt', 'Foto: Ina', { x: 0.25, y: 0.8 }]);
  }));

  test(`[${engine}] the site shows <picture> with AVIF and WebP sources and a JPEG fallback; og:image stays JPEG; teasers crop at the focal point`, () => withApp(engine, async (t) => {
    await writeFixtureImages(t.config.dataDir);
    const doc = fixtureDocument();
    // a free copy of the Plus article: its image block is on the page in plain HTML
    doc.articles.push({ ...doc.articles[0]!, slug: 'frei-mit-bild', access: 'free' });
    await importDocument(t.store.db, doc, { baseDir: t.config.dataDir, dataDir: t.config.dataDir });
    const lead = await t.store.db.selectFrom('articles').select('image_id').where('slug', '=', 'haushalt-in-not').executeTakeFirstOrThrow();
    const id = lead.image_id!;
    const b = await staff(t, 'editor');
    // the front page is cached before the focal point moves: the change must reach it (content change of the lead image's articles)
    await t.klartext.contentChanges.poll(); // the import's changes are read, so none of them purges the page cached next
    assert.doesNotMatch(await (await t.app.request('/')).text(), /focal-x-25/);
    assert.equal((await t.app.request('/')).headers.get('x-cache'), 'hit', 'the front page is cached');
    const before = Number((await t.store.db.selectFrom('content_changes').select((eb) => eb.fn.max('seq').as('m')).executeTakeFirst())?.m ?? 0);
    assert.equal((await b.request(`${API}/${id}`, { method: 'POST', body: JSON.stringify({ focal: { x: 0.25, y: 0.8 } }), headers: { 'content-type': 'application/json', 'x-klartext-csrf': b.csrf } })).status, 200);
    const changed = await t.store.db.selectFrom('content_changes').select('keys').where('seq', '>', before).execute();
    assert.equal(changed.length, 1);
    assert.ok(['front', 'section:stadt', 'feeds'].every((k) => changed[0]!.keys.split(' ').includes(k)), changed[0]!.keys);
    await t.klartext.contentChanges.poll();

    const html = await (await t.app.request('/artikel/haushalt-in-not')).text();
    const widths = (f: string) => [480, 800, 1200, 1600].map((w) => `/bilder/${id}-${w}.${f} ${w}w`).join(', ');
    assert.ok(html.includes(`<picture><source type="image/avif" srcset="${widths('avif')}"`), 'AVIF source first');
    assert.ok(html.includes(`<source type="image/webp" srcset="${widths('webp')}"`));
    assert.ok(html.includes(`<img src="/bilder/${id}-800.jpg" srcset="${widths('jpg')}"`));
    assert.match(html, new RegExp(`<img src="/bilder/${id}-800\\.jpg"[^>]* width="1600" height="900"`));
    assert.ok(html.includes(`<meta property="og:image" content="http://localhost/bilder/${id}-1200.jpg"`));
    assert.ok(html.includes(`"image":["http://localhost/bilder/${id}-1200.jpg"]`));
    const free = await (await t.app.request('/artikel/frei-mit-bild')).text();
    const block = /<figure class="figure"><picture><source type="image\/avif" srcset="\/bilder\/([A-Za-z0-9_-]+)-480\.avif/g;
    assert.ok([...free.matchAll(block)].some((m) => m[1] !== id), 'the image block is a <picture> too');
    for (const m of (html + free).matchAll(/(?:src|srcset)="([^"]+)"/g)) {
      for (const u of m[1]!.split(', ').map((s) => s.split(' ')[0]!).filter((u) => u.startsWith('/bilder/'))) {
        assert.ok(fs.existsSync(path.join(t.config.dataDir, 'images', u.slice('/bilder/'.length))), `${u} exists`);
      }
    }
    const front = await (await t.app.request('/')).text();
    assert.match(front, new RegExp(`<img src="/bilder/${id}-800\\.jpg"[^>]* class="focal-x-25 focal-y-80"`));
  }));

  test(`[${engine}] an image from before the media library is completed the first time a new variant is asked for; old names keep answering`, () => withApp(engine, async (t) => {
    const id = 'altesBild0000001';
    const dir = path.join(t.config.dataDir, 'images');
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, `${id}-1200.jpg`), await photo(1200, 800));
    fs.writeFileSync(path.join(dir, `${id}-640.jpg`), await photo(640, 427));
    await t.store.db.insertInto('images').values({ id, file: `${id}.jpg`, width: 1200, height: 800, sha256: 'e'.repeat(64), created_at: '2025-05-01T00:00:00.000Z' }).execute();
    assert.equal((await t.app.request(`/bilder/${id}-640.jpg`)).status, 200, 'old URLs keep working');
    const avif = await t.app.request(`/bilder/${id}-800.avif`);
    assert.equal(avif.status, 200);
    assert.equal(avif.headers.get('content-type'), 'image/avif');
    assert.equal((await sharp(Buffer.from(await avif.arrayBuffer())).metadata()).width, 800);
    assert.equal((await t.app.request(`/bilder/${id}-1600.avif`)).status, 404, 'never enlarged');
    // the old names answer for new images too (the JPEG at most that wide): links of before stay good
    const b = await staff(t);
    const item = json<MediaItem>(await upload(b, await photo(1000, 500), 'neu.jpg'));
    const old = await t.app.request(`/bilder/${item.id}-640.jpg`);
    assert.equal(old.status, 200);
    assert.equal((await sharp(Buffer.from(await old.arrayBuffer())).metadata()).width, 480);
    assert.equal((await sharp(Buffer.from(await (await t.app.request(`/bilder/${item.id}-1200.jpg`)).arrayBuffer())).metadata()).width, 1000);
    assert.equal((await t.app.request(`/bilder/${item.id}-640.webp`)).status, 404);
  }));
}
