// The one error type the web layer throws, and the one table from every error code a response can carry to its HTTP status.
import type { DomainErrorCode } from '../../domain-error.ts';

export type HttpErrorKind = 'bad-request' | 'unauthorized' | 'forbidden' | 'not-found' | 'conflict' | 'payload-too-large' | 'too-many-requests' | 'unavailable';
export type ErrorStatus = 400 | 401 | 403 | 404 | 409 | 413 | 415 | 429 | 503;

/**
 * Keyed by the code readers see in JSON, so web-layer kinds and domain codes meet here once. The two vocabularies
 * differ in a few names ('bad-request' / 'invalid-input', 'too-many-requests' / 'rate-limited') that clients already
 * read; they stay as they are, and a new code cannot be added without its status.
 */
export const STATUS_OF_CODE: Readonly<Record<HttpErrorKind | DomainErrorCode, ErrorStatus>> = {
  'bad-request': 400, 'invalid-input': 400,
  unauthorized: 401, unauthenticated: 401,
  forbidden: 403,
  'not-found': 404,
  conflict: 409,
  'payload-too-large': 413, 'too-large': 413,
  'unsupported-type': 415,
  'too-many-requests': 429, 'rate-limited': 429,
  unavailable: 503, busy: 503,
};

export class HttpError extends Error {
  constructor(readonly kind: HttpErrorKind, message: string, readonly field?: string) {
    super(message);
    this.name = 'HttpError';
  }
  get status(): ErrorStatus { return STATUS_OF_CODE[this.kind]; }
}

/** The client hung up before its request body was complete: nothing broke on our side, and nobody reads the answer. */
export class RequestAbortedError extends HttpError {
  constructor() {
    super('bad-request', 'Die Anfrage wurde abgebrochen, bevor sie vollständig angekommen war.', 'body');
    this.name = 'RequestAbortedError';
  }
}
