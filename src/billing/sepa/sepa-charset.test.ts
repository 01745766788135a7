// The SEPA character set: Latin text is transliterated, what has no Latin form is named, identifiers follow the EPC rules.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isSepaId, toSepaText } from './sepa-charset.ts';

test('German and other Latin letters are transliterated, whitespace collapsed', () => {
  assert.deepEqual(toSepaText('  Jürgen   Groß-Öttinger\n'), { ok: true, text: 'Juergen Gross-Oettinger' });
  assert.deepEqual(toSepaText('José Łukasz Ærø Françoise'), { ok: true, text: 'Jose Lukasz Aero Francoise' });
  assert.deepEqual(toSepaText('Müller & Söhne – „Plus“ ’24'), { ok: true, text: 'Mueller + Soehne - Plus \'24' });
  assert.deepEqual(toSepaText('Rechnung R-2025/17 (Juni), Abo: 9.99'), { ok: true, text: 'Rechnung R-2025/17 (Juni), Abo: 9.99' }, 'SEPA text is kept as is');
  assert.deepEqual(toSepaText(''), { ok: true, text: '' });
});

test('characters without a SEPA form are named instead of guessed', () => {
  assert.deepEqual(toSepaText('Abo 9,99 €'), { ok: false, char: '€' });
  assert.deepEqual(toSepaText('leser@example.org'), { ok: false, char: '@' });
  assert.deepEqual(toSepaText('Иван'), { ok: false, char: 'И' });
  assert.deepEqual(toSepaText('a\u0000b'), { ok: false, char: '\u0000' });
  assert.deepEqual(toSepaText('e\u0301'), { ok: true, text: 'e' }, 'a decomposed accent (as macOS types it) is dropped like a composed one');
});

test('identifiers are 1 to 35 SEPA characters without space, leading slash or double slash', () => {
  for (const id of ['KT-20250601-0001', 'ABO-2025-000123-M1', "A+B?C:D(E).F,G'H/I", 'x'.repeat(35)]) assert.equal(isSepaId(id), true, id);
  for (const id of ['', 'KT 1', 'x'.repeat(36), '/KT-1', 'KT//1', 'KT_1', 'Müller']) assert.equal(isSepaId(id), false, id);
});
