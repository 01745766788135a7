// The meter's address key: one hash per mailbox whatever the spelling, keyed by the master key, never the address itself.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { deriveMeterAddressKey, meterAddressOf, normaliseMeterAddress } from './meter-address.ts';

const key = deriveMeterAddressKey(randomBytes(32));

test('spellings of one mailbox give one hash: case, surrounding spaces and a +tag do not matter', () => {
  const hash = meterAddressOf(key, 'ina.beispiel@example.de');
  for (const variant of ['Ina.Beispiel@Example.DE', '  ina.beispiel@example.de ', 'ina.beispiel+paywall@example.de', 'INA.BEISPIEL+x+y@EXAMPLE.DE']) {
    assert.equal(meterAddressOf(key, variant), hash, variant);
  }
  assert.equal(normaliseMeterAddress('A+b@Example.de'), 'a@example.de');
});

test('other mailboxes give other hashes; a leading + is part of the name', () => {
  const hash = meterAddressOf(key, 'ina@example.de');
  for (const other of ['ina@example.com', 'ina2@example.de', 'in.a@example.de', '+ina@example.de']) assert.notEqual(meterAddressOf(key, other), hash, other);
});

test('the hash depends on the master key and shows nothing of the address', () => {
  const hash = meterAddressOf(key, 'ina@example.de');
  assert.notEqual(meterAddressOf(deriveMeterAddressKey(randomBytes(32)), 'ina@example.de'), hash);
  assert.match(hash, /^[A-Za-z0-9_-]{43}$/);
  assert.doesNotMatch(hash, /ina|example/);
  const master = randomBytes(32);
  assert.deepEqual(deriveMeterAddressKey(master), deriveMeterAddressKey(master), 'stable for one master key');
  assert.notDeepEqual(deriveMeterAddressKey(master), master);
});
