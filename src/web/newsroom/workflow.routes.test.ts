// The newsroom's pages and save API through HTTP on every engine: who may enter, the start page and list with their
// filters, a new draft, the editor page's boot data, saving (round trip, conflict, invalid block, CSRF, size, type).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { testEngines } from '../../db/test-stores.ts';
import { registerAndLogIn } from '../../testing/test-accounts.ts';
import { TestBrowser } from '../../testing/test-browser.ts';
import { bootOf, newArticle, save, staffBrowser, withNewsroom } from '../../testing/newsroom-app.ts';

const GET_ROUTES = ['/redaktion', '/redaktion/artikel', '/redaktion/artikel/abc', '/redaktion/artikel/abc/versionen', '/redaktion/artikel/abc/versionen/1/2', '/redaktion/protokoll'];

for (const engine of testEngines()) {
  test(`[${engine}] a guest is sent to the login from every newsroom page and API`, () => withNewsroom(engine, async (t) => {
    const guest = new TestBrowser(t.app);
    for (const path of GET_ROUTES) {
      const r = await guest.get(path);
      assert.equal(r.status, 303, path);
      assert.equal(r.location, `/anmelden?weiter=${encodeURIComponent(path)}`, path);
    }
    assert.equal((await guest.post('/redaktion/artikel', {})).status, 303);
    assert.equal((await save(guest, 'abc', { baseVersion: 1, doc: {} }, { csrf: null })).status, 303);
  }));

  test(`[${engine}] a reader gets 403 on every newsroom route, pages, forms and the API`, () => withNewsroom(engine, async (t) => {
    const { browser: author } = await staffBrowser(t, 'author', 'Anna Autorin');
    const id = await newArticle(author);
    const reader = await registerAndLogIn(t);
    await reader.get('/konto');
    for (const path of [...GET_ROUTES, `/redaktion/artikel/${id}`, `/redaktion/artikel/${id}/versionen`, `/redaktion/protokoll?artikel=${id}`]) {
      const r = await reader.get(path);
      assert.equal(r.status, 403, path);
      assert.doesNotMatch(r.text, /kt-editor-data/, path);
    }
    for (const action of ['einreichen', 'veroeffentlichen', 'planen', 'zurueckziehen', 'versionen/1/wiederherstellen']) {
      assert.equal((await reader.post(`/redaktion/artikel/${id}/${action}`, { version: '1' })).status, 403, action);
    }
    assert.equal((await reader.post('/redaktion/artikel', {})).status, 403);
    assert.equal((await save(reader, id, { baseVersion: 1, doc: {} })).status, 403);
  }));

  test(`[${engine}] "Neuer Artikel" makes a draft and opens the editor with its boot data; the start page lists it under my drafts`, () => withNewsroom(engine, async (t) => {
    const { browser: author } = await staffBrowser(t, 'author', 'Anna Autorin');
    const id = await newArticle(author);
    const page = await author.get(`/redaktion/artikel/${id}`);
    assert.equal(page.status, 200);
    assert.match(page.headers.get('cache-control') ?? '', /no-store/);
    const boot = bootOf(page.text);
    assert.equal(boot.version, 1);
    assert.equal(boot.state, 'draft');
    assert.equal(boot.urls.save, `/redaktion/api/artikel/${id}`);
    assert.deepEqual(boot.can, { publish: false, schedule: false, unpublish: false, submit: true });
    assert.match(page.text, /Anna Autorin/);
    assert.match(page.text, /Autor\/in/);
    assert.doesNotMatch(page.text, /href="\/redaktion\/verwaltung/, 'no admin link for an author');
    // the author sees the submit form only; publishing forms are an editor's
    assert.match(page.text, /action="\/redaktion\/artikel\/[^"]+\/einreichen"/);
    assert.doesNotMatch(page.text, /action="\/redaktion\/artikel\/[^"]+\/veroeffentlichen"/);
    const start = await author.get('/redaktion');
    assert.equal(start.status, 200);
    const mine = start.text.slice(start.text.indexOf('Meine Entwürfe'), start.text.indexOf('Wartet auf Prüfung'));
    assert.match(mine, new RegExp(`/redaktion/artikel/${id}"`));
    const { browser: admin } = await staffBrowser(t, 'admin', 'Ada Admin');
    const adminPage = await admin.get(`/redaktion/artikel/${id}`);
    assert.deepEqual(bootOf(adminPage.text).can, { publish: true, schedule: true, unpublish: false, submit: true });
    assert.match(adminPage.text, /href="\/redaktion\/verwaltung/);
    assert.match(adminPage.text, /type="datetime-local" name="zeitpunkt"/);
    assert.equal((await admin.get('/redaktion/artikel/gibt-es-nicht')).status, 404);
  }));

  test(`[${engine}] save round trip: the editor's PUT stores the document and answers the new version`, () => withNewsroom(engine, async (t) => {
    const { browser: author } = await staffBrowser(t, 'author', 'Anna Autorin');
    const id = await newArticle(author);
    const boot = bootOf((await author.get(`/redaktion/artikel/${id}`)).text);
    const doc = { ...boot.doc, headline: 'Brücke wird saniert', blocks: [{ type: 'paragraph', text: 'Die **Sülmebrücke** ist marode.' }] };
    const r = await save(author, id, { baseVersion: 1, doc, autosave: true }, { csrf: boot.csrf });
    assert.equal(r.status, 200, r.text);
    const ok = JSON.parse(r.text) as { version: number; savedAt: string; state: string };
    assert.equal(ok.version, 2);
    assert.equal(ok.state, 'draft');
    assert.ok(!Number.isNaN(Date.parse(ok.savedAt)));
    const again = bootOf((await author.get(`/redaktion/artikel/${id}`)).text);
    assert.equal(again.version, 2);
    assert.equal(again.doc.headline, 'Brücke wird saniert');
    assert.deepEqual(again.doc.blocks, doc.blocks);
    const list = await author.get('/redaktion/artikel?q=sanier');
    assert.match(list.text, /Brücke wird saniert/);
  }));

  test(`[${engine}] a stale save is 409 with the current version's document, who saved it and when; nothing is overwritten`, () => withNewsroom(engine, async (t) => {
    const { browser: author } = await staffBrowser(t, 'author', 'Anna Autorin');
    const { browser: editor } = await staffBrowser(t, 'editor', 'Eddi Redakteur');
    const id = await newArticle(author);
    const boot = bootOf((await author.get(`/redaktion/artikel/${id}`)).text);
    const edBoot = bootOf((await editor.get(`/redaktion/artikel/${id}`)).text);
    assert.equal((await save(editor, id, { baseVersion: 1, doc: { ...edBoot.doc, headline: 'Fassung der Redaktion' } }, { csrf: edBoot.csrf })).status, 200);
    const r = await save(author, id, { baseVersion: 1, doc: { ...boot.doc, headline: 'Meine Fassung' } }, { csrf: boot.csrf });
    assert.equal(r.status, 409);
    const conflict = JSON.parse(r.text) as { error: string; current: { version: number; doc: { headline: string }; savedBy: string; savedAt: string } };
    assert.equal(conflict.current.version, 2);
    assert.equal(conflict.current.doc.headline, 'Fassung der Redaktion');
    assert.equal(conflict.current.savedBy, 'Eddi Redakteur');
    assert.ok(!Number.isNaN(Date.parse(conflict.current.savedAt)));
    assert.match(conflict.error, /inzwischen geändert/);
    assert.equal(bootOf((await author.get(`/redaktion/artikel/${id}`)).text).doc.headline, 'Fassung der Redaktion');
  }));

  test(`[${engine}] an invalid block is 400 naming the block's path; bad JSON, a wrong type and a huge body are refused`, () => withNewsroom(engine, async (t) => {
    const { browser: author } = await staffBrowser(t, 'author', 'Anna Autorin');
    const id = await newArticle(author);
    const boot = bootOf((await author.get(`/redaktion/artikel/${id}`)).text);
    const blocks = [{ type: 'paragraph', text: 'a' }, { type: 'question', text: 'b' }, { type: 'paragraph', text: 'c' }, { type: 'answer', text: 'ohne Sprecher' }];
    const bad = await save(author, id, { baseVersion: 1, doc: { ...boot.doc, blocks } }, { csrf: boot.csrf });
    assert.equal(bad.status, 400);
    const err = JSON.parse(bad.text) as { error: string; field: string; problems: { path: string; message: string }[] };
    assert.equal(err.field, 'blocks[3].speaker');
    assert.ok(err.problems.some((p) => p.path === 'blocks[3].speaker'));
    assert.match(err.error, /blocks\[3\]\.speaker/);
    const unknownType = await save(author, id, { baseVersion: 1, doc: { ...boot.doc, blocks: [{ type: 'script', text: 'x' }] } }, { csrf: boot.csrf });
    assert.equal(unknownType.status, 400);
    assert.match(JSON.parse(unknownType.text).field, /^blocks\[0\]/);
    const notJson = await save(author, id, '{"baseVersion": 1, "doc": ', { csrf: boot.csrf });
    assert.equal(notJson.status, 400);
    assert.equal(JSON.parse(notJson.text).field, 'body');
    const noVersion = await save(author, id, { doc: boot.doc }, { csrf: boot.csrf });
    assert.equal(noVersion.status, 400);
    assert.equal(JSON.parse(noVersion.text).field, 'baseVersion');
    const form = await save(author, id, 'baseVersion=1', { csrf: boot.csrf, contentType: 'application/x-www-form-urlencoded' });
    assert.equal(form.status, 415);
    assert.equal(JSON.parse(form.text).field, 'content-type');
    const huge = await save(author, id, { baseVersion: 1, doc: { ...boot.doc, blocks: [{ type: 'paragraph', text: 'x'.repeat(1_100_000) }] } }, { csrf: boot.csrf });
    assert.equal(huge.status, 413);
    // refused by the frame's body limit before the route reads it (the frame's JSON error shape)
    assert.match(JSON.stringify(JSON.parse(huge.text)), /größer als 1 MB/);
    // none of it was written
    assert.equal(bootOf((await author.get(`/redaktion/artikel/${id}`)).text).version, 1);
  }));

  test(`[${engine}] a save without the CSRF header, or with a token of another session, is 403 and writes nothing`, () => withNewsroom(engine, async (t) => {
    const { browser: author } = await staffBrowser(t, 'author', 'Anna Autorin');
    const { browser: other } = await staffBrowser(t, 'author', 'Otto Anders');
    const id = await newArticle(author);
    const boot = bootOf((await author.get(`/redaktion/artikel/${id}`)).text);
    const otherToken = bootOf((await other.get(`/redaktion/artikel/${id}`)).text).csrf;
    const doc = { ...boot.doc, headline: 'Gefälscht' };
    for (const csrf of [null, otherToken, 'x'.repeat(86)]) {
      const r = await save(author, id, { baseVersion: 1, doc }, { csrf });
      assert.equal(r.status, 403, String(csrf));
      assert.equal(JSON.parse(r.text).field, '_csrf');
    }
    const crossSite = await author.request(`/redaktion/api/artikel/${id}`, {
      method: 'PUT', body: JSON.stringify({ baseVersion: 1, doc }), headers: { 'content-type': 'application/json', 'x-klartext-csrf': boot.csrf, 'sec-fetch-site': 'cross-site' },
    });
    assert.equal(crossSite.status, 403);
    const form = await author.post('/redaktion/artikel', { _csrf: '' });
    assert.equal(form.status, 403);
    assert.equal(bootOf((await author.get(`/redaktion/artikel/${id}`)).text).doc.headline, '');
  }));

  test(`[${engine}] list filters: bad values are 400 naming the parameter; good ones filter`, () => withNewsroom(engine, async (t) => {
    const { browser: editor } = await staffBrowser(t, 'editor', 'Eddi Redakteur');
    const id = await newArticle(editor);
    const boot = bootOf((await editor.get(`/redaktion/artikel/${id}`)).text);
    assert.equal((await save(editor, id, { baseVersion: 1, doc: { ...boot.doc, headline: 'Kirmes im Kulturressort', section: 'kultur', authors: ['ole-muster'], access: 'plus' } }, { csrf: boot.csrf })).status, 200);
    for (const [query, param] of [['status=fertig', 'status'], ['ressort=mars', 'ressort'], ['autor=niemand', 'autor'], ['zugang=gold', 'zugang'],
      ['von=2026-02-30', 'von'], ['bis=gestern', 'bis'], ['von=2026-03-02&bis=2026-03-01', 'bis'], [`q=${'a'.repeat(201)}`, 'q'], ['nach=kaputt', 'nach']] as const) {
      const r = await editor.get(`/redaktion/artikel?${query}`);
      assert.equal(r.status, 400, query);
      assert.match(r.text, new RegExp(`„${param}“`), query);
    }
    const json = await editor.get('/redaktion/artikel?status=fertig', { accept: 'application/json' });
    assert.equal(JSON.parse(json.text).error.field, 'status');
    const hit = (q: string) => editor.get(`/redaktion/artikel?${q}`).then((r) => { assert.equal(r.status, 200, q); return r.text.includes('Kirmes im Kulturressort'); });
    assert.equal(await hit('status=entwurf&ressort=kultur&autor=ole-muster&zugang=plus'), true);
    assert.equal(await hit('status=pruefung'), false);
    assert.equal(await hit('ressort=sport'), false);
    assert.equal(await hit('zugang=frei'), false);
    assert.equal(await hit('autor=ina-beispiel'), false);
    assert.equal(await hit('q=kirmes'), true);
    assert.equal(await hit('q=zirkus'), false);
    assert.equal(await hit('von=2999-01-01'), false);
    assert.equal(await hit('von=2000-01-01&bis=2999-12-31'), true);
  }));

  test(`[${engine}] the list pages by cursor: 50 per page and a link to the next`, () => withNewsroom(engine, async (t) => {
    const { browser: editor } = await staffBrowser(t, 'editor', 'Eddi Redakteur');
    for (let i = 0; i < 51; i++) await editor.post('/redaktion/artikel', {});
    const first = await editor.get('/redaktion/artikel?status=entwurf');
    const rows = (s: string) => (s.match(/class="nr-table__title"/g) ?? []).length;
    assert.equal(rows(first.text), 50);
    const next = /href="(\/redaktion\/artikel\?status=entwurf&amp;nach=[^"]+)" rel="next"/.exec(first.text);
    assert.ok(next, 'a link to the next page');
    const second = await editor.get(next[1]!.replace(/&amp;/g, '&'));
    assert.equal(second.status, 200);
    assert.equal(rows(second.text), 1);
    assert.doesNotMatch(second.text, /rel="next"/);
  }));

  test(`[${engine}] XSS payloads in headline, kicker, speaker and caption stay text in the list, the start page and the editor's boot JSON`, () => withNewsroom(engine, async (t, imageIds) => {
    const { browser: author } = await staffBrowser(t, 'author', 'Anna Autorin');
    const id = await newArticle(author);
    const boot = bootOf((await author.get(`/redaktion/artikel/${id}`)).text);
    const img = '<img src=x onerror=alert(1)>';
    const script = '</script><script>alert(1)</script>';
    const doc = {
      ...boot.doc, headline: `${img}${script}`, kicker: `${script}${img}`, speakers: [script],
      image: { imageId: imageIds[0]!, caption: img, credit: script },
      blocks: [{ type: 'answer', speaker: `${img}${script}`, text: script }, { type: 'image', imageId: imageIds[0]!, caption: `${script}${img}`, credit: img }],
    };
    const r = await save(author, id, { baseVersion: 1, doc }, { csrf: boot.csrf });
    assert.equal(r.status, 200, r.text);
    const pages = {
      list: (await author.get('/redaktion/artikel')).text,
      start: (await author.get('/redaktion')).text,
      editor: (await author.get(`/redaktion/artikel/${id}`)).text,
    };
    for (const [name, html] of Object.entries(pages)) {
      assert.doesNotMatch(html, /<img src=x/i, `${name}: no live <img>`);
      assert.doesNotMatch(html, /<script>alert/i, `${name}: no live <script>`);
      assert.equal((html.match(/<\/script>/g) ?? []).length, (html.match(/<script\b/g) ?? []).length, `${name}: every </script> closes a script of ours`);
    }
    assert.match(pages.list, /&lt;img src=x onerror=alert\(1\)&gt;/);
    assert.match(pages.start, /&lt;\/script&gt;&lt;script&gt;alert\(1\)&lt;\/script&gt;/);
    // the boot JSON carries the payloads unchanged as data
    const back = bootOf(pages.editor).doc;
    assert.equal(back.headline, `${img}${script}`);
    assert.deepEqual(back.blocks, doc.blocks);
    assert.match(pages.editor, /\\u003c\/script>\\u003cscript>alert\(1\)\\u003c\/script>/);
  }));
}
