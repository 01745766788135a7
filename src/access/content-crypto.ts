// AES-256-GCM for Plus content: per-article content keys, wrapped under the master key, and the premium ciphertext in the page.
import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';
import { closeSync, linkSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import path from 'node:path';
import { ensurePrivateDir, PRIVATE_FILE_MODE } from '../db/index.ts';
import { AccessError } from './access-error.ts';

const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const BASE64URL = /^[A-Za-z0-9_-]*$/;
// Labels wrapped keys with their purpose and format version, so a later format can be told apart.
const WRAP_AAD = Buffer.from('klartext/content-key/v1', 'utf8');
const DECOY_LABEL = 'klartext/decoy-seed/v1\0';
const IV_LABEL = 'klartext/premium-iv/v1';
const PAD_BYTES = 256;

export const generateContentKey = (): Buffer => randomBytes(KEY_BYTES);

/** 60 random bits: enough that key ids never collide per article, short enough for the page. */
export const newKeyId = (): string => randomBytes(8).toString('base64url').slice(0, 10);

function seal(plaintext: Buffer, key: Buffer, aad: Buffer, iv: Buffer = randomBytes(IV_BYTES)): string {
  const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(aad);
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([iv, body, cipher.getAuthTag()]).toString('base64url');
}

/** Returns null for every failure, so callers cannot leak which check failed. */
function open(payload: string, key: Buffer, aad: Buffer): Buffer | null {
  if (key.length !== KEY_BYTES || !BASE64URL.test(payload)) return null;
  const raw = Buffer.from(payload, 'base64url');
  if (raw.length < IV_BYTES + TAG_BYTES) return null;
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, IV_BYTES), { authTagLength: TAG_BYTES });
    decipher.setAAD(aad);
    decipher.setAuthTag(raw.subarray(raw.length - TAG_BYTES));
    return Buffer.concat([decipher.update(raw.subarray(IV_BYTES, raw.length - TAG_BYTES)), decipher.final()]);
  } catch {
    return null;
  }
}

function assertKey(key: Buffer, what: string): void {
  if (key.length !== KEY_BYTES) throw new RangeError(`${what} must be ${KEY_BYTES} bytes, got ${key.length}`);
}

export function wrapContentKey(key: Buffer, masterKey: Buffer): string {
  assertKey(key, 'content key');
  assertKey(masterKey, 'master key');
  return seal(key, masterKey, WRAP_AAD);
}

export function unwrapContentKey(wrapped: string, masterKey: Buffer): Buffer {
  const key = open(wrapped, masterKey, WRAP_AAD);
  if (!key || key.length !== KEY_BYTES) {
    throw new AccessError('key-unwrap-failed', 'The content key could not be unwrapped: wrong master key or damaged data');
  }
  return key;
}

/**
 * base64url(iv ‖ ciphertext ‖ tag); the key id is the AAD, so a ciphertext cannot be passed off under
 * another key id. The IV is synthetic — an HMAC of key id and plaintext under a key derived from the
 * content key — so every process renders the same page bytes for the same text (a CDN and ETags need
 * that), while two different plaintexts under one key still never share an IV, which GCM cannot survive.
 */
export function encryptPremium(plaintext: string, key: Buffer, keyId: string): string {
  assertKey(key, 'content key');
  const text = Buffer.from(plaintext, 'utf8');
  const ivKey = createHmac('sha256', key).update(IV_LABEL).digest();
  const iv = createHmac('sha256', ivKey).update(`${keyId}\0`, 'utf8').update(text).digest().subarray(0, IV_BYTES);
  return seal(text, key, Buffer.from(keyId, 'utf8'), iv);
}

/**
 * The plaintext the page carries: `{"html": …}` padded with trailing spaces (which JSON.parse ignores) to
 * a multiple of 256 bytes, so the ciphertext length tells no more than the decoy does: the rough length.
 */
export function premiumPlaintext(html: string): string {
  const json = JSON.stringify({ html });
  const bytes = Buffer.byteLength(json, 'utf8');
  return json + ' '.repeat(Math.ceil(bytes / PAD_BYTES) * PAD_BYTES - bytes);
}

export function decryptPremium(payload: string, key: Buffer, keyId: string): string {
  const plain = open(payload, key, Buffer.from(keyId, 'utf8'));
  if (!plain) throw new AccessError('decrypt-failed', 'The premium text could not be decrypted: wrong key, wrong key id or damaged data');
  return plain.toString('utf8');
}

/**
 * The secret seed of an article version's decoy. It depends on the key id, never on the text,
 * and nobody without the master key can compute it, so the decoy cannot be reproduced or predicted.
 */
export function deriveDecoySeed(masterKey: Buffer, keyId: string): Buffer {
  return createHmac('sha256', masterKey).update(DECOY_LABEL + keyId, 'utf8').digest();
}

/** A master key from its base64 text; `source` names where it came from in the error. */
export function parseMasterKey(text: string, source: string): Buffer {
  const trimmed = text.trim();
  const key = Buffer.from(trimmed, 'base64');
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(trimmed) || key.length !== KEY_BYTES) {
    throw new AccessError('master-key-invalid', `${source} must hold ${KEY_BYTES} bytes in base64 (e.g. from \`openssl rand -base64 32\`)`);
  }
  return key;
}

/**
 * The environment wins, so many processes can share one key; otherwise one process keeps its key in
 * `<dataDir>/master.key`. The file holds base64 text, so an operator moving to several processes can
 * copy it into KLARTEXT_MASTER_KEY as it is. An existing file is never overwritten: losing the master
 * key makes every wrapped content key unreadable.
 */
export function loadOrCreateMasterKey(dataDir: string, fromEnv?: string): Buffer {
  if (fromEnv !== undefined && fromEnv !== '') return parseMasterKey(fromEnv, 'KLARTEXT_MASTER_KEY');
  const file = path.join(dataDir, 'master.key');
  try {
    return parseMasterKey(readFileSync(file, 'utf8'), file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  ensurePrivateDir(dataDir);
  // Written whole to a temporary file, then linked into place: link fails if another process won the
  // race, and nobody can ever read a half-written key.
  const temporary = path.join(dataDir, `.master.key.${process.pid}.${randomBytes(4).toString('hex')}`);
  const fd = openSync(temporary, 'wx', PRIVATE_FILE_MODE);
  try {
    writeSync(fd, `${randomBytes(KEY_BYTES).toString('base64')}\n`);
  } finally {
    closeSync(fd);
  }
  try {
    linkSync(temporary, file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    unlinkSync(temporary);
  }
  return parseMasterKey(readFileSync(file, 'utf8'), file);
}
