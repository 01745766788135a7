// Issue 7, hole 1: no Host header reaches a mail or a page. Foreign hosts get 421; links use the configured or pinned origin only.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestApp, type TestApp, type TestAppOverrides } from '../testing/test-app.ts';
import { TestBrowser, linkIn } from '../testing/test-browser.ts';
import { createPaywallTestApp } from '../testing/paywall-fixtures.ts';
import { createUser, TEST_HASHING } from '../accounts/index.ts';
import { importDocument } from '../content/index.ts';
import { fixtureDocument, writeFixtureImages } from '../content/content.fixtures.ts';
import { testEngines } from '../db/test-stores.ts';

const PW = 'Regenbogen-Fahrrad-7';
const PUBLIC = { KLARTEXT_PUBLIC_URL: 'https://zeitung.example', KLARTEXT_ALLOWED_HOSTS: 'www.zeitung.example' };

async function withApp(engine: string, fn: (t: TestApp) => Promise<void>, o: TestAppOverrides = {}) {
  const t = await createTestApp(engine, o);
  try { await fn(t); } finally { await t.close(); }
}

const outbox = (t: TestApp) => t.store.db.selectFrom('mail_outbox').selectAll().orderBy('created_at').execute();

/** A browser that, like a real one behind the server, sends `host` both as the URL's authority and as the Host header. */
function browserAt(t: TestApp, origin: string, headers: Record<string, string> = {}) {
  const b = new TestBrowser(t.app, { host: new URL(origin).host, ...headers });
  return { b, get: (p: string) => b.get(`${origin}${p}`), post: (p: string, f: Record<string, string>) => b.post(`${origin}${p}`, f) };
}

for (const engine of testEngines()) {
  test(`[${engine}] a forged Host gets 421 on the reset form and its POST, and no mail goes out`, () => withApp(engine, async (t) => {
    await createUser(t.store.db, { email: 'ina@example.de', role: 'reader', password: PW }, { hashing: TEST_HASHING });
    const evil = browserAt(t, 'http://evil.example');
    const form = await evil.get('/passwort-vergessen');
    assert.equal(form.status, 421);
    assert.match(form.text, /gehört nicht zu dieser Website/);
    assert.doesNotMatch(form.text, /name="_csrf"/, 'no form to send a mail from');
    assert.equal((await evil.post('/passwort-vergessen', { email: 'ina@example.de' })).status, 421);
    // the Host header alone is enough to be refused, whatever URL the server built
    const headerOnly = await t.app.request('/passwort-vergessen', { headers: { host: 'evil.example', accept: 'application/json' } });
    assert.equal(headerOnly.status, 421);
    assert.equal(((await headerOnly.json()) as { error: { code: string; field: string } }).error.field, 'host');
    assert.deepEqual(await outbox(t), []);
    assert.equal((await t.app.request('http://evil.example/healthz', { headers: { host: 'evil.example' } })).status, 200, 'load balancers may ask any host');
  }));

  test(`[${engine}] the reset mail links to the configured origin whatever Host and X-Forwarded-Host say`, () => withApp(engine, async (t) => {
    await createUser(t.store.db, { email: 'ina@example.de', role: 'reader', password: PW }, { hashing: TEST_HASHING });
    const www = browserAt(t, 'https://www.zeitung.example', { 'x-forwarded-host': 'evil.example', 'x-forwarded-proto': 'http' });
    assert.equal((await www.get('/passwort-vergessen')).status, 200);
    assert.equal((await www.post('/passwort-vergessen', { email: 'ina@example.de' })).status, 200);
    const [mail] = await outbox(t);
    assert.match(mail!.text_body, /https:\/\/zeitung\.example\/passwort-vergessen\/neu\?token=[A-Za-z0-9_-]{20,}/);
    assert.doesNotMatch(mail!.text_body + mail!.html_body, /evil\.example|www\.zeitung/);
  }, { env: { ...PUBLIC, KLARTEXT_TRUST_PROXY: '1' } }));

  test(`[${engine}] without a public URL, mail links use the pinned origin, not the loopback name and port the request used`, () => withApp(engine, async (t) => {
    await createUser(t.store.db, { email: 'ina@example.de', role: 'reader', password: PW }, { hashing: TEST_HASHING });
    const local = browserAt(t, 'http://127.0.0.1:8080', { 'x-forwarded-host': 'evil.example' });
    await local.get('/passwort-vergessen');
    assert.equal((await local.post('/passwort-vergessen', { email: 'ina@example.de' })).status, 200);
    const [mail] = await outbox(t);
    assert.match(linkIn(mail!.text_body, '/passwort-vergessen/neu'), /^\/passwort-vergessen\/neu\?token=/);
    assert.match(mail!.text_body, /http:\/\/localhost\/passwort-vergessen\/neu\?token=/);
    assert.doesNotMatch(mail!.text_body + mail!.html_body, /127\.0\.0\.1|8080|evil/);
  }));

  test(`[${engine}] registration mails (verification, already registered) use the configured origin; a forged Host registers nobody`, () => withApp(engine, async (t) => {
    const evil = browserAt(t, 'http://evil.example');
    assert.equal((await evil.get('/registrieren')).status, 421);
    assert.equal((await evil.post('/registrieren', { email: 'ina@example.de', password: PW, acceptTerms: 'on', acceptPrivacy: 'on' })).status, 421);
    assert.deepEqual(await outbox(t), []);
    const www = browserAt(t, 'https://www.zeitung.example', { 'x-forwarded-host': 'evil.example' });
    for (let i = 0; i < 2; i++) {
      await www.get('/registrieren');
      assert.equal((await www.post('/registrieren', { email: 'ina@example.de', password: PW, acceptTerms: 'on', acceptPrivacy: 'on' })).status, 200);
    }
    const [verify, already] = await outbox(t);
    assert.match(verify!.html_body, /href="https:\/\/zeitung\.example\/registrieren\/bestaetigen\?token=/);
    assert.match(already!.text_body, /https:\/\/zeitung\.example\/passwort-vergessen/);
    for (const m of [verify!, already!]) assert.doesNotMatch(m.text_body + m.html_body, /evil\.example|www\.zeitung/);
  }, { env: PUBLIC }));

  test(`[${engine}] canonical, og:url, JSON-LD, feeds and sitemaps never carry a forged or alias Host`, () => withApp(engine, async (t) => {
    await writeFixtureImages(t.config.dataDir);
    await importDocument(t.store.db, fixtureDocument(), { baseDir: t.config.dataDir, dataDir: t.config.dataDir });
    const paths = ['/', '/artikel/haushalt-in-not', '/kultur', '/autor/ina-beispiel', '/impressum', '/abo', '/suche?q=Haushalt', '/feed.xml', '/kultur/feed.xml', '/sitemap.xml', '/news-sitemap.xml', '/robots.txt'];
    for (const p of paths) {
      const forged = await t.app.request(`http://evil.example${p}`, { headers: { host: 'evil.example' } });
      assert.equal(forged.status, 421, p);
      assert.doesNotMatch(await forged.text(), /evil\.example/, p);
    }
    for (const p of paths) {
      const res = await t.app.request(`https://www.zeitung.example${p}`, { headers: { host: 'www.zeitung.example', 'x-forwarded-host': 'evil.example' } });
      assert.equal(res.status, 200, p);
      const body = await res.text();
      assert.doesNotMatch(body, /evil\.example|www\.zeitung|localhost/, p);
      assert.match(body, /https:\/\/zeitung\.example\//, p);
    }
    const article = await (await t.app.request('https://zeitung.example/artikel/haushalt-in-not')).text();
    assert.match(article, /<link rel="canonical" href="https:\/\/zeitung\.example\/artikel\/haushalt-in-not"/);
    assert.match(article, /property="og:url" content="https:\/\/zeitung\.example\/artikel\/haushalt-in-not"/);
    assert.match(article, /"mainEntityOfPage":"https:\/\/zeitung\.example\/artikel\/haushalt-in-not"/);
  }, { env: PUBLIC }));

  test(`[${engine}] CSRF judges Origin by the configured origin, not by whatever Host the request names`, () => withApp(engine, async (t) => {
    await createUser(t.store.db, { email: 'ina@example.de', role: 'reader', password: PW }, { hashing: TEST_HASHING });
    const b = new TestBrowser(t.app);
    await b.get('/passwort-vergessen');
    // another local server (same hostname, other port) posting with its own Host and Origin
    const other = await b.post('/passwort-vergessen', { email: 'ina@example.de' }, { host: 'localhost:9999', origin: 'http://localhost:9999' });
    assert.equal(other.status, 403);
    assert.match(other.text, /CSRF/);
    assert.deepEqual(await outbox(t), []);
    assert.equal((await b.post('/passwort-vergessen', { email: 'ina@example.de' }, { origin: 'http://localhost' })).status, 200);
  }));

  test(`[${engine}] the unlock endpoint judges Origin by the configured origin, not by the request's Host`, async () => {
    const t = await createPaywallTestApp(engine);
    try {
      const { articleId, keyId } = await t.page('haushalt-in-not');
      const forged = await t.unlock(null, articleId, { keyId }, { host: 'localhost:9999', origin: 'http://localhost:9999' });
      assert.equal(forged.status, 403);
      assert.equal((forged.json.error as { field?: string } | undefined)?.field, 'x-klartext-csrf');
      const honest = await t.unlock(null, articleId, { keyId });
      assert.equal(honest.json.error, undefined, 'judged on the merits, not refused as foreign');
    } finally {
      await t.close();
    }
  });

  test(`[${engine}] in production the outbox keeps the mail but no usable token`, () => withApp(engine, async (t) => {
    await createUser(t.store.db, { email: 'ina@example.de', role: 'reader', password: PW }, { hashing: TEST_HASHING });
    const site = browserAt(t, 'https://zeitung.example');
    await site.get('/passwort-vergessen');
    assert.equal((await site.post('/passwort-vergessen', { email: 'ina@example.de' })).status, 200);
    await site.get('/registrieren');
    assert.equal((await site.post('/registrieren', { email: 'neu@example.de', password: PW, acceptTerms: 'on', acceptPrivacy: 'on' })).status, 200);
    const mails = await outbox(t);
    assert.deepEqual(mails.map((m) => m.recipient).sort(), ['ina@example.de', 'neu@example.de']);
    for (const m of mails) {
      assert.match(m.text_body, /token=ENTFERNT/);
      assert.doesNotMatch(m.text_body + m.html_body, /token=(?!ENTFERNT)/, 'no token at rest');
    }
    await site.get('/passwort-vergessen/neu?token=ENTFERNT');
    assert.equal((await site.post('/passwort-vergessen/neu', { token: 'ENTFERNT', password: 'Neues-Passwort-am-Deich' })).status, 400);
  }, { env: { NODE_ENV: 'production', KLARTEXT_PUBLIC_URL: 'https://zeitung.example' } }));
}
