// Newsroom administration: a byline may be linked to a staff account, and every change of a user's role is logged.
import type { Kysely } from 'kysely';

/**
 * `authors.user_id` is optional (freelancers and agencies have no account) and loses its link when the account is
 * deleted; the byline stays, because published articles carry it. `staff_role_changes` keeps who changed whose role
 * from what to what: role changes decide who may publish, so they are traceable like publishing itself.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('authors').addColumn('user_id', 'text', (c) => c.references('users.id').onDelete('set null')).execute();
  await db.schema.createTable('staff_role_changes')
    .addColumn('id', 'text', (c) => c.primaryKey())
    /** no foreign key: the line outlives a deleted account (it then shows as a deleted account) */
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('from_role', 'text', (c) => c.notNull())
    .addColumn('to_role', 'text', (c) => c.notNull())
    /** the admin who changed it; null from the command line */
    .addColumn('actor_id', 'text')
    .addColumn('at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('staff_role_changes_at').on('staff_role_changes').columns(['at']).execute();
}
