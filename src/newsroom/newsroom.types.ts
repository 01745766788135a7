// Domain types of the newsroom: who acts (staff), the working copy as the newsroom sees it, errors.
import type { Role } from '../accounts/index.ts';
import { DomainError } from '../domain-error.ts';
import type { DraftDocument, EditorialState } from './draft-document.ts';

export interface Staff { id: string; role: Role; displayName: string }

export interface WorkingCopy {
  articleId: string;
  /** optimistic lock: every save names the version it started from (0: an imported article never edited here) */
  version: number;
  state: EditorialState;
  doc: DraftDocument;
  scheduledAt: string | null;
  /** the working-copy version last published (stays after unpublishing; null: never published) */
  publishedVersion: number | null;
  /** readers see the article (from publishedAt on) */
  live: boolean;
  /** the article row's published_at once it was published, else null */
  publishedAt: string | null;
  createdBy: string | null;
  updatedBy: string | null;
  updatedByName: string;
  createdAt: string;
  updatedAt: string;
}

/** A stale save: someone else saved since `baseVersion`; `current` is their working copy. */
export class ConflictError extends DomainError {
  constructor(readonly current: WorkingCopy) {
    super('conflict', `Der Artikel wurde inzwischen geändert (Version ${current.version}${current.updatedByName ? ` von ${current.updatedByName}` : ''}). Ihre Fassung wurde nicht gespeichert.`, 'version');
    this.name = 'ConflictError';
  }
}

/** Roles that may write in the newsroom at all, and those that decide what readers see. */
export const NEWSROOM_ROLES: readonly Role[] = ['author', 'editor', 'admin'];
export const PUBLISHING_ROLES: readonly Role[] = ['editor', 'admin'];

export function assertStaff(staff: Staff): void {
  if (!NEWSROOM_ROLES.includes(staff.role)) throw new DomainError('forbidden', 'Nur für die Redaktion.');
}

export function assertPublisher(staff: Staff, what: string): void {
  if (!PUBLISHING_ROLES.includes(staff.role)) throw new DomainError('forbidden', `${what} ist Redakteurinnen, Redakteuren und Administratoren vorbehalten.`);
}

export interface Clock { now?: Date }
