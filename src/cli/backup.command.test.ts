// `klartext backup` → `klartext restore` into a fresh site gives the same site byte for byte, on both engines; and every way a restore can go wrong stops with one line, touching nothing.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { testEngines } from '../db/test-stores.ts';
import { cli, guestPages, newSite, type Site } from '../testing/site-pages.ts';

const MASTER_KEY = randomBytes(32).toString('base64');
const PAIN008 = '<?xml version="1.0"?><Document>DE89370400440532013000</Document>\n';

for (const engine of testEngines()) {
  describe(`backup and restore (${engine})`, () => {
    let source: Site;
    let target: Site;
    let backup: string;
    let work: string;
    before(async () => {
      source = await newSite(engine, 'src', MASTER_KEY);
      target = await newSite(engine, 'dst', MASTER_KEY);
      work = await fs.mkdtemp(path.join(os.tmpdir(), 'klartext-backups-'));
      assert.equal((await cli(['seed'], source.env)).code, 0);
      await fs.mkdir(path.join(source.dataDir, 'sepa'), { recursive: true });
      await fs.writeFile(path.join(source.dataDir, 'sepa', 'pain008-TEST1.xml'), PAIN008);
      backup = path.join(work, 'site.tar');
    });
    after(async () => {
      await source.drop();
      await target.drop();
      await fs.rm(work, { recursive: true, force: true });
    });

    test('a backup restored into a fresh site serves the same pages byte for byte (front, section, free and Plus article, image)', async () => {
      // rendered first, as on a live site: a Plus version gets its content key (and key id) on its first render
      const before = await guestPages(source.env);
      const made = await cli(['backup', '--out', backup], source.env);
      assert.equal(made.code, 0, made.err.join('\n'));
      assert.match(made.out, /Sicherung geschrieben: .*site\.tar \((SQLite|PostgreSQL), \d+ Dateien/);
      assert.match(made.out, /Master-Schlüssel ist nicht darin/);
      assert.equal((await fs.stat(backup)).mode & 0o777, 0o600, 'the backup holds password hashes and payment data: owner only');
      const bytes = await fs.readFile(backup);
      const key = Buffer.from(MASTER_KEY, 'base64');
      assert.ok(!bytes.includes(MASTER_KEY) && !bytes.includes(key) && !bytes.includes(key.toString('hex')), 'the master key is never in a backup');
      const restored = await cli(['restore', backup], target.env);
      assert.equal(restored.code, 0, restored.err.join('\n'));
      const afterRestore = await guestPages(target.env);
      assert.equal(before.length, 5, 'front, section, free, Plus and an image');
      assert.match(before[3]!.body.toString('utf8'), /data-key-id="[A-Za-z0-9_-]{10}"/, 'the Plus page carries its key id and ciphertext');
      for (const [i, page] of before.entries()) {
        assert.equal(page.status, 200, page.path);
        assert.equal(afterRestore[i]!.path, page.path);
        assert.equal(afterRestore[i]!.type, page.type, page.path);
        assert.ok(afterRestore[i]!.body.equals(page.body), `${page.path} differs after the restore`);
      }
      assert.equal(await fs.readFile(path.join(target.dataDir, 'sepa', 'pain008-TEST1.xml'), 'utf8'), PAIN008);
      assert.equal((await fs.stat(path.join(target.dataDir, 'sepa', 'pain008-TEST1.xml'))).mode & 0o777, 0o600);
    });

    test('a second restore over the site is refused without --force, and replaces it with --force', async () => {
      const again = await cli(['restore', backup], target.env);
      assert.equal(again.code, 2);
      assert.deepEqual(again.err, ['klartext restore: die Zieldatenbank enthält schon eine Website (Artikel oder Konten); mit --force wird sie ersetzt']);
      const forced = await cli(['restore', backup, '--force'], target.env);
      assert.equal(forced.code, 0, forced.err.join('\n'));
    });

    test('a damaged, cut-off or foreign file, a missing master key and the other engine stop with one line and change nothing', async () => {
      const fresh = await newSite(engine, 'bad', MASTER_KEY);
      try {
        const whole = await fs.readFile(backup);
        const cut = path.join(work, 'cut.tar');
        await fs.writeFile(cut, whole.subarray(0, Math.floor(whole.length / 2)));
        const flipped = Buffer.from(whole);
        flipped[1024 + 700] = flipped[1024 + 700]! ^ 0xff;
        const damaged = path.join(work, 'damaged.tar');
        await fs.writeFile(damaged, flipped);
        const foreign = path.join(work, 'foreign.tar');
        await fs.writeFile(foreign, randomBytes(4096));
        const cases: [string[], Record<string, string>, RegExp][] = [
          [['restore', cut], fresh.env, /cut\.tar (ends in the middle|ist keine vollständige)/],
          [['restore', damaged], fresh.env, /damaged\.tar: database\.(sqlite|pgdump) ist beschädigt|damaged\.tar entry/],
          [['restore', foreign], fresh.env, /foreign\.tar is not a Klartext backup/],
          [['restore', path.join(work, 'nope.tar')], fresh.env, /Datei nicht gefunden/],
          [['restore', backup], { ...fresh.env, KLARTEXT_MASTER_KEY: randomBytes(32).toString('base64') }, /braucht den Master-Schlüssel mit Fingerabdruck [0-9a-f]{16}, gehalten wird [0-9a-f]{16}: KLARTEXT_MASTER_KEY setzen/],
          [['restore', backup], engine === 'sqlite' ? { ...fresh.env, DATABASE_URL: 'postgres://127.0.0.1:1/x' } : { ...fresh.env, DATABASE_URL: '' }, /die Sicherung stammt von (SQLite|PostgreSQL), die Konfiguration \(DATABASE_URL\) zeigt auf/],
          [['restore'], fresh.env, /Datei fehlt/],
          [['restore', backup, '--gewalt'], fresh.env, /unbekannte Option --gewalt/],
        ];
        for (const [args, env, message] of cases) {
          const r = await cli(args, env);
          assert.equal(r.code, 2, `${args.join(' ')}: ${r.err.join('\n')}`);
          assert.equal(r.err.length, 1, args.join(' '));
          assert.match(r.err[0]!, message);
        }
        const { KLARTEXT_MASTER_KEY: _k, ...withoutKey } = fresh.env;
        const keyless = await cli(['restore', backup], withoutKey);
        assert.equal(keyless.code, 2);
        assert.match(keyless.err[0]!, /es ist keiner gesetzt: KLARTEXT_MASTER_KEY setzen \(oder master\.key/);
        await assert.rejects(fs.access(path.join(fresh.dataDir, 'master.key')), 'restore never makes a master key');
        assert.deepEqual((await fs.readdir(fresh.dataDir)).filter((f) => f !== 'klartext.sqlite'), [], 'nothing unpacked');
        if (engine === 'sqlite') await assert.rejects(fs.access(path.join(fresh.dataDir, 'klartext.sqlite')));
      } finally {
        await fresh.drop();
      }
    });

    test('backup refuses to overwrite a file, and names a missing tool or database in one line', async () => {
      const exists = await cli(['backup', '--out', backup], source.env);
      assert.equal(exists.code, 2);
      assert.match(exists.err[0]!, /site\.tar gibt es schon/);
      const noOut = await cli(['backup', '--out'], source.env);
      assert.equal(noOut.code, 2);
      assert.match(noOut.err[0]!, /--out braucht einen Wert/);
      if (engine === 'postgres') {
        const r = await cli(['backup', '--out', path.join(work, 'x.tar')], { ...source.env, PATH: '/nonexistent' });
        assert.equal(r.code, 1);
        assert.deepEqual(r.err, ['klartext backup: pg_dump nicht gefunden: für PostgreSQL braucht klartext die Client-Programme in der Version des Servers (Debian: apt install postgresql-client)']);
      } else {
        const empty = await fs.mkdtemp(path.join(os.tmpdir(), 'klartext-none-'));
        const r = await cli(['backup', '--out', path.join(work, 'x.tar')], { ...source.env, KLARTEXT_DATA_DIR: empty });
        await fs.rm(empty, { recursive: true, force: true });
        assert.equal(r.code, 2);
        assert.match(r.err[0]!, /SQLite-Datenbank .*klartext\.sqlite nicht gefunden/);
      }
      await assert.rejects(fs.access(path.join(work, 'x.tar')), 'no partial backup left behind');
      assert.deepEqual((await fs.readdir(work)).filter((f) => f.startsWith('.')), []);
    });

    if (engine === 'sqlite') {
      test('the SQLite backup is consistent while another connection keeps writing', async () => {
        const file = path.join(source.dataDir, 'klartext.sqlite');
        const writer = new SQLite(file);
        writer.pragma('busy_timeout = 5000');
        let writing = true;
        let written = 0;
        const loop = (async () => {
          while (writing) {
            writer.prepare("insert into throttle_events (key, at) values (?, ?)").run(randomBytes(8).toString('hex'), new Date().toISOString());
            written++;
            await new Promise((r) => setImmediate(r));
          }
        })();
        const out = path.join(work, 'busy.tar');
        const r = await cli(['backup', '--out', out], source.env);
        writing = false;
        await loop;
        writer.close();
        assert.equal(r.code, 0, r.err.join('\n'));
        assert.ok(written > 0);
        const site = await newSite(engine, 'busy', MASTER_KEY);
        try {
          assert.equal((await cli(['restore', out], site.env)).code, 0);
          const copy = new SQLite(path.join(site.dataDir, 'klartext.sqlite'), { readonly: true });
          assert.equal(copy.pragma('integrity_check', { simple: true }), 'ok');
          copy.close();
        } finally {
          await site.drop();
        }
      });
    }
  });
}
