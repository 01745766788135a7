// `klartext offer list|create|update`: offers made and changed from the shell, every bad option named.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { runCli } from './main.ts';
import { captureIo as io } from '../testing/cli-io.ts';

const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'klartext-cli-offer-'));
after(() => fs.rm(dir, { recursive: true, force: true }));
const env = { KLARTEXT_DATA_DIR: dir };

test('create, update and list an offer', async () => {
  const c = io();
  assert.equal(await runCli(['offer', 'create', '--slug', 'plus-test', '--name', 'Plus Test', '--price-cents', '799', '--period', 'month',
    '--intro-price-cents', '99', '--intro-months', '3', '--min-term-months', '1', '--notice-months', '0', '--methods', 'sepa,stripe'], c, env), 0, c.stderr.join('\n'));
  assert.match(c.stdout.join('\n'), /Angebot angelegt: plus-test \(Plus Test\), 0,99\s€ in den ersten 3 Monaten, danach 7,99\s€ monatlich/);
  const u = io();
  assert.equal(await runCli(['offer', 'update', '--slug', 'plus-test', '--price-cents', '899', '--active', 'false'], u, env), 0, u.stderr.join('\n'));
  assert.match(u.stdout.join('\n'), /danach 8,99\s€ monatlich, inaktiv/);
  const g = io();
  assert.equal(await runCli(['offer', 'create', '--slug', 'geschenk', '--name', 'Geschenk', '--price-cents', '999', '--period', 'month',
    '--min-term-months', '1', '--notice-months', '0', '--methods', 'sepa', '--gift-months', '3,6,12'], g, env), 0, g.stderr.join('\n'));
  const l = io();
  assert.equal(await runCli(['offer', 'list'], l, env), 0);
  const out = l.stdout.join('\n');
  assert.match(out, /plus-test {2}Plus Test {2}\(inaktiv\)/);
  assert.match(out, /geschenk {2}Geschenk\n {2}3 Monate für 29,97\s€/);
});

test('a rule of the offer is reported with the option that breaks it, and nothing is stored', async () => {
  const cases: [string[], RegExp][] = [
    [['--price-cents', '0'], /--price-cents: Der Preis muss größer als 0 sein/],
    [['--price-cents', '9,99'], /--price-cents muss eine ganze Zahl ≥ 0 sein, nicht „9,99“/],
    [['--price-cents', '999', '--intro-price-cents', '1999', '--intro-months', '1'], /--intro-price-cents: Der Einführungspreis muss unter dem regulären Preis liegen/],
    [['--price-cents', '999', '--notice-months', '3'], /--notice-months: Die Kündigungsfrist darf höchstens einen Monat/],
    [['--price-cents', '999', '--methods', 'bar'], /--methods: Zahlarten/],
    [['--price-cents', '999', '--active', 'ja'], /--active muss „true“ oder „false“ sein/],
    [['--price-cents', '999', '--period', 'woche'], /--period: Zeitraum muss „month“ oder „year“ sein/],
  ];
  for (const [extra, message] of cases) {
    const base = ['offer', 'create', '--slug', 'kaputt', '--name', 'Kaputt', '--period', 'month', '--min-term-months', '1', '--notice-months', '0', '--methods', 'sepa'];
    const t = io();
    assert.equal(await runCli([...base, ...extra], t, env), 2, extra.join(' '));
    assert.match(t.stderr.join('\n'), message, extra.join(' '));
  }
  const l = io();
  await runCli(['offer', 'list'], l, env);
  assert.doesNotMatch(l.stdout.join('\n'), /kaputt/);
});

test('unknown offers, missing --slug and unknown options are refused', async () => {
  const missing = io();
  assert.equal(await runCli(['offer', 'update', '--slug', 'gibt-es-nicht', '--price-cents', '100'], missing, env), 1);
  assert.match(missing.stderr.join('\n'), /kein Angebot „gibt-es-nicht“/);
  const noSlug = io();
  assert.equal(await runCli(['offer', 'create', '--name', 'X'], noSlug, env), 2);
  assert.match(noSlug.stderr.join('\n'), /--slug fehlt/);
  const unknown = io();
  assert.equal(await runCli(['offer', 'create', '--slug', 'x', '--preis', '5'], unknown, env), 2);
  assert.match(unknown.stderr.join('\n'), /unbekannte Option --preis/);
});
