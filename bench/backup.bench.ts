// bench:backup — `klartext backup` and `restore` of the demo site on SQLite and PostgreSQL (time, file size), and
// `keys rotate` over BENCH_KEYS content keys (rows per second) beside a plain read of the same rows, in one run.
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { connect, migrate } from '../src/db/index.ts';
import { generateContentKey, wrapContentKey } from '../src/access/index.ts';
import { rotateMasterKey } from '../src/ops/index.ts';
import { cli, newSite } from '../src/testing/site-pages.ts';

const KEYS = Number(process.env.BENCH_KEYS ?? 5000);
const engines = process.env.DATABASE_URL_TEST ? ['sqlite', 'postgres'] : ['sqlite'];
const ms = (from: bigint) => Number(process.hrtime.bigint() - from) / 1e6;

for (const engine of engines) {
  const key = randomBytes(32).toString('base64');
  const source = await newSite(engine, 'bsrc', key);
  const target = await newSite(engine, 'bdst', key);
  const work = await fs.mkdtemp(path.join(os.tmpdir(), 'klartext-bench-backup-'));
  try {
    if ((await cli(['seed'], source.env)).code !== 0) throw new Error('seed failed');
    const file = path.join(work, 'site.tar');
    let t = process.hrtime.bigint();
    const made = await cli(['backup', '--out', file], source.env);
    const backupMs = ms(t);
    if (made.code !== 0) throw new Error(made.err.join('\n'));
    t = process.hrtime.bigint();
    const restored = await cli(['restore', file], target.env);
    const restoreMs = ms(t);
    if (restored.code !== 0) throw new Error(restored.err.join('\n'));
    console.log(`${engine}: demo backup ${backupMs.toFixed(0)} ms, ${((await fs.stat(file)).size / 1e6).toFixed(1)} MB; restore ${restoreMs.toFixed(0)} ms`);

    // rotation: KEYS content keys under the old key (one article, distinct version hashes)
    const store = connect({ databaseUrl: source.env.DATABASE_URL, dataDir: source.dataDir });
    await migrate(store);
    const oldKey = randomBytes(32);
    const article = await store.db.selectFrom('articles').select('id').executeTakeFirstOrThrow();
    const now = new Date().toISOString();
    for (let i = 0; i < KEYS; i += 500) {
      await store.db.insertInto('content_keys').values(Array.from({ length: Math.min(500, KEYS - i) }, (_, j) => ({
        id: `b${String(i + j).padStart(9, '0')}`, article_id: article.id, premium_hash: `bench-${i + j}`, wrapped_key: wrapContentKey(generateContentKey(), oldKey), created_at: now,
      }))).execute();
    }
    await store.db.deleteFrom('content_keys').where('id', 'not like', 'b%').execute();
    t = process.hrtime.bigint();
    const rows = await store.db.selectFrom('content_keys').select(['id', 'wrapped_key']).execute();
    const readMs = ms(t);
    t = process.hrtime.bigint();
    const report = await rotateMasterKey(store.db, { current: randomBytes(32), previous: [oldKey] });
    const rotateMs = ms(t);
    console.log(`${engine}: keys rotate ${report.contentKeys.rewrapped} content keys in ${rotateMs.toFixed(0)} ms (${(report.contentKeys.rewrapped / rotateMs * 1000).toFixed(0)} rows/s); baseline: reading the ${rows.length} rows ${readMs.toFixed(0)} ms`);
    await store.close();
  } finally {
    await source.drop();
    await target.drop();
    await fs.rm(work, { recursive: true, force: true });
  }
}
console.log(`load average: ${(await fs.readFile('/proc/loadavg', 'utf8')).trim()}`);
