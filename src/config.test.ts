// Configuration: defaults, and one clear line naming the variable for every wrong value.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadConfig, servingConfig, ConfigError } from './config.ts';

test('defaults give an embedded site on port 3000 with a meter of 3', () => {
  const c = loadConfig({});
  assert.equal(c.port, 3000);
  assert.equal(c.databaseUrl, undefined);
  assert.equal(c.meterPerMonth, 3);
  assert.deepEqual(c.hashGate, { concurrency: 2, queue: 16, perSecond: 4 });
  assert.ok(Object.isFrozen(c));
});

test('each wrong value names the variable and what is allowed', () => {
  const cases: [Record<string, string>, RegExp][] = [
    [{ PORT: 'abc' }, /^Invalid PORT="abc": expected a whole number from 0 to 65535$/],
    [{ PORT: '70000' }, /^Invalid PORT="70000"/],
    [{ DATABASE_URL: 'mysql://x' }, /^Invalid DATABASE_URL="mysql:\/\/x": expected postgres:\/\/… or sqlite:FILE$/],
    [{ KLARTEXT_METER_PER_MONTH: '-1' }, /^Invalid KLARTEXT_METER_PER_MONTH/],
    [{ KLARTEXT_MASTER_KEY: 'short' }, /^Invalid KLARTEXT_MASTER_KEY="short": expected 32 bytes in base64/],
    [{ LOG_LEVEL: 'loud' }, /^Invalid LOG_LEVEL="loud": expected one of/],
    [{ SMTP_URL: 'http://x' }, /^Invalid SMTP_URL/],
    [{ KLARTEXT_TRUST_PROXY: 'yes' }, /^Invalid KLARTEXT_TRUST_PROXY="yes": expected 0, a number of proxies from 1 to 10, or a comma-separated list of proxy addresses and CIDR ranges/],
    [{ KLARTEXT_TRUST_PROXY: '11' }, /^Invalid KLARTEXT_TRUST_PROXY="11": expected 0, a number of proxies from 1 to 10/],
    [{ KLARTEXT_TRUST_PROXY: '127.0.0.1,10.0.0.0/33' }, /^Invalid KLARTEXT_TRUST_PROXY="127.0.0.1,10.0.0.0\/33": expected .* \("10.0.0.0\/33" is none of these\)$/],
    [{ KLARTEXT_TRUST_PROXY: '::1/129' }, /^Invalid KLARTEXT_TRUST_PROXY="::1\/129"/],
    [{ KLARTEXT_TRUST_PROXY: '127.0.0.1,,::1' }, /\("" is none of these\)$/],
    [{ KLARTEXT_TRUST_PROXY: 'proxy.internal' }, /^Invalid KLARTEXT_TRUST_PROXY="proxy.internal"/],
    [{ KLARTEXT_PUBLIC_URL: 'zeitung.example' }, /^Invalid KLARTEXT_PUBLIC_URL="zeitung.example": expected an origin such as https:\/\/zeitung.example/],
    [{ KLARTEXT_PUBLIC_URL: 'https://zeitung.example/klartext' }, /^Invalid KLARTEXT_PUBLIC_URL=.*no path/],
    [{ KLARTEXT_PUBLIC_URL: 'ftp://zeitung.example' }, /^Invalid KLARTEXT_PUBLIC_URL/],
    [{ KLARTEXT_ALLOWED_HOSTS: 'https://www.zeitung.example' }, /^Invalid KLARTEXT_ALLOWED_HOSTS="https:\/\/www.zeitung.example": expected comma-separated hostnames/],
    [{ KLARTEXT_ALLOWED_HOSTS: 'www.zeitung.example:8080' }, /^Invalid KLARTEXT_ALLOWED_HOSTS/],
    [{ NODE_ENV: 'production' }, /^Missing KLARTEXT_PUBLIC_URL: required when NODE_ENV=production/],
    [{ KLARTEXT_HASH_CONCURRENCY: '0' }, /^Invalid KLARTEXT_HASH_CONCURRENCY="0": expected a whole number from 1 to 64$/],
    [{ KLARTEXT_HASH_PER_SECOND: 'viele' }, /^Invalid KLARTEXT_HASH_PER_SECOND/],
    [{ KLARTEXT_METRICS_TOKEN: 'zu-kurz' }, /^Invalid KLARTEXT_METRICS_TOKEN="zu-kurz": expected at least 24 printable characters without spaces/],
    [{ KLARTEXT_METRICS_TOKEN: 'ein token mit leerzeichen darin 1234' }, /^Invalid KLARTEXT_METRICS_TOKEN/],
  ];
  for (const [env, re] of cases) {
    assert.throws(() => loadConfig(env), (e: unknown) => e instanceof ConfigError && re.test(e.message) && !e.message.includes('\n'), JSON.stringify(env));
  }
});

test('empty variables count as unset', () => {
  assert.equal(loadConfig({ PORT: '', DATABASE_URL: '' }).port, 3000);
});

test('KLARTEXT_TRUST_PROXY is off by default, a hop count, or a list of proxy addresses and ranges parsed once', () => {
  assert.deepEqual(loadConfig({}).trustProxy, { kind: 'none' });
  assert.deepEqual(loadConfig({ KLARTEXT_TRUST_PROXY: '0' }).trustProxy, { kind: 'none' });
  assert.deepEqual(loadConfig({ KLARTEXT_TRUST_PROXY: '1' }).trustProxy, { kind: 'hops', hops: 1 }, '1 keeps meaning one proxy in front');
  assert.deepEqual(loadConfig({ KLARTEXT_TRUST_PROXY: '10' }).trustProxy, { kind: 'hops', hops: 10 });
  const list = loadConfig({ KLARTEXT_TRUST_PROXY: ' 127.0.0.1/32, 10.0.0.0/8 ,::1,2001:db8::/32' }).trustProxy;
  assert.equal(list.kind, 'list');
  if (list.kind !== 'list') return;
  assert.ok(Object.isFrozen(list));
  const trusted: [string, 'ipv4' | 'ipv6', boolean][] = [
    ['127.0.0.1', 'ipv4', true], ['127.0.0.2', 'ipv4', false], ['10.255.0.1', 'ipv4', true], ['11.0.0.1', 'ipv4', false],
    ['::1', 'ipv6', true], ['::ffff:127.0.0.1', 'ipv6', true], ['2001:db8:7::1', 'ipv6', true], ['2001:db9::1', 'ipv6', false],
  ];
  for (const [ip, family, expected] of trusted) assert.equal(list.proxies.check(ip, family), expected, ip);
});

test('production needs KLARTEXT_PUBLIC_URL; with it, the origin is normalised and the hosts are the public one and the aliases', () => {
  const c = loadConfig({ NODE_ENV: 'production', KLARTEXT_PUBLIC_URL: 'https://Zeitung.Example:443/', KLARTEXT_ALLOWED_HOSTS: ' WWW.zeitung.example , news.zeitung.example' });
  assert.equal(c.publicUrl, 'https://zeitung.example');
  const s = servingConfig(c, 3000);
  assert.equal(s.publicUrl, 'https://zeitung.example', 'the listened port does not change a configured origin');
  assert.deepEqual(s.acceptedHosts, ['zeitung.example', 'www.zeitung.example', 'news.zeitung.example']);
});

test('without KLARTEXT_PUBLIC_URL outside production the origin is pinned to localhost and the port listened on', () => {
  const s = servingConfig(loadConfig({}), 41234);
  assert.equal(s.publicUrl, 'http://localhost:41234');
  assert.deepEqual(s.acceptedHosts, ['localhost', '127.0.0.1', '[::1]']);
  assert.equal(servingConfig(loadConfig({})).publicUrl, 'http://localhost');
});
