// A server process stand-in for seat-race.test.ts: opens the database, waits for "go", takes a seat for every reader whose id starts with its worker id, prints whom it seated.
import { createInterface } from 'node:readline';
import { connect } from '../db/index.ts';
import type { RaceResult, RaceWorkerInput } from '../testing/race-harness.ts';
import { claimInstitutionSeat } from './institution.service.ts';

const input = JSON.parse(process.argv[2]!) as RaceWorkerInput;
const store = connect({ databaseUrl: input.databaseUrl, dataDir: '/nonexistent', ...(input.pgSchema ? { pgSchema: input.pgSchema, poolSize: 4 } : {}) });
const institution = await store.db.selectFrom('institutions').select('id').executeTakeFirstOrThrow();
const readers = await store.db.selectFrom('users').select(['id', 'email']).where('id', 'like', `${input.workerId}-%`).execute();
const lines = createInterface({ input: process.stdin });
process.stdout.write('ready\n');
for await (const line of lines) if (line === 'go') break;
lines.close();

const result: RaceResult = { handled: [], error: null };
try {
  // all of this process's readers at once, as concurrent requests would come
  const claims = await Promise.all(readers.map((r) => claimInstitutionSeat(store.db, { institutionId: institution.id, user: { id: r.id, email: r.email, emailVerified: true }, now: new Date(input.now) })));
  readers.forEach((r, i) => { if (claims[i] === 'member') result.handled.push(r.id); });
} catch (e) {
  result.error = String(e);
}
await store.close();
process.stdout.write(`${JSON.stringify(result)}\n`);
