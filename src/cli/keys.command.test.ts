// `klartext keys rotate|check` as an operator runs them on a site, and a server start with a wrong or rotated-away master key refused in one line.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { loadConfig } from '../config.ts';
import { startServer } from '../main.ts';
import { cli, guestPages, newSite, type Site } from '../testing/site-pages.ts';

const OLD = randomBytes(32).toString('base64');
const NEW = randomBytes(32).toString('base64');

describe('klartext keys', () => {
  let site: Site;
  let plusPage: Buffer;
  before(async () => {
    site = await newSite('sqlite', 'keys', OLD);
    assert.equal((await cli(['seed'], site.env)).code, 0);
    plusPage = (await guestPages(site.env))[3]!.body;
  });
  after(() => site.drop());

  test('rotate re-wraps under the new key, check then says the old key can go, and the site serves the same key ids', async () => {
    const during = { ...site.env, KLARTEXT_MASTER_KEY: NEW, KLARTEXT_MASTER_KEY_PREVIOUS: OLD };
    let r = await cli(['keys', 'check'], during);
    assert.equal(r.code, 0);
    assert.match(r.out, /^Aktueller Schlüssel [0-9a-f]{16}; [1-9]\d* Einträge liegen noch unter einem alten Schlüssel: klartext keys rotate\.$/);
    r = await cli(['keys', 'rotate', '--batch', '1'], during);
    assert.equal(r.code, 0, r.err.join('\n'));
    assert.match(r.out, /^Schlüssel gewechselt auf [0-9a-f]{16}: [1-9]\d* Inhaltsschlüssel und 0 Mandate neu verpackt \(0 waren es schon\)\.\nNichts liegt mehr unter einem alten Schlüssel: KLARTEXT_MASTER_KEY_PREVIOUS kann entfernt werden\.$/);
    const after = { ...site.env, KLARTEXT_MASTER_KEY: NEW };
    r = await cli(['keys', 'check'], after);
    assert.match(r.out, /alles ist unter ihm verpackt, alte Schlüssel können entfernt werden\./);
    const keyId = (html: Buffer) => /data-key-id="([^"]+)"/.exec(html.toString('utf8'))?.[1];
    assert.equal(keyId((await guestPages(after))[3]!.body), keyId(plusPage), 'the same content key (and key id) as before');
  });

  test('a server start and a rotation with a key that opens nothing stop with one line naming the variable', async () => {
    const stale = { ...site.env, KLARTEXT_MASTER_KEY: OLD, PORT: '0', HOST: '127.0.0.1' };
    // a server that starts anyway is closed again, so a failure here cannot leave it running
    const attempt = startServer(loadConfig(stale)).then(async (server) => { await server.close(); throw new Error('the server started with a stale key'); });
    await assert.rejects(attempt, /^DomainError: Kein gehaltener Master-Schlüssel \([0-9a-f]{16}\) öffnet die Inhaltsschlüssel dieser Datenbank: KLARTEXT_MASTER_KEY ist falsch, oder der alte Schlüssel fehlt in KLARTEXT_MASTER_KEY_PREVIOUS$/);
    const r = await cli(['keys', 'rotate'], { ...site.env, KLARTEXT_MASTER_KEY: randomBytes(32).toString('base64') });
    assert.equal(r.code, 1);
    assert.equal(r.err.length, 1);
    assert.match(r.err[0]!, /^klartext keys rotate: Kein gehaltener Master-Schlüssel .* KLARTEXT_MASTER_KEY ist falsch/);
  });

  test('bad arguments are exit 2 naming the option', async () => {
    for (const [args, message] of [
      [['keys'], /Unterbefehl fehlt/],
      [['keys', 'drehen'], /unbekannter Unterbefehl „drehen“/],
      [['keys', 'rotate', '--batch', '0'], /--batch muss eine ganze Zahl von 1 bis 10000 sein, nicht „0“/],
      [['keys', 'rotate', '--batch', 'viele'], /--batch muss eine ganze Zahl/],
      [['keys', 'check', '--batch', '5'], /unbekannte Option --batch/],
    ] as const) {
      const r = await cli([...args], site.env);
      assert.equal(r.code, 2, args.join(' '));
      assert.match(r.err[0]!, message);
    }
    const r = await cli(['keys', 'rotate'], { ...site.env, KLARTEXT_MASTER_KEY_PREVIOUS: 'kurz' });
    assert.equal(r.code, 2);
    assert.match(r.err[0]!, /^klartext: Invalid KLARTEXT_MASTER_KEY_PREVIOUS="kurz": expected comma-separated master keys/);
  });
});
