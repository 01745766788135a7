// Revisions through HTTP on every engine: the list with who and when, the word diff (payloads escaped), restore with its lock.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { testEngines } from '../../db/test-stores.ts';
import { bootOf, newArticle, save, staffBrowser, withNewsroom } from '../../testing/newsroom-app.ts';
import type { TestBrowser } from '../../testing/test-browser.ts';

/** Three versions by two people: 1 created, 2 the first text, 3 a changed headline and an added answer. */
async function threeVersions(author: TestBrowser, editor: TestBrowser) {
  const id = await newArticle(author);
  const boot = bootOf((await author.get(`/redaktion/artikel/${id}`)).text);
  const v2 = { ...boot.doc, headline: 'Der Rat spart am Hallenbad', blocks: [{ type: 'paragraph', text: 'Die Sitzung dauerte bis Mitternacht.' }] };
  assert.equal((await save(author, id, { baseVersion: 1, doc: v2 }, { csrf: boot.csrf })).status, 200);
  const edBoot = bootOf((await editor.get(`/redaktion/artikel/${id}`)).text);
  const v3 = { ...v2, headline: 'Der Rat rettet das Hallenbad', blocks: [...v2.blocks, { type: 'answer', speaker: 'Bürgermeisterin', text: 'Wir haben einen Weg gefunden.' }] };
  assert.equal((await save(editor, id, { baseVersion: 2, doc: v3 }, { csrf: edBoot.csrf })).status, 200);
  return id;
}

for (const engine of testEngines()) {
  test(`[${engine}] the revisions list names version, kind, who and when; the diff marks added and removed words per field and block`, () => withNewsroom(engine, async (t) => {
    const { browser: author } = await staffBrowser(t, 'author', 'Anna Autorin');
    const { browser: editor } = await staffBrowser(t, 'editor', 'Eddi Redakteur');
    const id = await threeVersions(author, editor);
    const list = await editor.get(`/redaktion/artikel/${id}/versionen`);
    assert.equal(list.status, 200);
    for (const s of ['Angelegt', 'Gespeichert', 'Anna Autorin', 'Eddi Redakteur', '(aktuell)']) assert.match(list.text, new RegExp(s), s);
    assert.match(list.text, new RegExp(`href="/redaktion/artikel/${id}/versionen/1/3"`));
    const compare = await editor.get(`/redaktion/artikel/${id}/versionen/vergleich?a=3&b=2`);
    assert.equal(compare.status, 303);
    assert.equal(compare.location, `/redaktion/artikel/${id}/versionen/2/3`);
    const diff = await editor.get(compare.location!);
    assert.equal(diff.status, 200);
    assert.match(diff.text, /Der Rat <del>spart am<\/del><ins>rettet das<\/ins> Hallenbad|Der Rat <del>spart<\/del><ins>rettet<\/ins> <del>am<\/del><ins>das<\/ins> Hallenbad/);
    assert.match(diff.text, /Antwort · neu/);
    assert.match(diff.text, /<ins>Bürgermeisterin<\/ins>/);
    assert.match(diff.text, /<ins>Wir haben einen Weg gefunden\.<\/ins>/);
    assert.match(diff.text, /Die Sitzung dauerte bis Mitternacht\./, 'unchanged blocks are shown for context');
    assert.equal((await editor.get(`/redaktion/artikel/${id}/versionen/2/99`)).status, 404);
    assert.equal((await editor.get(`/redaktion/artikel/${id}/versionen/vergleich?a=x&b=2`)).status, 400);
  }));

  test(`[${engine}] restoring an old version makes it a new version and logs it; from a stale page it is a 409 with both versions`, () => withNewsroom(engine, async (t) => {
    const { browser: author } = await staffBrowser(t, 'author', 'Anna Autorin');
    const { browser: editor } = await staffBrowser(t, 'editor', 'Eddi Redakteur');
    const id = await threeVersions(author, editor);
    await editor.get(`/redaktion/artikel/${id}/versionen`);
    const stale = await editor.post(`/redaktion/artikel/${id}/versionen/2/wiederherstellen`, { version: '2' });
    assert.equal(stale.status, 409);
    assert.match(stale.text, /Ihre Fassung · Version 2/);
    assert.match(stale.text, /Aktuelle Fassung · Version 3/);
    assert.equal(bootOf((await editor.get(`/redaktion/artikel/${id}`)).text).version, 3, 'nothing restored');
    await editor.get(`/redaktion/artikel/${id}/versionen`);
    const r = await editor.post(`/redaktion/artikel/${id}/versionen/2/wiederherstellen`, { version: '3' });
    assert.equal(r.status, 303);
    assert.equal(r.location, `/redaktion/artikel/${id}?ok=wiederhergestellt`);
    const boot = bootOf((await editor.get(r.location!)).text);
    assert.equal(boot.version, 4);
    assert.equal(boot.doc.headline, 'Der Rat spart am Hallenbad');
    assert.equal(boot.doc.blocks.length, 1);
    assert.match((await editor.get(`/redaktion/artikel/${id}/versionen`)).text, /Wiederhergestellt/);
    const audit = await editor.get(`/redaktion/protokoll?artikel=${id}`);
    assert.match(audit.text, /Version wiederhergestellt/);
    assert.match(audit.text, /aus Version: 2/);
    assert.doesNotMatch(audit.text, /revisionId/);
    assert.equal((await editor.post(`/redaktion/artikel/${id}/versionen/77/wiederherstellen`, { version: '4' })).status, 404);
  }));

  test(`[${engine}] XSS payloads in headline, speaker and caption are escaped in the diff view and the revisions' conflict page`, () => withNewsroom(engine, async (t, imageIds) => {
    const { browser: author } = await staffBrowser(t, 'author', 'Anna Autorin');
    const id = await newArticle(author);
    const boot = bootOf((await author.get(`/redaktion/artikel/${id}`)).text);
    const img = '<img src=x onerror=alert(1)>';
    const script = '</script><script>alert(1)</script>';
    const doc = {
      ...boot.doc, headline: `Alt ${img}`, kicker: script,
      blocks: [{ type: 'answer', speaker: img, text: script }, { type: 'image', imageId: imageIds[0]!, caption: img, credit: script }],
    };
    assert.equal((await save(author, id, { baseVersion: 1, doc }, { csrf: boot.csrf })).status, 200);
    const changed = { ...doc, headline: `Neu ${script}`, blocks: [{ type: 'answer', speaker: `${img} ${script}`, text: `${script} ${img}` }, { type: 'image', imageId: imageIds[0]!, caption: `${script}!`, credit: img }] };
    assert.equal((await save(author, id, { baseVersion: 2, doc: changed }, { csrf: boot.csrf })).status, 200);
    for (const path of [`/redaktion/artikel/${id}/versionen/1/3`, `/redaktion/artikel/${id}/versionen/2/3`]) {
      const html = (await author.get(path)).text;
      assert.doesNotMatch(html, /<img src=x/i, path);
      assert.doesNotMatch(html, /<script>alert/i, path);
      assert.match(html, /&lt;img src=x onerror=alert\(1\)&gt;/, path);
    }
    await author.get(`/redaktion/artikel/${id}/versionen`);
    const conflict = await author.post(`/redaktion/artikel/${id}/versionen/2/wiederherstellen`, { version: '2' });
    assert.equal(conflict.status, 409);
    assert.doesNotMatch(conflict.text, /<img src=x/i);
    assert.doesNotMatch(conflict.text, /<script>alert/i);
  }));
}
