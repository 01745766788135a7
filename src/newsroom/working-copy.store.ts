// Working copies: create a draft (an article row with live = 0 from the start), read it, save it under the optimistic lock,
// and keep the revision rows (consecutive autosaves of one person within 10 minutes coalesce).
import { createHash } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import { newId, nowIso, type Database } from '../db/index.ts';
import { DomainError } from '../domain-error.ts';
import { getArticleById, listSections, type Article } from '../content/index.ts';
import { EMPTY_DRAFT, type DraftDocument, type EditorialState } from './draft-document.ts';
import { parseDraftDocument } from './draft.schema.ts';
import { assertStaff, ConflictError, type Staff, type WorkingCopy } from './newsroom.types.ts';

type Db = Kysely<Database> | Transaction<Database>;

/** Consecutive autosaves of the same person closer than this replace that person's previous autosave revision. */
export const AUTOSAVE_COALESCE_MS = 10 * 60 * 1000;

export type RevisionKind = 'create' | 'import' | 'autosave' | 'save' | 'submit' | 'publish' | 'restore';

/** A placeholder slug until the author sets one: unique, never shown to readers (the row is not live). */
export const draftSlug = (articleId: string): string => `entwurf-${createHash('sha256').update(articleId).digest('hex').slice(0, 8)}`;

/** The working copy of an article that has only ever been imported: its live content as a document. */
export function articleToDraft(a: Article & { seoTitle?: string; seoDescription?: string }): DraftDocument {
  const speakers = [...new Set(a.blocks.flatMap((b) => (b.type === 'answer' ? [b.speaker] : [])))];
  return {
    slug: a.slug, kicker: a.kicker, headline: a.headline, teaser: a.teaser, section: a.section.slug,
    authors: a.authors.map((x) => x.slug), access: a.access, paywallAfter: a.access === 'free' ? 0 : a.paywallAfter,
    seoTitle: a.seoTitle ?? '', seoDescription: a.seoDescription ?? '',
    image: a.image ? { imageId: a.image.imageId, caption: a.image.caption, credit: a.image.credit } : null,
    speakers,
    blocks: a.blocks.map((b) => (b.type === 'image' ? { type: 'image', imageId: b.imageId, caption: b.caption, credit: b.credit } : b)),
  };
}

/** Parses a document for saving; a structural problem is a 400 naming the path (`blocks[3].speaker`). */
export function checkDraftStructure(input: unknown): DraftDocument {
  const r = parseDraftDocument(input);
  if (r.ok) return r.doc;
  const first = r.problems[0]!;
  throw new DomainError('invalid-input', `Der Artikel wurde nicht gespeichert: ${r.problems.slice(0, 5).map((p) => `${p.path}: ${p.message}`).join('; ')}`, first.path, r.problems);
}

export async function getWorkingCopy(db: Db, articleId: string): Promise<WorkingCopy | undefined> {
  return (await readWorkingCopy(db, articleId))?.wc;
}

/** The working copy and the article row's current address, in one query (two for an imported article). */
async function readWorkingCopy(db: Db, articleId: string): Promise<{ wc: WorkingCopy; slug: string } | undefined> {
  const row = await db.selectFrom('articles')
    .leftJoin('article_drafts as d', 'd.article_id', 'articles.id')
    .leftJoin('users as u', 'u.id', 'd.updated_by')
    .select(['articles.id', 'articles.slug', 'articles.live', 'articles.published_at', 'articles.created_at as article_created_at', 'articles.updated_at as article_updated_at',
      'd.doc_json', 'd.version', 'd.state', 'd.scheduled_at', 'd.published_version', 'd.created_by', 'd.updated_by', 'd.created_at', 'd.updated_at',
      'u.display_name'])
    .where('articles.id', '=', articleId)
    .executeTakeFirst();
  if (!row) return undefined;
  const live = Number(row.live) === 1;
  if (row.doc_json === null || row.version === null) {
    // Imported, never edited here: the live row is the working copy, version 0.
    const article = await getArticleById(db, articleId);
    if (!article) return undefined;
    return {
      slug: row.slug,
      wc: {
        articleId, version: 0, state: live ? 'published' : 'unpublished', doc: articleToDraft(article), scheduledAt: null,
        publishedVersion: 0, live, publishedAt: row.published_at, createdBy: null, updatedBy: null, updatedByName: '',
        createdAt: row.article_created_at, updatedAt: row.article_updated_at,
      },
    };
  }
  const publishedVersion = row.published_version === null ? null : Number(row.published_version);
  return {
    slug: row.slug,
    wc: {
      articleId, version: Number(row.version), state: row.state!, doc: JSON.parse(row.doc_json) as DraftDocument,
      scheduledAt: row.scheduled_at, publishedVersion, live, publishedAt: publishedVersion === null ? null : row.published_at,
      createdBy: row.created_by, updatedBy: row.updated_by, updatedByName: row.display_name ?? '',
      createdAt: row.created_at!, updatedAt: row.updated_at!,
    },
  };
}

/** A new draft: an article row readers never see (live = 0) and its working copy, version 1. */
export async function createDraft(db: Kysely<Database>, staff: Staff, init: Partial<DraftDocument> = {}, o: { now?: Date } = {}): Promise<WorkingCopy> {
  assertStaff(staff);
  const now = nowIso(o.now ?? new Date());
  const doc = checkDraftStructure({ ...EMPTY_DRAFT, ...init });
  const id = newId();
  await db.transaction().execute(async (trx) => {
    const sections = await listSections(trx);
    const section = doc.section ? sections.find((s) => s.slug === doc.section) : sections[0];
    if (!section) {
      throw new DomainError('invalid-input', doc.section ? `Das Ressort „${doc.section}“ gibt es nicht.` : 'Es gibt noch kein Ressort; bitte zuerst eines anlegen.', 'section');
    }
    doc.section = section.slug;
    const slug = doc.slug || draftSlug(id);
    if (doc.slug) await assertSlugFree(trx, doc.slug, id);
    await trx.insertInto('articles').values({
      id, slug, section_id: section.id, kicker: doc.kicker, headline: doc.headline, teaser: doc.teaser, access: doc.access,
      paywall_after: 0, blocks_json: '[]', image_id: null, image_caption: '', image_credit: '',
      published_at: now, updated_at: now, created_at: now, live: 0,
    }).execute();
    await trx.insertInto('article_drafts').values({
      article_id: id, doc_json: JSON.stringify(doc), version: 1, state: 'draft', scheduled_at: null, published_version: null,
      created_by: staff.id, updated_by: staff.id, created_at: now, updated_at: now,
    }).execute();
    await addRevision(trx, { articleId: id, version: 1, doc, kind: 'create', savedBy: staff.id, now });
  });
  return (await getWorkingCopy(db, id))!;
}

export interface SaveInput {
  /** the version the editor started from */
  baseVersion: number;
  /** checked here: structure only, empty texts are fine */
  doc: unknown;
  /** an automatic save (coalesces with the same person's previous one); a manual save always adds a revision */
  autosave?: boolean;
}

/**
 * Saves a working copy when nobody saved since `baseVersion` (compare-and-set on the version); otherwise throws a
 * ConflictError carrying the current working copy. Editing a scheduled article takes it off the schedule (back to
 * review): what was scheduled is no longer what would be published.
 */
export async function saveDraft(db: Kysely<Database>, staff: Staff, articleId: string, input: SaveInput, o: { now?: Date } = {}): Promise<WorkingCopy> {
  assertStaff(staff);
  const doc = checkDraftStructure(input.doc);
  const now = nowIso(o.now ?? new Date());
  return db.transaction().execute((trx) => writeWorkingCopy(trx, staff, articleId, input.baseVersion, doc, input.autosave ? 'autosave' : 'save', now));
}

/**
 * The compare-and-set write of a new working-copy version (save and restore), inside the caller's transaction.
 * A published article keeps its address: an empty slug becomes the current one, another one is refused.
 */
export async function writeWorkingCopy(trx: Transaction<Database>, staff: Staff, articleId: string, baseVersion: number, doc: DraftDocument, kind: RevisionKind, now: string): Promise<WorkingCopy> {
  if (!Number.isInteger(baseVersion) || baseVersion < 0) throw new DomainError('invalid-input', 'Die Version fehlt oder ist ungültig.', 'baseVersion');
  const read = await readWorkingCopy(trx, articleId);
  if (!read) throw new DomainError('not-found', 'Diesen Artikel gibt es nicht.');
  const { wc: current } = read;
  if (current.version !== baseVersion) throw new ConflictError(current);
  const article = { slug: read.slug };
  if (current.publishedVersion !== null && doc.slug === '') doc = { ...doc, slug: article.slug };
  if (doc.slug && doc.slug !== article.slug) {
    if (current.publishedVersion !== null) {
      throw new DomainError('invalid-input', `Die Adresse eines veröffentlichten Artikels bleibt fest („${article.slug}“).`, 'slug', [{ path: 'slug', message: 'bleibt nach der Veröffentlichung fest' }]);
    }
    await assertSlugFree(trx, doc.slug, articleId);
  }
  const newVersion = baseVersion + 1;
  const state: EditorialState = current.state === 'scheduled' ? 'review' : current.state;
  const updated = await trx.updateTable('article_drafts')
    .set({ doc_json: JSON.stringify(doc), version: newVersion, state, scheduled_at: null, updated_by: staff.id, updated_at: now })
    .where('article_id', '=', articleId).where('version', '=', baseVersion)
    .executeTakeFirst();
  if (Number(updated.numUpdatedRows) !== 1) {
    // An imported article has no working-copy row until its first edit; its imported text stays as revision 0.
    const inserted = baseVersion !== 0 ? undefined : await trx.insertInto('article_drafts').values({
      article_id: articleId, doc_json: JSON.stringify(doc), version: newVersion, state, scheduled_at: null, published_version: 0,
      created_by: staff.id, updated_by: staff.id, created_at: now, updated_at: now,
    }).onConflict((oc) => oc.column('article_id').doNothing()).executeTakeFirst();
    if (Number(inserted?.numInsertedOrUpdatedRows ?? 0n) !== 1) throw new ConflictError((await getWorkingCopy(trx, articleId))!);
    await addRevision(trx, { articleId, version: 0, doc: current.doc, kind: 'import', savedBy: null, now: current.updatedAt });
  }
  if (current.state === 'scheduled') {
    await writeAudit(trx, { articleId, action: 'unschedule', actorId: staff.id, detail: { reason: 'geändert', scheduledAt: current.scheduledAt, version: current.version }, now });
  }
  if (doc.slug && doc.slug !== article.slug) await trx.updateTable('articles').set({ slug: doc.slug }).where('id', '=', articleId).execute();
  await recordRevision(trx, { articleId, version: newVersion, doc, kind, savedBy: staff.id, now });
  // What was just written, without reading it back (autosave runs every few seconds per open editor).
  return {
    ...current, version: newVersion, state, doc, scheduledAt: null, updatedBy: staff.id, updatedByName: staff.displayName, updatedAt: now,
    ...(current.version === 0 && current.createdBy === null ? { createdBy: staff.id, createdAt: now } : {}),
  };
}

export async function assertSlugFree(db: Db, slug: string, articleId: string): Promise<void> {
  const other = await db.selectFrom('articles').select('id').where('slug', '=', slug).where('id', '!=', articleId).executeTakeFirst();
  if (other) throw new DomainError('invalid-input', `Die Adresse „${slug}“ hat schon ein anderer Artikel.`, 'slug', [{ path: 'slug', message: 'schon vergeben' }]);
}

interface RevisionInput { articleId: string; version: number; doc: DraftDocument; kind: RevisionKind; savedBy: string | null; now: string }

export async function addRevision(db: Db, r: RevisionInput): Promise<string> {
  const id = newId();
  await db.insertInto('article_revisions').values({
    id, article_id: r.articleId, version: r.version, doc_json: JSON.stringify(r.doc), kind: r.kind, saved_by: r.savedBy, saved_at: r.now,
  }).execute();
  return id;
}

/**
 * A save's revision. An autosave replaces the previous revision when that is the same person's autosave from less than
 * 10 minutes ago and nothing else (submit, publish, another person's save) came after it: the list stays readable
 * while a manual save, submit, publish or restore always adds a row.
 */
async function recordRevision(db: Db, r: RevisionInput): Promise<void> {
  if (r.kind === 'autosave') {
    const latest = await db.selectFrom('article_revisions').select(['id', 'kind', 'saved_by', 'saved_at', 'version'])
      .where('article_id', '=', r.articleId)
      .where('version', '=', (eb) => eb.selectFrom('article_revisions').select((e) => e.fn.max('version').as('v')).where('article_id', '=', r.articleId))
      .execute();
    const prev = latest.length === 1 ? latest[0]! : undefined;
    if (prev && prev.kind === 'autosave' && prev.saved_by === r.savedBy && Date.parse(r.now) - Date.parse(prev.saved_at) < AUTOSAVE_COALESCE_MS) {
      await db.updateTable('article_revisions').set({ version: r.version, doc_json: JSON.stringify(r.doc), saved_at: r.now }).where('id', '=', prev.id).execute();
      return;
    }
  }
  await addRevision(db, r);
}

export interface AuditInput { articleId: string; action: AuditAction; actorId: string | null; detail?: Record<string, unknown>; now: string }
export type AuditAction = 'publish' | 'republish' | 'schedule' | 'unschedule' | 'unpublish' | 'access' | 'restore' | 'publish-failed';

export async function writeAudit(db: Db, a: AuditInput): Promise<void> {
  await db.insertInto('editorial_audit').values({
    id: newId(), article_id: a.articleId, action: a.action, actor_id: a.actorId, detail_json: JSON.stringify(a.detail ?? {}), at: a.now,
  }).execute();
}
