// The one error type of the access domain: a stable code for the edge to map, no HTTP status.

export type AccessErrorCode = 'key-unwrap-failed' | 'decrypt-failed' | 'master-key-invalid';

export class AccessError extends Error {
  override readonly name = 'AccessError';
  constructor(readonly code: AccessErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}
