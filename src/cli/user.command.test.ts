// `klartext user create|list` on the embedded database: password from stdin or generated, bad input named, exit codes.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { runCli } from './main.ts';
import { captureIo } from '../testing/cli-io.ts';
import { connect } from '../db/index.ts';
import { logIn, TEST_HASHING } from '../accounts/index.ts';

const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'klartext-cli-user-'));
after(() => fs.rm(dir, { recursive: true, force: true }));
const env = { KLARTEXT_DATA_DIR: dir };

const io = captureIo;

async function canLogIn(email: string, password: string): Promise<boolean> {
  const store = connect({ dataDir: dir });
  try {
    await logIn(store.db, { email, password, persistent: false }, { hashing: TEST_HASHING, requester: { ip: 'cli-test', userAgent: '' } });
    return true;
  } catch {
    return false;
  } finally {
    await store.close();
  }
}

test('user create reads the password from stdin with --password-stdin', async () => {
  const t = io('Chefredaktion-am-Deich\n');
  assert.equal(await runCli(['user', 'create', '--email', 'Chefin@Example.de', '--role', 'admin', '--password-stdin'], t, env), 0);
  assert.match(t.stdout.join('\n'), /Konto angelegt: chefin@example.de \(Rolle: admin\)/);
  assert.doesNotMatch(t.stdout.join('\n'), /Passwort:/);
  assert.equal(await canLogIn('chefin@example.de', 'Chefredaktion-am-Deich'), true);
});

test('user create without --password-stdin generates a password and prints it once', async () => {
  const t = io();
  assert.equal(await runCli(['user', 'create', '--email', 'autor@example.de', '--role', 'author', '--name', 'Ina Autorin'], t, env), 0);
  const m = /Passwort: (\S+)/.exec(t.stdout.join('\n'));
  assert.ok(m, 'password printed');
  assert.equal(await canLogIn('autor@example.de', m[1]!), true);
});

test('user create refuses a duplicate address, an unknown role, a weak password and a missing --email', async () => {
  const dup = io();
  assert.equal(await runCli(['user', 'create', '--email', 'chefin@example.de', '--role', 'admin'], dup, env), 1);
  assert.match(dup.stderr.join('\n'), /gibt schon ein Konto/);
  const role = io();
  assert.equal(await runCli(['user', 'create', '--email', 'x@example.de', '--role', 'chef'], role, env), 1);
  assert.match(role.stderr.join('\n'), /Unbekannte Rolle „chef“/);
  const weak = io('passwort123\n');
  assert.equal(await runCli(['user', 'create', '--email', 'y@example.de', '--role', 'editor', '--password-stdin'], weak, env), 1);
  assert.match(weak.stderr.join('\n'), /häufigsten Passwörtern/);
  const missing = io();
  assert.equal(await runCli(['user', 'create', '--role', 'admin'], missing, env), 2);
  assert.match(missing.stderr.join('\n'), /--email fehlt/);
  const empty = io('');
  assert.equal(await runCli(['user', 'create', '--email', 'z@example.de', '--password-stdin'], empty, env), 2);
});

test('user create names an unknown option or an option without its value, exit 2, and creates nothing', async () => {
  const cases: [string[], RegExp][] = [
    [['user', 'create', '--email', 'neu@example.de', '--rolle', 'admin'], /klartext user create: unbekannte Option --rolle/],
    [['user', 'create', '--email'], /klartext user create: --email braucht einen Wert/],
    [['user', 'create', '--email', '--role', 'admin'], /klartext user create: --email braucht einen Wert/],
    [['user', 'create', '--email', 'neu@example.de', '--name'], /klartext user create: --name braucht einen Wert/],
    [['user', 'create', '--email', 'neu@example.de', '--password-stdin=geheim'], /--password-stdin nimmt keinen Wert an/],
  ];
  for (const [argv, message] of cases) {
    const t = io('Regenbogen-Fahrrad-7\n');
    assert.equal(await runCli(argv, t, env), 2, argv.join(' '));
    assert.match(t.stderr.join('\n'), message, argv.join(' '));
  }
  const list = io();
  await runCli(['user', 'list'], list, env);
  assert.doesNotMatch(list.stdout.join('\n'), /neu@example.de/);
});

test('user list shows every account with its role', async () => {
  const t = io();
  assert.equal(await runCli(['user', 'list'], t, env), 0);
  assert.match(t.stdout.join('\n'), /chefin@example.de\tadmin/);
  assert.match(t.stdout.join('\n'), /autor@example.de\tauthor/);
});
