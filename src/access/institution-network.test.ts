// CIDR parsing and matching for institutions: IPv4, IPv6, IPv4-mapped IPv6, normalising, and what is refused (with a German reason).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { NetworkTable, addressBytes, isNetworkProblem, parseNetwork, type Network } from './institution-network.ts';

const net = (text: string): Network => {
  const n = parseNetwork(text);
  if (isNetworkProblem(n)) throw new Error(`${text}: ${n.message}`);
  return n;
};
const problem = (text: string): string => {
  const n = parseNetwork(text);
  assert.ok(isNetworkProblem(n), `${text} should be refused`);
  return n.message;
};
const matches = (cidr: string, ip: string): boolean => new NetworkTable([{ network: net(cidr), owner: cidr }]).find(ip) !== null;

test('IPv4 ranges are normalised to their network address; a single address is a /32', () => {
  assert.equal(net('192.0.2.0/24').cidr, '192.0.2.0/24');
  assert.equal(net(' 192.0.2.17/24 ').cidr, '192.0.2.0/24');
  assert.equal(net('198.51.100.7').cidr, '198.51.100.7/32');
  assert.equal(net('203.0.113.77/28').cidr, '203.0.113.64/28');
});

test('IPv6 ranges are normalised (RFC 5952, host bits cleared); a single address is a /128', () => {
  assert.equal(net('2001:DB8:0:0:0:0:0:1/48').cidr, '2001:db8::/48');
  assert.equal(net('2001:db8:1:2::/64').cidr, '2001:db8:1:2::/64');
  assert.equal(net('2001:db8::abcd').cidr, '2001:db8::abcd/128');
  assert.equal(net('2001:db8:ffff:ffff::/33').cidr, '2001:db8:8000::/33');
});

test('an IPv4-mapped IPv6 range is stored as the IPv4 range it means', () => {
  assert.equal(net('::ffff:192.0.2.0/120').cidr, '192.0.2.0/24');
  assert.equal(net('::ffff:198.51.100.9').cidr, '198.51.100.9/32');
});

test('IPv4 addresses match inside their range and not outside, at both edges', () => {
  assert.ok(matches('192.0.2.0/24', '192.0.2.0'));
  assert.ok(matches('192.0.2.0/24', '192.0.2.255'));
  assert.ok(!matches('192.0.2.0/24', '192.0.3.0'));
  assert.ok(!matches('192.0.2.0/24', '192.0.1.255'));
  assert.ok(matches('203.0.113.64/27', '203.0.113.95'));
  assert.ok(!matches('203.0.113.64/27', '203.0.113.96'));
  assert.ok(matches('198.51.100.7/32', '198.51.100.7'));
  assert.ok(!matches('198.51.100.7/32', '198.51.100.8'));
});

test('IPv6 addresses match inside their range and not outside, also off a byte boundary', () => {
  assert.ok(matches('2001:db8:1::/48', '2001:db8:1:ffff::1'));
  assert.ok(!matches('2001:db8:1::/48', '2001:db8:2::1'));
  assert.ok(matches('2001:db8:8000::/33', '2001:db8:ffff::1'));
  assert.ok(!matches('2001:db8:8000::/33', '2001:db8:7fff::1'));
  assert.ok(matches('2001:db8::abcd/128', '2001:DB8::ABCD'));
});

test('an IPv4-mapped IPv6 client address matches the IPv4 range; IPv4 and IPv6 ranges never match the other family', () => {
  assert.ok(matches('192.0.2.0/24', '::ffff:192.0.2.10'));
  assert.ok(matches('192.0.2.0/24', '::FFFF:c000:020a'));
  assert.ok(!matches('192.0.2.0/24', '::ffff:192.0.3.10'));
  assert.ok(!matches('2001:db8::/32', '192.0.2.10'));
  assert.ok(!matches('192.0.2.0/24', '2001:db8::c000:20a'));
});

test('what is no address matches nothing and does not throw', () => {
  for (const ip of ['unknown', '', '192.0.2', '192.0.2.256', '::gg', '192.0.2.10:8080', 'fe80::1%eth0x']) {
    assert.ok(!matches('192.0.2.0/24', ip), ip);
  }
  assert.equal(addressBytes('unknown'), null);
  assert.deepEqual(addressBytes('fe80::1%eth0')?.family, 6);
});

test('the most specific range wins when ranges of two owners overlap', () => {
  const table = new NetworkTable([{ network: net('198.51.100.0/24'), owner: 'wide' }, { network: net('198.51.100.16/28'), owner: 'narrow' }]);
  assert.equal(table.find('198.51.100.20'), 'narrow');
  assert.equal(table.find('198.51.100.20', (o) => o !== 'narrow'), 'wide', 'an owner that no longer counts is skipped');
  assert.equal(table.find('198.51.100.200'), 'wide');
});

test('loose spellings ipaddr.js alone would accept are refused: three parts, leading zeros, hex, zones, junk', () => {
  for (const text of ['192.0.2/24', '010.0.2.0/24', '0xc0.0.2.0/24', 'fe80::1%eth0/64', '192.0.2.0/24/8', '192.0.2.0 /24', 'schule.de', '1.2.3.4/-1', '']) {
    assert.match(problem(text), /keine IP-Adresse|kein Adressbereich/, text);
  }
});

test('a prefix longer than the address, or a range wider than /8 (IPv4) or /32 (IPv6), is refused with the reason', () => {
  assert.match(problem('192.0.2.0/33'), /höchstens \/32/);
  assert.match(problem('2001:db8::/129'), /höchstens \/128/);
  assert.match(problem('0.0.0.0/0'), /zu groß/);
  assert.match(problem('8.0.0.0/7'), /zu groß/);
  assert.match(problem('2001::/16'), /zu groß/);
  assert.match(problem('::/0'), /zu groß/);
  assert.match(problem('::ffff:0:0/96'), /zu groß/);
  assert.equal(net('8.0.0.0/8').cidr, '8.0.0.0/8');
  assert.equal(net('2001:db8::/32').cidr, '2001:db8::/32');
});

test('private, loopback, link-local, shared and multicast ranges are refused: only a misconfigured proxy shows such addresses', () => {
  for (const text of ['10.1.0.0/16', '172.16.5.0/24', '192.168.0.1', '127.0.0.1', '100.64.0.0/16', '169.254.1.0/24', '224.0.0.1', '::1', 'fd00::/48', 'fe80::/64', '::ffff:10.0.0.0/104']) {
    assert.match(problem(text), /privater oder besonderer Adressbereich/, text);
  }
  // a public range that merely starts next to a private one is fine
  assert.equal(net('172.32.0.0/16').cidr, '172.32.0.0/16');
});
