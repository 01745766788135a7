// Public face of the newsroom domain: working copies, workflow, revisions, audit log, scheduled publishing.
export * from './draft-document.ts';
export { draftDocumentSchema, draftBlock, parseDraftDocument, describeDraftIssues, SEO_LIMITS, type DraftParse } from './draft.schema.ts';
export { ConflictError, NEWSROOM_ROLES, PUBLISHING_ROLES, type Staff, type WorkingCopy } from './newsroom.types.ts';
export {
  createDraft, getWorkingCopy, saveDraft, draftSlug, AUTOSAVE_COALESCE_MS, type SaveInput, type RevisionKind, type AuditAction,
} from './working-copy.store.ts';
export {
  listNewsroomArticles, newsroomOverview, listAudit,
  type NewsroomListItem, type NewsroomFilter, type NewsroomPage, type NewsroomOverview, type AuditEntry, type AuditFilter,
} from './newsroom-list.queries.ts';
export {
  submitForReview, publishNow, schedulePublish, unschedule, unpublish, runScheduledPublish, newsroomJobHandlers, NEWSROOM_PUBLISH_JOB,
  type ScheduledPublishPayload, type ScheduledPublishResult,
} from './workflow.service.ts';
export { completenessProblems } from './completeness.ts';
export { listRevisions, getRevision, restoreRevision, type RevisionSummary, type Revision } from './revisions.service.ts';
export { diffDocuments, diffWords, type DocDiff, type FieldDiff, type BlockDiff, type WordPart, type DiffStatus } from './doc-diff.ts';
export { draftToArticle } from './draft-article.ts';
