// The klartext command: import, export and their errors, as an operator meets them.
import { test, describe, before } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { runCli } from './main.ts';
import { captureIo } from '../testing/cli-io.ts';
import { fixtureDir, fixtureDocument } from '../content/content.fixtures.ts';

describe('klartext import and export', () => {
  let dataDir: string;
  let env: Record<string, string>;
  before(async () => {
    dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'klartext-cli-'));
    env = { KLARTEXT_DATA_DIR: dataDir, LOG_LEVEL: 'silent' };
  });

  test('import reports what it created, a second run what it updated', async () => {
    const { file } = await fixtureDir();
    let io = captureIo();
    assert.equal(await runCli(['import', file], io, env), 0);
    assert.deepEqual(io.stdout, ['3 Artikel angelegt, 0 aktualisiert.']);
    io = captureIo();
    assert.equal(await runCli(['import', file], io, env), 0);
    assert.deepEqual(io.stdout, ['0 Artikel angelegt, 3 aktualisiert.']);
  });

  test('a bad file exits non-zero naming the JSON path, and writes nothing', async () => {
    const doc = fixtureDocument();
    const { file } = await fixtureDir({ articles: [{ ...doc.articles[1]!, slug: 'neu-und-gut' }, { ...doc.articles[1]!, slug: 'neu-und-kaputt', access: 'premium' }] });
    const io = captureIo();
    assert.equal(await runCli(['import', file], io, env), 1);
    assert.match(io.stderr.join('\n'), /articles\[1\]\.access: must be one of "free", "registered", "plus"/);
    const out = captureIo();
    await runCli(['export'], out, env);
    assert.doesNotMatch(out.stdout.join(''), /neu-und-gut/);
  });

  test('export writes the interchange format with images beside it', async () => {
    const outDir = await fs.mkdtemp(path.join(os.tmpdir(), 'klartext-out-'));
    const io = captureIo();
    assert.equal(await runCli(['export', '--out', path.join(outDir, 'all.json')], io, env), 0);
    const doc = JSON.parse(await fs.readFile(path.join(outDir, 'all.json'), 'utf8')) as { articles: { slug: string; image?: { src: string } }[] };
    assert.equal(doc.articles.length, 3);
    const withImage = doc.articles.find((a) => a.image)!;
    await fs.access(path.join(outDir, withImage.image!.src));
  });

  test('missing file, unknown command and bad environment are one clear line each', async () => {
    let io = captureIo();
    assert.equal(await runCli(['import', '/nope.json'], io, env), 2);
    assert.deepEqual(io.stderr, ['klartext import: Datei nicht gefunden: /nope.json']);
    io = captureIo();
    assert.equal(await runCli(['export', '--ziel', 'x.json'], io, env), 2);
    assert.match(io.stderr[0]!, /^klartext export: unbekannte Option --ziel/);
    io = captureIo();
    assert.equal(await runCli(['export', '--out'], io, env), 2);
    assert.match(io.stderr[0]!, /^klartext export: --out braucht einen Wert/);
    io = captureIo();
    assert.equal(await runCli(['zaubern'], io, env), 2);
    assert.match(io.stderr[0]!, /unbekannter Befehl „zaubern“/);
    io = captureIo();
    assert.equal(await runCli(['migrate'], io, { ...env, PORT: 'x' }), 2);
    assert.deepEqual(io.stderr, ['klartext: Invalid PORT="x": expected a whole number from 0 to 65535']);
  });
});
