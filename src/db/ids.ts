// Opaque ids and random tokens.
import { randomBytes, createHash } from 'node:crypto';

export const newId = (): string => randomBytes(12).toString('base64url');
export const newToken = (): string => randomBytes(32).toString('base64url');
export const sha256 = (s: string | Buffer): string => createHash('sha256').update(s).digest('hex');
export const nowIso = (d: Date = new Date()): string => d.toISOString();
