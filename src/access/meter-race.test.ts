// The meter under real concurrency on SQLite: two processes on one database file race for each reader's last free article; exactly one wins, and neither fails.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { createUser, TEST_HASHING } from '../accounts/index.ts';
import { importDocument } from '../content/index.ts';
import { connect, migrate } from '../db/index.ts';
import { deriveMeterAddressKey, meterAddressOf } from './meter-address.ts';
import { insertMeterUnlock } from './meter.queries.ts';

const WORKER = fileURLToPath(new URL('../testing/meter-race-worker.ts', import.meta.url));
const READERS = 60;

/** Starts a worker, resolves once it has opened the database and waits for "go". */
function startWorker(job: object): Promise<{ go(): void; result: Promise<{ granted: string[]; errors: string[] }> }> {
  const child = spawn(process.execPath, ['--import', 'tsx', WORKER, JSON.stringify(job)], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout });
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    let result: (value: { granted: string[]; errors: string[] }) => void;
    const finished = new Promise<{ granted: string[]; errors: string[] }>((r) => { result = r; });
    lines.on('line', (line) => {
      if (line === 'ready') resolve({ go: () => child.stdin.end('go\n'), result: finished });
      else if (line.startsWith('{')) result(JSON.parse(line) as { granted: string[]; errors: string[] });
    });
    child.on('exit', (code) => { if (code !== 0) reject(new Error(`worker exited with ${code}`)); });
  });
}

test('SQLite, two processes on one file: each reader\'s last free article goes to exactly one request, and no request fails', async (t) => {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'klartext-meter-race-'));
  t.after(() => fs.rm(dir, { recursive: true, force: true }));
  const file = path.join(dir, 'race.sqlite');
  const store = connect({ databaseUrl: `sqlite:${file}`, dataDir: dir });
  const now = new Date();
  const masterKey = randomBytes(32);
  const addressKey = deriveMeterAddressKey(masterKey);
  const slugs = ['race-a', 'race-b', 'race-c', 'race-d'];
  let articleIds: string[];
  const userIds: string[] = [];
  const emails: string[] = [];
  try {
    await migrate(store);
    await importDocument(store.db, { articles: slugs.map((slug) => ({
      slug, section: 'stadt', kicker: 'Plus', headline: `Wettlauf ${slug}`, teaser: 'Vorspann.', access: 'plus' as const, paywallAfter: 1,
      publishedAt: new Date(now.getTime() - 3600_000).toISOString(), authors: [],
      blocks: [{ type: 'paragraph' as const, text: 'Frei.' }, { type: 'paragraph' as const, text: `Geheim ${slug}.` }],
    })) }, { baseDir: dir, dataDir: dir });
    const rows = await store.db.selectFrom('articles').select(['id', 'slug']).where('slug', 'in', slugs).execute();
    articleIds = slugs.map((slug) => rows.find((r) => r.slug === slug)!.id);
    for (let i = 0; i < READERS; i++) {
      const email = `wettlauf-${i}@example.de`;
      const { user } = await createUser(store.db, { email, role: 'reader' }, { hashing: TEST_HASHING, now });
      // two of three free articles already read: one is left
      for (const articleId of articleIds.slice(0, 2)) await insertMeterUnlock(store.db, { userId: user.id, addressHash: meterAddressOf(addressKey, email), articleId, now });
      userIds.push(user.id);
      emails.push(email);
    }
  } finally {
    await store.close();
  }

  const job = { file, userIds, emails, masterKeyHex: masterKey.toString('hex'), now: now.toISOString() };
  const workers = await Promise.all([startWorker({ ...job, articleId: articleIds[2] }), startWorker({ ...job, articleId: articleIds[3] })]);
  for (const w of workers) w.go();
  const [first, second] = await Promise.all(workers.map((w) => w.result));

  assert.deepEqual([...first!.errors, ...second!.errors], [], 'no request failed (e.g. SQLITE_BUSY)');
  const winners = [...first!.granted, ...second!.granted];
  assert.equal(winners.length, READERS, 'one grant per reader');
  assert.equal(new Set(winners).size, READERS, 'no reader got two');
  const check = connect({ databaseUrl: `sqlite:${file}`, dataDir: dir });
  try {
    const counts = await check.db.selectFrom('meter_unlocks').select((eb) => ['user_id', eb.fn.countAll<number>().as('n')]).groupBy('user_id').execute();
    assert.ok(counts.every((c) => Number(c.n) === 3), 'every reader has exactly three unlocks');
  } finally {
    await check.close();
  }
});
