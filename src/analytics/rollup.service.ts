// Daily rollups of the raw events (per day, kind, article, offer, variant, institution, detail; section from the article) and the retention of raw events.
import { sql, type Kysely } from 'kysely';
import { addDays, berlinDate } from '../berlin-time.ts';
import type { AnalyticsDailyRow, Database } from '../db/index.ts';
import { enqueueJob } from '../jobs/index.ts';
import { replaceDay } from './summaries.ts';

export const ROLLUP_JOB_KIND = 'analytics-rollup';
/** Berlin hour from which yesterday is rolled up for good: after midnight, with the last batches of the day long written. */
export const ROLLUP_HOUR_BERLIN = 1;
/** Today's partial rollup is refreshed this often (the dashboard shows today up to then). */
export const PARTIAL_ROLLUP_EVERY_MS = 10 * 60_000;
export const DEFAULT_RETENTION_DAYS = 90;
/** Rows per insert: 500 × 9 columns stay far below SQLite's parameter limit. */
const CHUNK = 500;
/** Days rolled up in one catch-up at most: a server off for years does not block the job for hours; the next run goes on. */
const MAX_CATCH_UP_DAYS = 400;

/** Calendar-day arithmetic (berlin-time.ts), named here for the analytics index. */
export { addDays };

/**
 * Recomputes the rollup of one Berlin day from its raw events: delete and insert in one transaction, so a reader of the
 * dashboard sees the old rows or the new ones, never half; running it twice gives the same rows. `final` marks a day that
 * has ended (it is not rolled up again by the job, and only then may its raw events be deleted). A final day is left as it
 * is unless `again`: its raw events may be gone already, and recomputing it would wipe the rollup kept forever.
 */
export async function rollUpDay(db: Kysely<Database>, day: string, now: Date, o: { again?: boolean } = {}): Promise<{ rows: number; skipped: boolean }> {
  const final = day < berlinDate(now) ? 1 : 0;
  return db.transaction().execute(async (trx) => {
    // Written first: a second rollup of the same day (another process, on PostgreSQL) waits here until this one commits and
    // then sees its rows — the summaries move by differences and must not take a day's counts out twice.
    const known = await trx.insertInto('analytics_rollup_days').values({ day, rolled_up_at: now.toISOString(), final: 0 })
      .onConflict((oc) => oc.column('day').doUpdateSet((eb) => ({ final: eb.ref('analytics_rollup_days.final') })))
      .returning('final').executeTakeFirstOrThrow();
    if (known.final === 1 && !o.again) return { rows: 0, skipped: true };
    // the summaries (migration 015) follow in the same transaction: the day's old counts out, the new ones in
    const rows = await replaceDay(trx, day, async () => {
      await trx.deleteFrom('analytics_daily').where('day', '=', day).execute();
      const grouped = await trx.selectFrom('analytics_events as e')
        .leftJoin('articles as a', 'a.id', 'e.article_id')
        .where('e.day', '=', day)
        .select([
          'e.kind',
          sql<string>`coalesce(e.article_id, '')`.as('article_id'),
          sql<string>`coalesce(e.offer_id, '')`.as('offer_id'),
          sql<string>`coalesce(e.variant_id, '')`.as('variant_id'),
          sql<string>`coalesce(e.institution_id, '')`.as('institution_id'),
          sql<string>`coalesce(e.detail, '')`.as('detail'),
          sql<string>`coalesce(min(a.section_id), '')`.as('section_id'),
          sql<number | string>`count(*)`.as('count'),
        ])
        .groupBy(['e.kind', 'e.article_id', 'e.offer_id', 'e.variant_id', 'e.institution_id', 'e.detail'])
        .execute();
      const rows: AnalyticsDailyRow[] = grouped.map((g) => ({ ...g, day, count: Number(g.count) }));
      for (let i = 0; i < rows.length; i += CHUNK) {
        // A concurrent rollup of the same day (two processes on PostgreSQL) inserts the same counts: the later one overwrites.
        await trx.insertInto('analytics_daily').values(rows.slice(i, i + CHUNK))
          .onConflict((oc) => oc.columns(['day', 'kind', 'article_id', 'offer_id', 'variant_id', 'institution_id', 'detail'])
            .doUpdateSet((eb) => ({ count: eb.ref('excluded.count'), section_id: eb.ref('excluded.section_id') })))
          .execute();
      }
      return rows;
    });
    await trx.insertInto('analytics_rollup_days').values({ day, rolled_up_at: now.toISOString(), final })
      .onConflict((oc) => oc.column('day').doUpdateSet({ rolled_up_at: now.toISOString(), final }))
      .execute();
    return { rows: rows.length, skipped: false };
  });
}

/**
 * The days the job still has to roll up for good: days rolled up only partially, and every day after the last final one
 * (or after the first raw event, on a fresh database) up to yesterday. Found from the small rollup-days table and one
 * index lookup, never by scanning the raw events.
 */
export async function daysToFinalize(db: Kysely<Database>, today: string): Promise<string[]> {
  const partial = await db.selectFrom('analytics_rollup_days').select('day').where('final', '=', 0).where('day', '<', today).execute();
  const lastFinal = await db.selectFrom('analytics_rollup_days').select((eb) => eb.fn.max('day').as('day')).where('final', '=', 1).executeTakeFirst();
  let from = lastFinal?.day ? addDays(lastFinal.day, 1) : undefined;
  if (!from) {
    const first = await db.selectFrom('analytics_events').select((eb) => eb.fn.min('day').as('day')).executeTakeFirst();
    from = first?.day ?? today;
  }
  const days = new Set(partial.map((p) => p.day));
  for (let d = from, n = 0; d < today && n < MAX_CATCH_UP_DAYS; d = addDays(d, 1), n++) days.add(d);
  return [...days].sort();
}

/**
 * Deletes raw events older than `retentionDays` (counted back from today), one day at a time and only for days whose
 * rollup is final: a day the job has not rolled up yet keeps its events however old they are.
 */
export async function pruneRawEvents(db: Kysely<Database>, now: Date, retentionDays: number): Promise<number> {
  const cutoff = addDays(berlinDate(now), -retentionDays);
  const first = await db.selectFrom('analytics_events').select((eb) => eb.fn.min('day').as('day')).executeTakeFirst();
  if (!first?.day || first.day >= cutoff) return 0;
  const days = await db.selectFrom('analytics_rollup_days').select('day')
    .where('final', '=', 1).where('day', '>=', first.day).where('day', '<', cutoff).orderBy('day').execute();
  let deleted = 0;
  for (const { day } of days) {
    const r = await db.deleteFrom('analytics_events').where('day', '=', day).executeTakeFirst();
    deleted += Number(r.numDeletedRows);
  }
  return deleted;
}

export interface RollupReport { finalized: string[]; today: string; rows: number; deletedEvents: number }

/**
 * One run of the `analytics-rollup` job: ended days that are not final yet (yesterday; after a pause every day missed),
 * then today's partial rollup, then the retention. Idempotent: a second run recomputes today and changes nothing else.
 * The job is due daily from ROLLUP_HOUR_BERLIN and is queued again every PARTIAL_ROLLUP_EVERY_MS for today's numbers.
 */
export async function runAnalyticsRollup(db: Kysely<Database>, now: Date, o: { retentionDays?: number } = {}): Promise<RollupReport> {
  const today = berlinDate(now);
  const finalized: string[] = [];
  let rows = 0;
  for (const day of await daysToFinalize(db, today)) {
    const r = await rollUpDay(db, day, now);
    if (!r.skipped) { finalized.push(day); rows += r.rows; }
  }
  rows += (await rollUpDay(db, today, now)).rows;
  const deletedEvents = await pruneRawEvents(db, now, o.retentionDays ?? DEFAULT_RETENTION_DAYS);
  return { finalized, today, rows, deletedEvents };
}

/**
 * Queues a run for today's partial rollup unless one is waiting or running already. Without a unique key (the cleanup
 * deletes such rows after a month); two processes asking at the same moment may queue two, which is harmless: the run
 * is idempotent.
 */
export async function queuePartialRollup(db: Kysely<Database>, now: Date): Promise<boolean> {
  const open = await db.selectFrom('jobs').select('id').where('kind', '=', ROLLUP_JOB_KIND).where('state', 'in', ['queued', 'running']).executeTakeFirst();
  if (open) return false;
  return (await enqueueJob(db, { kind: ROLLUP_JOB_KIND, runAt: now, now, maxAttempts: 1 })).created;
}
