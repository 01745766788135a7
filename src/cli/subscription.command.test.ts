// `klartext subscription grant|revoke`: grants and ends manual subscriptions, names unknown accounts and bad options.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { runCli } from './main.ts';
import { captureIo } from '../testing/cli-io.ts';
import { connect } from '../db/index.ts';
import { hasActiveSubscription } from '../access/index.ts';

const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'klartext-cli-sub-'));
after(() => fs.rm(dir, { recursive: true, force: true }));
const env = { KLARTEXT_DATA_DIR: dir };

const io = captureIo;

async function active(email: string): Promise<boolean> {
  const store = connect({ dataDir: dir });
  try {
    const user = await store.db.selectFrom('users').select('id').where('email', '=', email).executeTakeFirstOrThrow();
    return await hasActiveSubscription(store.db, user.id, new Date());
  } finally {
    await store.close();
  }
}

test('grant gives an account Plus for the days given, revoke ends it', async () => {
  assert.equal(await runCli(['user', 'create', '--email', 'abo@example.de', '--role', 'reader', '--password-stdin'], io('Regenbogen-Fahrrad-7\n'), env), 0);
  const g = io();
  assert.equal(await runCli(['subscription', 'grant', '--email', 'Abo@Example.de', '--days', '30'], g, env), 0);
  assert.match(g.stdout.join('\n'), /Plus-Abo vergeben: abo@example.de, bis .* Uhr\./);
  assert.equal(await active('abo@example.de'), true);
  const again = io();
  assert.equal(await runCli(['subscription', 'grant', '--email', 'abo@example.de', '--days', '60'], again, env), 0);
  assert.match(again.stdout.join('\n'), /verlängert/);
  const r = io();
  assert.equal(await runCli(['subscription', 'revoke', '--email', 'abo@example.de'], r, env), 0);
  assert.match(r.stdout.join('\n'), /Plus-Abo beendet: abo@example.de/);
  assert.equal(await active('abo@example.de'), false);
  const twice = io();
  assert.equal(await runCli(['subscription', 'revoke', '--email', 'abo@example.de'], twice, env), 1);
  assert.match(twice.stderr.join('\n'), /kein laufendes/);
});

test('an unknown address is named, exit 1', async () => {
  const t = io();
  assert.equal(await runCli(['subscription', 'grant', '--email', 'niemand@example.de', '--days', '30'], t, env), 1);
  assert.match(t.stderr.join('\n'), /kein Konto mit der Adresse niemand@example.de/);
});

test('bad --days, missing options and unknown subcommands are usage errors, exit 2', async () => {
  const cases: [string[], RegExp][] = [
    [['subscription', 'grant', '--email', 'abo@example.de', '--days', 'dreißig'], /--days muss eine ganze Zahl von 1 bis 3660 sein, nicht „dreißig“/],
    [['subscription', 'grant', '--email', 'abo@example.de', '--days', '0'], /--days muss eine ganze Zahl/],
    [['subscription', 'grant', '--email', 'abo@example.de', '--days', '99999'], /--days muss eine ganze Zahl/],
    [['subscription', 'grant', '--email', 'abo@example.de'], /--days fehlt/],
    [['subscription', 'grant', '--days', '30'], /--email fehlt/],
    [['subscription', 'grant', '--email', 'kein-at', '--days', '30'], /keine E-Mail-Adresse/],
    [['subscription', 'revoke', '--email', 'abo@example.de', '--days', '3'], /unbekannte Option --days/],
    [['subscription', 'grant', '--email', 'abo@example.de', '--tage', '30'], /unbekannte Option --tage/],
    [['subscription', 'grant', '--email', 'abo@example.de', '--days'], /--days braucht einen Wert/],
    [['subscription', 'grant', '--email', '--days', '30'], /--email braucht einen Wert/],
    [['subscription', 'kaufen'], /unbekannter Unterbefehl „kaufen“/],
    [['subscription'], /Unterbefehl fehlt/],
  ];
  for (const [argv, message] of cases) {
    const t = io();
    assert.equal(await runCli(argv, t, env), 2, argv.join(' '));
    assert.match(t.stderr.join('\n'), message, argv.join(' '));
  }
});
