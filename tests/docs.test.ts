// Checks the documentation against the code where a machine can: the configuration table, decision status lines, no links outside the repository.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CONFIG_VARIABLES } from '../src/config.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const read = (file: string) => fs.readFileSync(path.join(root, file), 'utf8');

/** Variables another branch adds to config.ts and already documents; they count once config.ts has them. Remove after the merge. */

test("the README's configuration table lists exactly the variables the config schema accepts", () => {
  const rows = read('README.md').split('\n').filter((line) => line.startsWith('| `'));
  const documented = rows.map((line) => /^\| `([A-Z0-9_]+)`/.exec(line)?.[1]).filter((v): v is string => v !== undefined);
  assert.equal(new Set(documented).size, documented.length, 'no variable twice');
  assert.deepEqual([...documented].sort(), [...CONFIG_VARIABLES].sort());
});

test('every decision record says under its title whether it is accepted or superseded', () => {
  const dir = path.join(root, 'docs/decisions');
  const files = fs.readdirSync(dir).filter((f) => f.endsWith('.md'));
  assert.ok(files.length >= 5);
  for (const f of files) {
    const [title, ...rest] = fs.readFileSync(path.join(dir, f), 'utf8').split('\n');
    assert.match(title!, /^# \d{3} — /, f);
    const status = rest.find((l) => l.trim() !== '' && !l.startsWith('Date:'));
    assert.match(status ?? '', /^Status: (accepted|superseded by \d{3})$/, f);
  }
});

test('docs and code comments point only at files inside the repository', () => {
  const offenders: string[] = [];
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(path.join(root, dir), { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) { if (!['node_modules', '.git', 'data'].includes(e.name)) walk(p); continue; }
      if (!/\.(md|ts|tsx|mjs|js|json)$/.test(e.name) || e.name === 'package-lock.json' || p === path.join('tests', 'docs.test.ts')) continue;
      if (/\b(PRODUCT|STYLE)\.md\b|\bshared\/[A-Za-z]/.test(read(p))) offenders.push(p);
    }
  };
  for (const dir of ['.']) walk(dir);
  assert.deepEqual(offenders, []);
});

test('every test docs/security.md names as `file` › name exists in that file', () => {
  const doc = read('docs/security.md');
  const refs = [...doc.matchAll(/`([\w./-]+\.test\.tsx?)` › ([^|\n]+?)(?=<br>|\s\||$)/gm)].map((m) => ({ file: m[1]!, name: m[2]!.trim() }));
  assert.ok(refs.length >= 50, `found ${refs.length} test references`);
  const missing: string[] = [];
  for (const { file, name } of refs) {
    if (!fs.existsSync(path.join(root, file))) { missing.push(`${file} (no such file)`); continue; }
    // test names are written in quotes or template literals: undo the escapes
    const source = read(file).replace(/\\(['"`])/g, '$1');
    if (!source.includes(name)) missing.push(`${file} › ${name}`);
  }
  assert.deepEqual(missing, []);
});

test('file paths named in docs/architecture.md, docs/security.md and the README exist', () => {
  const missing: string[] = [];
  for (const doc of ['docs/architecture.md', 'docs/security.md', 'README.md']) {
    for (const m of read(doc).matchAll(/`((?:src|tests|docs|bench)\/[\w./-]+\.(?:ts|tsx|md|js|mjs))`/g)) {
      if (!fs.existsSync(path.join(root, m[1]!))) missing.push(`${doc}: ${m[1]}`);
    }
  }
  assert.deepEqual(missing, []);
});
