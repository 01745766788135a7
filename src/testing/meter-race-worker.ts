// A second process for the SQLite meter race: opens the database file, waits for "go" on stdin, then records one meter unlock per reader and prints what happened.
import { createInterface } from 'node:readline';
import { deriveMeterAddressKey, recordMeterUnlock } from '../access/index.ts';
import { connect } from '../db/index.ts';

interface Job { file: string; articleId: string; userIds: string[]; emails: string[]; masterKeyHex: string; now: string }

const job = JSON.parse(process.argv[2]!) as Job;
const store = connect({ databaseUrl: `sqlite:${job.file}`, dataDir: '/nonexistent' });
const meter = { limit: 3, addressKey: deriveMeterAddressKey(Buffer.from(job.masterKeyHex, 'hex')) };
const lines = createInterface({ input: process.stdin });
process.stdout.write('ready\n');
for await (const line of lines) if (line === 'go') break;
lines.close();

const granted: string[] = [];
const errors: string[] = [];
for (const [i, id] of job.userIds.entries()) {
  try {
    const decision = await recordMeterUnlock(store.db, { user: { id, role: 'reader', email: job.emails[i]!, emailVerified: true }, article: { id: job.articleId, access: 'plus' }, meter, now: new Date(job.now) });
    if (decision.granted) granted.push(id);
  } catch (e) {
    errors.push((e as Error).message);
  }
}
await store.close();
process.stdout.write(`${JSON.stringify({ granted, errors })}\n`);
