// The master keys a process holds: the current one (wraps new content keys, derives the decoy and meter keys) and previous ones (read only), for rotation without downtime.
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { AccessError } from './access-error.ts';
import { loadOrCreateMasterKey, parseMasterKey, unwrapContentKey, wrapContentKey } from './content-crypto.ts';

export interface MasterKeyRing {
  /** wraps every new content key and payment data key; the decoy seeds and meter address key are derived from it */
  readonly current: Buffer;
  /** accepted for unwrapping only (KLARTEXT_MASTER_KEY_PREVIOUS), until `klartext keys rotate` has re-wrapped everything */
  readonly previous: readonly Buffer[];
}

/** A ring of one key: what tests and single-key callers pass. */
export const singleKeyRing = (key: Buffer): MasterKeyRing => Object.freeze({ current: key, previous: Object.freeze([]) });

export const ringOf = (keys: Buffer | MasterKeyRing): MasterKeyRing => Buffer.isBuffer(keys) ? singleKeyRing(keys) : keys;

/** Every key of the ring, the current one first. */
export const ringKeys = (ring: MasterKeyRing): Buffer[] => [ring.current, ...ring.previous];

/**
 * A short, public name of a master key (an HMAC of a fixed label, so it reveals nothing about the key): backups record
 * it, and error messages name it, so an operator can tell which key a backup or a rotation needs without seeing it.
 */
export function masterKeyFingerprint(key: Buffer): string {
  return createHmac('sha256', key).update('klartext/master-key-fingerprint/v1').digest('hex').slice(0, 16);
}

function parsePrevious(previous: readonly string[]): Buffer[] {
  return previous.map((text) => parseMasterKey(text, 'KLARTEXT_MASTER_KEY_PREVIOUS'));
}

/** The server's ring: the current key as loadOrCreateMasterKey finds (or makes) it, plus the previous keys from the environment. */
export function loadMasterKeyRing(dataDir: string, current: string | undefined, previous: readonly string[] = []): MasterKeyRing {
  const key = loadOrCreateMasterKey(dataDir, current);
  const older = parsePrevious(previous).filter((k) => !k.equals(key));
  return Object.freeze({ current: key, previous: Object.freeze(older) });
}

/** Like loadMasterKeyRing, but never creates a key file: null when there is no key at all (restore, key rotation). */
export function findMasterKeyRing(dataDir: string, current: string | undefined, previous: readonly string[] = []): MasterKeyRing | null {
  let key: Buffer;
  if (current) key = parseMasterKey(current, 'KLARTEXT_MASTER_KEY');
  else {
    const file = path.join(dataDir, 'master.key');
    try {
      key = parseMasterKey(readFileSync(file, 'utf8'), file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
  }
  return Object.freeze({ current: key, previous: Object.freeze(parsePrevious(previous).filter((k) => !k.equals(key))) });
}

/** Unwraps under the current key, then each previous one; `current` says whether the wrap is already the current key's. */
export function unwrapWithRing(wrapped: string, ring: MasterKeyRing): { key: Buffer; current: boolean } {
  const keys = ringKeys(ring);
  for (let i = 0; i < keys.length; i++) {
    try {
      return { key: unwrapContentKey(wrapped, keys[i]!), current: i === 0 };
    } catch (error) {
      if (!(error instanceof AccessError)) throw error;
    }
  }
  throw new AccessError('key-unwrap-failed', `The content key could not be unwrapped with any master key held (${keys.map(masterKeyFingerprint).join(', ')}): wrong KLARTEXT_MASTER_KEY, or an old key missing from KLARTEXT_MASTER_KEY_PREVIOUS`);
}

/** The wrap under the current key, or null when `wrapped` already is one. Throws when no key of the ring opens it. */
export function rewrapContentKey(wrapped: string, ring: MasterKeyRing): string | null {
  const { key, current } = unwrapWithRing(wrapped, ring);
  return current ? null : wrapContentKey(key, ring.current);
}
