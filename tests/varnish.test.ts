// Real Varnish (deploy/varnish/klartext.vcl, xkey) in front of two real Klartext processes on one database: what it caches, what it never may.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { connect, type Store } from '../src/db/index.ts';
import { blocksPlainText, freeBlocks, getArticleBySlug, listArticles, premiumBlocks, stripInline, type Article, type Block } from '../src/content/index.ts';
import { createUser, TEST_HASHING } from '../src/accounts/index.ts';
import { grantSubscription } from '../src/billing/index.ts';
import { createDraft, publishNow, saveDraft } from '../src/newsroom/index.ts';
import { completeDoc, makeStaff } from '../src/newsroom/newsroom.fixtures.ts';
import { request, startKlartextProcess, startNginxProxy, startVarnish, VARNISHD, type HttpAnswer, type KlartextProcess, type RunningVarnish } from '../src/testing/varnish.ts';

const PG_URL = process.env.DATABASE_URL_TEST;
const PASSWORD = 'Regenbogen-Fahrrad-7';
/** A client that is neither a purger nor a TLS terminator in backends.vcl (which list 127.0.0.1 and ::1). */
const OUTSIDER = '127.0.0.2';

/** Everything readable in a block, as sentences long enough that finding one elsewhere means it leaked (as tests/leak.test.ts). */
function blockSentences(b: Block): string[] {
  const fields = b.type === 'image' ? [b.caption, b.credit] : b.type === 'answer' ? [b.text] : b.type === 'quote' ? [b.text, b.by ?? ''] : [b.text];
  return fields.flatMap((f) => stripInline(f).split(/(?<=[.!?…])\s+/)).map((s) => s.trim()).filter((s) => s.length >= 24 || s.split(/\s+/).length >= 5);
}
const htmlEscape = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
const leaked = (body: string, sentences: readonly string[]) => sentences.filter((s) => body.includes(s) || body.includes(htmlEscape(s)) || body.includes(JSON.stringify(s).slice(1, -1)));

const cookieOf = (a: HttpAnswer, name: string): string | undefined => {
  for (const c of a.headers['set-cookie'] ?? []) { const m = new RegExp(`^${name}=([^;]*)`).exec(c); if (m) return m[1]; }
  return undefined;
};

describe('Varnish in front of two Klartext processes', { skip: VARNISHD ? false : 'varnishd is not installed (Debian: apt-get install varnish varnish-modules); .ci/run installs it' }, () => {
  let varnish: RunningVarnish | undefined;
  const servers: KlartextProcess[] = [];
  let store: Store;
  let dropDatabase = async () => {};
  let dataDir = '';
  let env: Record<string, string>;
  let plus: Article;
  let sentences: string[] = [];
  const via = (p: string) => `${varnish!.url}${p}`;
  const origin = () => varnish!.url;

  /** Logs in through Varnish as a browser would (form, CSRF cookie and token); returns the session cookie. */
  async function logIn(email: string, o: { localAddress?: string; headers?: Record<string, string> } = {}): Promise<string> {
    const form = await request(via('/anmelden'), o);
    const csrfCookie = cookieOf(form, 'klartext_csrf');
    const token = /name="_csrf" value="([^"]+)"/.exec(form.body)?.[1];
    assert.ok(csrfCookie && token, 'the login form sets its CSRF cookie and token');
    const r = await request(via('/anmelden'), {
      ...o, method: 'POST', body: new URLSearchParams({ _csrf: token, email, password: PASSWORD }).toString(),
      headers: { ...o.headers, 'content-type': 'application/x-www-form-urlencoded', cookie: `klartext_csrf=${csrfCookie}`, origin: origin() },
    });
    assert.equal(r.status, 303, `login of ${email}: ${r.status} ${r.body.slice(0, 200)}`);
    const session = cookieOf(r, 'klartext_session');
    assert.ok(session, 'a session cookie');
    return session;
  }
  const unlock = (articleId: string, keyId: string, session?: string) => request(via(`/api/unlock/${articleId}`), {
    method: 'POST', body: JSON.stringify({ keyId }),
    headers: { 'content-type': 'application/json', 'x-klartext-csrf': '1', origin: origin(), ...(session ? { cookie: `klartext_session=${session}` } : {}) },
  });
  /** A Plus article published in the newsroom, as the editor's „Veröffentlichen“ does. */
  async function publish(headline: string, slug: string): Promise<void> {
    const imageId = (await store.db.selectFrom('images').select('id').executeTakeFirstOrThrow()).id;
    const section = plus.section.slug;
    const author = (await store.db.selectFrom('authors').select('slug').executeTakeFirstOrThrow()).slug;
    const editor = await makeStaff(store.db, 'editor');
    const wc = await createDraft(store.db, editor, {});
    const saved = await saveDraft(store.db, editor, wc.articleId, { baseVersion: 1, doc: completeDoc(imageId, { slug, headline, section, authors: [author] }) });
    await publishNow(store.db, editor, wc.articleId, saved.version);
  }
  async function reader(email: string, subscriber: boolean): Promise<string> {
    const { user } = await createUser(store.db, { email, role: 'reader', password: PASSWORD }, { hashing: TEST_HASHING });
    await store.db.updateTable('users').set({ email_verified_at: new Date().toISOString() }).where('id', '=', user.id).execute();
    if (subscriber) await grantSubscription(store.db, { userId: user.id, days: 30, now: new Date() });
    return user.id;
  }

  before(async () => {
    dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'klartext-varnish-data-'));
    let databaseUrl = `sqlite:${path.join(dataDir, 'klartext.sqlite')}`;
    if (PG_URL) {
      // the servers take a database, not a schema: one of their own, dropped afterwards
      const name = `klartext_varnish_${randomBytes(5).toString('hex')}`;
      const admin = new pg.Client({ connectionString: PG_URL });
      await admin.connect();
      await admin.query(`create database ${name}`);
      await admin.end();
      const u = new URL(PG_URL); u.pathname = `/${name}`; databaseUrl = u.toString();
      dropDatabase = async () => {
        const a = new pg.Client({ connectionString: PG_URL }); await a.connect();
        await a.query(`drop database if exists ${name} with (force)`); await a.end();
      };
    }
    const varnishPort = await import('../src/testing/free-port.ts').then((m) => m.freePort());
    env = {
      DATABASE_URL: databaseUrl, KLARTEXT_DATA_DIR: dataDir, KLARTEXT_MASTER_KEY: randomBytes(32).toString('base64'),
      // the origin readers use is Varnish's; Varnish (127.0.0.1) is the one proxy whose X-Forwarded-For counts
      KLARTEXT_PUBLIC_URL: `http://127.0.0.1:${varnishPort}`, KLARTEXT_TRUST_PROXY: '127.0.0.1', KLARTEXT_PURGE_URL: `http://127.0.0.1:${varnishPort}/`,
      KLARTEXT_METER_PER_MONTH: '0',
    };
    // the first seeds the demo newspaper, then the second joins it
    servers.push(await startKlartextProcess(env));
    servers.push(await startKlartextProcess(env));
    const probePath = (await request(`${servers[0]!.url}/readyz`)).status === 200 ? '/readyz' : '/healthz';
    varnish = await startVarnish({ backends: servers.map((s) => s.port), probePath, port: varnishPort });
    store = connect({ databaseUrl, dataDir, poolSize: 2 });
    const now = new Date();
    const articles = (await Promise.all((await listArticles(store.db, { limit: 1000, now })).map((s) => getArticleBySlug(store.db, s.slug, { now })))).filter((a): a is Article => !!a);
    plus = articles.find((a) => a.access === 'plus')!;
    // a premium sentence that also stands in some free text (a lead, a teaser, a photo credit) is public anyway
    const publicText = articles.map((a) => [a.kicker, a.headline, a.teaser, blocksPlainText(freeBlocks(a)), a.image?.caption ?? '', a.image?.credit ?? '', ...freeBlocks(a).map((b) => (b.type === 'image' ? b.credit : ''))].join('\n')).join('\n');
    sentences = [...new Set(articles.filter((a) => a.access !== 'free').flatMap((a) => premiumBlocks(a).flatMap(blockSentences)))].filter((s) => !publicText.includes(s));
    console.log(`varnish test on ${PG_URL ? 'PostgreSQL' : 'SQLite'}: Varnish ${varnish.url} → Klartext ${servers.map((s) => s.url).join(', ')} (probe ${probePath})`);
  });

  after(async () => {
    await varnish?.stop();
    await Promise.all(servers.map((s) => s.stop()));
    await store?.close();
    await dropDatabase();
    if (dataDir) await fs.rm(dataDir, { recursive: true, force: true });
  });

  test('guest pages are served from Varnish: the second request is a hit, also with cookies other than the session', async () => {
    for (const p of ['/', `/artikel/${plus.slug}`, `/${plus.section.slug}`, '/feed.xml']) {
      const first = await request(via(p));
      assert.equal(first.status, 200, p);
      const second = await request(via(p), { headers: { cookie: 'klartext_csrf=abc; _pk_id=1' } });
      assert.equal(second.headers['x-cache'], 'HIT', `${p}: ${String(second.headers['x-cache'])}`);
      assert.equal(second.body, first.body, p);
      assert.ok(second.headers['surrogate-key'], `${p} keeps its Surrogate-Key`);
      assert.equal(second.headers.xkey, undefined, 'the xkey index header stays inside Varnish');
    }
    // a browser gets Klartext's brotli bytes from the store, a client without compression plain bytes (objects of their own)
    for (const [accept, encoding] of [['gzip, deflate, br', 'br'], ['', undefined]] as const) {
      await request(via('/'), { headers: { 'accept-encoding': accept } });
      const r = await request(via('/'), { headers: { 'accept-encoding': accept } });
      assert.deepEqual([r.headers['x-cache'], r.headers['content-encoding']], ['HIT', encoding], `accept-encoding: ${accept}`);
    }
    // tracking parameters and parameter order do not make new objects
    assert.equal((await request(via(`/${plus.section.slug}?utm_source=x`))).headers['x-cache'], 'HIT');
  });

  test('a publish in the newsroom reaches readers through Varnish at once: the purge hook drops the pages by surrogate key', async () => {
    const section = `/${plus.section.slug}`;
    await request(via(section));
    assert.equal((await request(via(section))).headers['x-cache'], 'HIT', 'the section page is in Varnish');
    const headline = `Eilmeldung ${randomBytes(3).toString('hex')}: Brücke wieder frei`;
    const started = Date.now();
    await publish(headline, `eilmeldung-${randomBytes(3).toString('hex')}`);
    let seenAfter = -1;
    // s-maxage is 300 s: without a purge the cached page would stay as it was for minutes
    for (let i = 0; i < 200 && seenAfter < 0; i++) {
      if ((await request(via(section))).body.includes(htmlEscape(headline))) seenAfter = Date.now() - started;
      else await new Promise((r) => setTimeout(r, 50));
    }
    assert.ok(seenAfter >= 0, 'the new article appears on the section page through Varnish');
    const front = await request(via('/'));
    assert.ok(front.body.includes(htmlEscape(headline)), 'and on the front page');
    console.log(`publish visible through Varnish after ${seenAfter} ms`);
  });

  test("a subscriber's unlock is never cached: two readers and a guest each get their own answer", async () => {
    await reader('abo@example.de', true);
    await reader('ohne-abo@example.de', false);
    const subscriber = await logIn('abo@example.de');
    const other = await logIn('ohne-abo@example.de');
    const page = await request(via(`/artikel/${plus.slug}`));
    const keyId = /data-key-id="([^"]+)"/.exec(page.body)?.[1];
    assert.ok(keyId, 'the cached page names its key id');
    for (let round = 0; round < 2; round++) {
      const a = await unlock(plus.id, keyId, subscriber);
      const b = await unlock(plus.id, keyId, other);
      const g = await unlock(plus.id, keyId);
      assert.equal(a.status, 200, a.body);
      assert.match(a.body, /"granted":true,"key":"[A-Za-z0-9_-]{40,}"/);
      for (const [who, r] of [['reader without subscription', b], ['guest', g]] as const) {
        assert.equal(r.status, 403, `${who}: ${r.body.slice(0, 200)}`);
        assert.doesNotMatch(r.body, /"key"/, `${who} gets no key`);
      }
      for (const r of [a, b, g]) {
        assert.equal(r.headers['x-cache'], 'PASS');
        assert.match(String(r.headers['cache-control']), /no-store/);
      }
    }
    // the same through GET (which the endpoint does not have) is not served from any stored answer either
    assert.notEqual((await request(via(`/api/unlock/${plus.id}`))).headers['x-cache'], 'HIT');
  });

  test('nothing Varnish returned to a guest holds premium text: every page a guest can reach, twice, after subscribers read through it', async () => {
    assert.ok(plus && sentences.length >= 20, `${sentences.length} premium sentences to look for`);
    // subscribers read the plain text through Varnish first: their answers must not become anyone else's
    const subscriber = await logIn('abo@example.de');
    const own = await request(via(`/artikel/${plus.slug}/klartext`), { headers: { cookie: `klartext_session=${subscriber}` } });
    assert.equal(own.status, 200);
    assert.ok(leaked(own.body, sentences).length > 0, 'the check can fail: the subscriber page through Varnish holds premium sentences');
    await request(via(`/artikel/${plus.slug}`), { headers: { cookie: `klartext_session=${subscriber}` } });
    await request(via(`/artikel/${plus.slug}`), { headers: { 'user-agent': 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)' } });

    const seen = new Set<string>();
    const queue = ['/', '/feed.xml', '/sitemap.xml', '/news-sitemap.xml', '/abo', '/robots.txt', `/artikel/${plus.slug}/klartext`, '/api/me', '/suche?q=Rathaus'];
    let hits = 0;
    const findings: string[] = [];
    while (queue.length && seen.size < 400) {
      const p = queue.shift()!;
      if (seen.has(p)) continue;
      seen.add(p);
      for (let round = 0; round < 2; round++) {
        const r = await request(via(p));
        if (r.headers['x-cache'] === 'HIT') hits++;
        for (const s of leaked(r.body, sentences)) findings.push(`${p} (${String(r.headers['x-cache'])}): ${s}`);
        if (round === 0) {
          const links = [...r.body.matchAll(/href="(\/[^"#]*)"/g), ...r.body.matchAll(/<loc>https?:\/\/[^/<]+(\/[^<]*)<\/loc>/g)].map((m) => m[1]!.replace(/&amp;/g, '&'));
          for (const l of links) if (!/^\/(assets|bilder)\//.test(l) && !seen.has(l)) queue.push(l);
        }
      }
    }
    assert.deepEqual(findings, []);
    assert.ok(seen.size >= 30, `${seen.size} URLs crawled`);
    assert.ok(hits >= 20, `${hits} answers came from Varnish's store`);
    console.log(`guest crawl through Varnish: ${seen.size} URLs, ${hits} hits, ${sentences.length} premium sentences, none found`);
  });

  test('private pages, /metrics, a logged-in reader and a claimed crawler pass Varnish; an answer with Set-Cookie is never stored', async () => {
    const subscriber = await logIn('abo@example.de');
    const asked: [string, Record<string, string>][] = [
      ['/konto', { cookie: `klartext_session=${subscriber}` }], ['/anmelden', {}], ['/api/me', {}], ['/suche?q=Rathaus', {}], ['/metrics', {}],
      [`/artikel/${plus.slug}/klartext`, {}], [`/artikel/${plus.slug}/verschenken`, {}], ['/k%6fnto', {}], ['/readyz', {}], ['/healthz', {}],
      [`/artikel/${plus.slug}`, { cookie: `klartext_session=${subscriber}` }],
      [`/artikel/${plus.slug}`, { 'user-agent': 'Mozilla/5.0 (compatible; bingbot/2.0)' }],
    ];
    for (const [p, headers] of asked) {
      for (let i = 0; i < 2; i++) {
        const r = await request(via(p), { headers });
        assert.equal(r.headers['x-cache'], 'PASS', `${p} ${JSON.stringify(headers)}: ${String(r.headers['x-cache'])}`);
      }
    }
    // the login form sets a fresh CSRF cookie each time: never one guest's cookie for the next
    const [x, y] = [await request(via('/anmelden')), await request(via('/anmelden'))];
    assert.notEqual(cookieOf(x, 'klartext_csrf'), cookieOf(y, 'klartext_csrf'));
  });

  test('PURGE is refused from an address outside the purgers ACL; Klartext’s own address may purge', async () => {
    const p = `/artikel/${plus.slug}`;
    await request(via(p));
    assert.equal((await request(via(p))).headers['x-cache'], 'HIT');
    const refused = await request(via('/'), { method: 'PURGE', localAddress: OUTSIDER, headers: { 'xkey-purge': `article:${plus.id} front nav` } });
    assert.equal(refused.status, 403);
    assert.equal((await request(via(p))).headers['x-cache'], 'HIT', 'still cached after the refused purge');
    const accepted = await request(via('/'), { method: 'PURGE', headers: { 'xkey-purge': `article:${plus.id}` } });
    assert.equal(accepted.status, 200, accepted.body.slice(0, 200));
    assert.equal((await request(via(p))).headers['x-cache'], 'MISS', 'gone after the accepted purge');
  });

  test('through Varnish the client is the address Varnish saw: a forged X-Forwarded-For and X-Forwarded-Proto count for nothing', async () => {
    await reader('xff@example.de', false);
    await logIn('xff@example.de', { localAddress: OUTSIDER, headers: { 'x-forwarded-for': '66.249.66.1', 'x-forwarded-proto': 'https' } });
    const session = await store.db.selectFrom('sessions').innerJoin('users', 'users.id', 'sessions.user_id').select(['sessions.ip']).where('users.email', '=', 'xff@example.de').executeTakeFirstOrThrow();
    assert.equal(session.ip, OUTSIDER);
    const form = await request(via('/anmelden'), { localAddress: OUTSIDER, headers: { 'x-forwarded-proto': 'https' } });
    assert.doesNotMatch(String(form.headers['set-cookie']), /Secure/i, 'no Secure cookie from a forged https');
    assert.equal(form.headers['strict-transport-security'], undefined, 'no HSTS from a forged https');
  });

  test('the nginx alternative caches guest pages and passes private paths, logged-in readers and the unlock endpoint', async (t) => {
    const nginx = await startNginxProxy({ backends: servers.map((s) => s.port) });
    if (!nginx) { t.skip('nginx is not installed'); return; }
    try {
      const subscriber = await logIn('abo@example.de');
      const p = `/artikel/${plus.slug}`;
      await request(`${nginx.url}${p}`);
      assert.equal((await request(`${nginx.url}${p}`)).headers['x-cache'], 'HIT');
      for (const [q, headers] of [['/konto', { cookie: `klartext_session=${subscriber}` }], [p, { cookie: `klartext_session=${subscriber}` }], ['/anmelden', {}], [`${p}/klartext`, {}]] as const) {
        for (let i = 0; i < 2; i++) assert.notEqual((await request(`${nginx.url}${q}`, { headers })).headers['x-cache'], 'HIT', q);
      }
      const u = await request(`${nginx.url}/api/unlock/${plus.id}`, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json', 'x-klartext-csrf': '1' } });
      assert.notEqual(u.headers['x-cache'], 'HIT');
    } finally {
      await nginx.stop();
    }
  });

  test('with Varnish down the site answers directly and a publish still works: the failed purge is only logged', async () => {
    await varnish!.stop();
    varnish = undefined;
    const direct = servers[1]!.url;
    const section = `/${plus.section.slug}`;
    assert.equal((await request(`${direct}${section}`)).status, 200);
    const headline = `Ohne Cache ${randomBytes(3).toString('hex')}: Markt findet statt`;
    await publish(headline, `ohne-cache-${randomBytes(3).toString('hex')}`);
    let seen = false;
    for (let i = 0; i < 200 && !seen; i++) {
      seen = (await Promise.all(servers.map((s) => request(`${s.url}${section}`)))).every((r) => r.status === 200 && r.body.includes(htmlEscape(headline)));
      if (!seen) await new Promise((r) => setTimeout(r, 50));
    }
    assert.ok(seen, 'both processes show the new article');
    let logged = false;
    for (let i = 0; i < 100 && !logged; i++) {
      logged = servers.some((s) => /purge failed/.test(s.output()));
      if (!logged) await new Promise((r) => setTimeout(r, 100));
    }
    assert.ok(logged, 'the failed purge is logged');
    assert.equal((await request(`${direct}/`)).status, 200);
  });
});
