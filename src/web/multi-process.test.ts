// Two real `klartext serve` processes on one PostgreSQL database: the meter, sessions, the login throttle, gift links and
// scheduled publishing stay exact when requests for one reader arrive at both processes at once.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { openTestStore } from '../db/test-stores.ts';
import { createUser, TEST_HASHING } from '../accounts/index.ts';
import { grantSubscription } from '../billing/index.ts';
import { importDocument, getArticleBySlug } from '../content/index.ts';
import { createDraft, listAudit, NEWSROOM_PUBLISH_JOB, saveDraft, schedulePublish } from '../newsroom/index.ts';
import { completeDoc, importFixture, makeStaff } from '../newsroom/newsroom.fixtures.ts';
import { TEST_PASSWORD } from '../testing/test-accounts.ts';
import { remoteBrowser, startServeProcess, urlWithSchema, type ServerProcess } from '../testing/server-process.ts';

const url = process.env.DATABASE_URL_TEST;
const PLUS = 50;

interface UnlockAnswer { granted: boolean; reason?: string }

/** The unlock API as the page's script calls it. */
async function unlock(server: ServerProcess, cookie: string, articleId: string, keyId: string, gift?: string): Promise<UnlockAnswer & { status: number }> {
  const res = await fetch(`${server.url}/api/unlock/${articleId}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-klartext-csrf': '1', origin: server.url, 'sec-fetch-site': 'same-origin', ...(cookie ? { cookie } : {}) },
    body: JSON.stringify({ keyId, ...(gift ? { gift } : {}) }),
  });
  return { status: res.status, ...((await res.json()) as UnlockAnswer) };
}

test('PostgreSQL, two server processes: meter, sessions, login throttle, gift links and a scheduled publication are exact across both', { skip: url ? false : 'DATABASE_URL_TEST not set' }, async (t) => {
  const store = await openTestStore('postgres');
  const { dataDir, imageIds } = await importFixture(store.db);
  t.after(async () => { await store.close(); await fs.rm(dataDir, { recursive: true, force: true }); });
  const now = new Date();
  const slugs = Array.from({ length: PLUS }, (_, i) => `mehrprozess-${i}`);
  await importDocument(store.db, { articles: slugs.map((slug, i) => ({
    slug, section: 'stadt', kicker: 'Plus', headline: `Zwei Prozesse ${i}`, teaser: 'Vorspann.', access: 'plus' as const, paywallAfter: 1,
    publishedAt: new Date(now.getTime() - 3600_000 - i * 60_000).toISOString(), authors: [],
    blocks: [{ type: 'paragraph' as const, text: 'Frei.' }, { type: 'paragraph' as const, text: `Geheim ${i}.` }],
  })) }, { baseDir: dataDir, dataDir });
  const ids = new Map((await store.db.selectFrom('articles').select(['id', 'slug']).where('slug', 'in', slugs).execute()).map((r) => [r.slug, r.id]));
  const reader = (await createUser(store.db, { email: 'meter@example.de', role: 'reader', password: TEST_PASSWORD }, { hashing: TEST_HASHING })).user;
  const subscriber = (await createUser(store.db, { email: 'abo@example.de', role: 'reader', password: TEST_PASSWORD }, { hashing: TEST_HASHING })).user;
  await grantSubscription(store.db, { userId: subscriber.id, days: 30, now });
  for (const email of ['gedrosselt@example.de', 'gedrosselt2@example.de']) await createUser(store.db, { email, role: 'reader', password: TEST_PASSWORD }, { hashing: TEST_HASHING });
  // an article scheduled for a moment after both processes are up: both job runners find it due together
  const editor = await makeStaff(store.db, 'editor');
  const draft = await createDraft(store.db, editor, {});
  const saved = await saveDraft(store.db, editor, draft.articleId, { baseVersion: 1, doc: completeDoc(imageIds[0]!, { slug: 'geplant-mehrprozess' }) });
  const scheduledAt = new Date(Date.now() + 2000);
  await schedulePublish(store.db, editor, draft.articleId, saved.version, scheduledAt);

  const env = { DATABASE_URL: urlWithSchema(url!, store.pgSchema!), KLARTEXT_DATA_DIR: dataDir, KLARTEXT_MASTER_KEY: randomBytes(32).toString('base64') };
  // started together: the first migrates and seeds the offers while the other waits for it (src/main.ts, oneAtATime)
  const starting = [startServeProcess(env), startServeProcess(env)];
  t.after(async () => { await Promise.all(starting.map((p) => p.then((s) => s.stop(), () => {}))); });
  const [a, b] = await Promise.all(starting) as [ServerProcess, ServerProcess];
  const servers = [a, b];

  await t.test('50 concurrent unlocks by one reader with a meter of 3, spread over both processes: exactly 3 granted', async () => {
    const browser = remoteBrowser(a);
    await browser.get('/anmelden');
    assert.equal((await browser.post('/anmelden', { email: 'meter@example.de', password: TEST_PASSWORD })).status, 303);
    const cookie = `klartext_session=${browser.cookies.get('klartext_session')}`;
    const keys = await Promise.all(slugs.map(async (slug, i) => {
      const html = await (await fetch(`${servers[i % 2]!.url}/artikel/${slug}`)).text();
      return /data-key-id="([^"]+)"/.exec(html)![1]!;
    }));
    const answers = await Promise.all(slugs.map((slug, i) => unlock(servers[i % 2]!, cookie, ids.get(slug)!, keys[i]!)));
    assert.deepEqual(answers.filter((x) => x.status !== 200 && x.status !== 403).map((x) => x.status), [], 'every answer is a grant or a refusal');
    const granted = answers.filter((x) => x.granted);
    assert.equal(granted.length, 3, `granted: ${granted.length}`);
    assert.ok(granted.every((x) => x.reason === 'meter'));
    const rows = await store.db.selectFrom('meter_unlocks').select('article_id').where('user_id', '=', reader.id).execute();
    assert.equal(rows.length, 3, 'three meter rows');
    // the three granted articles stay open on both processes, a fourth stays closed on both
    const openSlugs = slugs.filter((s) => rows.some((r) => r.article_id === ids.get(s)));
    const closed = slugs.find((s) => !openSlugs.includes(s))!;
    for (const server of servers) {
      assert.equal((await unlock(server, cookie, ids.get(openSlugs[0]!)!, keys[slugs.indexOf(openSlugs[0]!)]!)).granted, true);
      assert.equal((await unlock(server, cookie, ids.get(closed)!, keys[slugs.indexOf(closed)]!)).granted, false);
    }
  });

  await t.test('a session opened on one process is valid on the other, and a logout on the other ends it on both', async () => {
    const browser = remoteBrowser(a);
    await browser.get('/anmelden');
    assert.equal((await browser.post('/anmelden', { email: 'abo@example.de', password: TEST_PASSWORD })).status, 303);
    const old = browser.cookies.get('klartext_session');
    assert.ok(old);
    assert.equal((await browser.use(b).get('/konto')).status, 200, 'process B knows the session');
    await browser.use(b).get('/abmelden');
    const loggedOut = await browser.post('/abmelden', {});
    assert.ok(loggedOut.status === 303 || loggedOut.status === 302, `logout: ${loggedOut.status}`);
    // the old cookie, replayed at process A, opens nothing any more
    const replay = remoteBrowser(a);
    replay.cookies.set('klartext_session', old);
    const [session] = await store.db.selectFrom('sessions').select('id').where('user_id', '=', subscriber.id).execute();
    assert.equal(session, undefined, 'no session row left');
    assert.notEqual((await replay.get('/konto')).status, 200);
  });

  await t.test('the login throttle counts wrong passwords at both processes together: 5 a minute, then either refuses; a burst never gets more than 5 tries', async () => {
    const attempt = async (server: ServerProcess, email: string, password: string) => {
      const browser = remoteBrowser(server);
      await browser.get('/anmelden');
      return (await browser.post('/anmelden', { email, password })).status;
    };
    // one after the other, alternating: a per-process count would allow 5 at each
    const sequential: number[] = [];
    for (let i = 0; i < 6; i++) sequential.push(await attempt(servers[i % 2]!, 'gedrosselt@example.de', `Falsch-${i}-Passwort`));
    assert.deepEqual(sequential, [401, 401, 401, 401, 401, 429]);
    // now even the right password is refused at either process until the minute is over
    assert.equal(await attempt(a, 'gedrosselt@example.de', TEST_PASSWORD), 429);
    assert.equal(await attempt(b, 'gedrosselt@example.de', TEST_PASSWORD), 429);
    // at once: each try is recorded before it is counted, so at most 5 are checked, the rest refused
    const burst = await Promise.all(Array.from({ length: 12 }, (_, i) => attempt(servers[i % 2]!, 'gedrosselt2@example.de', `Falsch-${i}-Passwort`)));
    assert.deepEqual(burst.filter((s) => s !== 401 && s !== 429), [], `statuses: ${burst.join(' ')}`);
    const checked = burst.filter((s) => s === 401).length;
    assert.ok(checked >= 1 && checked <= 5, `passwords checked: ${checked} of 12 (${burst.join(' ')})`);
  });

  await t.test('gift links: 14 made at once at both processes give exactly the 10 a month allows; a link made at one opens the article at the other, and a revocation at one closes it at both', async () => {
    const giver = remoteBrowser(a);
    await giver.get('/anmelden');
    assert.equal((await giver.post('/anmelden', { email: 'abo@example.de', password: TEST_PASSWORD })).status, 303);
    // the form's token belongs to the session, so either process accepts it
    assert.equal((await giver.get(`/artikel/${slugs[0]}/verschenken`)).status, 200);
    const csrf = giver.csrf;
    const make = async (server: ServerProcess, slug: string) => {
      const res = await fetch(`${server.url}/artikel/${slug}/verschenken`, {
        method: 'POST', redirect: 'manual',
        headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: [...giver.cookies].map(([k, v]) => `${k}=${v}`).join('; '), origin: server.url },
        body: new URLSearchParams({ _csrf: csrf }).toString(),
      });
      await res.arrayBuffer();
      return res.status;
    };
    const statuses = await Promise.all(slugs.slice(0, 14).map((slug, i) => make(servers[i % 2]!, slug)));
    const links = await store.db.selectFrom('gift_links').select(['id', 'token', 'article_id']).where('user_id', '=', subscriber.id).execute();
    assert.equal(links.length, 10, `links made: ${links.length} (statuses ${statuses.join(' ')})`);
    assert.equal(statuses.filter((s) => s === 429).length, 4, `statuses: ${statuses.join(' ')}`);
    const link = links[0]!;
    const slug = slugs.find((s) => ids.get(s) === link.article_id)!;
    const keyId = /data-key-id="([^"]+)"/.exec(await (await fetch(`${b.url}/artikel/${slug}`)).text())![1]!;
    const opened = await unlock(b, '', link.article_id, keyId, link.token);
    assert.deepEqual([opened.status, opened.granted, opened.reason], [200, true, 'gift'], 'a guest with the link made at A reads at B');
    const page = await giver.use(b).get('/konto/geschenke');
    assert.equal(page.status, 200);
    assert.equal((await giver.post(`/konto/geschenke/${link.id}/widerrufen`, {})).status, 303);
    for (const server of servers) assert.equal((await unlock(server, '', link.article_id, keyId, link.token)).granted, false, `revoked at ${server.url}`);
  });

  await t.test('the scheduled article is published once, by one of the two job runners, and is live at both processes', async () => {
    let live = false;
    for (let i = 0; i < 300 && !live; i++) {
      live = Boolean(await getArticleBySlug(store.db, 'geplant-mehrprozess', { now: new Date() }));
      if (!live) await new Promise((r) => setTimeout(r, 100));
    }
    assert.ok(live, 'published');
    const jobs = await store.db.selectFrom('jobs').select(['state', 'locked_by']).where('kind', '=', NEWSROOM_PUBLISH_JOB).execute();
    assert.deepEqual(jobs.map((j) => j.state), ['done']);
    assert.equal((await listAudit(store.db, { action: 'publish' })).length, 1);
    for (const server of servers) {
      let status = 0;
      for (let i = 0; i < 50 && status !== 200; i++) {
        status = (await fetch(`${server.url}/artikel/geplant-mehrprozess`)).status;
        if (status !== 200) await new Promise((r) => setTimeout(r, 100));
      }
      assert.equal(status, 200, `live at ${server.url}`);
    }
    assert.ok(scheduledAt.getTime() <= Date.now());
  });
});
