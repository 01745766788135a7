// What the Dockerfile and compose.yaml encode, checked without building an image: non-root, the health check, the entrypoint, variables Klartext knows, Varnish wired to the replicas.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CONFIG_VARIABLES } from '../src/config.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const read = (file: string) => fs.readFileSync(path.join(root, file), 'utf8');
/** Set by another branch of issue 11 (ops: /metrics); counts once config.ts has it. */
const PENDING = new Set(['KLARTEXT_METRICS_TOKEN']);

test('the Dockerfile builds in two stages and runs as a non-root user, with the entrypoint script and `klartext healthcheck`', () => {
  const docker = read('Dockerfile');
  assert.equal((docker.match(/^FROM /gm) ?? []).length, 2, 'multi-stage');
  assert.match(docker, /COPY --from=build \/app\/node_modules/);
  const user = [...docker.matchAll(/^USER (\S+)/gm)].map((m) => m[1]);
  assert.deepEqual(user, ['node']);
  assert.ok(docker.indexOf('USER node') > docker.lastIndexOf('RUN '), 'nothing runs as root after USER');
  assert.match(docker, /^HEALTHCHECK .*CMD \["klartext", "healthcheck"\]$/m);
  assert.match(docker, /^COPY deploy\/docker-entrypoint\.sh \/usr\/local\/bin\/docker-entrypoint\.sh$/m);
  assert.match(docker, /^ENTRYPOINT \["tini", "--", "docker-entrypoint\.sh"\]$/m);
  assert.match(docker, /ln -s \/app\/bin\/klartext\.mjs \/usr\/local\/bin\/klartext/);
  assert.match(docker, /postgresql-client-15/, 'pg_dump of the server version for klartext backup');
  assert.equal(fs.statSync(path.join(root, 'deploy/docker-entrypoint.sh')).mode & 0o111, 0o111, 'the entrypoint is executable');
  assert.equal(fs.statSync(path.join(root, 'bin/klartext.mjs')).mode & 0o111, 0o111, 'bin/klartext.mjs is executable (the klartext link)');
  const ignored = read('.dockerignore');
  for (const entry of ['node_modules', 'data', '.git']) assert.match(ignored, new RegExp(`^${entry.replace('.', '\\.')}$`, 'm'));
});

test('compose.yaml: two replicas with the same environment, variables Klartext knows, Varnish on the shipped VCL', () => {
  const compose = read('compose.yaml');
  for (const service of ['postgres', 'klartext-1', 'klartext-2', 'varnish']) assert.match(compose, new RegExp(`^  ${service}:$`, 'm'), service);
  assert.equal((compose.match(/<<: \*klartext/g) ?? []).length, 2, 'both replicas from one definition');
  const block = compose.slice(compose.indexOf('x-klartext:'), compose.indexOf('\nservices:'));
  const variables = [...block.matchAll(/^ {4}([A-Z][A-Z0-9_]+):/gm)].map((m) => m[1]!);
  assert.ok(variables.includes('KLARTEXT_MASTER_KEY') && variables.includes('DATABASE_URL'));
  assert.deepEqual(variables.filter((v) => !CONFIG_VARIABLES.includes(v) && !PENDING.has(v)), [], 'every variable is one config.ts reads');
  assert.match(block, /KLARTEXT_MASTER_KEY: \$\{KLARTEXT_MASTER_KEY:\?/, 'a missing master key stops compose instead of each replica generating its own');
  assert.doesNotMatch(block, /^\s+ports:/m, 'the replicas publish no port: readers go through Varnish');
  assert.match(compose, /-f", "\/etc\/varnish\/klartext\.vcl"/);
  assert.match(compose, /\.\/deploy\/varnish:\/etc\/varnish:ro/);
  assert.match(compose, /\.\/deploy\/compose\/backends\.vcl:\/etc\/varnish\/backends\.vcl:ro/);
  const backends = read('deploy/compose/backends.vcl');
  assert.match(backends, /\.host = "klartext-1";\s+\.port = "3000";/);
  assert.match(backends, /\.host = "klartext-2";\s+\.port = "3000";/);
  const subnet = /subnet: (\d+\.\d+\.\d+\.\d+)\/(\d+)/.exec(compose);
  assert.ok(subnet);
  const gateway = subnet[1]!.replace(/\.0$/, '.1').replace(/\./g, '\\.');
  assert.match(backends, new RegExp(`acl purgers \\{\\s+! "${gateway}";\\s+"${subnet[1]!.replace(/\./g, '\\.')}"/${subnet[2]};\\s+\\}`), 'PURGE allowed from the compose network only, not from its gateway (the host)');
  const example = read('deploy/compose.env.example');
  for (const v of [...compose.matchAll(/\$\{([A-Z0-9_]+)[:?-]/g)].map((m) => m[1]!)) assert.match(example, new RegExp(`^${v}=`, 'm'), `${v} in compose.env.example`);
});

const varnishd = ['/usr/sbin/varnishd', '/usr/bin/varnishd'].find((p) => fs.existsSync(p));
const mainVcl = path.join(root, 'deploy/varnish/klartext.vcl');
test('the compose backends compile with the shipped VCL (service names as addresses)', {
  skip: !varnishd ? 'varnishd is not installed' : !fs.existsSync(mainVcl) ? 'deploy/varnish/klartext.vcl is not on this branch yet' : false,
}, () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'klartext-compose-vcl-'));
  try {
    fs.chmodSync(dir, 0o755);
    fs.copyFileSync(mainVcl, path.join(dir, 'klartext.vcl'));
    // the service names resolve only inside compose; the compiler resolves backend hosts
    fs.writeFileSync(path.join(dir, 'backends.vcl'), read('deploy/compose/backends.vcl').replace(/"klartext-[12]"/g, '"127.0.0.1"'));
    for (const f of fs.readdirSync(dir)) fs.chmodSync(path.join(dir, f), 0o644);
    const r = spawnSync(varnishd!, ['-C', '-n', path.join(dir, 'n'), '-f', path.join(dir, 'klartext.vcl')], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
