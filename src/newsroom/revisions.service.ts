// Revisions of a working copy: the list with who saved when, one revision's document, and restoring one as a new version.
import type { Kysely } from 'kysely';
import { nowIso, type Database } from '../db/index.ts';
import { DomainError } from '../domain-error.ts';
import type { DraftDocument } from './draft-document.ts';
import { assertStaff, type Staff, type WorkingCopy } from './newsroom.types.ts';
import { checkDraftStructure, getWorkingCopy, writeAudit, writeWorkingCopy, type RevisionKind } from './working-copy.store.ts';

export interface RevisionSummary {
  id: string;
  articleId: string;
  version: number;
  kind: RevisionKind;
  savedBy: string | null;
  /** '' for the imported text and for people no longer on staff */
  savedByName: string;
  savedAt: string;
}

export interface Revision extends RevisionSummary { doc: DraftDocument }

/** Newest first. */
export async function listRevisions(db: Kysely<Database>, articleId: string, o: { limit?: number } = {}): Promise<RevisionSummary[]> {
  const rows = await db.selectFrom('article_revisions as r').leftJoin('users as u', 'u.id', 'r.saved_by')
    .select(['r.id', 'r.article_id', 'r.version', 'r.kind', 'r.saved_by', 'r.saved_at', 'u.display_name'])
    .where('r.article_id', '=', articleId)
    .orderBy('r.version', 'desc').orderBy('r.saved_at', 'desc').orderBy('r.id', 'desc')
    .limit(Math.min(o.limit ?? 500, 2000)).execute();
  return rows.map((r) => ({
    id: r.id, articleId: r.article_id, version: Number(r.version), kind: r.kind as RevisionKind, savedBy: r.saved_by, savedByName: r.display_name ?? '', savedAt: r.saved_at,
  }));
}

export async function getRevision(db: Kysely<Database>, articleId: string, revisionId: string): Promise<Revision | undefined> {
  const r = await db.selectFrom('article_revisions as r').leftJoin('users as u', 'u.id', 'r.saved_by')
    .select(['r.id', 'r.article_id', 'r.version', 'r.kind', 'r.saved_by', 'r.saved_at', 'r.doc_json', 'u.display_name'])
    .where('r.article_id', '=', articleId).where('r.id', '=', revisionId).executeTakeFirst();
  if (!r) return undefined;
  return {
    id: r.id, articleId: r.article_id, version: Number(r.version), kind: r.kind as RevisionKind, savedBy: r.saved_by, savedByName: r.display_name ?? '',
    savedAt: r.saved_at, doc: JSON.parse(r.doc_json) as DraftDocument,
  };
}

/**
 * Makes an old revision the working copy again, as a new version (optimistic lock on `baseVersion` like a save).
 * The article keeps its current address. Readers see it only once it is published again.
 */
export async function restoreRevision(db: Kysely<Database>, staff: Staff, articleId: string, revisionId: string, baseVersion: number, o: { now?: Date } = {}): Promise<WorkingCopy> {
  assertStaff(staff);
  const rev = await getRevision(db, articleId, revisionId);
  if (!rev) throw new DomainError('not-found', 'Diese Version gibt es nicht.', 'revision');
  const now = nowIso(o.now ?? new Date());
  return db.transaction().execute(async (trx) => {
    const current = await getWorkingCopy(trx, articleId);
    if (!current) throw new DomainError('not-found', 'Diesen Artikel gibt es nicht.');
    const doc = checkDraftStructure({ ...rev.doc, slug: current.doc.slug });
    const restored = await writeWorkingCopy(trx, staff, articleId, baseVersion, doc, 'restore', now);
    await writeAudit(trx, { articleId, action: 'restore', actorId: staff.id, detail: { revisionId, fromVersion: rev.version, version: restored.version }, now });
    return restored;
  });
}
