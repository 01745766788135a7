// The security headers every answer carries, byte for byte as readers' browsers get them; HSTS only on HTTPS answers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Hono } from 'hono';
import pino from 'pino';
import { requestContext, type AppEnv } from './request-context.middleware.ts';

const appOver = (https: boolean) => {
  const app = new Hono<AppEnv>();
  app.use('*', requestContext(pino({ level: 'silent' }), { isHttps: () => https }));
  app.get('/', (c) => c.text('x'));
  return app;
};

test('every answer carries the CSP, nosniff, referrer, frame and permissions policies and nothing else of secureHeaders', async () => {
  const r = await appOver(false).request('/');
  const security = Object.fromEntries([...r.headers].filter(([k]) => k !== 'content-type' && k !== 'x-request-id'));
  assert.deepEqual(security, {
    'content-security-policy': "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'",
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'strict-origin-when-cross-origin',
    'x-frame-options': 'DENY',
    'permissions-policy': 'camera=(), microphone=(), geolocation=(), interest-cohort=()',
  });
  assert.ok(r.headers.get('x-request-id'));
});

test('HSTS goes out on answers that came over HTTPS only', async () => {
  assert.equal((await appOver(true).request('/')).headers.get('strict-transport-security'), 'max-age=31536000');
  assert.equal((await appOver(false).request('/')).headers.get('strict-transport-security'), null);
});
