// /redaktion/verwaltung through HTTP on every engine: admins only (authors and editors get 403 on every POST), sections,
// bylines, staff roles with the last-admin rule and the log, escaping of names on admin pages and on the site.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { newId } from '../../db/index.ts';
import { EMPTY_DRAFT } from '../../newsroom/index.ts';
import { RESERVED_SECTION_SLUGS, listSections } from '../../content/index.ts';
import { testEngines } from '../../db/test-stores.ts';
import { createPaywallTestApp, FREE_SLUG, PLUS_SLUG, type PaywallTestApp } from '../../testing/paywall-fixtures.ts';
import { loggedInAs, registerAndLogIn } from '../../testing/test-accounts.ts';
import { TestBrowser } from '../../testing/test-browser.ts';
import { PRIVATE_PREFIXES } from '../platform/private-paths.ts';

async function withApp(engine: string, fn: (t: PaywallTestApp) => Promise<void>) {
  const t = await createPaywallTestApp(engine);
  try { await fn(t); } finally { await t.close(); }
}

const snapshot = async (t: PaywallTestApp) => JSON.stringify(await Promise.all([
  t.store.db.selectFrom('sections').selectAll().orderBy('id').execute(),
  t.store.db.selectFrom('authors').selectAll().orderBy('id').execute(),
  t.store.db.selectFrom('users').select(['id', 'role']).orderBy('id').execute(),
  t.store.db.selectFrom('staff_role_changes').selectAll().execute(),
]));

/** Every admin POST with fields that would succeed for an admin. */
const ADMIN_POSTS: [string, Record<string, string>][] = [
  ['/redaktion/verwaltung/ressorts', { name: 'Wissen' }],
  ['/redaktion/verwaltung/ressorts/sport', { name: 'Sport & Spiel', description: '' }],
  ['/redaktion/verwaltung/ressorts/sport/verschieben', { richtung: 'hoch' }],
  ['/redaktion/verwaltung/ressorts/kultur/loeschen', {}],
  ['/redaktion/verwaltung/autoren', { name: 'Neue Autorin', bio: '' }],
  ['/redaktion/verwaltung/autoren/ole-muster', { name: 'Ole M.', bio: '' }],
  ['/redaktion/verwaltung/autoren/ole-muster/loeschen', {}],
  ['/redaktion/verwaltung/team/rolle', { email: 'author@example.de', role: 'admin' }],
];

/** A working copy (with its article row in `rowSection`) whose document names `docSection` and `authors`. */
async function draftChoosing(t: PaywallTestApp, rowSection: string, doc: { section: string; authors: string[] }) {
  const db = t.store.db;
  const section = await db.selectFrom('sections').select('id').where('slug', '=', rowSection).executeTakeFirstOrThrow();
  const id = newId();
  const at = new Date().toISOString();
  await db.insertInto('articles').values({
    id, slug: `entwurf-${id.slice(0, 8).toLowerCase()}`, section_id: section.id, kicker: '', headline: '', teaser: '', access: 'free', paywall_after: 0,
    blocks_json: '[]', image_id: null, image_caption: '', image_credit: '', published_at: at, updated_at: at, created_at: at, live: 0,
  }).execute();
  await db.insertInto('article_drafts').values({
    article_id: id, doc_json: JSON.stringify({ ...EMPTY_DRAFT, ...doc }), version: 1, state: 'draft', scheduled_at: null, published_version: null,
    created_by: null, updated_by: null, created_at: at, updated_at: at,
  }).execute();
}

test('no section can take the name of a top-level page of the site', () => {
  for (const p of PRIVATE_PREFIXES) assert.ok(RESERVED_SECTION_SLUGS.includes(p.split('/')[1]!), p);
});

for (const engine of testEngines()) {
  test(`[${engine}] the administration is for admins: guests go to the login, readers, authors and editors get 403 on every page and POST`, () => withApp(engine, async (t) => {
    const guest = await new TestBrowser(t.app).get('/redaktion/verwaltung/ressorts');
    assert.equal(guest.status, 303);
    const reader = await registerAndLogIn(t, 'leser@example.de');
    assert.equal((await reader.get('/redaktion/verwaltung/team')).status, 403);
    const staff = [(await loggedInAs(t, 'author')).browser, (await loggedInAs(t, 'editor')).browser];
    const before = await snapshot(t);
    for (const [i, browser] of staff.entries()) {
      const role = i === 0 ? 'author' : 'editor';
      for (const path of ['/redaktion/verwaltung', '/redaktion/verwaltung/ressorts', '/redaktion/verwaltung/autoren', '/redaktion/verwaltung/team', '/redaktion/verwaltung/ressorts/sport']) {
        const r = await browser.get(path);
        assert.equal(r.status, 403, `${role} GET ${path}`);
        assert.match(r.text, /Administratorinnen und Administratoren vorbehalten/);
      }
      await browser.get('/konto'); // a page with a valid CSRF token: the refusal must come from the role, not the token
      assert.ok(browser.csrf);
      for (const [path, fields] of ADMIN_POSTS) assert.equal((await browser.post(path, fields)).status, 403, `${role} POST ${path}`);
    }
    assert.equal(await snapshot(t), before, 'nothing changed');
    // the same POSTs by an admin do work (so the 403s above are the role check, not broken requests)
    const { browser: admin } = await loggedInAs(t, 'admin');
    await admin.get('/redaktion/verwaltung/ressorts');
    assert.equal((await admin.post('/redaktion/verwaltung/ressorts', { name: 'Wissen' })).status, 303);
  }));

  test(`[${engine}] sections: create, rename, describe, reorder; the site's navigation follows`, () => withApp(engine, async (t) => {
    const { browser: admin } = await loggedInAs(t, 'admin');
    await admin.get('/redaktion/verwaltung/ressorts');
    const created = await admin.post('/redaktion/verwaltung/ressorts', { name: '  Wissen   & Technik ', description: 'Forschung aus der Region.' });
    assert.equal(created.status, 303);
    assert.equal(created.location, '/redaktion/verwaltung/ressorts?ok=angelegt');
    let sections = await listSections(t.store.db);
    assert.deepEqual(sections.at(-1), { ...sections.at(-1)!, slug: 'wissen-technik', name: 'Wissen & Technik', description: 'Forschung aus der Region.' });

    await admin.get('/redaktion/verwaltung/ressorts/wissen-technik');
    assert.equal((await admin.post('/redaktion/verwaltung/ressorts/wissen-technik', { name: 'Wissen', description: '' })).status, 303);
    sections = await listSections(t.store.db);
    assert.equal(sections.find((s) => s.slug === 'wissen-technik')?.name, 'Wissen', 'renamed, slug kept');

    const order = async () => (await listSections(t.store.db)).map((s) => s.slug);
    const start = await order();
    assert.equal((await admin.post('/redaktion/verwaltung/ressorts/wissen-technik/verschieben', { richtung: 'hoch' })).status, 303);
    const moved = await order();
    assert.deepEqual(moved, [...start.slice(0, -2), 'wissen-technik', start.at(-2)!]);
    assert.equal((await admin.post(`/redaktion/verwaltung/ressorts/${moved[0]}/verschieben`, { richtung: 'hoch' })).status, 303);
    assert.deepEqual(await order(), moved, 'the first one moving up stays first');
    assert.equal((await admin.post('/redaktion/verwaltung/ressorts/wissen-technik/verschieben', { richtung: 'runter' })).status, 303);
    assert.deepEqual(await order(), start);
    assert.equal((await admin.post('/redaktion/verwaltung/ressorts/wissen-technik/verschieben', { richtung: 'seitwärts' })).status, 400);

    await t.klartext.contentChanges.poll(); // what the feed does by itself at once (NOTIFY, or the write in this process)
    const page = await new TestBrowser(t.app).get('/wissen-technik');
    assert.equal(page.status, 200);
    assert.match(page.text, /<a href="\/wissen-technik"[^>]*>Wissen<\/a>/);
  }));

  test(`[${engine}] sections: bad input is 400 naming the field, a taken or reserved slug is refused, nothing half-written`, () => withApp(engine, async (t) => {
    const { browser: admin } = await loggedInAs(t, 'admin');
    await admin.get('/redaktion/verwaltung/ressorts');
    const count = async () => (await listSections(t.store.db)).length;
    const n = await count();
    const empty = await admin.post('/redaktion/verwaltung/ressorts', { name: '   ' });
    assert.equal(empty.status, 400);
    assert.match(empty.text, /href="#f-name">Name<\/a>: Bitte geben Sie einen Namen an/);
    const long = await admin.post('/redaktion/verwaltung/ressorts', { name: 'x'.repeat(61) });
    assert.equal(long.status, 400);
    assert.match(long.text, /Höchstens 60 Zeichen/);
    const badSlug = await admin.post('/redaktion/verwaltung/ressorts', { name: 'Gut', slug: 'Nicht Gut!' });
    assert.equal(badSlug.status, 400);
    assert.match(badSlug.text, /href="#f-slug">Kurzbezeichnung<\/a>: Nur Kleinbuchstaben/);
    const reserved = await admin.post('/redaktion/verwaltung/ressorts', { name: 'Artikel' });
    assert.equal(reserved.status, 400);
    assert.match(reserved.text, /„artikel“ ist eine Adresse der Website selbst/);
    const taken = await admin.post('/redaktion/verwaltung/ressorts', { name: 'Noch ein Sport', slug: 'sport' });
    assert.equal(taken.status, 409);
    assert.match(taken.text, /Es gibt schon ein Ressort mit der Kurzbezeichnung „sport“/);
    assert.equal(await count(), n);
    await admin.get('/redaktion/verwaltung/ressorts/sport');
    const renameEmpty = await admin.post('/redaktion/verwaltung/ressorts/sport', { name: '', description: 'x' });
    assert.equal(renameEmpty.status, 400);
    assert.equal((await listSections(t.store.db)).find((s) => s.slug === 'sport')?.description, '', 'no half-written change');
    assert.equal((await admin.get('/redaktion/verwaltung/ressorts/gibt-es-nicht')).status, 404);
  }));

  test(`[${engine}] sections: deleting one in use (by an article or a working copy) is 409 with the count; an unused one goes`, () => withApp(engine, async (t) => {
    const { browser: admin } = await loggedInAs(t, 'admin');
    await admin.get('/redaktion/verwaltung/ressorts');
    const inUse = await admin.post('/redaktion/verwaltung/ressorts/stadt/loeschen', {});
    assert.equal(inUse.status, 409);
    assert.match(inUse.text, /Das Ressort wird noch von \d+ Artikeln verwendet/);
    assert.ok((await listSections(t.store.db)).some((s) => s.slug === 'stadt'));

    await admin.post('/redaktion/verwaltung/ressorts', { name: 'Leer' });
    await admin.post('/redaktion/verwaltung/ressorts', { name: 'Geplant' });
    await draftChoosing(t, 'stadt', { section: 'geplant', authors: [] });
    const byDraft = await admin.post('/redaktion/verwaltung/ressorts/geplant/loeschen', {});
    assert.equal(byDraft.status, 409);
    assert.match(byDraft.text, /von einem Artikel verwendet/);
    assert.equal((await admin.post('/redaktion/verwaltung/ressorts/leer/loeschen', {})).status, 303);
    assert.ok(!(await listSections(t.store.db)).some((s) => s.slug === 'leer'));
    assert.equal((await admin.post('/redaktion/verwaltung/ressorts/leer/loeschen', {})).status, 404);
  }));

  test(`[${engine}] bylines: create, rename (on the article page too), bio, link to a staff account only, delete while unused`, () => withApp(engine, async (t) => {
    const { browser: admin } = await loggedInAs(t, 'admin');
    const { userId: authorId } = await loggedInAs(t, 'author', 'ina@example.de');
    await registerAndLogIn(t, 'leser@example.de');
    const readerRow = await t.store.db.selectFrom('users').select('id').where('email', '=', 'leser@example.de').executeTakeFirstOrThrow();
    await admin.get('/redaktion/verwaltung/autoren');
    const notStaff = await admin.post('/redaktion/verwaltung/autoren', { name: 'Lea Leser', bio: '', userId: readerRow.id });
    assert.equal(notStaff.status, 400);
    assert.match(notStaff.text, /leser@example.de gehört nicht zur Redaktion/);
    assert.equal((await admin.post('/redaktion/verwaltung/autoren', { name: 'Ole Muster', bio: 'Zweiter Ole.', userId: '' })).status, 303);
    const oles = await t.store.db.selectFrom('authors').select(['slug', 'bio']).where('name', '=', 'Ole Muster').orderBy('slug').execute();
    assert.deepEqual(oles.map((o) => o.slug), ['ole-muster', 'ole-muster-2']);

    await admin.get('/redaktion/verwaltung/autoren/ina-beispiel');
    assert.equal((await admin.post('/redaktion/verwaltung/autoren/ina-beispiel', { name: 'Ina Beispiel-Neu', bio: 'Schreibt über Geld.', userId: authorId })).status, 303);
    const ina = await t.store.db.selectFrom('authors').selectAll().where('slug', '=', 'ina-beispiel').executeTakeFirstOrThrow();
    assert.deepEqual([ina.name, ina.bio, ina.user_id], ['Ina Beispiel-Neu', 'Schreibt über Geld.', authorId]);
    const twice = await admin.post('/redaktion/verwaltung/autoren/ole-muster-2', { name: 'Ole Muster', bio: '', userId: authorId });
    assert.equal(twice.status, 400);
    assert.match(twice.text, /ist schon mit der Autorenzeile „Ina Beispiel-Neu“ verknüpft/);
    const list = await admin.get('/redaktion/verwaltung/autoren');
    assert.match(list.text, /ina@example.de/);

    t.klartext.pageCache.clear();
    const article = await new TestBrowser(t.app).get(`/artikel/${PLUS_SLUG}`);
    assert.match(article.text, /<a href="\/autor\/ina-beispiel">Ina Beispiel-Neu<\/a>/);
    assert.match((await new TestBrowser(t.app).get('/autor/ina-beispiel')).text, /Schreibt über Geld\./);

    const inUse = await admin.post('/redaktion/verwaltung/autoren/ina-beispiel/loeschen', {});
    assert.equal(inUse.status, 409);
    assert.match(inUse.text, /Die Autorenzeile steht noch über 2 Artikeln/);
    await draftChoosing(t, 'stadt', { section: 'stadt', authors: ['ole-muster-2'] });
    assert.equal((await admin.post('/redaktion/verwaltung/autoren/ole-muster-2/loeschen', {})).status, 409, 'a working copy carries it');
    await admin.post('/redaktion/verwaltung/autoren', { name: 'Ganz Neu', bio: '' });
    assert.equal((await admin.post('/redaktion/verwaltung/autoren/ganz-neu/loeschen', {})).status, 303);
    assert.equal(await t.store.db.selectFrom('authors').select('id').where('slug', '=', 'ganz-neu').executeTakeFirst(), undefined);
  }));

  test(`[${engine}] roles: an admin changes a role by address, it applies on the next request and is logged; the last admin stays`, () => withApp(engine, async (t) => {
    const { browser: admin, userId: adminId } = await loggedInAs(t, 'admin');
    const reader = await registerAndLogIn(t, 'neu@example.de');
    assert.equal((await reader.get('/redaktion')).status, 403);
    await admin.get('/redaktion/verwaltung/team');
    assert.equal((await admin.post('/redaktion/verwaltung/team/rolle', { email: 'NEU@example.de ', role: 'editor' })).status, 303);
    assert.notEqual((await reader.get('/redaktion')).status, 403, 'the same session, the new role');
    const team = await admin.get('/redaktion/verwaltung/team');
    assert.match(team.text, /neu@example.de/);
    assert.match(team.text, /admin@example.de<\/td>/);
    const log = await t.store.db.selectFrom('staff_role_changes').selectAll().execute();
    assert.deepEqual(log.map((l) => [l.from_role, l.to_role, l.actor_id]), [['reader', 'editor', adminId]]);

    const unknown = await admin.post('/redaktion/verwaltung/team/rolle', { email: 'niemand@example.de', role: 'author' });
    assert.equal(unknown.status, 400);
    assert.match(unknown.text, /href="#f-email">E-Mail-Adresse<\/a>: Es gibt kein Konto mit der Adresse niemand@example.de/);
    const empty = await admin.post('/redaktion/verwaltung/team/rolle', { email: ' ', role: 'author' });
    assert.equal(empty.status, 400);
    assert.match(empty.text, /Bitte geben Sie die E-Mail-Adresse des Kontos an/);
    const badRole = await admin.post('/redaktion/verwaltung/team/rolle', { email: 'neu@example.de', role: 'chef' });
    assert.equal(badRole.status, 400);
    assert.match(badRole.text, /Unbekannte Rolle „chef“/);

    const last = await admin.post('/redaktion/verwaltung/team/rolle', { email: 'admin@example.de', role: 'editor' });
    assert.equal(last.status, 409);
    assert.match(last.text, /einzige Administratorin bzw. der einzige Administrator/);
    assert.equal((await t.store.db.selectFrom('users').select('role').where('id', '=', adminId).executeTakeFirstOrThrow()).role, 'admin');

    // with a second admin, the first may step down; their next request no longer reaches the administration
    assert.equal((await admin.post('/redaktion/verwaltung/team/rolle', { email: 'neu@example.de', role: 'admin' })).status, 303);
    assert.equal((await admin.post('/redaktion/verwaltung/team/rolle', { email: 'admin@example.de', role: 'editor' })).status, 303);
    assert.equal((await admin.get('/redaktion/verwaltung/team')).status, 403);
    assert.equal((await t.store.db.selectFrom('staff_role_changes').selectAll().execute()).length, 3);
  }));

  test(`[${engine}] section and byline changes record the keys of the pages they alter, and cached pages follow`, () => withApp(engine, async (t) => {
    const keysSince = async (seq: number) => (await t.store.db.selectFrom('content_changes').select(['seq', 'keys']).where('seq', '>', seq).orderBy('seq').execute()).map((r) => r.keys.split(' '));
    const last = async () => Number((await t.store.db.selectFrom('content_changes').select((eb) => eb.fn.max('seq').as('m')).executeTakeFirst())?.m ?? 0);
    const { browser: admin } = await loggedInAs(t, 'admin');
    const guest = new TestBrowser(t.app);
    await t.klartext.contentChanges.poll(); // the import's changes are read, so none of them purges the page cached next
    assert.match((await guest.get('/')).text, />Sport<\/a>/);
    assert.equal((await guest.get('/')).headers.get('x-cache'), 'hit', 'the front page is cached');

    let from = await last();
    await admin.get('/redaktion/verwaltung/ressorts/sport');
    await admin.post('/redaktion/verwaltung/ressorts/sport', { name: 'Sport und Verein', description: '' });
    assert.deepEqual(await keysSince(from), [['nav', 'section:sport', 'feeds']]);
    await t.klartext.contentChanges.poll();
    assert.match((await guest.get('/')).text, />Sport und Verein<\/a>/, 'the cached front page with the old navigation is gone');

    from = await last();
    await admin.post('/redaktion/verwaltung/ressorts/sport', { name: 'Sport und Verein', description: 'Vom Kreisligaspiel bis zum Stadtlauf.' });
    await admin.post('/redaktion/verwaltung/ressorts/kultur/verschieben', { richtung: 'hoch' });
    assert.deepEqual(await keysSince(from), [['section:sport'], ['nav']]);

    const ina = await t.store.db.selectFrom('article_authors').innerJoin('authors', 'authors.id', 'article_authors.author_id')
      .select('article_authors.article_id').where('authors.slug', '=', 'ina-beispiel').orderBy('article_authors.article_id').execute();
    await t.klartext.contentChanges.poll(); // the changes above are read, so none of them purges the page cached next
    await guest.get(`/artikel/${PLUS_SLUG}`);
    assert.equal((await guest.get(`/artikel/${PLUS_SLUG}`)).headers.get('x-cache'), 'hit', 'the article page is cached');
    from = await last();
    await admin.get('/redaktion/verwaltung/autoren/ina-beispiel');
    await admin.post('/redaktion/verwaltung/autoren/ina-beispiel', { name: 'Ina Beispiel', bio: 'Neu.' });
    await admin.post('/redaktion/verwaltung/autoren/ina-beispiel', { name: 'Ina B.', bio: 'Neu.' });
    const [bio, rename] = await keysSince(from);
    assert.deepEqual(bio, ['author:ina-beispiel']);
    assert.deepEqual(rename!.sort(), ['author:ina-beispiel', ...ina.map((a) => `article:${a.article_id}`)].sort());
    await t.klartext.contentChanges.poll();
    assert.match((await guest.get(`/artikel/${PLUS_SLUG}`)).text, /<a href="\/autor\/ina-beispiel">Ina B\.<\/a>/);

    from = await last();
    await admin.post('/redaktion/verwaltung/autoren', { name: 'Neu Hier', bio: '' });
    await admin.post('/redaktion/verwaltung/autoren/neu-hier/loeschen', {});
    await admin.post('/redaktion/verwaltung/ressorts', { name: 'Wissen' });
    await admin.post('/redaktion/verwaltung/ressorts/wissen/loeschen', {});
    assert.deepEqual(await keysSince(from), [
      ['author:neu-hier', 'sitemaps'], ['author:neu-hier', 'sitemaps'], ['nav', 'section:wissen', 'sitemaps'], ['nav', 'section:wissen', 'feeds', 'sitemaps'],
    ]);
    from = await last();
    await admin.post('/redaktion/verwaltung/ressorts/stadt/loeschen', {});
    await admin.post('/redaktion/verwaltung/ressorts', { name: '' });
    assert.deepEqual(await keysSince(from), [], 'refused changes record nothing');
  }));

  test(`[${engine}] section and byline names are escaped on the admin pages and on the site`, () => withApp(engine, async (t) => {
    const { browser: admin } = await loggedInAs(t, 'admin');
    const sectionName = '<script>alert(1)</script>';
    const bylineName = '"><img src=x onerror=alert(2)>';
    await admin.get('/redaktion/verwaltung/ressorts');
    assert.equal((await admin.post('/redaktion/verwaltung/ressorts', { name: sectionName, slug: 'xss', description: '<b onmouseover=alert(3)>' })).status, 303);
    await admin.get('/redaktion/verwaltung/autoren');
    assert.equal((await admin.post('/redaktion/verwaltung/autoren/ole-muster', { name: bylineName, bio: '<svg onload=alert(4)>' })).status, 303);
    t.klartext.pageCache.clear();
    const pages = [
      await admin.get('/redaktion/verwaltung/ressorts'), await admin.get('/redaktion/verwaltung/ressorts/xss'), await admin.get('/redaktion/verwaltung/autoren'),
      await admin.get('/redaktion/verwaltung/autoren/ole-muster'), await new TestBrowser(t.app).get('/xss'), await new TestBrowser(t.app).get('/autor/ole-muster'),
      await new TestBrowser(t.app).get(`/artikel/${FREE_SLUG}`),
    ];
    for (const p of pages) {
      assert.equal(p.status, 200);
      assert.doesNotMatch(p.text, /<script>alert|<img src=x|<b onmouseover|<svg onload/);
    }
    assert.match(pages[0]!.text, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/);
    assert.match(pages[4]!.text, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/);
    assert.match(pages[6]!.text, /&quot;&gt;&lt;img src=x onerror=alert\(2\)&gt;/);
  }));
}
