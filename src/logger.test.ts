// The log format follows where the output goes: readable lines in a terminal, JSON lines into a pipe or file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { createLogger, logFormatFor } from './logger.ts';

function sink(isTTY: boolean): Writable & { isTTY: boolean; text: () => string } {
  const chunks: string[] = [];
  const w = new Writable({ write(chunk, _enc, done) { chunks.push(String(chunk)); done(); } });
  return Object.assign(w, { isTTY, text: () => chunks.join('') });
}

const withoutColour = (s: string) => s.replace(/\u001b\[[0-9;]*m/g, '');

test('a terminal gets the pretty format; a pipe, a file or an unknown stream get JSON', () => {
  assert.equal(logFormatFor({ isTTY: true }), 'pretty');
  assert.equal(logFormatFor({ isTTY: false }), 'json');
  assert.equal(logFormatFor({}), 'json');
});

test('in a terminal a log line is readable text with level and message, written at once', () => {
  const out = sink(true);
  createLogger('info', out).info({ port: 3000 }, 'Klartext läuft auf http://localhost:3000');
  const line = withoutColour(out.text());
  assert.match(line, /INFO.*Klartext läuft auf http:\/\/localhost:3000/);
  assert.match(line, /port: 3000/);
  assert.throws(() => JSON.parse(line.trim()), 'not JSON');
});

test('into a pipe every line is one JSON object with level, message and service', () => {
  const out = sink(false);
  createLogger('info', out).info({ port: 3000 }, 'Klartext läuft');
  const entry = JSON.parse(out.text().trim()) as Record<string, unknown>;
  assert.equal(entry.msg, 'Klartext läuft');
  assert.equal(entry.level, 30);
  assert.equal(entry.service, 'klartext');
  assert.equal(entry.port, 3000);
});
