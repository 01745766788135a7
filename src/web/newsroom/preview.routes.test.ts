// The newsroom preview through HTTP on every engine: each audience sees what the site would show it (a guest the decoy
// and the offer, never the premium text), private/no-store/noindex headers, framing by this site only, 400 for a bad `als`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createDraft, saveDraft, type DraftDocument } from '../../newsroom/index.ts';
import { completeDoc, makeStaff } from '../../newsroom/newsroom.fixtures.ts';
import { testEngines } from '../../db/test-stores.ts';
import { withNewsroom } from '../../testing/newsroom-app.ts';
import type { TestApp } from '../../testing/test-app.ts';
import { loggedInAs, registerAndLogIn } from '../../testing/test-accounts.ts';
import { TestBrowser } from '../../testing/test-browser.ts';

const FREE_SENTENCE = 'Die Kämmerin empfängt uns im Rathaus.';
const PREMIUM_SENTENCE = 'Zwergflusspferd-Etat um dreizehn Prozent gekürzt';

async function draft(t: TestApp, imageId: string, over: Partial<DraftDocument> = {}): Promise<string> {
  const staff = await makeStaff(t.store.db, 'author');
  const wc = await createDraft(t.store.db, staff);
  await saveDraft(t.store.db, staff, wc.articleId, { baseVersion: wc.version, doc: completeDoc(imageId, over) });
  return wc.articleId;
}

const premiumPart = (html: string) => html.slice(html.indexOf('<div class="article__body">'), html.indexOf('<footer class="article__footer">'));

for (const engine of testEngines()) {
  test(`[${engine}] as a guest the preview shows the free text, the decoy and the offer box, never the premium text, and nothing to unlock`, () => withNewsroom(engine, async (t, imageIds) => {
    const id = await draft(t, imageIds[0]!);
    const { browser: editor } = await loggedInAs(t, 'editor');
    const r = await editor.get(`/redaktion/artikel/${id}/vorschau?als=gast`);
    assert.equal(r.status, 200);
    assert.ok(r.text.includes(FREE_SENTENCE.replace('Rathaus', '<strong>Rathaus</strong>')), 'the free lead as the site renders it');
    assert.ok(!r.text.includes(PREMIUM_SENTENCE), 'the premium sentence is not in the page');
    assert.ok(!r.text.includes('Zwergflusspferd'), 'not even a word of it');
    const body = premiumPart(r.text);
    assert.match(body, /<div class="premium-decoy" aria-hidden="true"><p>[^<]{20,}<\/p>/);
    assert.match(body, /class="paywall-box"/);
    assert.match(body, /Jetzt .* bestellen|Angebote ansehen/);
    assert.match(body, /Registrieren Sie sich kostenlos und lesen Sie 3 Plus-Artikel im Monat gratis\./, 'the message the script would write');
    assert.doesNotMatch(r.text, /data-unlock-url|premium-ciphertext|data-key-id/);
    assert.match(r.text, /class="nr-pv-banner"[^>]*>.*Vorschau/);
    assert.equal(await t.store.db.selectFrom('content_keys').select('id').where('article_id', '=', id).executeTakeFirst(), undefined, 'no content key for a preview');
  }));

  test(`[${engine}] as a subscriber the preview shows the premium text in plain HTML; as a registered reader a Plus article stays closed, a registered one opens`, () => withNewsroom(engine, async (t, imageIds) => {
    const plus = await draft(t, imageIds[0]!);
    const registered = await draft(t, imageIds[0]!, { slug: 'nur-fuer-registrierte', access: 'registered' });
    const { browser: author } = await loggedInAs(t, 'author');
    const sub = await author.get(`/redaktion/artikel/${plus}/vorschau?als=abonnent`);
    assert.equal(sub.status, 200);
    assert.ok(sub.text.includes(PREMIUM_SENTENCE));
    assert.match(premiumPart(sub.text), /premium--unlocked/);
    assert.doesNotMatch(sub.text, /premium-decoy|class="paywall-box/);
    assert.match(sub.text, /Artikel verschenken/);

    const reg = await author.get(`/redaktion/artikel/${plus}/vorschau?als=registriert`);
    assert.equal(reg.status, 200);
    assert.ok(!reg.text.includes(PREMIUM_SENTENCE));
    assert.match(reg.text, /premium-decoy/);
    assert.match(reg.text, /Sie haben Ihre 3 freien Plus-Artikel in diesem Monat gelesen/);
    const regOpen = await author.get(`/redaktion/artikel/${registered}/vorschau?als=registriert`);
    assert.ok(regOpen.text.includes(PREMIUM_SENTENCE));
    assert.doesNotMatch(regOpen.text, /Artikel verschenken/, 'only subscribers may give articles away');
    const regGuest = await author.get(`/redaktion/artikel/${registered}/vorschau`);
    assert.ok(!regGuest.text.includes(PREMIUM_SENTENCE), 'without `als`: as a guest');
    assert.match(regGuest.text, /Mit einem kostenlosen Konto lesen Sie weiter/);
  }));

  test(`[${engine}] the preview is private, no-store, noindex, framable by this site only; the public page cache never sees it`, () => withNewsroom(engine, async (t, imageIds) => {
    const id = await draft(t, imageIds[0]!);
    const { browser: editor } = await loggedInAs(t, 'editor');
    const before = t.klartext.pageCache.size;
    for (const als of ['gast', 'registriert', 'abonnent']) {
      const r = await editor.get(`/redaktion/artikel/${id}/vorschau?als=${als}`);
      assert.equal(r.headers.get('cache-control'), 'private, no-store', als);
      assert.equal(r.headers.get('x-robots-tag'), 'noindex');
      assert.equal(r.headers.get('surrogate-key'), null, 'nothing a CDN could file it under');
      assert.match(r.text, /<meta name="robots" content="noindex"\/>/);
      assert.match(r.headers.get('content-security-policy') ?? '', /frame-ancestors 'self'/);
      assert.equal(r.headers.get('x-frame-options'), 'SAMEORIGIN');
      assert.match(r.headers.get('content-security-policy') ?? '', /script-src 'none'/, 'the site script does not greet the staff member as a reader');
    }
    assert.equal(t.klartext.pageCache.size, before);
    const devices = await editor.get(`/redaktion/artikel/${id}/vorschau/geraete?als=abonnent`);
    assert.equal(devices.status, 200);
    assert.equal(devices.headers.get('cache-control'), 'private, no-store');
    assert.match(devices.headers.get('content-security-policy') ?? '', /frame-ancestors 'none'/, 'the device page itself is not framable');
    assert.equal(devices.headers.get('x-frame-options'), 'DENY');
    const frames = [...devices.text.matchAll(/<iframe src="([^"]+)"[^>]*sandbox="([^"]*)"[^>]*width="(\d+)"/g)];
    assert.deepEqual(frames.map((m) => [m[1], m[3]]), [[`/redaktion/artikel/${id}/vorschau?als=abonnent`, '390'], [`/redaktion/artikel/${id}/vorschau?als=abonnent`, '1280']]);
    assert.ok(frames.every((m) => !m[2]!.includes('allow-scripts')), 'no script runs in the frames');
    for (const als of ['gast', 'registriert']) assert.match(devices.text, new RegExp(`href="/redaktion/artikel/${id}/vorschau/geraete\\?als=${als}"`));
    // the other answers of the app keep frame-ancestors 'none'
    assert.match((await editor.get('/redaktion')).headers.get('content-security-policy') ?? '', /frame-ancestors 'none'/);
    // the draft itself is not on the site
    assert.equal((await new TestBrowser(t.app).get('/artikel/interview-mit-der-kaemmerin')).status, 404);
  }));

  test(`[${engine}] a bad \`als\` is 400 naming the parameter; an unknown article 404; readers get 403 and guests the login`, () => withNewsroom(engine, async (t, imageIds) => {
    const id = await draft(t, imageIds[0]!);
    const { browser: editor } = await loggedInAs(t, 'editor');
    for (const path of [`/redaktion/artikel/${id}/vorschau?als=chef`, `/redaktion/artikel/${id}/vorschau/geraete?als=`]) {
      const bad = await editor.get(path);
      assert.equal(bad.status, 400, path);
      assert.match(bad.text, /im Parameter „als“: erlaubt sind gast, registriert, abonnent/);
    }
    const json = await editor.get(`/redaktion/artikel/${id}/vorschau?als=x`, { accept: 'application/json' });
    assert.equal(JSON.parse(json.text).error.field, 'als');
    assert.equal((await editor.get('/redaktion/artikel/gibtsnicht/vorschau?als=gast')).status, 404);
    const reader = await registerAndLogIn(t, 'leserin@example.de');
    for (const path of [`/redaktion/artikel/${id}/vorschau?als=abonnent`, `/redaktion/artikel/${id}/vorschau/geraete`]) {
      const r = await reader.get(path);
      assert.equal(r.status, 403, path);
      assert.ok(!r.text.includes(PREMIUM_SENTENCE));
    }
    const guest = await new TestBrowser(t.app).get(`/redaktion/artikel/${id}/vorschau?als=abonnent`);
    assert.equal(guest.status, 303);
    assert.ok(!guest.text.includes(PREMIUM_SENTENCE));
  }));
}
