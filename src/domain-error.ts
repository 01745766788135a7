// The error every domain module throws: a code the web layer maps to a status, a message a person understands, the field if one is to blame.
export type DomainErrorCode = 'invalid-input' | 'not-found' | 'unauthenticated' | 'forbidden' | 'conflict' | 'rate-limited' | 'too-large' | 'unsupported-type' | 'unavailable' | 'busy';

export class DomainError extends Error {
  constructor(readonly code: DomainErrorCode, message: string, readonly field?: string, readonly fields: { path: string; message: string }[] = []) {
    super(message);
    this.name = 'DomainError';
  }
}
