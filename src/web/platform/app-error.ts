// The one error type the web layer turns into a response; domain errors are mapped to it in onError.
export type HttpErrorKind = 'bad-request' | 'unauthorized' | 'forbidden' | 'not-found' | 'conflict' | 'payload-too-large' | 'too-many-requests' | 'unavailable';

const STATUS: Record<HttpErrorKind, 400 | 401 | 403 | 404 | 409 | 413 | 429 | 503> = {
  'bad-request': 400, unauthorized: 401, forbidden: 403, 'not-found': 404, conflict: 409, 'payload-too-large': 413, 'too-many-requests': 429, unavailable: 503,
};

export class HttpError extends Error {
  constructor(readonly kind: HttpErrorKind, message: string, readonly field?: string) {
    super(message);
    this.name = 'HttpError';
  }
  get status(): 400 | 401 | 403 | 404 | 409 | 413 | 429 | 503 { return STATUS[this.kind]; }
}

/** The client hung up before its request body was complete: nothing broke on our side, and nobody reads the answer. */
export class RequestAbortedError extends HttpError {
  constructor() {
    super('bad-request', 'Die Anfrage wurde abgebrochen, bevor sie vollständig angekommen war.', 'body');
    this.name = 'RequestAbortedError';
  }
}
