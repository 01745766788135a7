// Checks the unlock protocol end to end without a browser: server encryption, then the client's WebCrypto decryption.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { encryptPremium, generateContentKey, premiumPlaintext } from '../access/content-crypto.ts';
import { decryptPremiumPayload, fromBase64Url } from './premium-cipher.ts';

const HTML = '<h2>Straßenfest</h2><p>Öffnungszeiten: „täglich“ &amp; sonntags – 10 € Eintritt.</p>';
const PLAIN = premiumPlaintext(HTML);

function setup() {
  const key = generateContentKey();
  return { key, keyText: key.toString('base64url'), payload: encryptPremium(PLAIN, key, 'kid-1') };
}

function flipByte(payload: string, index: number): string {
  const raw = Buffer.from(payload, 'base64url');
  raw[index] = raw[index]! ^ 0x80;
  return raw.toString('base64url');
}

test('the client decrypts what the server encrypted, with the key as the unlock endpoint sends it', async () => {
  const { keyText, payload } = setup();
  const plain = await decryptPremiumPayload(payload, keyText, 'kid-1', globalThis.crypto.subtle);
  assert.equal(plain, PLAIN);
  assert.deepEqual(JSON.parse(plain), { html: HTML }, 'the padded JSON parses as the client parses it');
});

test('whitespace around the payload, as a <template> may hold it, is tolerated', async () => {
  const { keyText, payload } = setup();
  assert.equal(await decryptPremiumPayload(`\n  ${payload}\n`, keyText, 'kid-1'), PLAIN);
});

test('a tampered payload is rejected', async () => {
  const { keyText, payload } = setup();
  const length = Buffer.from(payload, 'base64url').length;
  for (const index of [0, 12, 40, length - 1]) {
    await assert.rejects(decryptPremiumPayload(flipByte(payload, index), keyText, 'kid-1'), Error, `byte ${index}`);
  }
  await assert.rejects(decryptPremiumPayload(payload.slice(0, 20), keyText, 'kid-1'));
  await assert.rejects(decryptPremiumPayload(`${payload}%`, keyText, 'kid-1'));
});

// Each case changes exactly one of key and key id, next to a control that opens with both right, so the rejection can only come from the one change.
test('a wrong key with the right key id is rejected by the authentication tag', async () => {
  const { keyText, payload } = setup();
  assert.equal(await decryptPremiumPayload(payload, keyText, 'kid-1'), PLAIN);
  await assert.rejects(decryptPremiumPayload(payload, generateContentKey().toString('base64url'), 'kid-1'), { name: 'OperationError' });
});

test('the right key with another key id is rejected (the key id is authenticated)', async () => {
  const { keyText, payload } = setup();
  assert.equal(await decryptPremiumPayload(payload, keyText, 'kid-1'), PLAIN);
  await assert.rejects(decryptPremiumPayload(payload, keyText, 'kid-2'), { name: 'OperationError' });
});

test('a key of the wrong length is refused before decrypting', async () => {
  const { payload } = setup();
  await assert.rejects(decryptPremiumPayload(payload, Buffer.alloc(16).toString('base64url'), 'kid-1'), /malformed payload or key/);
});

test('base64url decoding matches Node for every padding length', () => {
  for (let n = 0; n < 40; n++) {
    const bytes = Buffer.from(Array.from({ length: n }, (_, i) => (i * 37 + 250) & 0xff));
    assert.deepEqual(Buffer.from(fromBase64Url(bytes.toString('base64url'))), bytes);
  }
  assert.throws(() => fromBase64Url('a+b/'));
});
