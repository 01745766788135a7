// The workflow forms through HTTP on every engine: roles enforced by the server, submit and publish, schedule in Berlin
// time, unpublish, a stale version's conflict page, JSON answers; the audit log.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { testEngines } from '../../db/test-stores.ts';
import { completeDoc } from '../../newsroom/newsroom.fixtures.ts';
import { TestBrowser } from '../../testing/test-browser.ts';
import { bootOf, newArticle, save, staffBrowser, withNewsroom } from '../../testing/newsroom-app.ts';
import type { TestApp } from '../../testing/test-app.ts';

/** An article the author wrote completely (version 2), ready to submit. */
async function writtenArticle(t: TestApp, imageId: string, over: Parameters<typeof completeDoc>[1] = {}) {
  const { browser: author } = await staffBrowser(t, 'author', 'Anna Autorin');
  const id = await newArticle(author);
  const boot = bootOf((await author.get(`/redaktion/artikel/${id}`)).text);
  const r = await save(author, id, { baseVersion: 1, doc: completeDoc(imageId, over) }, { csrf: boot.csrf });
  assert.equal(r.status, 200, r.text);
  return { author, id };
}

const live = async (t: TestApp, id: string) => Number((await t.store.db.selectFrom('articles').select('live').where('id', '=', id).executeTakeFirstOrThrow()).live) === 1;

for (const engine of testEngines()) {
  test(`[${engine}] an author cannot publish, schedule or unpublish: 403 from the server even with a forged form`, () => withNewsroom(engine, async (t, imageIds) => {
    const { author, id } = await writtenArticle(t, imageIds[0]!);
    const page = await author.get(`/redaktion/artikel/${id}`);
    assert.doesNotMatch(page.text, /veroeffentlichen"/, 'no publish form is shown to an author');
    // the author builds the forms the page does not offer, with a valid token and the right version
    for (const [action, extra] of [['veroeffentlichen', {}], ['planen', { zeitpunkt: '2030-01-15T09:00' }], ['zurueckziehen', {}], ['planung-aufheben', {}]] as const) {
      const r = await author.post(`/redaktion/artikel/${id}/${action}`, { version: '2', ...extra });
      assert.equal(r.status, 403, action);
      assert.match(r.text, /Redakteurinnen, Redakteuren und Administratoren vorbehalten/, action);
    }
    const json = await author.post(`/redaktion/artikel/${id}/veroeffentlichen`, { version: '2' }, { accept: 'application/json' });
    assert.equal(json.status, 403);
    assert.equal(JSON.parse(json.text).code, 'forbidden');
    assert.equal(await live(t, id), false);
    assert.equal((await new TestBrowser(t.app).get('/artikel/interview-mit-der-kaemmerin')).status, 404);
  }));

  test(`[${engine}] the author submits, an editor publishes: notices, start page, list, live article and audit log`, () => withNewsroom(engine, async (t, imageIds) => {
    const { author, id } = await writtenArticle(t, imageIds[0]!);
    await author.get(`/redaktion/artikel/${id}`);
    const submitted = await author.post(`/redaktion/artikel/${id}/einreichen`, { version: '2' });
    assert.equal(submitted.status, 303);
    assert.equal(submitted.location, `/redaktion/artikel/${id}?ok=eingereicht`);
    assert.match((await author.get(submitted.location!)).text, /wartet jetzt auf Prüfung/);
    const { browser: editor } = await staffBrowser(t, 'editor', 'Eddi Redakteur');
    const start = await editor.get('/redaktion');
    const waiting = start.text.slice(start.text.indexOf('Wartet auf Prüfung'), start.text.indexOf('>Geplant<'));
    assert.match(waiting, /Wir müssen jetzt sparen/);
    const page = await editor.get(`/redaktion/artikel/${id}`);
    assert.match(page.text, /In Prüfung/);
    const published = await editor.post(`/redaktion/artikel/${id}/veroeffentlichen`, { version: '2' });
    assert.equal(published.status, 303);
    assert.equal(published.location, `/redaktion/artikel/${id}?ok=veroeffentlicht`);
    assert.equal(await live(t, id), true);
    assert.equal((await new TestBrowser(t.app).get('/artikel/interview-mit-der-kaemmerin')).status, 200);
    const after = await editor.get(published.location!);
    assert.match(after.text, /Der Artikel ist veröffentlicht/);
    assert.match(after.text, /zurueckziehen"/, 'an editor may pull a live article');
    assert.match((await editor.get('/redaktion/artikel?status=veroeffentlicht')).text, /Wir müssen jetzt sparen/);
    const audit = await editor.get(`/redaktion/protokoll?artikel=${id}`);
    assert.equal(audit.status, 200);
    assert.match(audit.text, /<td>Veröffentlicht<\/td>/);
    assert.match(audit.text, /Eddi Redakteur/);
    assert.match(audit.text, /Adresse: interview-mit-der-kaemmerin/);
    assert.doesNotMatch((await editor.get('/redaktion/protokoll?aktion=unpublish')).text, /Wir müssen jetzt sparen/);
    for (const [q, param] of [['artikel=%3Cx%3E', 'artikel'], ['aktion=loeschen', 'aktion'], ['vor=gestern', 'vor']] as const) {
      const r = await editor.get(`/redaktion/protokoll?${q}`);
      assert.equal(r.status, 400, q);
      assert.match(r.text, new RegExp(`„${param}“`), q);
    }
    // pulled again
    await editor.get(`/redaktion/artikel/${id}`);
    const pulled = await editor.post(`/redaktion/artikel/${id}/zurueckziehen`, { version: '2' });
    assert.equal(pulled.status, 303);
    assert.equal(await live(t, id), false);
    assert.match((await editor.get(`/redaktion/protokoll?artikel=${id}&aktion=unpublish`)).text, /<td>Zurückgezogen<\/td>/);
  }));

  test(`[${engine}] an incomplete article is not submitted: 400 with every missing field named above the editor`, () => withNewsroom(engine, async (t, imageIds) => {
    const { author, id } = await writtenArticle(t, imageIds[0]!, { headline: '', image: { imageId: imageIds[0]!, caption: 'Rathaus', credit: '' } });
    await author.get(`/redaktion/artikel/${id}`);
    const r = await author.post(`/redaktion/artikel/${id}/einreichen`, { version: '2' });
    assert.equal(r.status, 400);
    assert.match(r.text, /<code>headline<\/code>: Die Überschrift fehlt\./);
    assert.match(r.text, /<code>image.credit<\/code>/);
    assert.match(r.text, /kt-editor-data/, 'the editor is shown again');
    assert.equal(bootOf(r.text).state, 'draft');
    const json = await author.post(`/redaktion/artikel/${id}/einreichen`, { version: '2' }, { accept: 'application/json' });
    assert.equal(json.status, 400);
    const err = JSON.parse(json.text) as { field: string; problems: { path: string }[] };
    assert.equal(err.field, 'headline');
    assert.ok(err.problems.some((p) => p.path === 'image.credit'));
    const noVersion = await author.post(`/redaktion/artikel/${id}/einreichen`, { version: 'zwei' });
    assert.equal(noVersion.status, 400);
    assert.match(noVersion.text, /Versionsnummer/);
  }));

  test(`[${engine}] publishing a stale version is a 409 page with both versions side by side, and JSON clients get the current one`, () => withNewsroom(engine, async (t, imageIds) => {
    const { id } = await writtenArticle(t, imageIds[0]!);
    const { browser: editor } = await staffBrowser(t, 'editor', 'Eddi Redakteur');
    const { browser: other } = await staffBrowser(t, 'author', 'Otto Anders');
    const boot = bootOf((await other.get(`/redaktion/artikel/${id}`)).text);
    assert.equal((await save(other, id, { baseVersion: 2, doc: { ...boot.doc, headline: 'Die Kasse ist leer' } }, { csrf: boot.csrf })).status, 200);
    await editor.get(`/redaktion/artikel/${id}`);
    const r = await editor.post(`/redaktion/artikel/${id}/veroeffentlichen`, { version: '2' });
    assert.equal(r.status, 409);
    assert.match(r.text, /Ihre Fassung · Version 2/);
    assert.match(r.text, /Aktuelle Fassung · Version 3/);
    assert.match(r.text, /Wir müssen jetzt sparen/, 'the version the form was based on');
    assert.match(r.text, /Die Kasse ist leer/, 'the current version');
    assert.match(r.text, /gespeichert von Otto Anders/);
    assert.match(r.text, new RegExp(`href="/redaktion/artikel/${id}/versionen/2/3"`));
    assert.match(r.text, /<input type="hidden" name="version" value="3"\/>/, 'the action offered again for the current version');
    assert.equal(await live(t, id), false);
    const json = await editor.post(`/redaktion/artikel/${id}/veroeffentlichen`, { version: '2' }, { accept: 'application/json' });
    assert.equal(json.status, 409);
    const conflict = JSON.parse(json.text) as { current: { version: number; doc: { headline: string }; savedBy: string } };
    assert.equal(conflict.current.version, 3);
    assert.equal(conflict.current.doc.headline, 'Die Kasse ist leer');
    assert.equal(conflict.current.savedBy, 'Otto Anders');
    const ok = await editor.post(`/redaktion/artikel/${id}/veroeffentlichen`, { version: '3' }, { accept: 'application/json' });
    assert.equal(ok.status, 200);
    assert.deepEqual({ ...JSON.parse(ok.text), publishedAt: undefined, scheduledAt: undefined }, { version: 3, state: 'published', live: true, publishedAt: undefined, scheduledAt: undefined });
  }));

  test(`[${engine}] scheduling reads the time as Berlin wall-clock time; a bad or past time is 400 naming „zeitpunkt“; unscheduling`, () => withNewsroom(engine, async (t, imageIds) => {
    const { id } = await writtenArticle(t, imageIds[0]!);
    const { browser: editor } = await staffBrowser(t, 'editor', 'Eddi Redakteur');
    const page = await editor.get(`/redaktion/artikel/${id}`);
    assert.match(page.text, /name="zeitpunkt" value="2026-07-01T12:00"/, 'proposes the next full hour at least an hour ahead, in Berlin time');
    for (const zeitpunkt of ['morgen', '2026-13-01T10:00', '2026-03-29T02:30', '2026-06-30T09:00', '']) {
      const r = await editor.post(`/redaktion/artikel/${id}/planen`, { version: '2', zeitpunkt });
      assert.equal(r.status, 400, zeitpunkt);
      assert.match(r.text, /<code>zeitpunkt<\/code>/, zeitpunkt);
    }
    const r = await editor.post(`/redaktion/artikel/${id}/planen`, { version: '2', zeitpunkt: '2026-07-02T09:30' });
    assert.equal(r.status, 303);
    const row = await t.store.db.selectFrom('article_drafts').select(['state', 'scheduled_at']).where('article_id', '=', id).executeTakeFirstOrThrow();
    assert.equal(row.state, 'scheduled');
    assert.equal(row.scheduled_at, '2026-07-02T07:30:00.000Z');
    const scheduled = await editor.get(`/redaktion/artikel/${id}`);
    assert.match(scheduled.text, /Erscheint am 02\.07\.2026, 09:30/);
    assert.match(scheduled.text, /planung-aufheben"/);
    assert.match((await editor.get('/redaktion')).text, /erscheint 02\.07\.2026, 09:30/);
    const off = await editor.post(`/redaktion/artikel/${id}/planung-aufheben`, { version: '2' });
    assert.equal(off.status, 303);
    assert.equal((await t.store.db.selectFrom('article_drafts').select('state').where('article_id', '=', id).executeTakeFirstOrThrow()).state, 'review');
    assert.match((await editor.get(`/redaktion/protokoll?artikel=${id}`)).text, /Planung aufgehoben/);
  }, { now: () => new Date('2026-07-01T08:10:00Z') }));

  test(`[${engine}] workflow forms without the CSRF token are 403 and change nothing`, () => withNewsroom(engine, async (t, imageIds) => {
    const { id } = await writtenArticle(t, imageIds[0]!);
    const { browser: editor } = await staffBrowser(t, 'editor', 'Eddi Redakteur');
    await editor.get(`/redaktion/artikel/${id}`);
    for (const action of ['einreichen', 'veroeffentlichen', 'planen', 'zurueckziehen', 'versionen/1/wiederherstellen']) {
      const r = await editor.post(`/redaktion/artikel/${id}/${action}`, { version: '2', zeitpunkt: '2030-01-01T10:00', _csrf: '' });
      assert.equal(r.status, 403, action);
      assert.match(r.text, /CSRF/, action);
    }
    assert.equal(await live(t, id), false);
    assert.equal(bootOf((await editor.get(`/redaktion/artikel/${id}`)).text).version, 2);
  }));
}
