// IBAN, BIC and creditor id checks: typed input is normalised, and the German message names the part that is wrong.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkBic, checkCreditorId, checkIban, maskIban } from './iban.ts';

function failure(input: string): string {
  const result = checkIban(input);
  assert.equal(result.ok, false, `expected ${input} to be refused`);
  return result.ok ? '' : result.message;
}

test('an IBAN typed with spaces, lower case or non-breaking spaces comes back in electronic format', () => {
  assert.deepEqual(checkIban('de89 3704 0044 0532 0130 00'), { ok: true, iban: 'DE89370400440532013000', country: 'DE' });
  assert.deepEqual(checkIban(' DE89\u00a03704\u00a00044 0532-0130-00 '), { ok: true, iban: 'DE89370400440532013000', country: 'DE' });
  assert.deepEqual(checkIban('AT611904300234573201'), { ok: true, iban: 'AT611904300234573201', country: 'AT' });
  assert.deepEqual(checkIban('NO9386011117947'), { ok: true, iban: 'NO9386011117947', country: 'NO' }, 'the shortest SEPA IBAN');
  assert.deepEqual(checkIban('MT84MALT011000012345MTLCAST001S'), { ok: true, iban: 'MT84MALT011000012345MTLCAST001S', country: 'MT' }, 'letters in the BBAN');
});

test('a wrong check digit is reported as such', () => {
  assert.equal(failure('DE88370400440532013000'), 'Die Prüfziffer der IBAN stimmt nicht – bitte Tippfehler prüfen.');
  assert.equal(failure('DE89370400440532013001'), 'Die Prüfziffer der IBAN stimmt nicht – bitte Tippfehler prüfen.', 'a typo in the account part');
});

test('a wrong length names the length the country expects', () => {
  assert.equal(failure('DE8937040044053201300'), 'Eine IBAN aus Deutschland hat 22 Stellen, diese hat 21.');
  assert.match(failure('AT6119043002345732011'), /Österreich hat 20 Stellen, diese hat 21/);
});

test('unknown and non-SEPA country codes are refused with the code named', () => {
  assert.match(failure('XX89370400440532013000'), /„XX“ gibt es für IBANs nicht/);
  assert.match(failure('US12123'), /„US“ gibt es für IBANs nicht/, 'the United States have no IBAN');
  assert.match(failure('BR1800360305000010009795493C1'), /Brasilien \(BR\) liegen nicht im SEPA-Raum/);
  assert.match(failure('1289370400440532013000'), /beginnt mit dem Ländercode/);
});

test('characters that never occur in an IBAN are named', () => {
  assert.match(failure('DE89 3704 0044 0532 0130 0€'), /„€“ kommt in einer IBAN nicht vor/);
  assert.match(failure('DE89.3704.0044.0532.0130.00'), /„\.“ kommt in einer IBAN nicht vor/);
  assert.match(failure('DEXX370400440532013000'), /zwei Prüfziffern/);
  assert.match(failure('DE8937040044053201300A'), /passt die IBAN nicht zum Aufbau für Deutschland/, 'German account parts are digits only');
});

test('an empty IBAN asks for one', () => {
  assert.equal(failure('   '), 'Bitte geben Sie Ihre IBAN ein.');
});

test('a national check digit error is told apart from the IBAN check digits', () => {
  // Belgium checks bank and account with its own mod 97; this IBAN has correct IBAN check digits but a wrong national one.
  assert.match(failure('BE44096123456770'), /nationale Prüfziffer/);
  assert.equal(checkIban('BE71096123456769').ok, true);
});

test('a BIC is optional, normalised and checked for length, characters and country', () => {
  assert.deepEqual(checkBic(''), { ok: true, bic: null });
  assert.deepEqual(checkBic('  '), { ok: true, bic: null });
  assert.deepEqual(checkBic('cobadeffxxx'), { ok: true, bic: 'COBADEFFXXX' });
  assert.deepEqual(checkBic('MARK DEF1 100'), { ok: true, bic: 'MARKDEF1100' });
  assert.deepEqual(checkBic('GENODEM1GLS'), { ok: true, bic: 'GENODEM1GLS' });
  const short = checkBic('COBADEF');
  assert.equal(short.ok, false);
  assert.match(short.ok ? '' : short.message, /8 oder 11 Stellen, diese hat 7/);
  const country = checkBic('COBA12FFXXX');
  assert.match(country.ok ? '' : country.message, /„12“ ist keiner/);
  const chars = checkBic('COBA-DEFF');
  assert.match(chars.ok ? '' : chars.message, /nur aus Buchstaben und Ziffern/);
});

test('a masked IBAN shows country, check digits and the last four characters only', () => {
  assert.equal(maskIban('DE89370400440532013000'), 'DE89 •••• •••• •••• 3000');
  assert.equal(maskIban('de89 3704 0044 0532 0130 00'), 'DE89 •••• •••• •••• 3000');
  assert.equal(maskIban('NO9386011117947'), 'NO93 •••• 7947');
  assert.equal(maskIban('MT84MALT011000012345MTLCAST001S'), 'MT84 •••• •••• •••• •••• •••• 001S');
  assert.equal(maskIban('DE89'), '••••', 'too short to show anything');
  for (const iban of ['DE89370400440532013000', 'NO9386011117947', 'MT84MALT011000012345MTLCAST001S']) {
    const masked = maskIban(iban);
    assert.equal(masked.includes(iban.slice(4, -4)), false);
    assert.equal(masked.replace(/[ •]/g, '').length, 8, 'only eight characters visible');
  }
});

test('a creditor identifier is checked with mod 97 over the national id, leaving the business code out', () => {
  assert.equal(checkCreditorId('DE98ZZZ09999999999'), true);
  assert.equal(checkCreditorId('de98 zzz 0999 9999 999'), true);
  assert.equal(checkCreditorId('DE98ABC09999999999'), true, 'the business code is not covered by the check digits');
  assert.equal(checkCreditorId('DE79ABC01234567890'), true);
  assert.equal(checkCreditorId('NL69ZZZ123456780000'), true);
  assert.equal(checkCreditorId('AT92ZZZ00000012345'), true);
  assert.equal(checkCreditorId('DE97ZZZ09999999999'), false, 'wrong check digits');
  assert.equal(checkCreditorId('DE98ZZZ09999999998'), false, 'typo in the national id');
  assert.equal(checkCreditorId('DE98ZZZ0999999999'), false, 'German ids have 11 digits after the business code');
  assert.equal(checkCreditorId('US98ZZZ09999999999'), false, 'not a SEPA country');
  assert.equal(checkCreditorId(''), false);
  assert.equal(checkCreditorId('DE98ZZZ0999999999€'), false);
});
