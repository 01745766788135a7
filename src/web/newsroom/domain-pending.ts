// TEMPORARY until h/nr-domain delivers workflow and revisions: stand-ins with the spec's signatures. Removed after the merge.
import type { Kysely } from 'kysely';
import type { Database } from '../../db/index.ts';
import { DomainError } from '../../domain-error.ts';
import type { DraftDocument, Staff, WorkingCopy } from '../../newsroom/index.ts';

type Db = Kysely<Database>;
const pending = (): never => { throw new DomainError('unavailable', 'Noch nicht gebaut.'); };
export interface RevisionSummary { id: string; version: number; kind: string; savedBy: string | null; savedByName: string; savedAt: string }
export interface Revision extends RevisionSummary { doc: DraftDocument }
export interface TextDiff { parts: { op: 'same' | 'added' | 'removed'; text: string }[] }
export type DocDiff = unknown;
export const submitForReview = async (_db: Db, _s: Staff, _id: string, _v: number, _o?: { now?: Date }): Promise<WorkingCopy> => pending();
export const publishNow = async (_db: Db, _s: Staff, _id: string, _v: number, _o?: { now?: Date }): Promise<WorkingCopy> => pending();
export const schedulePublish = async (_db: Db, _s: Staff, _id: string, _v: number, _at: Date, _o?: { now?: Date }): Promise<WorkingCopy> => pending();
export const unschedule = async (_db: Db, _s: Staff, _id: string, _v: number, _o?: { now?: Date }): Promise<WorkingCopy> => pending();
export const unpublish = async (_db: Db, _s: Staff, _id: string, _o?: { now?: Date }): Promise<WorkingCopy> => pending();
export const listRevisions = async (_db: Db, _id: string): Promise<RevisionSummary[]> => [];
export const getRevision = async (_db: Db, _id: string, _rev: string): Promise<Revision | undefined> => undefined;
export const restoreRevision = async (_db: Db, _s: Staff, _id: string, _rev: string, _v: number, _o?: { now?: Date }): Promise<WorkingCopy> => pending();
export const diffDocuments = (_a: DraftDocument, _b: DraftDocument): DocDiff => pending();
