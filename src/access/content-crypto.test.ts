// Proves the content cipher opens only with the right key and key id, and that the master key is made once and kept.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  decryptPremium, deriveDecoySeed, encryptPremium, generateContentKey, loadOrCreateMasterKey,
  newKeyId, premiumPlaintext, unwrapContentKey, wrapContentKey,
} from './content-crypto.ts';
import { AccessError } from './access-error.ts';

const PLAIN = JSON.stringify({ html: '<h2>Größe zählt</h2><p>Äpfel, Öl &amp; Übermut – „im Klartext“.</p>' });

const withCode = (code: string) => (error: unknown) => error instanceof AccessError && error.code === code;

function flipByte(payload: string, index: number): string {
  const raw = Buffer.from(payload, 'base64url');
  raw[index] = raw[index]! ^ 0x01;
  return raw.toString('base64url');
}

function tempDir(t: { after: (fn: () => void) => void }): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'klartext-key-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

test('premium text round-trips under its key and key id, including non-ASCII text', () => {
  const key = generateContentKey();
  const payload = encryptPremium(PLAIN, key, 'k1');
  assert.match(payload, /^[A-Za-z0-9_-]+$/);
  assert.equal(Buffer.from(payload, 'base64url').length, 12 + Buffer.byteLength(PLAIN) + 16);
  assert.equal(decryptPremium(payload, key, 'k1'), PLAIN);
});

test('the same text under the same key and key id encrypts to the same bytes in every process', () => {
  const key = generateContentKey();
  assert.equal(encryptPremium(PLAIN, key, 'k1'), encryptPremium(PLAIN, Buffer.from(key), 'k1'));
});

test('different texts, key ids or keys never share an IV', () => {
  const key = generateContentKey();
  const ivOf = (payload: string) => Buffer.from(payload, 'base64url').subarray(0, 12).toString('hex');
  const ivs = new Set([
    ivOf(encryptPremium(PLAIN, key, 'k1')),
    ivOf(encryptPremium(`${PLAIN} `, key, 'k1')),
    ivOf(encryptPremium(PLAIN, key, 'k2')),
    ivOf(encryptPremium(PLAIN, generateContentKey(), 'k1')),
  ]);
  assert.equal(ivs.size, 4);
});

test('wrapping the same key twice gives different strings (random IV)', () => {
  const master = generateContentKey();
  const key = generateContentKey();
  assert.notEqual(wrapContentKey(key, master), wrapContentKey(key, master));
});

test('the page plaintext is padded JSON that parses back to the html', () => {
  for (const html of ['', '<p>kurz</p>', `<p>${'Größenwahn '.repeat(100)}</p>`]) {
    const plain = premiumPlaintext(html);
    assert.equal(Buffer.byteLength(plain) % 256, 0);
    assert.deepEqual(JSON.parse(plain), { html });
  }
  assert.equal(Buffer.byteLength(premiumPlaintext('x'.repeat(10))), Buffer.byteLength(premiumPlaintext('x'.repeat(20))));
});

test('a tampered ciphertext, IV or tag is rejected with decrypt-failed', () => {
  const key = generateContentKey();
  const payload = encryptPremium(PLAIN, key, 'k1');
  const length = Buffer.from(payload, 'base64url').length;
  for (const index of [0, 11, 12, 20, length - 17, length - 1]) {
    assert.throws(() => decryptPremium(flipByte(payload, index), key, 'k1'), withCode('decrypt-failed'), `byte ${index}`);
  }
  assert.throws(() => decryptPremium(payload.slice(0, 30), key, 'k1'), withCode('decrypt-failed'));
  assert.throws(() => decryptPremium('', key, 'k1'), withCode('decrypt-failed'));
  assert.throws(() => decryptPremium(`${payload}!`, key, 'k1'), withCode('decrypt-failed'));
});

test('a wrong key is rejected with decrypt-failed', () => {
  const payload = encryptPremium(PLAIN, generateContentKey(), 'k1');
  assert.throws(() => decryptPremium(payload, generateContentKey(), 'k1'), withCode('decrypt-failed'));
  assert.throws(() => decryptPremium(payload, Buffer.alloc(16), 'k1'), withCode('decrypt-failed'));
});

test('a ciphertext replayed under another key id is rejected (key id is authenticated)', () => {
  const key = generateContentKey();
  const payload = encryptPremium(PLAIN, key, 'k1');
  assert.throws(() => decryptPremium(payload, key, 'k2'), withCode('decrypt-failed'));
});

test('after key rotation the old ciphertext does not open with the new key', () => {
  const oldKey = generateContentKey();
  const oldPayload = encryptPremium(PLAIN, oldKey, 'old');
  const newKey = generateContentKey();
  const newPayload = encryptPremium(`${PLAIN} v2`, newKey, 'new');
  assert.throws(() => decryptPremium(oldPayload, newKey, 'old'), withCode('decrypt-failed'));
  assert.throws(() => decryptPremium(oldPayload, newKey, 'new'), withCode('decrypt-failed'));
  assert.equal(decryptPremium(newPayload, newKey, 'new'), `${PLAIN} v2`);
});

test('content keys are 32 random bytes and key ids short base64url', () => {
  assert.equal(generateContentKey().length, 32);
  assert.notDeepEqual(generateContentKey(), generateContentKey());
  const ids = new Set(Array.from({ length: 200 }, newKeyId));
  assert.equal(ids.size, 200);
  for (const id of ids) assert.match(id, /^[A-Za-z0-9_-]{10}$/);
});

test('a wrapped content key unwraps under the master key and is not the key in clear', () => {
  const master = generateContentKey();
  const key = generateContentKey();
  const wrapped = wrapContentKey(key, master);
  assert.match(wrapped, /^[A-Za-z0-9_-]+$/);
  assert.ok(!Buffer.from(wrapped, 'base64url').includes(key));
  assert.deepEqual(unwrapContentKey(wrapped, master), key);
});

test('a tampered wrapped key or a wrong master key fails with key-unwrap-failed', () => {
  const master = generateContentKey();
  const wrapped = wrapContentKey(generateContentKey(), master);
  assert.throws(() => unwrapContentKey(flipByte(wrapped, 20), master), withCode('key-unwrap-failed'));
  assert.throws(() => unwrapContentKey(wrapped, generateContentKey()), withCode('key-unwrap-failed'));
  assert.throws(() => unwrapContentKey('not a key', master), withCode('key-unwrap-failed'));
});

test('keys of the wrong length are refused when encrypting or wrapping', () => {
  assert.throws(() => encryptPremium(PLAIN, Buffer.alloc(16), 'k1'), RangeError);
  assert.throws(() => wrapContentKey(Buffer.alloc(31), generateContentKey()), RangeError);
});

test('the decoy seed depends on master key and key id, and is stable', () => {
  const master = generateContentKey();
  assert.deepEqual(deriveDecoySeed(master, 'k1'), deriveDecoySeed(master, 'k1'));
  assert.notDeepEqual(deriveDecoySeed(master, 'k1'), deriveDecoySeed(master, 'k2'));
  assert.notDeepEqual(deriveDecoySeed(master, 'k1'), deriveDecoySeed(generateContentKey(), 'k1'));
});

test('the master key file is created once with mode 0600, in a data directory of mode 0700, and reused afterwards', (t) => {
  const dir = path.join(tempDir(t), 'nested', 'data');
  const first = loadOrCreateMasterKey(dir);
  assert.equal(first.length, 32);
  const file = path.join(dir, 'master.key');
  assert.equal(statSync(file).mode & 0o777, 0o600);
  assert.equal(statSync(dir).mode & 0o777, 0o700, 'the data directory it creates is private');
  const content = readFileSync(file, 'utf8');
  assert.deepEqual(loadOrCreateMasterKey(dir), first);
  assert.equal(readFileSync(file, 'utf8'), content);
});

test('a master key from the environment wins over the file', (t) => {
  const dir = tempDir(t);
  const fromFile = loadOrCreateMasterKey(dir);
  const envKey = generateContentKey();
  assert.deepEqual(loadOrCreateMasterKey(dir, envKey.toString('base64')), envKey);
  assert.notDeepEqual(envKey, fromFile);
});

test('an environment master key is not written to disk', (t) => {
  const dir = tempDir(t);
  loadOrCreateMasterKey(dir, generateContentKey().toString('base64'));
  assert.throws(() => statSync(path.join(dir, 'master.key')), { code: 'ENOENT' });
});

test('a malformed master key is refused, never replaced', (t) => {
  const dir = tempDir(t);
  assert.throws(() => loadOrCreateMasterKey(dir, 'c2hvcnQ='), withCode('master-key-invalid'));
  writeFileSync(path.join(dir, 'master.key'), 'broken\n');
  assert.throws(() => loadOrCreateMasterKey(dir), withCode('master-key-invalid'));
  assert.equal(readFileSync(path.join(dir, 'master.key'), 'utf8'), 'broken\n');
});
