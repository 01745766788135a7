// Domain errors of the content module.
import { DomainError } from '../domain-error.ts';

export type ContentErrorCode = 'invalid-import' | 'not-found';

export class ContentError extends DomainError {
  constructor(readonly contentCode: ContentErrorCode, message: string, fields: { path: string; message: string }[] = []) {
    super(contentCode === 'invalid-import' ? 'invalid-input' : 'not-found', message, fields[0]?.path, fields);
  }
}
