// Mandate references stay inside the SEPA rules and unique per subscription and number; the mandate text has the standard wording.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DomainError } from '../../domain-error.ts';
import { mandateText, newMandateReference } from './mandate.ts';
import { isSepaId } from './sepa-charset.ts';

test('a plain subscription number becomes the readable reference <number>-M<n>', () => {
  assert.equal(newMandateReference('ABO-2025-000123', 1), 'ABO-2025-000123-M1');
  assert.equal(newMandateReference('ABO-2025-000123', 2), 'ABO-2025-000123-M2');
  assert.equal(newMandateReference('4711', 12), '4711-M12');
});

test('every reference is at most 35 SEPA identifier characters, whatever the subscription number looks like', () => {
  const numbers = ['ABO-2025-000123', 'abo 2025/000123', 'Müller & Söhne #7', 'x'.repeat(200), '//leading', '----', 'Ж-17', 'A'.repeat(31)];
  for (const number of numbers) {
    for (const n of [1, 9, 10, 12345]) {
      let ref: string;
      try {
        ref = newMandateReference(number, n);
      } catch (error) {
        assert.ok(error instanceof DomainError && number === '----', `${number} ${n}: ${String(error)}`);
        continue;
      }
      assert.ok(ref.length <= 35, `${ref} is too long`);
      assert.ok(isSepaId(ref), `${ref} is not a SEPA identifier`);
      assert.match(ref, new RegExp(`-M${n}$`));
    }
  }
});

test('references stay unique when subscription numbers differ only in what has to be replaced', () => {
  const numbers = ['ABO-1', 'abo-1', 'ABO/1', 'ABO 1', 'ABO--1', `${'X'.repeat(40)}1`, `${'X'.repeat(40)}2`, 'A'.repeat(32), 'A'.repeat(33)];
  const seen = new Map<string, string>();
  for (const number of numbers) {
    for (const n of [1, 2, 11]) {
      const ref = newMandateReference(number, n);
      const key = `${number}#${n}`;
      assert.equal(seen.get(ref), undefined, `${key} and ${seen.get(ref)} share ${ref}`);
      seen.set(ref, key);
    }
  }
  assert.equal(newMandateReference('abo-1', 1), newMandateReference('abo-1', 1), 'the same input gives the same reference');
});

test('a missing subscription number or a number below 1 is refused', () => {
  assert.throws(() => newMandateReference('  ', 1), (e: unknown) => e instanceof DomainError && e.code === 'invalid-input' && e.field === 'subscriptionNumber');
  assert.throws(() => newMandateReference('ABO-1', 0), (e: unknown) => e instanceof DomainError && e.field === 'n');
  assert.throws(() => newMandateReference('ABO-1', 1.5), (e: unknown) => e instanceof DomainError && e.field === 'n');
});

test('the mandate text carries creditor, creditor id, reference and the standard authorisation and refund wording', () => {
  const text = mandateText({ creditorName: 'Klartext Verlag GmbH', creditorId: 'de98 zzz 09999999999', mandateReference: 'ABO-2025-000123-M1' });
  assert.match(text, /^SEPA-Lastschriftmandat\n/);
  assert.match(text, /Zahlungsempfänger: Klartext Verlag GmbH\n/);
  assert.match(text, /Gläubiger-Identifikationsnummer: DE98ZZZ09999999999\n/);
  assert.match(text, /Mandatsreferenz: ABO-2025-000123-M1\n/);
  assert.match(text, /Ich ermächtige Klartext Verlag GmbH, Zahlungen von meinem Konto mittels Lastschrift einzuziehen\. /);
  assert.match(text, /Zugleich weise ich mein Kreditinstitut an, die von Klartext Verlag GmbH auf mein Konto gezogenen Lastschriften einzulösen\./);
  assert.match(text, /Hinweis: Ich kann innerhalb von acht Wochen, beginnend mit dem Belastungsdatum, die Erstattung des belasteten Betrages verlangen\. Es gelten dabei die mit meinem Kreditinstitut vereinbarten Bedingungen\.$/);
});

test('a mandate text with a wrong creditor id or reference is refused rather than shown', () => {
  assert.throws(() => mandateText({ creditorName: 'Klartext Verlag GmbH', creditorId: 'DE97ZZZ09999999999', mandateReference: 'ABO-1-M1' }), (e: unknown) => e instanceof DomainError && e.field === 'creditorId');
  assert.throws(() => mandateText({ creditorName: 'Klartext Verlag GmbH', creditorId: 'DE98ZZZ09999999999', mandateReference: 'ABO 1 M1' }), (e: unknown) => e instanceof DomainError && e.field === 'mandateReference');
  assert.throws(() => mandateText({ creditorName: ' ', creditorId: 'DE98ZZZ09999999999', mandateReference: 'ABO-1-M1' }), (e: unknown) => e instanceof DomainError && e.field === 'creditorName');
});
