// /verlag/aufgaben on every engine: admins only, failed/queued/running jobs shown, "Erneut versuchen" (CSRF, once, logged) and the job then runs again.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import pino from 'pino';
import { claimNextJob, createJobRunner, enqueueJob } from '../../jobs/index.ts';
import { testEngines } from '../../db/test-stores.ts';
import { createTestApp, type TestApp } from '../../testing/test-app.ts';
import { TestBrowser } from '../../testing/test-browser.ts';
import { loggedInAs, registerAndLogIn } from '../../testing/test-accounts.ts';

async function withApp(engine: string, fn: (t: TestApp, logs: string[]) => Promise<void>) {
  const logs: string[] = [];
  const t = await createTestApp(engine, { logger: pino({ level: 'info' }, { write: (line: string) => { logs.push(line); } }) });
  try { await fn(t, logs); } finally { await t.close(); }
}

/** A billing run that failed on its only attempt, as the runner leaves it. */
async function failedJob(t: TestApp): Promise<string> {
  const now = new Date();
  const { id } = await enqueueJob(t.store.db, { kind: 'billing-run', runAt: now, uniqueKey: 'billing-run:2026-11-27', maxAttempts: 1, now });
  const runner = createJobRunner({ db: t.store.db, caps: t.store.caps, clock: () => new Date(), handlers: { 'billing-run': async () => { throw new Error('SEPA-Datei konnte nicht geschrieben werden: <Festplatte voll>'); } } });
  await runner.runDue();
  return id;
}

const stateOf = async (t: TestApp, id: string) => t.store.db.selectFrom('jobs').select(['state', 'attempts', 'max_attempts']).where('id', '=', id).executeTakeFirstOrThrow();

for (const engine of testEngines()) {
  test(`[${engine}] /verlag/aufgaben is for admins: guests go to the login, readers and editors get 403, also for the retry`, () => withApp(engine, async (t) => {
    const id = await failedJob(t);
    const guest = await new TestBrowser(t.app).get('/verlag/aufgaben');
    assert.equal(guest.status, 303);
    assert.equal(guest.location, '/anmelden?weiter=%2Fverlag%2Faufgaben');
    const reader = await registerAndLogIn(t);
    assert.equal((await reader.get('/verlag/aufgaben')).status, 403);
    assert.equal((await reader.post(`/verlag/aufgaben/${id}/wiederholen`, {})).status, 403);
    const { browser: editor } = await loggedInAs(t, 'editor');
    assert.equal((await editor.get('/verlag/aufgaben')).status, 403);
    assert.equal((await editor.post(`/verlag/aufgaben/${id}/wiederholen`, {})).status, 403);
    assert.equal((await stateOf(t, id)).state, 'failed', 'nobody but an admin queued it again');
  }));

  test(`[${engine}] an admin sees failed jobs with their error, waiting and running jobs with their times, and the counts`, () => withApp(engine, async (t) => {
    await failedJob(t);
    const now = new Date();
    await enqueueJob(t.store.db, { kind: 'daily-cleanup', runAt: new Date(now.getTime() + 3600_000), uniqueKey: 'daily-cleanup:2026-11-28', now });
    await enqueueJob(t.store.db, { kind: 'newsroom-publish', runAt: now, now });
    await claimNextJob(t.store.db, t.store.caps, { workerId: 'redaktion-1:4242:ab12', now, leaseMs: 60_000, kinds: ['newsroom-publish'] });
    const { browser: admin } = await loggedInAs(t, 'admin');
    const page = await admin.get('/verlag/aufgaben');
    assert.equal(page.status, 200);
    assert.equal(page.headers.get('cache-control'), 'private, no-store');
    assert.match(page.text, /<span class="jobs__number">1<\/span> Fehlgeschlagen/);
    assert.match(page.text, /Abrechnungslauf/);
    assert.match(page.text, /billing-run:2026-11-27/);
    assert.match(page.text, /1 von 1/);
    // the error text is shown escaped, never as markup
    assert.match(page.text, /SEPA-Datei konnte nicht geschrieben werden: &lt;Festplatte voll&gt;/);
    assert.match(page.text, /Tägliche Aufräumarbeiten/);
    assert.match(page.text, /Geplante Veröffentlichung/);
    assert.match(page.text, /redaktion-1:4242:ab12/);
    assert.match(page.text, /Erneut versuchen/);
    assert.match(page.text, /href="\/verlag\/aufgaben" aria-current="page"/);
  }));

  test(`[${engine}] "Erneut versuchen" needs the CSRF token; with it the job is queued once, logged with the admin, and runs as its next attempt`, () => withApp(engine, async (t, logs) => {
    const id = await failedJob(t);
    const { browser: admin, userId: adminId } = await loggedInAs(t, 'admin');
    await admin.get('/verlag/aufgaben');
    const forged = await admin.post(`/verlag/aufgaben/${id}/wiederholen`, { _csrf: 'gefaelscht' });
    assert.equal(forged.status, 403);
    const crossSite = await admin.post(`/verlag/aufgaben/${id}/wiederholen`, {}, { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' });
    assert.equal(crossSite.status, 403);
    assert.equal((await stateOf(t, id)).state, 'failed', 'a forged request changes nothing');

    const r = await admin.post(`/verlag/aufgaben/${id}/wiederholen`, {});
    assert.equal(r.status, 303);
    assert.equal(r.location, '/verlag/aufgaben?ok=wiederholt');
    assert.deepEqual(await stateOf(t, id), { state: 'queued', attempts: 1, max_attempts: 2 });
    const logged = logs.map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l.msg === 'failed job queued again by an admin');
    assert.ok(logged, 'the retry is logged');
    assert.equal(logged.jobId, id);
    assert.equal(logged.adminId, adminId);
    assert.equal(logged.kind, 'billing-run');
    assert.match((await admin.get('/verlag/aufgaben?ok=wiederholt')).text, /wieder eingereiht/);

    const again = await admin.post(`/verlag/aufgaben/${id}/wiederholen`, {});
    assert.equal(again.status, 409, 'a second click does not queue it twice');
    assert.match(again.text, /nicht \(mehr\) fehlgeschlagen/);
    assert.deepEqual(await stateOf(t, id), { state: 'queued', attempts: 1, max_attempts: 2 });

    const attempts: number[] = [];
    const runner = createJobRunner({ db: t.store.db, caps: t.store.caps, clock: () => new Date(), handlers: { 'billing-run': async (job) => { attempts.push(job.attempt); } } });
    assert.equal(await runner.runDue(), 1);
    assert.deepEqual(attempts, [2], 'the handler sees the next attempt');
    assert.equal((await stateOf(t, id)).state, 'done');
    assert.equal((await admin.post(`/verlag/aufgaben/${id}/wiederholen`, {})).status, 409, 'a done job is not queued again');
    assert.equal((await admin.post('/verlag/aufgaben/gibt-es-nicht/wiederholen', {})).status, 409);
    assert.equal((await admin.post('/verlag/aufgaben/..%2F..%2Fetc/wiederholen', {})).status, 404);
  }));
}
