// The plain-JS HMAC-SHA256 the decoy draws from gives exactly node:crypto's MAC, for any key and message length.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac, randomBytes } from 'node:crypto';
import { HmacSha256 } from './hmac-sha256.ts';

const words = (mac: Buffer) => Array.from({ length: 8 }, (_, i) => mac.readUInt32BE(i * 4));

test('equals createHmac for keys of 16 to 100 bytes and messages of 0 to 200 characters, ASCII or not', () => {
  const out = new Uint32Array(8);
  for (const keyLength of [16, 32, 63, 64, 65, 100]) {
    const key = randomBytes(keyLength);
    const mac = new HmacSha256(key);
    for (let n = 0; n <= 200; n++) {
      const ascii = `word\0${n}\0`.padEnd(n, 'x').slice(0, n);
      const german = 'Größe „ü“ '.repeat(20).slice(0, n);
      for (const message of [ascii, german]) {
        assert.deepEqual([...mac.digestWords(message, out)], words(createHmac('sha256', key).update(message).digest()), `key ${keyLength} bytes, message ${JSON.stringify(message)}`);
      }
    }
  }
});

test('one instance gives the same MAC again after other messages (no state leaks between messages)', () => {
  const key = randomBytes(32);
  const mac = new HmacSha256(key);
  const first = [...mac.digestWords('layout\u00000', new Uint32Array(8))];
  mac.digestWords('x'.repeat(150), new Uint32Array(8));
  assert.deepEqual([...mac.digestWords('layout\u00000', new Uint32Array(8))], first);
});
