// The institution form's rules: every field's problem named in German, lines normalised and deduplicated, domains exact and not freemail.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DomainError } from '../domain-error.ts';
import { emailDomainOf, parseDomain, parseInstitutionInput } from './institution-input.ts';

const TODAY = '2026-11-28';
const OK = { name: '  Stadtbibliothek   Brackenau ', kind: 'library', seats: '1.000', endsOn: '2027-07-31', networks: '192.0.2.9/24\n\n# Filiale\n192.0.2.0/24\r\n2001:DB8:1::/48', domains: '@Bibliothek.Example\nbibliothek.example\nbücherei.example' };

const problems = (form: Record<string, string>): Record<string, string> => {
  try { parseInstitutionInput(form, TODAY); } catch (e) {
    assert.ok(e instanceof DomainError);
    return Object.fromEntries(e.fields.map((f) => [f.path, f.message]));
  }
  assert.fail('expected problems');
};

test('a good form is normalised: name spaces, seats with a thousands dot, CIDRs and domains one per line, without duplicates or comments', () => {
  assert.deepEqual(parseInstitutionInput(OK, TODAY), {
    name: 'Stadtbibliothek Brackenau', kind: 'library', seats: 1000, endsOn: '2027-07-31',
    networks: ['192.0.2.0/24', '2001:db8:1::/48'], domains: ['bibliothek.example', 'xn--bcherei-n2a.example'],
  });
  assert.equal(parseInstitutionInput({ ...OK, seats: '' }, TODAY).seats, null, 'empty: no limit');
  assert.equal(parseInstitutionInput({ ...OK, endsOn: TODAY }, TODAY).endsOn, TODAY, 'today is still allowed');
});

test('every wrong field is named at once, with the line of a bad network or domain', () => {
  const p = problems({ name: '', kind: 'verein', seats: '-3', endsOn: '2026-11-27', networks: '192.0.2.0/24\n300.1.2.3', domains: 'schule.example\nweb.de' });
  assert.deepEqual(Object.keys(p).sort(), ['domains', 'endsOn', 'kind', 'name', 'networks', 'seats']);
  assert.match(p.networks!, /^Zeile 2: „300\.1\.2\.3“ ist keine IP-Adresse/);
  assert.match(p.domains!, /^Zeile 2: „web\.de“ ist ein freier E-Mail-Anbieter/);
  assert.match(p.endsOn!, /Vergangenheit/);
});

test('too many lines are refused; a date that does not exist is not a date', () => {
  assert.match(problems({ ...OK, networks: Array.from({ length: 201 }, (_, i) => `198.51.100.${i % 250}`).join('\n') }).networks!, /Höchstens 200/);
  assert.match(problems({ ...OK, endsOn: '2027-02-30' }).endsOn!, /als Datum/);
});

test('domains are exact: subdomains, addresses and single labels are no domains; the email domain is what follows the last @', () => {
  assert.deepEqual(parseDomain('schule.example.'), { domain: 'schule.example' });
  for (const bad of ['schule', 'lehrer@schule.example', '-schule.example', 'schule..example', 'schule.123', '*.schule.example']) assert.ok('message' in parseDomain(bad), bad);
  assert.equal(emailDomainOf('Anna.Lehrerin@Schule.Example'), 'schule.example');
  assert.equal(emailDomainOf('"a@b"@schule.example'), 'schule.example');
});
