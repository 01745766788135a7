// Offer experiments (issue 12): at most one running experiment, enforced by the database, and the results read by variant.
import { sql, type Kysely } from 'kysely';

/**
 * - `experiments_one_running`: a unique partial index over the state of running experiments, so two admins starting two
 *   experiments at the same moment cannot both succeed — the check in the start transaction alone would let both pass
 *   on PostgreSQL under read committed. Both engines support `create unique index … where`.
 * - `analytics_daily_variant`: the results page sums an experiment's rows by variant; without it the query would read every
 *   paywall row of every article since the rollups began (the primary key leads with the day).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.createIndex('experiments_one_running').on('experiments').column('state').unique().where(sql.ref('state'), '=', sql.lit('running')).execute();
  await db.schema.createIndex('analytics_daily_variant').on('analytics_daily').columns(['variant_id', 'kind', 'count']).execute();
}
