// Behind reverse proxies, through the whole app: X-Forwarded-For and X-Forwarded-Proto count only as trusted proxies wrote them — crawler access, login throttle, Secure cookies, HSTS.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { PREMIUM_SENTENCES } from '../../content/content.fixtures.ts';
import { testEngines } from '../../db/test-stores.ts';
import { createPaywallTestApp, GOOGLEBOT_IP, GOOGLEBOT_UA, PLUS_SLUG, type PaywallTestApp } from '../../testing/paywall-fixtures.ts';
import { fromAddress } from '../../testing/remote-address.ts';
import { createTestApp, type TestApp } from '../../testing/test-app.ts';
import { TestBrowser } from '../../testing/test-browser.ts';

const REAL_CLIENT = '203.0.113.7';
const leaks = (html: string): string[] => PREMIUM_SENTENCES.filter((s) => html.includes(s.slice(0, 50)));

/** What a request with a Googlebot user agent gets: the plain premium text (crawler) or the decoy (guest); and whether the unlock endpoint hands it the key. */
async function asGooglebot(t: PaywallTestApp, o: { from: string; forwardedFor?: string }): Promise<{ page: 'crawler' | 'guest'; key: boolean }> {
  const headers: Record<string, string> = { 'user-agent': GOOGLEBOT_UA, ...(o.forwardedFor === undefined ? {} : { 'x-forwarded-for': o.forwardedFor }) };
  const res = await t.app.request(`/artikel/${PLUS_SLUG}`, { headers }, fromAddress(o.from));
  assert.equal(res.status, 200);
  const html = await res.text();
  const shown = leaks(html).length;
  assert.ok(shown === 0 || shown === PREMIUM_SENTENCES.length, 'all premium text or none');
  if (shown === 0) assert.match(html, /class="premium-decoy"/);
  const { articleId, keyId } = await t.page(PLUS_SLUG);
  const unlock = await t.unlock(null, articleId, { keyId }, headers, o.from);
  assert.equal(unlock.status === 200, typeof unlock.json.key === 'string', 'a key exactly when granted');
  return { page: shown ? 'crawler' : 'guest', key: typeof unlock.json.key === 'string' };
}

const CRAWLER = { page: 'crawler', key: true };
const GUEST = { page: 'guest', key: false };

async function withApp(engine: string, env: Record<string, string>, fn: (t: TestApp) => Promise<void>): Promise<void> {
  const t = await createTestApp(engine, { env });
  try { await fn(t); } finally { await t.close(); }
}

/** The anonymous CSRF cookie's Set-Cookie line and the HSTS header of the login page, as the given request sees them. */
async function loginPage(t: TestApp, from: string, headers: Record<string, string>) {
  const r = await new TestBrowser(t.app, {}, fromAddress(from)).get('/anmelden', headers);
  assert.equal(r.status, 200);
  return { cookie: r.headers.getSetCookie().find((c) => c.startsWith('klartext_csrf='))!, hsts: r.headers.get('strict-transport-security') };
}

for (const engine of testEngines()) {
  describe(`behind one proxy (KLARTEXT_TRUST_PROXY=1) on ${engine}`, () => {
    let t: PaywallTestApp;
    before(async () => { t = await createPaywallTestApp(engine, { env: { KLARTEXT_TRUST_PROXY: '1' } }); });
    after(async () => { await t.close(); });

    test('a Googlebot user agent that writes the crawler\'s address left of its own gets the guest page and no key', async () => {
      assert.deepEqual(await asGooglebot(t, { from: '127.0.0.1', forwardedFor: `${GOOGLEBOT_IP}, ${REAL_CLIENT}` }), GUEST);
      assert.deepEqual(await asGooglebot(t, { from: '127.0.0.1', forwardedFor: `${GOOGLEBOT_IP},${REAL_CLIENT}` }), GUEST);
    });

    test('the address the proxy appended is the crawler\'s: plain text and the key', async () => {
      assert.deepEqual(await asGooglebot(t, { from: '127.0.0.1', forwardedFor: GOOGLEBOT_IP }), CRAWLER);
      assert.deepEqual(await asGooglebot(t, { from: '127.0.0.1', forwardedFor: `::ffff:${GOOGLEBOT_IP}` }), CRAWLER, 'IPv4-mapped');
    });

    test('a malformed right-most entry is nobody: guest page, no key, no error', async () => {
      assert.deepEqual(await asGooglebot(t, { from: '127.0.0.1', forwardedFor: `${GOOGLEBOT_IP}, nicht-ip` }), GUEST);
      assert.deepEqual(await asGooglebot(t, { from: '127.0.0.1', forwardedFor: `${GOOGLEBOT_IP}, [fe80::1%eth0` }), GUEST);
    });

    test('rotating a spoofed left-most entry does not escape the per-IP login throttle', async () => {
      const b = new TestBrowser(t.app, {}, fromAddress('127.0.0.1'));
      await b.get('/anmelden');
      const attempt = (i: number, forwardedFor: string) =>
        b.post('/anmelden', { email: `niemand-${i}@example.de`, password: 'falsch-falsch-1' }, { 'x-forwarded-for': forwardedFor });
      // 50 attempts within ten minutes from one address are allowed (THROTTLES.loginIp), each for another account
      for (let i = 0; i < 50; i++) assert.equal((await attempt(i, `198.51.${i}.1, ${REAL_CLIENT}`)).status, 401, `attempt ${i + 1}`);
      const rotated = await attempt(50, `198.51.100.250, ${REAL_CLIENT}`);
      assert.equal(rotated.status, 429);
      assert.match(rotated.text, /Von Ihrem Anschluss kamen sehr viele Anmeldeversuche/);
      assert.equal((await attempt(51, REAL_CLIENT)).status, 429, 'the throttled subject is the real address');
      assert.equal((await attempt(52, `${REAL_CLIENT}, 203.0.113.8`)).status, 401, 'another real address is not throttled');
    });

    test('HTTPS through the trusted proxy gives a Secure cookie and HSTS; the proxy\'s own (right-most) X-Forwarded-Proto counts', async () => {
      const https = await loginPage(t, '127.0.0.1', { 'x-forwarded-proto': 'https' });
      assert.match(https.cookie, /;\s*Secure/i);
      assert.equal(https.hsts, 'max-age=31536000');
      const http = await loginPage(t, '127.0.0.1', { 'x-forwarded-proto': 'https, http' });
      assert.doesNotMatch(http.cookie, /Secure/i);
      assert.equal(http.hsts, null);
      const plain = await loginPage(t, '127.0.0.1', {});
      assert.doesNotMatch(plain.cookie, /Secure/i);
      assert.equal(plain.hsts, null);
    });
  });

  describe(`behind two proxies (KLARTEXT_TRUST_PROXY=2) on ${engine}`, () => {
    let t: PaywallTestApp;
    before(async () => { t = await createPaywallTestApp(engine, { env: { KLARTEXT_TRUST_PROXY: '2' } }); });
    after(async () => { await t.close(); });

    test('the client is the second entry from the right; entries further left do not count', async () => {
      assert.deepEqual(await asGooglebot(t, { from: '10.0.0.2', forwardedFor: `${GOOGLEBOT_IP}, 10.0.0.1` }), CRAWLER);
      assert.deepEqual(await asGooglebot(t, { from: '10.0.0.2', forwardedFor: `${GOOGLEBOT_IP}, ${REAL_CLIENT}, 10.0.0.1` }), GUEST);
      assert.deepEqual(await asGooglebot(t, { from: '10.0.0.2', forwardedFor: GOOGLEBOT_IP }), CRAWLER, 'the outer proxy skipped: the left-most entry');
    });
  });

  describe(`behind listed proxies (KLARTEXT_TRUST_PROXY=127.0.0.1/32,::1) on ${engine}`, () => {
    let t: PaywallTestApp;
    before(async () => { t = await createPaywallTestApp(engine, { env: { KLARTEXT_TRUST_PROXY: '127.0.0.1/32,::1' } }); });
    after(async () => { await t.close(); });

    test('a socket peer that is no listed proxy is the client; its X-Forwarded-For is ignored', async () => {
      assert.deepEqual(await asGooglebot(t, { from: REAL_CLIENT, forwardedFor: GOOGLEBOT_IP }), GUEST);
      assert.deepEqual(await asGooglebot(t, { from: GOOGLEBOT_IP, forwardedFor: REAL_CLIENT }), CRAWLER);
    });

    test('through a listed proxy on IPv4, IPv6 and IPv4-mapped IPv6 the appended address is the client', async () => {
      assert.deepEqual(await asGooglebot(t, { from: '127.0.0.1', forwardedFor: `${GOOGLEBOT_IP}, ${REAL_CLIENT}` }), GUEST);
      assert.deepEqual(await asGooglebot(t, { from: '127.0.0.1', forwardedFor: GOOGLEBOT_IP }), CRAWLER);
      assert.deepEqual(await asGooglebot(t, { from: '::ffff:127.0.0.1', forwardedFor: GOOGLEBOT_IP }), CRAWLER);
      assert.deepEqual(await asGooglebot(t, { from: '::1', forwardedFor: `::ffff:${GOOGLEBOT_IP}` }), CRAWLER);
      assert.deepEqual(await asGooglebot(t, { from: '::1', forwardedFor: `${GOOGLEBOT_IP}, 2001:db8::7` }), GUEST);
      assert.deepEqual(await asGooglebot(t, { from: '127.0.0.1', forwardedFor: `${GOOGLEBOT_IP}, 999.1.1.1` }), GUEST, 'malformed');
    });
  });

  test(`[${engine}] listed proxies: X-Forwarded-Proto from a peer that is not one gives no Secure cookie and no HSTS`, () =>
    withApp(engine, { KLARTEXT_TRUST_PROXY: '127.0.0.1/32,::1' }, async (t) => {
      const untrusted = await loginPage(t, REAL_CLIENT, { 'x-forwarded-proto': 'https' });
      assert.doesNotMatch(untrusted.cookie, /Secure/i);
      assert.equal(untrusted.hsts, null);
      for (const proxy of ['127.0.0.1', '::ffff:127.0.0.1', '::1']) {
        const trusted = await loginPage(t, proxy, { 'x-forwarded-proto': 'https' });
        assert.match(trusted.cookie, /;\s*Secure/i, proxy);
        assert.equal(trusted.hsts, 'max-age=31536000', proxy);
      }
    }));

  test(`[${engine}] without a proxy X-Forwarded-Proto is ignored; HSTS comes with direct HTTPS or an https public URL`, async () => {
    await withApp(engine, {}, async (t) => {
      const spoofed = await loginPage(t, REAL_CLIENT, { 'x-forwarded-proto': 'https' });
      assert.doesNotMatch(spoofed.cookie, /Secure/i);
      assert.equal(spoofed.hsts, null);
      const direct = await new TestBrowser(t.app, {}, fromAddress(REAL_CLIENT)).get('https://localhost/anmelden');
      assert.equal(direct.headers.get('strict-transport-security'), 'max-age=31536000');
    });
    await withApp(engine, { KLARTEXT_PUBLIC_URL: 'https://zeitung.example', KLARTEXT_ALLOWED_HOSTS: 'localhost' }, async (t) => {
      const page = await loginPage(t, REAL_CLIENT, {});
      assert.match(page.cookie, /;\s*Secure/i);
      assert.equal(page.hsts, 'max-age=31536000');
      assert.equal((await t.app.request('/', {}, fromAddress(REAL_CLIENT))).headers.get('strict-transport-security'), 'max-age=31536000', 'public pages too');
    });
  });
}
