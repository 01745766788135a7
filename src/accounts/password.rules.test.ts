// Password rules: length, common passwords, similarity to the address, argon2id hashes, and no weaker cost in production.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { passwordProblem, hashPassword, verifyPassword, atLeastStandard, STANDARD_HASHING, TEST_HASHING, MIN_PASSWORD_LENGTH } from './password.rules.ts';

test('a password shorter than 10 characters is refused with the minimum named', () => {
  assert.match(passwordProblem('kurz12345')!, /mindestens 10 Zeichen \(jetzt 9\)/);
  assert.equal(MIN_PASSWORD_LENGTH, 10);
});

test('length counts characters, not bytes', () => {
  assert.equal(passwordProblem('äöüßäöüßäö'.slice(0, 9)) !== null, true);
  assert.equal(passwordProblem('Grüße-aus-Köln'), null);
});

test('common German and English passwords are refused, whatever their case', () => {
  for (const p of ['passwort123', 'Password123', 'QWERTZUIOP', '1234567890', 'ichliebedich', 'fussball2024', 'Sommer2026!', 'schalke04!!']) {
    assert.match(passwordProblem(p) ?? '', /häufigsten Passwörtern/, p);
  }
});

test('a password that is essentially the email address is refused', () => {
  assert.match(passwordProblem('ina.beispiel1', 'ina.beispiel@example.de')!, /E-Mail-Adresse/);
  assert.equal(passwordProblem('ina.beispiel-liest-gern-Zeitung', 'ina.beispiel@example.de'), null);
});

test('runs of one or two characters are refused', () => {
  assert.match(passwordProblem('abababababab')!, /zwei verschiedenen Zeichen/);
});

test('a long, unusual passphrase is accepted', () => {
  assert.equal(passwordProblem('Regenbogen-Fahrrad-7'), null);
});

test('hashes are argon2id and verify only the right password', async () => {
  const hash = await hashPassword('Regenbogen-Fahrrad-7', TEST_HASHING);
  assert.match(hash, /^\$argon2id\$/);
  assert.equal(await verifyPassword(hash, 'Regenbogen-Fahrrad-7', TEST_HASHING), true);
  assert.equal(await verifyPassword(hash, 'Regenbogen-Fahrrad-8', TEST_HASHING), false);
  assert.equal(await verifyPassword('not a hash', 'x', TEST_HASHING), false);
});

test('production cost never drops below argon2 defaults, whatever is configured', () => {
  assert.deepEqual(atLeastStandard(TEST_HASHING), STANDARD_HASHING);
  assert.deepEqual(atLeastStandard({ memoryCost: 131072, timeCost: 4, parallelism: 4 }), { memoryCost: 131072, timeCost: 4, parallelism: 4 });
});
