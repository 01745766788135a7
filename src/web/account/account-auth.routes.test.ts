// Registration, verification, login and logout through HTTP on every engine: happy paths, bad input, CSRF, throttling, enumeration, cookies.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestApp, type TestApp } from '../../testing/test-app.ts';
import { TestBrowser, linkIn } from '../../testing/test-browser.ts';
import { testEngines } from '../../db/test-stores.ts';
import { registerAndLogIn as registeredReader } from '../../testing/test-accounts.ts';
import { listen } from '../../testing/test-server.ts';
import { HashGate } from '../../accounts/index.ts';

const PW = 'Regenbogen-Fahrrad-7';
const REG = { email: 'ina@example.de', password: PW, acceptTerms: 'on', acceptPrivacy: 'on' };

async function withApp(engine: string, fn: (t: TestApp) => Promise<void>, env?: Record<string, string>) {
  const t = await createTestApp(engine, env ? { env } : {});
  try { await fn(t); } finally { await t.close(); }
}

async function mails(t: TestApp) {
  return t.store.db.selectFrom('mail_outbox').selectAll().orderBy('created_at').execute();
}

for (const engine of testEngines()) {
  test(`[${engine}] register → verification mail → link → login → logout`, () => withApp(engine, async (t) => {
    const b = new TestBrowser(t.app);
    const form = await b.get('/registrieren');
    assert.equal(form.status, 200);
    assert.match(form.text, /name="newsletter" type="checkbox"(?![^>]*checked)/, 'newsletter opt-in is not ticked');
    const r = await b.post('/registrieren', { ...REG, email: ' Ina@Example.de ' });
    assert.equal(r.status, 200);
    assert.match(r.text, /Bitte bestätigen Sie Ihre E-Mail-Adresse/);
    assert.equal(b.cookies.has('klartext_session'), false, 'registration does not log in');
    const [mail] = await mails(t);
    assert.equal(mail!.recipient, 'ina@example.de');
    assert.match(mail!.html_body, /<a href="http:\/\/localhost\/registrieren\/bestaetigen\?token=/);
    const verified = await b.get(linkIn(mail!.text_body, '/registrieren/bestaetigen'));
    assert.equal(verified.status, 303);
    assert.equal(verified.location, '/anmelden?hinweis=verified');
    const login = await b.get('/anmelden?hinweis=verified');
    assert.match(login.text, /Ihre E-Mail-Adresse ist bestätigt/);
    const done = await b.post('/anmelden', { email: 'ina@example.de', password: PW });
    assert.equal(done.status, 303);
    assert.equal(done.location, '/konto');
    const konto = await b.get('/konto');
    assert.match(konto.text, /Guten Tag/);
    assert.doesNotMatch(konto.text, /noch nicht bestätigt/);
    const out = await b.post('/abmelden', {});
    assert.equal(out.location, '/anmelden?hinweis=logged-out');
    assert.equal((await b.get('/konto')).location, '/anmelden?weiter=/konto');
    assert.equal((await t.store.db.selectFrom('sessions').selectAll().execute()).length, 0, 'logout ends the session in the database');
  }));

  test(`[${engine}] the consent links of the registration form lead to existing pages`, () => withApp(engine, async (t) => {
    const form = await new TestBrowser(t.app).get('/registrieren');
    for (const href of ['/agb', '/datenschutz']) {
      assert.match(form.text, new RegExp(`href="${href}"`));
      assert.equal((await new TestBrowser(t.app).get(href)).status, 200, href);
    }
  }));

  test(`[${engine}] registration answers a known and an unknown address with the same body; the owner gets a mail`, () => withApp(engine, async (t) => {
    await registeredReader(t);
    const fresh = new TestBrowser(t.app);
    await fresh.get('/registrieren');
    const known = await fresh.post('/registrieren', { ...REG, password: 'Anderes-Passwort-99' });
    const other = new TestBrowser(t.app);
    await other.get('/registrieren');
    const unknownRes = await other.post('/registrieren', { ...REG, email: 'neu@example.de' });
    assert.equal(known.status, unknownRes.status);
    assert.equal(known.text.replace('ina@example.de', 'X'), unknownRes.text.replace('neu@example.de', 'X'));
    const subjects = (await mails(t)).map((m) => [m.recipient, m.subject]);
    assert.ok(subjects.some(([to, s]) => to === 'ina@example.de' && /bereits ein Konto/.test(s!)), 'the owner is told');
    assert.equal((await t.store.db.selectFrom('users').selectAll().execute()).length, 2);
  }));

  test(`[${engine}] bad registration input comes back inline, naming each field, and nothing is created`, () => withApp(engine, async (t) => {
    const b = new TestBrowser(t.app);
    await b.get('/registrieren');
    const r = await b.post('/registrieren', { email: 'ina-at-example', password: 'passwort123' });
    assert.equal(r.status, 400);
    assert.match(r.text, /id="email-error">Bitte geben Sie eine gültige E-Mail-Adresse ein/);
    assert.match(r.text, /id="password-error">Dieses Passwort gehört zu den häufigsten/);
    assert.match(r.text, /id="acceptTerms-error">/);
    assert.match(r.text, /id="acceptPrivacy-error">/);
    assert.match(r.text, /value="ina-at-example"/, 'the address is kept');
    assert.doesNotMatch(r.text, /passwort123/, 'the password is never echoed');
    const short = await b.post('/registrieren', { ...REG, password: 'kurz' });
    assert.match(short.text, /mindestens 10 Zeichen/);
    assert.equal((await t.store.db.selectFrom('users').selectAll().execute()).length, 0);
  }));

  test(`[${engine}] JSON clients get the error as JSON naming the field`, () => withApp(engine, async (t) => {
    const b = new TestBrowser(t.app);
    await b.get('/registrieren');
    const r = await b.post('/registrieren', { ...REG, email: 'kaputt' }, { accept: 'application/json' });
    assert.equal(r.status, 400);
    const body = JSON.parse(r.text) as { error: { code: string; field: string; message: string } };
    assert.equal(body.error.field, 'email');
    assert.equal(body.error.code, 'invalid-input');
  }));

  test(`[${engine}] a used or forged verification link is a 400 page saying why`, () => withApp(engine, async (t) => {
    await registeredReader(t);
    const [mail] = await mails(t);
    const b = new TestBrowser(t.app);
    const again = await b.get(linkIn(mail!.text_body, '/registrieren/bestaetigen'));
    assert.equal(again.status, 400);
    assert.match(again.text, /schon benutzt/);
    const forged = await b.get('/registrieren/bestaetigen?token=abc');
    assert.equal(forged.status, 400);
    assert.match(forged.text, /ungültig/);
  }));

  test(`[${engine}] a POST without, or with a wrong, CSRF token is refused with 403 and creates nothing`, () => withApp(engine, async (t) => {
    const b = new TestBrowser(t.app);
    await b.get('/registrieren');
    const none = await b.request('/registrieren', { method: 'POST', body: new URLSearchParams(REG).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    assert.equal(none.status, 403);
    assert.match(none.text, /CSRF/);
    const wrong = await b.post('/registrieren', { ...REG, _csrf: 'A'.repeat(86) });
    assert.equal(wrong.status, 403);
    const stranger = new TestBrowser(t.app);
    await stranger.get('/registrieren');
    const foreign = await b.post('/registrieren', { ...REG, _csrf: stranger.csrf });
    assert.equal(foreign.status, 403, "another browser's token does not fit this browser");
    assert.equal((await t.store.db.selectFrom('users').selectAll().execute()).length, 0);
  }));

  test(`[${engine}] a cross-site POST is refused even with a valid token`, () => withApp(engine, async (t) => {
    const b = new TestBrowser(t.app);
    await b.get('/anmelden');
    assert.equal((await b.post('/anmelden', { email: 'a@example.de', password: PW }, { origin: 'https://evil.example' })).status, 403);
    assert.equal((await b.post('/anmelden', { email: 'a@example.de', password: PW }, { 'sec-fetch-site': 'cross-site' })).status, 403);
    assert.equal((await b.post('/anmelden', { email: 'a@example.de', password: PW }, { origin: 'http://localhost' })).status, 401, 'same origin passes on to the password check');
  }));

  test(`[${engine}] logged in, a token made from a planted anonymous CSRF cookie is refused`, () => withApp(engine, async (t) => {
    // The attacker knows a klartext_csrf value (planted from a sibling subdomain) and the token it gives.
    const attacker = new TestBrowser(t.app);
    const page = await attacker.get('/anmelden');
    const plantedCookie = attacker.cookies.get('klartext_csrf')!;
    const plantedToken = /name="_csrf" value="([^"]+)"/.exec(page.text)![1]!;
    const victim = await registeredReader(t);
    victim.cookies.set('klartext_csrf', plantedCookie);
    const forged = await victim.request('/konto/profil', {
      method: 'POST', body: new URLSearchParams({ _csrf: plantedToken, displayName: 'Gekapert' }).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    assert.equal(forged.status, 403);
    const row = await t.store.db.selectFrom('users').select('display_name').where('email', '=', 'ina@example.de').executeTakeFirstOrThrow();
    assert.notEqual(row.display_name, 'Gekapert');
  }));

  test(`[${engine}] an oversized form is refused with 413`, () => withApp(engine, async (t) => {
    const b = new TestBrowser(t.app);
    await b.get('/registrieren');
    const r = await b.post('/registrieren', { ...REG, email: `${'a'.repeat(20_000)}@example.de` });
    assert.equal(r.status, 413);
    assert.match(r.text, /zu groß/);
    assert.equal((await t.store.db.selectFrom('users').selectAll().execute()).length, 0);
  }));

  test(`[${engine}] the 6th wrong password within a minute gets 429, and so does the right one then`, () => withApp(engine, async (t) => {
    await registeredReader(t);
    const b = new TestBrowser(t.app);
    await b.get('/anmelden');
    for (let i = 1; i <= 5; i++) {
      const r = await b.post('/anmelden', { email: 'ina@example.de', password: `falsch-${i}-xxxxxx` });
      assert.equal(r.status, 401, `attempt ${i}`);
      assert.match(r.text, /E-Mail-Adresse oder Passwort stimmen nicht/);
    }
    const sixth = await b.post('/anmelden', { email: 'ina@example.de', password: 'falsch-6-xxxxxx' });
    assert.equal(sixth.status, 429);
    assert.match(sixth.text, /Zu viele Anmeldeversuche/);
    assert.ok(Number(sixth.headers.get('retry-after')) > 0);
    assert.equal((await b.post('/anmelden', { email: 'ina@example.de', password: PW })).status, 429);
    const other = new TestBrowser(t.app);
    await other.get('/anmelden');
    assert.equal((await other.post('/anmelden', { email: 'nie@example.de', password: 'falsch-1-xxxxxx' })).status, 401, 'other accounts are not locked');
  }));

  test(`[${engine}] a known and an unknown address get the same login error body`, () => withApp(engine, async (t) => {
    await registeredReader(t);
    const b = new TestBrowser(t.app);
    await b.get('/anmelden');
    const known = await b.post('/anmelden', { email: 'ina@example.de', password: 'falsch-falsch-1' });
    const unknownRes = await b.post('/anmelden', { email: 'nie@example.de', password: 'falsch-falsch-1' });
    const strip = (s: string, email: string) => s.replace(email, 'X').replace(/name="_csrf" value="[^"]+"/, '');
    assert.equal(strip(known.text, 'ina@example.de'), strip(unknownRes.text, 'nie@example.de'));
  }));

  test(`[${engine}] login rotates the session: the cookie from before stops working`, () => withApp(engine, async (t) => {
    const b = await registeredReader(t);
    const before = b.cookies.get('klartext_session')!;
    await b.get('/anmelden?weiter=/konto');
    const r = await b.post('/anmelden', { email: 'ina@example.de', password: PW });
    assert.equal(r.status, 303);
    const after = b.cookies.get('klartext_session')!;
    assert.notEqual(after, before);
    const stale = new TestBrowser(t.app);
    stale.cookies.set('klartext_session', before);
    assert.equal((await stale.get('/konto')).location, '/anmelden?weiter=/konto');
    assert.equal((await t.store.db.selectFrom('sessions').selectAll().execute()).length, 1);
  }));

  test(`[${engine}] the session cookie is HttpOnly and SameSite=Lax, Secure over HTTPS, and kept 30 days only with "angemeldet bleiben"`, () => withApp(engine, async (t) => {
    const b = new TestBrowser(t.app);
    await registeredReader(t);
    await b.get('/anmelden');
    const plain = await b.post('/anmelden', { email: 'ina@example.de', password: PW });
    const cookie = plain.headers.getSetCookie().find((c) => c.startsWith('klartext_session='))!;
    assert.match(cookie, /HttpOnly/);
    assert.match(cookie, /SameSite=Lax/);
    assert.match(cookie, /; Path=\/(;|$)/);
    assert.doesNotMatch(cookie, /Secure/);
    assert.doesNotMatch(cookie, /Max-Age/, 'a browser-session cookie');
    const s = new TestBrowser(t.app);
    await s.get('https://localhost/anmelden');
    const secure = await s.request('https://localhost/anmelden', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ _csrf: s.csrf, email: 'ina@example.de', password: PW, persistent: 'on' }).toString() });
    const sc = secure.headers.getSetCookie().find((c) => c.startsWith('klartext_session='))!;
    assert.match(sc, /Secure/);
    assert.match(sc, /Max-Age=2592000/);
  }));

  test(`[${engine}] the anonymous CSRF cookie is HttpOnly, SameSite=Lax and Path=/, and Secure over HTTPS`, async () => {
    const attributesOf = (res: { headers: Headers }): Map<string, string> => {
      const line = res.headers.getSetCookie().find((c) => c.startsWith('klartext_csrf='));
      assert.ok(line, 'the login page sets the anonymous CSRF cookie');
      return new Map(line.split(';').slice(1).map((a) => a.trim().split('=') as [string, string?]).map(([k, v]) => [k.toLowerCase(), v ?? '']));
    };
    const plainApp = await createTestApp(engine);
    const proxied = await createTestApp(engine, { env: { KLARTEXT_TRUST_PROXY: '1' } });
    const published = await createTestApp(engine, { env: { KLARTEXT_PUBLIC_URL: 'https://zeitung.example', KLARTEXT_ALLOWED_HOSTS: 'localhost' } });
    try {
      const plain = attributesOf(await new TestBrowser(plainApp.app).get('/anmelden'));
      assert.equal(plain.has('httponly'), true, 'HttpOnly');
      assert.equal(plain.get('samesite'), 'Lax');
      assert.equal(plain.get('path'), '/');
      assert.equal(plain.has('secure'), false, 'no Secure over plain HTTP (the browser would drop it)');
      const https = [
        await new TestBrowser(plainApp.app).get('https://localhost/anmelden'),
        await new TestBrowser(proxied.app).get('/anmelden', { 'x-forwarded-proto': 'https' }),
        await new TestBrowser(published.app).get('/anmelden'),
      ];
      for (const res of https) {
        const a = attributesOf(res);
        assert.equal(a.has('secure'), true, 'Secure over HTTPS');
        assert.equal(a.has('httponly'), true);
        assert.equal(a.get('samesite'), 'Lax');
        assert.equal(a.get('path'), '/');
      }
    } finally {
      await Promise.all([plainApp.close(), proxied.close(), published.close()]);
    }
  });

  test(`[${engine}] sessions live in the database: a second app on the same store knows the cookie`, () => withApp(engine, async (t) => {
    const b = await registeredReader(t);
    const { createApp } = await import('../app.tsx');
    const pino = (await import('pino')).default;
    const second = createApp({ config: t.config, store: t.store, logger: pino({ level: 'silent' }), clientJs: '' });
    const other = new TestBrowser(second.app);
    other.cookies.set('klartext_session', b.cookies.get('klartext_session')!);
    const me = JSON.parse((await other.get('/api/me')).text) as { user: { email: string } | null };
    assert.equal(me.user?.email, 'ina@example.de');
  }));

  test(`[${engine}] a \`weiter\` that would break the Location header or leave the site: login works over a real socket and lands on a local path`, () => withApp(engine, async (t) => {
    await registeredReader(t);
    const server = await listen(t.app);
    // TestBrowser over Node's HTTP layer, which refuses control characters in headers (app.request would not notice)
    const overSocket = { request: (input: string | URL | Request, init?: RequestInit) => fetch(typeof input === 'string' ? `${server.url}${input}` : input, init) };
    try {
      const cases: [string, string][] = [
        ['/%7F', '/konto'], ['/%0d%0aSet-Cookie:%20x=y', '/konto'], ['/%00', '/konto'], ['/%C2%85', '/konto'],
        ['/%5C%5Cevil.example', '/konto'], ['%2F%2Fevil.example', '/konto'], ['/%2F%2Fevil.example', '/konto'], ['/.%2F%2Fevil.example', '/konto'],
        [`/${'a'.repeat(600)}`, '/konto'], ['/artikel/%C3%BCber?x=%C3%A4', '/artikel/%C3%BCber?x=%C3%A4'],
      ];
      for (const [raw, expected] of cases) {
        const next = decodeURIComponent(raw);
        const b = new TestBrowser(overSocket);
        const form = await b.get(`/anmelden?weiter=${raw}`);
        assert.equal(form.status, 200, `GET ${raw}`);
        const r = await b.post('/anmelden', { email: 'ina@example.de', password: PW, weiter: next });
        assert.equal(r.status, 303, `POST ${raw}`);
        assert.equal(r.location, expected, raw);
        assert.ok(b.cookies.has('klartext_session'), `logged in with ${raw}`);
        const again = await b.get(`/anmelden?weiter=${raw}`);
        assert.equal(again.status, 303, `GET ${raw} when logged in`);
        assert.equal(again.location, expected, raw);
      }
    } finally {
      await server.close();
    }
  }));

  test(`[${engine}] a broken multipart form body is a 400 naming the form, never a 500`, () => withApp(engine, async (t) => {
    const reader = await registeredReader(t);
    const part = (boundary: string) => `--${boundary}\r\nContent-Disposition: form-data; name="email"\r\n\r\nina@example.de`;
    const bodies: [string, string][] = [
      ['multipart/form-data; boundary=x', 'garbage'],
      ['multipart/form-data', `${part('x')}\r\n--x--\r\n`],
      ['multipart/form-data; boundary=y', `${part('x')}\r\n--x--\r\n`],
      ['multipart/form-data; boundary=x', part('x')],
      ['multipart/form-data; boundary="', '--"\r\n'],
    ];
    for (const path of ['/anmelden', '/registrieren', '/passwort-vergessen', '/abmelden']) {
      for (const [type, body] of bodies) {
        // without the header the CSRF check reads the form; with the token in the header the route itself reads it
        const withHeader = path === '/abmelden' ? [false] : [false, true];
        for (const header of withHeader) {
          const headers: Record<string, string> = { 'content-type': type, ...(header ? { 'x-klartext-csrf': reader.csrf } : {}) };
          const r = await (header ? reader : new TestBrowser(t.app)).request(path, { method: 'POST', body, headers });
          assert.equal(r.status, 400, `${path} ${type} ${JSON.stringify(body)} csrf header: ${header}`);
          assert.match(r.text, new RegExp(`Das Formular an ${path} ließ sich nicht lesen`));
        }
      }
    }
    const json = await reader.request('/konto/passwort', { method: 'POST', body: 'garbage', headers: { 'content-type': 'multipart/form-data; boundary=x', accept: 'application/json' } });
    assert.equal(json.status, 400);
    assert.equal((JSON.parse(json.text) as { error: { field: string } }).error.field, 'body');
  }));

  test(`[${engine}] after login only paths on this site are followed`, () => withApp(engine, async (t) => {
    await registeredReader(t);
    for (const [next, expected] of [['/konto#geraete', '/konto#geraete'], ['//evil.example/x', '/konto'], ['https://evil.example', '/konto']] as const) {
      const b = new TestBrowser(t.app);
      await b.get(`/anmelden?weiter=${encodeURIComponent(next)}`);
      const r = await b.post('/anmelden', { email: 'ina@example.de', password: PW, weiter: next });
      assert.equal(r.location, expected);
    }
  }));

  test(`[${engine}] a login flood beyond the hashing queue gets 503 with Retry-After and a German message, not a 500`, async () => {
    const waits: (() => void)[] = [];
    // the imitated verify of an unknown address holds its slot until the test lets go
    const gate = new HashGate({ concurrency: 1, queue: 1, perSecond: 1000, sleep: () => new Promise<void>((resolve) => waits.push(resolve)) });
    const t = await createTestApp(engine, { hashGate: gate, env: { KLARTEXT_TRUST_PROXY: '1' } });
    try {
      await registeredReader(t); // a real verify: the imitation has a duration to copy
      const attacker = async (n: number) => {
        const b = new TestBrowser(t.app, { 'x-forwarded-for': `198.51.100.${n}` });
        await b.get('/anmelden');
        return b;
      };
      const [b1, b2, b3, b4] = await Promise.all([1, 2, 3, 4].map(attacker));
      const settled = async () => {
        for (let turns = 0; waits.length < 1 || gate.state().waiting < 1; turns++) {
          if (turns > 10_000) assert.fail('the first login never took the slot and the second never queued');
          await new Promise(setImmediate);
        }
      };
      const first = b1!.post('/anmelden', { email: 'nie1@example.de', password: 'falsch-falsch-1' });
      const second = b2!.post('/anmelden', { email: 'nie2@example.de', password: 'falsch-falsch-1' });
      await settled();
      const throttleRows = async () => (await t.store.db.selectFrom('throttle_events').selectAll().execute()).length;
      const rowsBefore = await throttleRows();
      const page = await b3!.post('/anmelden', { email: 'nie3@example.de', password: 'falsch-falsch-1' });
      assert.equal(page.status, 503);
      assert.ok(Number(page.headers.get('retry-after')) >= 1, 'Retry-After says when');
      assert.match(page.text, /Gerade melden sich sehr viele Menschen an\. Bitte versuchen Sie es in ein paar Sekunden noch einmal\./);
      const json = await b4!.post('/anmelden', { email: 'ina@example.de', password: PW }, { accept: 'application/json' });
      assert.equal(json.status, 503, 'a known address is refused alike');
      assert.ok(Number(json.headers.get('retry-after')) >= 1);
      const body = JSON.parse(json.text) as { error: { code: string; message: string } };
      assert.equal(body.error.code, 'busy');
      assert.match(body.error.message, /sehr viele Menschen/);
      assert.equal(await throttleRows(), rowsBefore, 'a refusal is cheap: it is answered before the database is touched');
      while (gate.state().active || gate.state().waiting) { waits.splice(0).forEach((go) => go()); await new Promise(setImmediate); }
      assert.equal((await first).status, 401);
      assert.equal((await second).status, 401);
      assert.equal((await b4!.post('/anmelden', { email: 'ina@example.de', password: PW })).status, 303, 'once the queue is empty, logins work again');
    } finally {
      await t.close();
    }
  });
}
