// Which address is the client: X-Forwarded-For counts only as far as trusted proxies wrote it, for every form of KLARTEXT_TRUST_PROXY.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseTrustProxy, type TrustProxy } from '../../config.ts';
import { clientAddress, parseAddress, UNKNOWN_CLIENT } from './request-info.ts';

const trust = (raw: string): TrustProxy => {
  const t = parseTrustProxy(raw);
  if (typeof t === 'string') throw new Error(t);
  return t;
};

const NONE = trust('0');
const ONE = trust('1');
const TWO = trust('2');
const LIST = trust('127.0.0.1/32,10.0.0.0/8,::1,2001:db8::/32');

// [why, X-Forwarded-For, socket peer, trust, client]
const CASES: [string, string | undefined, string | undefined, TrustProxy, string][] = [
  ['no proxy: the socket peer, whatever the header says', '66.249.66.1', '203.0.113.7', NONE, '203.0.113.7'],
  ['no proxy: an IPv4-mapped socket address is plain IPv4', undefined, '::ffff:203.0.113.7', NONE, '203.0.113.7'],
  ['no proxy and no socket (app.request without env)', '66.249.66.1', undefined, NONE, UNKNOWN_CLIENT],

  ['1 hop: what the proxy appended', '66.249.66.1', '127.0.0.1', ONE, '66.249.66.1'],
  ['1 hop: a spoofed left-most entry does not count', '66.249.66.1, 203.0.113.7', '127.0.0.1', ONE, '203.0.113.7'],
  ['1 hop: without spaces', '66.249.66.1,203.0.113.7', '127.0.0.1', ONE, '203.0.113.7'],
  ['1 hop: many spoofed entries', '1.1.1.1, 2.2.2.2, 66.249.66.1, 203.0.113.7', '127.0.0.1', ONE, '203.0.113.7'],
  ['1 hop: garbage left of the client is never read', 'garbage, 203.0.113.7', '127.0.0.1', ONE, '203.0.113.7'],
  ['1 hop: no header means the socket peer', undefined, '127.0.0.1', ONE, '127.0.0.1'],
  ['1 hop: an empty header means the socket peer', '', '127.0.0.1', ONE, '127.0.0.1'],
  ['1 hop: a malformed client entry is an unknown client', '66.249.66.1, garbage', '127.0.0.1', ONE, UNKNOWN_CLIENT],
  ['1 hop: an empty right-most entry is an unknown client', '66.249.66.1, ', '127.0.0.1', ONE, UNKNOWN_CLIENT],
  ['1 hop: "unknown" as written by some proxies', 'unknown', '127.0.0.1', ONE, UNKNOWN_CLIENT],
  ['1 hop: a huge entry is not an address', 'x'.repeat(10_000), '127.0.0.1', ONE, UNKNOWN_CLIENT],
  ['1 hop: IPv4-mapped IPv6 becomes IPv4', '::ffff:66.249.66.1', '127.0.0.1', ONE, '66.249.66.1'],
  ['1 hop: IPv4-mapped IPv6 in hex becomes IPv4', '::ffff:4af9:4201', '127.0.0.1', ONE, '74.249.66.1'],
  ['1 hop: IPv6 in canonical form', '2001:DB8:0:0::7', '::1', ONE, '2001:db8::7'],
  ['1 hop: bracketed IPv6 with port', '[2001:db8::7]:4711', '::1', ONE, '2001:db8::7'],
  ['1 hop: IPv4 with port', '203.0.113.7:4711', '127.0.0.1', ONE, '203.0.113.7'],
  ['1 hop: an IPv6 zone is dropped', 'fe80::1%eth0', '::1', ONE, 'fe80::1'],
  ['1 hop: without a known socket the proxy is still the nearest hop', '203.0.113.7', undefined, ONE, '203.0.113.7'],

  ['2 hops: the second entry from the right', '66.249.66.1, 10.0.0.1', '10.0.0.2', TWO, '66.249.66.1'],
  ['2 hops: spoofed entries further left do not count', '66.249.66.1, 203.0.113.7, 10.0.0.1', '10.0.0.2', TWO, '203.0.113.7'],
  ['2 hops: fewer entries (outer proxy skipped) means the left-most', '203.0.113.7', '10.0.0.2', TWO, '203.0.113.7'],
  ['2 hops: no header means the socket peer', undefined, '10.0.0.2', TWO, '10.0.0.2'],
  ['2 hops: a malformed proxy entry stops the walk', '203.0.113.7, garbage', '10.0.0.2', TWO, UNKNOWN_CLIENT],

  ['list: an untrusted socket peer is the client and the header is ignored', '66.249.66.1', '203.0.113.7', LIST, '203.0.113.7'],
  ['list: a trusted socket peer; the spoofed left-most entry does not count', '66.249.66.1, 203.0.113.7', '127.0.0.1', LIST, '203.0.113.7'],
  ['list: two trusted proxies are walked through', '66.249.66.1, 203.0.113.7, 10.1.2.3', '127.0.0.1', LIST, '203.0.113.7'],
  ['list: an IPv4-mapped socket address matches an IPv4 range', '203.0.113.7', '::ffff:127.0.0.1', LIST, '203.0.113.7'],
  ['list: an IPv4-mapped entry matches an IPv4 range', '203.0.113.7, ::ffff:10.1.2.3', '127.0.0.1', LIST, '203.0.113.7'],
  ['list: an IPv6 proxy', '2001:db8:ffff::9, 2a00:1450::7', '::1', LIST, '2a00:1450::7'],
  ['list: an IPv6 range', '198.51.100.4', '2001:db8::1', LIST, '198.51.100.4'],
  ['list: every address a trusted proxy means the left-most', '10.0.0.9, 10.1.2.3', '127.0.0.1', LIST, '10.0.0.9'],
  ['list: a malformed entry stops the walk', 'garbage, 10.1.2.3', '127.0.0.1', LIST, UNKNOWN_CLIENT],
  ['list: no header means the socket peer', undefined, '127.0.0.1', LIST, '127.0.0.1'],
  ['list: an unknown socket is trusted by no one', '66.249.66.1', undefined, LIST, UNKNOWN_CLIENT],
  ['list: a malformed socket address is trusted by no one', '66.249.66.1', 'garbage', LIST, UNKNOWN_CLIENT],
];

test('the client is the right-most address no trusted proxy added', () => {
  for (const [why, xff, socket, t, expected] of CASES) {
    assert.equal(clientAddress(xff, socket, t), expected, `${why} (X-Forwarded-For: ${xff?.slice(0, 60)}, socket ${socket})`);
  }
});

test('an address is parsed into one comparable form, anything else is null', () => {
  assert.equal(parseAddress(' 203.0.113.7 '), '203.0.113.7');
  assert.equal(parseAddress('[::1]'), '::1');
  assert.equal(parseAddress('0:0:0:0:0:0:0:1'), '::1');
  for (const bad of ['', 'unknown', '_hidden', '203.0.113', '203.0.113.7.1', '999.1.1.1', '[::1', '::1]:80', 'example.com', '203.0.113.7:port']) {
    assert.equal(parseAddress(bad), null, bad);
  }
});
