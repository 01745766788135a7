// The media library: images get their source's name and type, a focal point, default caption and credit, who uploaded
// them, and the list of variants (formats and widths) on disk.
import { type Kysely, sql } from 'kysely';

/**
 * Images from before the library were stored as JPEG 640 and 1200 only (`<id>-640.jpg`, `<id>-1200.jpg`, the
 * latter at most 1200 px wide): their `variants` say so, and the missing AVIF/WebP/JPEG widths are made from the
 * largest JPEG the first time one is asked for (decision 019). Their source name and type are unknown ('').
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('images').addColumn('original_name', 'text', (c) => c.notNull().defaultTo('')).execute();
  /** the source's MIME type as its content showed (image/jpeg, image/png, image/webp) */
  await db.schema.alterTable('images').addColumn('source_type', 'text', (c) => c.notNull().defaultTo('')).execute();
  // double precision on both engines: PostgreSQL's `real` would hand 0.3 back as 0.30000001192092896
  await db.schema.alterTable('images').addColumn('focal_x', 'double precision', (c) => c.notNull().defaultTo(0.5).check(sql`focal_x >= 0 and focal_x <= 1`)).execute();
  await db.schema.alterTable('images').addColumn('focal_y', 'double precision', (c) => c.notNull().defaultTo(0.5).check(sql`focal_y >= 0 and focal_y <= 1`)).execute();
  /** defaults the editor takes over when the image is placed; the article keeps its own copy */
  await db.schema.alterTable('images').addColumn('caption', 'text', (c) => c.notNull().defaultTo('')).execute();
  await db.schema.alterTable('images').addColumn('credit', 'text', (c) => c.notNull().defaultTo('')).execute();
  /** the staff member's user id (no foreign key, like the newsroom's created_by: deleting an account keeps the image) */
  await db.schema.alterTable('images').addColumn('uploaded_by', 'text').execute();
  /** JSON: file extension → widths on disk, e.g. {"avif":[480,800],"webp":[480,800],"jpg":[480,800]} */
  await db.schema.alterTable('images').addColumn('variants', 'text', (c) => c.notNull().defaultTo('{"jpg":[640,1200]}')).execute();
  await db.schema.createIndex('images_created').on('images').columns(['created_at', 'id']).execute();
}
