// Every registered route belongs to exactly one app, and each app keeps its promise: public routes never set cookies or
// read the session (same bytes for a guest and a logged-in reader); private routes always answer `private, no-store`.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Hono } from 'hono';
import pino from 'pino';
import { testEngines } from '../db/test-stores.ts';
import { createPaywallTestApp, FREE_SLUG, PLUS_SLUG, type PaywallTestApp } from '../testing/paywall-fixtures.ts';
import { TestBrowser } from '../testing/test-browser.ts';
import { isPrivatePath } from './platform/private-paths.ts';
import type { AppEnv } from './platform/request-context.middleware.ts';

/** Concrete values for the parameters of registered paths (demo fixtures). */
const PARAMS: Record<string, string> = {
  slug: PLUS_SLUG, section: 'stadt', articleId: 'unbekannt', id: 'unbekannt', file: 'fehlt-640.jpg', number: 'KT-0000-0000',
  // newsroom revisions: version numbers
  a: '1', b: '2', version: '1',
  // institutions: the reader whose seat is freed
  userId: 'unbekannt',
};

/** A concrete path for a registered route path, or undefined for middleware patterns. */
function concrete(path: string): string | undefined {
  if (path === '*' || path === '/*' || path.endsWith('/*')) return undefined;
  return path.replace(/:([A-Za-z]+)(\{[^}]*\})?/g, (_, name: string) => {
    const v = PARAMS[name];
    if (v === undefined) throw new Error(`no test value for the route parameter :${name} in ${path}`);
    return v;
  });
}

/** Route handlers (not middleware) of an app: method and concrete path. */
function routesOf(app: Hono<AppEnv>): { method: string; path: string; pattern: string }[] {
  const seen = new Set<string>();
  const out: { method: string; path: string; pattern: string }[] = [];
  for (const r of app.routes) {
    const path = concrete(r.path);
    if (!path || r.method === 'ALL') continue;
    const key = `${r.method} ${r.path}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ method: r.method, path, pattern: r.path });
  }
  return out;
}

for (const engine of testEngines()) {
  describe(`public and private app on ${engine}`, () => {
    let t: PaywallTestApp;
    let reader: TestBrowser;
    const errors: string[] = [];
    before(async () => {
      const logger = pino({ level: 'error' }, { write: (line: string) => { errors.push(line); } });
      t = await createPaywallTestApp(engine, { logger });
      reader = (await t.reader('subscriber')).browser;
    });
    after(async () => { await t.close(); });

    test('every route is registered in the app its path belongs to, and the walk covers both apps', () => {
      const pub = routesOf(t.klartext.publicApp);
      const priv = routesOf(t.klartext.privateApp);
      assert.ok(pub.length >= 10, `public routes found: ${pub.length}`);
      assert.ok(priv.length >= 15, `private routes found: ${priv.length}`);
      for (const r of pub) assert.equal(isPrivatePath(r.path), false, `${r.method} ${r.pattern} is registered public but its path is private: it could never be reached`);
      for (const r of priv) assert.equal(isPrivatePath(r.path), true, `${r.method} ${r.pattern} is registered private but its path would be answered by the public app`);
    });

    test('public routes set no cookie and answer a logged-in reader with the same bytes as a guest', async () => {
      const paths = [...routesOf(t.klartext.publicApp).filter((r) => r.method === 'GET').map((r) => r.path), `/artikel/${FREE_SLUG}`];
      for (const path of paths) {
        t.klartext.pageCache.clear();
        const asReader = await reader.get(path);
        t.klartext.pageCache.clear();
        const asGuest = await new TestBrowser(t.app).get(path);
        assert.deepEqual(asReader.headers.getSetCookie(), [], `${path} set a cookie for a reader`);
        assert.deepEqual(asGuest.headers.getSetCookie(), [], `${path} set a cookie for a guest`);
        // A session middleware that ran would end this unknown session with a Set-Cookie.
        const forged = await new TestBrowser(t.app, { cookie: 'klartext_session=gefaelscht-und-unbekannt' }).get(path);
        assert.deepEqual(forged.headers.getSetCookie(), [], `${path} looked at the session cookie`);
        assert.equal(asReader.status, asGuest.status, path);
        // The request id differs per request; everything else is the same page.
        const strip = (s: string) => s.replace(/Vorgangsnummer: [0-9a-z]+/g, '');
        assert.equal(strip(asReader.text), strip(asGuest.text), `${path} differs for a logged-in reader: it read the session`);
        assert.deepEqual(errors, [], `${path}: a public route tried to set a cookie (dropped by the guard)`);
        const cc = asGuest.headers.get('cache-control') ?? '';
        // health and metrics say how this process is right now: public, but for no cache to keep.
        if (['/healthz', '/livez', '/readyz', '/metrics'].includes(path)) assert.equal(cc, 'no-store');
        else if (asGuest.status === 200) assert.match(cc, /^public/, `${path}: ${cc}`);
        else assert.doesNotMatch(cc, /^public/, `${path}: an error page (${asGuest.status}) is not shared`);
      }
    });

    test('private routes answer private, no-store — pages, forms, API, errors — for guests and readers', async () => {
      for (const r of routesOf(t.klartext.privateApp)) {
        for (const who of [new TestBrowser(t.app), reader]) {
          const res = r.method === 'GET' ? await who.get(r.path) : await who.request(r.path, { method: r.method, body: '', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
          assert.equal(res.headers.get('cache-control'), 'private, no-store', `${r.method} ${r.path} → ${res.status}`);
        }
      }
    });

    test('the shared page cache never holds an answer of the private app', async () => {
      t.klartext.pageCache.clear();
      for (const r of routesOf(t.klartext.privateApp).filter((x) => x.method === 'GET')) await reader.get(r.path);
      assert.equal(t.klartext.pageCache.size, 0);
    });
  });
}
