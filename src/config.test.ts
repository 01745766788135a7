// Configuration: defaults, and one clear line naming the variable for every wrong value.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadConfig, ConfigError } from './config.ts';

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
    [{ KLARTEXT_HASH_CONCURRENCY: '0' }, /^Invalid KLARTEXT_HASH_CONCURRENCY="0": expected a whole number from 1 to 64$/],
    [{ KLARTEXT_HASH_PER_SECOND: 'viele' }, /^Invalid KLARTEXT_HASH_PER_SECOND/],
  ];
  for (const [env, re] of cases) {
    assert.throws(() => loadConfig(env), (e: unknown) => e instanceof ConfigError && re.test(e.message) && !e.message.includes('\n'), JSON.stringify(env));
  }
});

test('empty variables count as unset', () => {
  assert.equal(loadConfig({ PORT: '', DATABASE_URL: '' }).port, 3000);
});
