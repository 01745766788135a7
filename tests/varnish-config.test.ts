// The shipped cache configurations (deploy/varnish, deploy/nginx) pass exactly the private paths Klartext has, and load.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { isPrivatePath, PRIVATE_ARTICLE_PAGES, PRIVATE_PREFIXES } from '../src/web/platform/private-paths.ts';
import { NGINX, NGINX_CONF, startNginxProxy, VARNISHD, VCL_DIR } from '../src/testing/varnish.ts';

/** Paths to try: every private prefix and article page in several spellings, and public paths that resemble them. */
const SAMPLES = [
  '/konto', '/konto/', '/konto/sitzungen', '/anmelden', '/anmelden?weiter=/konto', '/registrieren', '/passwort-vergessen', '/abmelden',
  '/api/me', '/api/unlock/abc', '/suche', '/suche?q=Rathaus', '/abo/bestellen', '/abo/bestellen/plus', '/abo/danke', '/abo/einloesen', '/kuendigen',
  '/verlag', '/verlag/angebote', '/redaktion', '/redaktion/artikel/1', '/artikel/x/klartext', '/artikel/x/klartext/', '/artikel/x/verschenken',
  '/artikel/x/klartext?geschenk=abc',
  '/', '/abo', '/abo?next=/artikel/x', '/kontor', '/apis', '/sucheflug', '/artikel/x', '/artikel/klartext', '/artikel/x?geschenk=abc', '/stadt',
  '/autor/ina', '/feed.xml', '/sitemap.xml', '/redaktionelles', '/artikel/x/klartextlich',
  // a prefix added to private-paths.ts later is tried here without anyone remembering this list
  ...PRIVATE_PREFIXES.flatMap((p) => [p, `${p}/x`, `${p}?a=1`, `${p}x`]), ...PRIVATE_ARTICLE_PAGES.map((page) => `/artikel/y/${page}`),
];

/** The `req.url ~ "…"` patterns of the VCL rule that passes private paths. */
async function vclPrivatePatterns(): Promise<RegExp[]> {
  const vcl = await fs.readFile(path.join(VCL_DIR, 'klartext.vcl'), 'utf8');
  const rule = /# The private paths of src\/web\/platform\/private-paths\.ts[\s\S]*?if \(([\s\S]*?)\) \{\s*return \(pass\);/.exec(vcl);
  assert.ok(rule, 'the VCL has its private-paths rule');
  return [...rule[1]!.matchAll(/req\.url ~ "([^"]+)"/g)].map((m) => new RegExp(m[1]!));
}

async function nginxPrivatePatterns(): Promise<RegExp[]> {
  const conf = await fs.readFile(NGINX_CONF, 'utf8');
  const map = /map \$request_uri \$klartext_private \{([\s\S]*?)\n\}/.exec(conf);
  assert.ok(map, 'the nginx config has its private-paths map');
  // the first two lines are the private paths; the others (operations endpoints, odd spellings) are checked below
  return [...map[1]!.matchAll(/"~([^"]+)" 1;/g)].slice(0, 2).map((m) => new RegExp(m[1]!));
}

function assertSamePrivatePaths(res: RegExp[]): void {
  for (const url of SAMPLES) {
    const pathOnly = url.split('?')[0]!;
    assert.equal(res.some((r) => r.test(url)), isPrivatePath(pathOnly), `${url}: private is ${isPrivatePath(pathOnly)}`);
  }
}

test('Varnish (deploy/varnish/klartext.vcl) passes exactly the private paths of private-paths.ts', async () => {
  assertSamePrivatePaths(await vclPrivatePatterns());
});

test('nginx (deploy/nginx/klartext.conf) passes exactly the private paths of private-paths.ts', async () => {
  assertSamePrivatePaths(await nginxPrivatePatterns());
});

test('the VCL compiles with varnishd 7.1 and the xkey vmod', { skip: VARNISHD ? false : 'varnishd is not installed' }, async () => {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'klartext-vcc-'));
  try {
    await fs.chmod(dir, 0o755);
    for (const f of ['klartext.vcl', 'backends.vcl']) await fs.writeFile(path.join(dir, f), await fs.readFile(path.join(VCL_DIR, f)), { mode: 0o644 });
    const r = spawnSync(VARNISHD!, ['-C', '-n', path.join(dir, 'n'), '-f', path.join(dir, 'klartext.vcl')], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr.slice(0, 2000));
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
});

test('the nginx configuration passes nginx -t', { skip: NGINX ? false : 'nginx is not installed' }, async () => {
  const r = await startNginxProxy({ backends: [3001, 3002], check: true });
  assert.match(r!.checked, /^0: /, r!.checked);
});
