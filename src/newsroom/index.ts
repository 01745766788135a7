// Public face of the newsroom domain: working copies, workflow, revisions, audit log, scheduled publishing.
export * from './draft-document.ts';
export { draftDocumentSchema, draftBlock, parseDraftDocument, describeDraftIssues, SEO_LIMITS, type DraftParse } from './draft.schema.ts';
export { ConflictError, NEWSROOM_ROLES, PUBLISHING_ROLES, type Staff, type WorkingCopy } from './newsroom.types.ts';
export { createDraft, getWorkingCopy, saveDraft, draftSlug, AUTOSAVE_COALESCE_MS, type SaveInput, type RevisionKind, type AuditAction } from './working-copy.store.ts';
export {
  listNewsroomArticles, newsroomOverview, listAudit,
  type NewsroomListItem, type NewsroomFilter, type NewsroomPage, type NewsroomOverview, type AuditEntry, type AuditFilter,
} from './newsroom-list.queries.ts';
