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

function open(sealed: string, key: Buffer, aad: string): Buffer {
  const raw = Buffer.from(sealed, 'base64url');
  const d = createDecipheriv('aes-256-gcm', key, raw.subarray(0, IV), { authTagLength: TAG });
  d.setAAD(Buffer.from(aad));
  d.setAuthTag(raw.subarray(raw.length - TAG));
  return Buffer.concat([d.update(raw.subarray(IV, raw.length - TAG)), d.final()]);
}

/** Seals one value; `purpose` (e.g. "iban") is bound in, so a sealed IBAN cannot be passed off as a name. */
export function sealPaymentData(value: string, kek: Buffer, purpose: string): string {
  const dataKey = randomBytes(32);
  const wrapped = seal(dataKey, kek, `${VERSION}/key/${purpose}`);
  const body = seal(Buffer.from(value, 'utf8'), dataKey, `${VERSION}/value/${purpose}`);
  return `${VERSION}.${wrapped}.${body}`;
}

export function openPaymentData(sealed: string, kek: Buffer, purpose: string): string {
  const [version, wrapped, body] = sealed.split('.');
  if (version !== VERSION || !wrapped || !body) throw new Error('payment data has an unknown format');
  const dataKey = open(wrapped, kek, `${VERSION}/key/${purpose}`);
  return open(body, dataKey, `${VERSION}/value/${purpose}`).toString('utf8');
}
