// Proves crawlers are believed only when reverse and forward DNS agree, and that verdicts are cached.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createCrawlerVerifier, normaliseIp, type HostResolver } from './crawler-verification.ts';

const GOOGLEBOT_UA = 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)';
const BINGBOT_UA = 'Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)';
const BROWSER_UA = 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0';

interface FakeDns { ptr: Record<string, string[]>; a: Record<string, string[]>; fail?: 'reverse' | 'lookup'; hang?: boolean }

function fakeResolver(dns: FakeDns): HostResolver & { calls: string[] } {
  const calls: string[] = [];
  const never = new Promise<string[]>(() => {});
  return {
    calls,
    async reverse(ip) {
      calls.push(`reverse ${ip}`);
      if (dns.hang) return never;
      if (dns.fail === 'reverse') throw Object.assign(new Error('server failure'), { code: 'ESERVFAIL' });
      const names = dns.ptr[ip];
      if (!names) throw Object.assign(new Error('no PTR'), { code: 'ENOTFOUND' });
      return names;
    },
    async lookup(host) {
      calls.push(`lookup ${host}`);
      if (dns.fail === 'lookup') throw Object.assign(new Error('timeout'), { code: 'ETIMEOUT' });
      return dns.a[host] ?? [];
    },
  };
}

const GOOGLE_DNS: FakeDns = {
  ptr: {
    '66.249.66.1': ['crawl-66-249-66-1.googlebot.com'],
    '2001:4860:4801:10::1': ['crawl-2001-4860-4801-10--1.googlebot.com.'],
    '157.55.39.1': ['msnbot-157-55-39-1.search.msn.com'],
    '203.0.113.9': ['evil.example.net'],
    '203.0.113.10': ['crawl-fake.googlebot.com'],
    '203.0.113.11': ['crawl.googlebot.com.evil.example'],
  },
  a: {
    'crawl-66-249-66-1.googlebot.com': ['66.249.66.1'],
    'crawl-2001-4860-4801-10--1.googlebot.com': ['2001:4860:4801:0010:0000:0000:0000:0001'],
    'msnbot-157-55-39-1.search.msn.com': ['157.55.39.1'],
    'crawl-fake.googlebot.com': ['66.249.66.77'],
  },
};

function clock(start = 1_000_000) {
  let t = start;
  return { now: () => t, advance: (ms: number) => { t += ms; } };
}

test('a genuine Googlebot is verified', async () => {
  const verifier = createCrawlerVerifier({ resolver: fakeResolver(GOOGLE_DNS), ttlMs: 60_000 });
  assert.deepEqual(await verifier.verify('66.249.66.1', GOOGLEBOT_UA), { crawler: 'googlebot', verified: true });
});

test('a Googlebot on IPv6 and on an IPv4-mapped address is verified', async () => {
  const verifier = createCrawlerVerifier({ resolver: fakeResolver(GOOGLE_DNS), ttlMs: 60_000 });
  assert.deepEqual(await verifier.verify('2001:4860:4801:10::1', GOOGLEBOT_UA), { crawler: 'googlebot', verified: true });
  assert.deepEqual(await verifier.verify('::ffff:66.249.66.1', GOOGLEBOT_UA), { crawler: 'googlebot', verified: true });
});

test('a genuine Bingbot is verified', async () => {
  const verifier = createCrawlerVerifier({ resolver: fakeResolver(GOOGLE_DNS), ttlMs: 60_000 });
  assert.deepEqual(await verifier.verify('157.55.39.1', BINGBOT_UA), { crawler: 'bingbot', verified: true });
});

test('a Googlebot user agent from an address without a Google name is not verified', async () => {
  const verifier = createCrawlerVerifier({ resolver: fakeResolver(GOOGLE_DNS), ttlMs: 60_000 });
  assert.deepEqual(await verifier.verify('203.0.113.9', GOOGLEBOT_UA), { crawler: 'googlebot', verified: false });
  assert.deepEqual(await verifier.verify('198.51.100.1', GOOGLEBOT_UA), { crawler: 'googlebot', verified: false }, 'no PTR record');
});

test('a googlebot.com reverse name whose forward lookup gives another IP is not verified', async () => {
  const verifier = createCrawlerVerifier({ resolver: fakeResolver(GOOGLE_DNS), ttlMs: 60_000 });
  assert.deepEqual(await verifier.verify('203.0.113.10', GOOGLEBOT_UA), { crawler: 'googlebot', verified: false });
});

test('a name that only contains googlebot.com, not ends with it, is not believed', async () => {
  const resolver = fakeResolver({ ...GOOGLE_DNS, a: { ...GOOGLE_DNS.a, 'crawl.googlebot.com.evil.example': ['203.0.113.11'] } });
  const verifier = createCrawlerVerifier({ resolver, ttlMs: 60_000 });
  assert.deepEqual(await verifier.verify('203.0.113.11', GOOGLEBOT_UA), { crawler: 'googlebot', verified: false });
  assert.ok(!resolver.calls.some((call) => call.startsWith('lookup')), 'no forward lookup for a foreign domain');
});

test('a verified Google address claiming to be Bingbot is not verified as Bingbot', async () => {
  const verifier = createCrawlerVerifier({ resolver: fakeResolver(GOOGLE_DNS), ttlMs: 60_000 });
  assert.deepEqual(await verifier.verify('66.249.66.1', BINGBOT_UA), { crawler: 'bingbot', verified: false });
});

test('ordinary browsers and malformed addresses cause no DNS lookup', async () => {
  const resolver = fakeResolver(GOOGLE_DNS);
  const verifier = createCrawlerVerifier({ resolver, ttlMs: 60_000 });
  assert.deepEqual(await verifier.verify('66.249.66.1', BROWSER_UA), { crawler: null, verified: false });
  assert.deepEqual(await verifier.verify('not-an-ip', GOOGLEBOT_UA), { crawler: 'googlebot', verified: false });
  assert.deepEqual(resolver.calls, []);
});

test('repeated and concurrent requests from one address resolve once within the ttl, again after it', async () => {
  const resolver = fakeResolver(GOOGLE_DNS);
  const time = clock();
  const verifier = createCrawlerVerifier({ resolver, ttlMs: 60_000, now: time.now });
  await Promise.all([verifier.verify('66.249.66.1', GOOGLEBOT_UA), verifier.verify('66.249.66.1', GOOGLEBOT_UA)]);
  await verifier.verify('::ffff:66.249.66.1', GOOGLEBOT_UA);
  assert.equal(resolver.calls.filter((call) => call.startsWith('reverse')).length, 1);
  time.advance(60_001);
  await verifier.verify('66.249.66.1', GOOGLEBOT_UA);
  assert.equal(resolver.calls.filter((call) => call.startsWith('reverse')).length, 2);
});

test('a negative verdict is cached too', async () => {
  const resolver = fakeResolver(GOOGLE_DNS);
  const verifier = createCrawlerVerifier({ resolver, ttlMs: 60_000 });
  for (let i = 0; i < 5; i++) await verifier.verify('203.0.113.9', GOOGLEBOT_UA);
  assert.equal(resolver.calls.length, 1);
});

test('a resolver error means not verified, cached for the shorter error ttl', async () => {
  for (const fail of ['reverse', 'lookup'] as const) {
    const resolver = fakeResolver({ ...GOOGLE_DNS, fail });
    const time = clock();
    const verifier = createCrawlerVerifier({ resolver, ttlMs: 3_600_000, errorTtlMs: 30_000, now: time.now });
    assert.deepEqual(await verifier.verify('66.249.66.1', GOOGLEBOT_UA), { crawler: 'googlebot', verified: false }, fail);
    const calls = resolver.calls.length;
    await verifier.verify('66.249.66.1', GOOGLEBOT_UA);
    assert.equal(resolver.calls.length, calls, 'cached');
    time.advance(30_001);
    await verifier.verify('66.249.66.1', GOOGLEBOT_UA);
    assert.ok(resolver.calls.length > calls, 'asked again after the error ttl');
  }
});

test('a resolver that never answers times out as not verified', async () => {
  const verifier = createCrawlerVerifier({ resolver: fakeResolver({ ...GOOGLE_DNS, hang: true }), ttlMs: 60_000, timeoutMs: 20 });
  assert.deepEqual(await verifier.verify('66.249.66.1', GOOGLEBOT_UA), { crawler: 'googlebot', verified: false });
});

test('the cache holds at most maxEntries addresses', async () => {
  const resolver = fakeResolver(GOOGLE_DNS);
  const verifier = createCrawlerVerifier({ resolver, ttlMs: 60_000, maxEntries: 2 });
  for (const ip of ['198.51.100.1', '198.51.100.2', '198.51.100.3', '198.51.100.1']) await verifier.verify(ip, GOOGLEBOT_UA);
  assert.equal(resolver.calls.length, 4, 'the oldest address was evicted and resolved again');
});

test('user agents are recognised by their crawler token', () => {
  const verifier = createCrawlerVerifier({ resolver: fakeResolver(GOOGLE_DNS), ttlMs: 1 });
  assert.equal(verifier.claimedCrawler(GOOGLEBOT_UA), 'googlebot');
  assert.equal(verifier.claimedCrawler('Googlebot-Image/1.0'), 'googlebot');
  assert.equal(verifier.claimedCrawler(BINGBOT_UA), 'bingbot');
  assert.equal(verifier.claimedCrawler(BROWSER_UA), null);
  assert.equal(verifier.claimedCrawler(''), null);
});

test('addresses are normalised for comparison', () => {
  assert.equal(normaliseIp('::ffff:1.2.3.4'), '1.2.3.4');
  assert.equal(normaliseIp('::FFFF:0102:0304'), '1.2.3.4');
  assert.equal(normaliseIp('2001:DB8:0:0:0:0:0:1'), '2001:db8::1');
  assert.equal(normaliseIp(' 10.0.0.1 '), '10.0.0.1');
  assert.equal(normaliseIp('1.2.3'), null);
  assert.equal(normaliseIp('example.com'), null);
});
