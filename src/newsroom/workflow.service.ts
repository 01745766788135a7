// The workflow: submit, publish now, schedule / unschedule, the scheduled publish (a job), unpublish. Every step is a
// compare-and-set on the working copy's version and state inside one transaction; publishing copies the working copy
// into the article row, re-indexes search, records the content change and writes the audit log.
import type { Kysely, Transaction } from 'kysely';
import { nowIso, type ArticleDraftRow, type Database } from '../db/index.ts';
import { DomainError } from '../domain-error.ts';
import {
  articleSurrogateKeys, getArticleById, indexArticle, recordContentChange, slugify, unindexArticle,
} from '../content/index.ts';
import { enqueueJob, type JobHandler } from '../jobs/index.ts';
import type { Clock } from '../clock.ts';
import type { EditorialState } from './draft-document.ts';
import { resolveDraft } from './draft-article.ts';
import { assertComplete } from './completeness.ts';
import { assertPublisher, assertStaff, ConflictError, type Staff, type WorkingCopy } from './newsroom.types.ts';
import { addRevision, getWorkingCopy, writeAudit } from './working-copy.store.ts';

type Trx = Transaction<Database>;

export const NEWSROOM_PUBLISH_JOB = 'newsroom-publish';

export interface ScheduledPublishPayload { articleId: string; version: number; scheduledAt: string; by: string | null }

interface Opts { now?: Date }

/** The working copy as the caller saw it: not found → 404; another version → conflict carrying the current one. */
async function currentAt(trx: Trx, articleId: string, version: number | undefined): Promise<WorkingCopy> {
  const wc = await getWorkingCopy(trx, articleId);
  if (!wc) throw new DomainError('not-found', 'Diesen Artikel gibt es nicht.');
  if (version !== undefined && wc.version !== version) throw new ConflictError(wc);
  return wc;
}

/** One workflow step: `fn` on the working copy at `version` (see currentAt) in one transaction; the working copy after it. */
async function step(db: Kysely<Database>, articleId: string, version: number | undefined, fn: (trx: Trx, wc: WorkingCopy) => Promise<void>): Promise<WorkingCopy> {
  await db.transaction().execute(async (trx) => fn(trx, await currentAt(trx, articleId, version)));
  return (await getWorkingCopy(db, articleId))!;
}

/**
 * Moves the working copy on, only if it is still at the version and state read (compare-and-set). An imported article
 * gets its working-copy row here (version 0) with its imported text as revision 0.
 */
async function moveState(trx: Trx, wc: WorkingCopy, set: { state: EditorialState; scheduled_at?: string | null; published_version?: number }, staff: Staff | null, now: string): Promise<void> {
  const values: Partial<ArticleDraftRow> = { state: set.state, scheduled_at: set.scheduled_at ?? null, ...(set.published_version !== undefined ? { published_version: set.published_version } : {}) };
  const r = await trx.updateTable('article_drafts').set(values)
    .where('article_id', '=', wc.articleId).where('version', '=', wc.version).where('state', '=', wc.state).executeTakeFirst();
  if (Number(r.numUpdatedRows) === 1) return;
  if (wc.version === 0) {
    const inserted = await trx.insertInto('article_drafts').values({
      article_id: wc.articleId, doc_json: JSON.stringify(wc.doc), version: 0, published_version: 0, created_by: staff?.id ?? null, updated_by: staff?.id ?? null,
      created_at: now, updated_at: now, state: set.state, scheduled_at: set.scheduled_at ?? null,
      ...(set.published_version !== undefined ? { published_version: set.published_version } : {}),
    }).onConflict((oc) => oc.column('article_id').doNothing()).executeTakeFirst();
    if (Number(inserted.numInsertedOrUpdatedRows ?? 0n) === 1) {
      await addRevision(trx, { articleId: wc.articleId, version: 0, doc: wc.doc, kind: 'import', savedBy: null, now: wc.updatedAt });
      return;
    }
  }
  throw new ConflictError((await getWorkingCopy(trx, wc.articleId))!);
}

const hasChanges = (wc: WorkingCopy) => !(wc.live && wc.publishedVersion === wc.version);

/** Author and up: hands the article to the editors. Checks completeness (400 naming the field). */
export async function submitForReview(db: Kysely<Database>, staff: Staff, articleId: string, version: number, o: Opts = {}): Promise<WorkingCopy> {
  assertStaff(staff);
  const now = nowIso(o.now ?? new Date());
  return step(db, articleId, version, async (trx, wc) => {
    if (wc.state === 'review') return;
    if (wc.state === 'scheduled') throw new DomainError('conflict', 'Der Artikel ist schon zur Veröffentlichung geplant.', 'state');
    if (!hasChanges(wc)) throw new DomainError('invalid-input', 'Es gibt keine unveröffentlichten Änderungen zum Einreichen.', 'version');
    assertComplete(wc.doc, await resolveDraft(trx, articleId, wc.doc, o), 'Das Einreichen');
    await moveState(trx, wc, { state: 'review' }, staff, now);
    await addRevision(trx, { articleId, version: wc.version, doc: wc.doc, kind: 'submit', savedBy: staff.id, now });
  });
}

/** Editor and admin: the working copy at `version` goes live now. Publishing what is already live does nothing. */
export async function publishNow(db: Kysely<Database>, staff: Staff, articleId: string, version: number, o: Opts = {}): Promise<WorkingCopy> {
  assertPublisher(staff, 'Das Veröffentlichen');
  const now = nowIso(o.now ?? new Date());
  return step(db, articleId, version, async (trx, wc) => {
    if (!hasChanges(wc) && wc.state === 'published') return;
    await moveState(trx, wc, { state: 'published', published_version: wc.version }, staff, now);
    await publishIntoArticle(trx, wc, staff.id, now, {});
  });
}

/**
 * Copies the working copy into the article row (live = 1; published_at now on the first publication, kept after),
 * bylines, search index, content change (keys of the old and the new version), audit, revision.
 */
async function publishIntoArticle(trx: Trx, wc: WorkingCopy, actorId: string | null, now: string, detail: Record<string, unknown>): Promise<void> {
  const resolved = await resolveDraft(trx, wc.articleId, wc.doc, { now: new Date(now) });
  assertComplete(wc.doc, resolved, 'Das Veröffentlichen');
  const old = (await getArticleById(trx, wc.articleId))!;
  const wasLive = wc.live;
  const firstPublication = wc.publishedVersion === null;
  const slug = wc.doc.slug || (firstPublication ? await freeSlug(trx, slugify(wc.doc.headline), wc.articleId) : old.slug);
  if (slug !== wc.doc.slug) {
    // The address is fixed from now on; the working copy says so too (not a new version: the text is unchanged).
    await trx.updateTable('article_drafts').set({ doc_json: JSON.stringify({ ...wc.doc, slug }) }).where('article_id', '=', wc.articleId).execute();
  }
  const a = resolved.article;
  await trx.updateTable('articles').set({
    slug, section_id: resolved.sectionId!, kicker: a.kicker, headline: a.headline, teaser: a.teaser, access: a.access,
    paywall_after: a.paywallAfter, blocks_json: JSON.stringify(a.blocks),
    image_id: a.image?.imageId ?? null, image_caption: a.image?.caption ?? '', image_credit: a.image?.credit ?? '',
    seo_title: a.seoTitle, seo_description: a.seoDescription, live: 1, updated_at: now,
    ...(firstPublication ? { published_at: now } : {}),
  }).where('id', '=', wc.articleId).execute();
  await trx.deleteFrom('article_authors').where('article_id', '=', wc.articleId).execute();
  for (const [position, authorId] of resolved.authorIds.entries()) {
    await trx.insertInto('article_authors').values({ article_id: wc.articleId, author_id: authorId, position }).execute();
  }
  const fresh = (await getArticleById(trx, wc.articleId))!;
  await indexArticle(trx, fresh);
  await recordContentChange(trx, [...new Set([...articleSurrogateKeys(old), ...articleSurrogateKeys(fresh)])]);
  await writeAudit(trx, { articleId: wc.articleId, action: firstPublication ? 'publish' : 'republish', actorId, detail: { version: wc.version, slug, wasLive, ...detail }, now });
  if (!firstPublication && old.access !== fresh.access) {
    await writeAudit(trx, { articleId: wc.articleId, action: 'access', actorId, detail: { from: old.access, to: fresh.access, version: wc.version }, now });
  }
  await addRevision(trx, { articleId: wc.articleId, version: wc.version, doc: { ...wc.doc, slug }, kind: 'publish', savedBy: actorId, now });
}

/** `base`, or `base-2`, `base-3`, … whichever no other article has. */
async function freeSlug(trx: Trx, base: string, articleId: string): Promise<string> {
  const taken = new Set((await trx.selectFrom('articles').select('slug').where('id', '!=', articleId)
    .where((eb) => eb.or([eb('slug', '=', base), eb('slug', 'like', `${base}-%`)])).execute()).map((r) => r.slug));
  for (let n = 1; ; n++) {
    const candidate = n === 1 ? base : `${base}-${n}`;
    if (!taken.has(candidate)) return candidate;
  }
}

/**
 * Editor and admin: publish the working copy at `version` at `at` (job `newsroom-publish`, run_at = at). Editing the
 * article afterwards takes it off the schedule. Scheduling again replaces the time (the old job finds nothing to do).
 */
export async function schedulePublish(db: Kysely<Database>, staff: Staff, articleId: string, version: number, at: Date, o: Opts = {}): Promise<WorkingCopy> {
  assertPublisher(staff, 'Das Planen');
  const nowDate = o.now ?? new Date();
  if (!(at instanceof Date) || Number.isNaN(at.getTime())) throw new DomainError('invalid-input', 'Bitte einen gültigen Zeitpunkt angeben.', 'zeitpunkt');
  if (at.getTime() <= nowDate.getTime()) throw new DomainError('invalid-input', 'Der Zeitpunkt muss in der Zukunft liegen.', 'zeitpunkt');
  const now = nowIso(nowDate);
  const scheduledAt = at.toISOString();
  return step(db, articleId, version, async (trx, wc) => {
    if (!hasChanges(wc)) throw new DomainError('invalid-input', 'Diese Fassung ist bereits veröffentlicht.', 'version');
    assertComplete(wc.doc, await resolveDraft(trx, articleId, wc.doc, { now: nowDate }), 'Das Planen');
    await moveState(trx, wc, { state: 'scheduled', scheduled_at: scheduledAt }, staff, now);
    const payload: ScheduledPublishPayload = { articleId, version: wc.version, scheduledAt, by: staff.id };
    await enqueueJob(trx, { kind: NEWSROOM_PUBLISH_JOB, payload, runAt: at, uniqueKey: `${NEWSROOM_PUBLISH_JOB}:${articleId}:${wc.version}:${scheduledAt}`, now: nowDate });
    await writeAudit(trx, { articleId, action: 'schedule', actorId: staff.id, detail: { at: scheduledAt, version: wc.version, ...(wc.scheduledAt ? { previous: wc.scheduledAt } : {}) }, now });
  });
}

/** Editor and admin: takes a scheduled article off the schedule (back to review). Not scheduled: nothing happens. */
export async function unschedule(db: Kysely<Database>, staff: Staff, articleId: string, o: Opts & { version?: number } = {}): Promise<WorkingCopy> {
  assertPublisher(staff, 'Das Absetzen eines Termins');
  const now = nowIso(o.now ?? new Date());
  return step(db, articleId, o.version, async (trx, wc) => {
    if (wc.state !== 'scheduled') return;
    await moveState(trx, wc, { state: 'review' }, staff, now);
    await writeAudit(trx, { articleId, action: 'unschedule', actorId: staff.id, detail: { scheduledAt: wc.scheduledAt, version: wc.version }, now });
  });
}

/** Editor and admin: readers no longer see the article (live = 0, out of search, pages purged). */
export async function unpublish(db: Kysely<Database>, staff: Staff, articleId: string, o: Opts & { version?: number } = {}): Promise<WorkingCopy> {
  assertPublisher(staff, 'Das Zurückziehen');
  const now = nowIso(o.now ?? new Date());
  return step(db, articleId, o.version, async (trx, wc) => {
    if (!wc.live) {
      if (wc.state === 'unpublished') return;
      throw new DomainError('invalid-input', 'Der Artikel ist nicht veröffentlicht.', 'state');
    }
    await moveState(trx, wc, { state: 'unpublished' }, staff, now);
    const old = (await getArticleById(trx, articleId))!;
    await trx.updateTable('articles').set({ live: 0, updated_at: now }).where('id', '=', articleId).execute();
    await unindexArticle(trx, articleId);
    await recordContentChange(trx, articleSurrogateKeys(old));
    await writeAudit(trx, { articleId, action: 'unpublish', actorId: staff.id, detail: { version: wc.publishedVersion, ...(wc.scheduledAt ? { scheduledAt: wc.scheduledAt } : {}) }, now });
  });
}

function payloadOf(payload: unknown): ScheduledPublishPayload {
  const p = payload as Partial<ScheduledPublishPayload> | null;
  if (!p || typeof p.articleId !== 'string' || typeof p.version !== 'number' || typeof p.scheduledAt !== 'string') {
    throw new TypeError(`newsroom-publish: unexpected payload ${JSON.stringify(payload)}`);
  }
  return { articleId: p.articleId, version: p.version, scheduledAt: p.scheduledAt, by: typeof p.by === 'string' ? p.by : null };
}

/** Moves the working copy to `state` only if it is still scheduled for the job's version and time; whether it was. */
async function leaveSchedule(trx: Trx, p: ScheduledPublishPayload, state: EditorialState): Promise<boolean> {
  const r = await trx.updateTable('article_drafts').set({ state, scheduled_at: null })
    .where('article_id', '=', p.articleId).where('state', '=', 'scheduled').where('version', '=', p.version).where('scheduled_at', '=', p.scheduledAt)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export type ScheduledPublishResult = 'published' | 'outdated' | 'incomplete';

/**
 * The job handler: publishes when the article is still scheduled for this version and time (compare-and-set, so it
 * happens once however many processes or retries run it). An outdated job does nothing; an article that became
 * incomplete meanwhile (an image deleted) goes back to review with an audit entry instead of failing again and again.
 */
export async function runScheduledPublish(db: Kysely<Database>, payload: unknown, o: Opts = {}): Promise<ScheduledPublishResult> {
  const p = payloadOf(payload);
  const now = nowIso(o.now ?? new Date());
  try {
    return await db.transaction().execute(async (trx) => {
      // The compare-and-set comes first: it decides which run publishes, and on SQLite a transaction that writes
      // first waits for the lock instead of failing as a read-then-write one would beside another process.
      if (!(await leaveSchedule(trx, p, 'published'))) return 'outdated';
      const wc = (await getWorkingCopy(trx, p.articleId))!;
      await trx.updateTable('article_drafts').set({ published_version: p.version }).where('article_id', '=', p.articleId).execute();
      await publishIntoArticle(trx, wc, p.by, now, { scheduledAt: p.scheduledAt });
      return 'published';
    });
  } catch (e) {
    if (!(e instanceof DomainError) || e.code !== 'invalid-input') throw e;
    return db.transaction().execute(async (trx) => {
      if (!(await leaveSchedule(trx, p, 'review'))) return 'outdated';
      await writeAudit(trx, { articleId: p.articleId, action: 'publish-failed', actorId: p.by, detail: { version: p.version, scheduledAt: p.scheduledAt, problems: e.fields }, now });
      return 'incomplete';
    });
  }
}

/** The newsroom's job handlers, for every process's job runner. */
export function newsroomJobHandlers(db: Kysely<Database>, clock: Clock): Record<string, JobHandler> {
  return { [NEWSROOM_PUBLISH_JOB]: async (job) => { await runScheduledPublish(db, job.payload, { now: clock() }); } };
}
