// Envelope encryption for payment data (IBAN, account holder): a fresh data key per value, wrapped under a key derived from the master key.
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

const IV = 12;
const TAG = 16;
const VERSION = 'pd1';

/** The key that wraps data keys: derived, so the master key itself never encrypts payment data and content keys alike. */
export function paymentDataKey(masterKey: Buffer): Buffer {
  return Buffer.from(hkdfSync('sha256', masterKey, Buffer.alloc(0), 'klartext/payment-data/v1', 32));
}

function seal(plain: Buffer, key: Buffer, aad: string): string {
  const iv = randomBytes(IV);
  const c = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG });
  c.setAAD(Buffer.from(aad));
  return Buffer.concat([iv, c.update(plain), c.final(), c.getAuthTag()]).toString('base64url');
}

/** null for every failure (wrong key, damaged data), like the content keys' open. */
function open(sealed: string, key: Buffer, aad: string): Buffer | null {
  const raw = Buffer.from(sealed, 'base64url');
  if (raw.length < IV + TAG) return null;
  try {
    const d = createDecipheriv('aes-256-gcm', key, raw.subarray(0, IV), { authTagLength: TAG });
    d.setAAD(Buffer.from(aad));
    d.setAuthTag(raw.subarray(raw.length - TAG));
    return Buffer.concat([d.update(raw.subarray(IV, raw.length - TAG)), d.final()]);
  } catch {
    return null;
  }
}

/** The wrapping keys to try, the current one first: one key, or the keys derived from a master key ring. */
export type PaymentKeys = Buffer | readonly Buffer[];
const keyList = (keys: PaymentKeys): readonly Buffer[] => Buffer.isBuffer(keys) ? [keys] : keys;

export class PaymentDataError extends Error {
  override readonly name = 'PaymentDataError';
}

/** The data key of a sealed value and the index of the wrapping key that opened it; throws a clear error when none does. */
function openDataKey(sealed: string, keys: PaymentKeys, purpose: string): { dataKey: Buffer; by: number; body: string; } {
  const [version, wrapped, body, extra] = sealed.split('.');
  if (version !== VERSION || !wrapped || !body || extra !== undefined) throw new PaymentDataError('payment data has an unknown format');
  const list = keyList(keys);
  for (let by = 0; by < list.length; by++) {
    const dataKey = open(wrapped, list[by]!, `${VERSION}/key/${purpose}`);
    if (dataKey) return { dataKey, by, body };
  }
  throw new PaymentDataError(`payment data (${purpose}) could not be opened with any master key held: wrong KLARTEXT_MASTER_KEY, or an old key missing from KLARTEXT_MASTER_KEY_PREVIOUS`);
}

/** Seals one value; `purpose` (e.g. "iban") is bound in, so a sealed IBAN cannot be passed off as a name. */
export function sealPaymentData(value: string, kek: Buffer, purpose: string): string {
  const dataKey = randomBytes(32);
  const wrapped = seal(dataKey, kek, `${VERSION}/key/${purpose}`);
  const body = seal(Buffer.from(value, 'utf8'), dataKey, `${VERSION}/value/${purpose}`);
  return `${VERSION}.${wrapped}.${body}`;
}

/** Opens a sealed value under the first of `keys` that wraps its data key (the current key first during a rotation). */
export function openPaymentData(sealed: string, keys: PaymentKeys, purpose: string): string {
  const { dataKey, body } = openDataKey(sealed, keys, purpose);
  const plain = open(body, dataKey, `${VERSION}/value/${purpose}`);
  if (!plain) throw new PaymentDataError(`payment data (${purpose}) is damaged: its data key opens, its value does not`);
  return plain.toString('utf8');
}

/**
 * Key rotation: the same value with its data key wrapped under `keys[0]`, or null when it already is. Only the data
 * key is re-wrapped; the value's ciphertext stays as it was.
 */
export function rewrapPaymentData(sealed: string, keys: readonly Buffer[], purpose: string): string | null {
  const { dataKey, by, body } = openDataKey(sealed, keys, purpose);
  if (by === 0) return null;
  return `${VERSION}.${seal(dataKey, keys[0]!, `${VERSION}/key/${purpose}`)}.${body}`;
}
