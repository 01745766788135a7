// The meter's key for an address: a keyed hash of the normalised address, so a free allowance survives deleting and re-creating an account without the address being kept.
import { createHmac, hkdfSync } from 'node:crypto';

const METER_ADDRESS_INFO = 'klartext meter address v1';

/** The HMAC key for meter addresses, derived from the master key (HKDF-SHA256), so no second secret has to be kept. */
export function deriveMeterAddressKey(masterKey: Buffer): Buffer {
  return Buffer.from(hkdfSync('sha256', masterKey, Buffer.alloc(0), METER_ADDRESS_INFO, 32));
}

/**
 * The mailbox behind an address as far as the meter cares: trimmed, lower-cased (as accounts store it), and
 * without a sub-address tag (`name+tag@host` → `name@host`), since one mailbox can receive any number of tags.
 * Provider-specific aliases (dots in Gmail addresses, other domains of one provider) are not folded.
 */
export function normaliseMeterAddress(email: string): string {
  const address = email.trim().toLowerCase().normalize('NFC');
  const at = address.lastIndexOf('@');
  if (at <= 0) return address;
  const local = address.slice(0, at);
  const plus = local.indexOf('+');
  return (plus > 0 ? local.slice(0, plus) : local) + address.slice(at);
}

/** base64url(HMAC-SHA256(key, normalised address)): the same for every spelling of one mailbox, useless without the key. */
export function meterAddressOf(key: Buffer, email: string): string {
  return createHmac('sha256', key).update(normaliseMeterAddress(email), 'utf8').digest('base64url');
}

/** What the meter needs besides the database: the monthly limit and the key for addresses. */
export interface MeterSettings {
  /** Plus articles a verified reader may unlock per Berlin month; 0 disables the meter */
  limit: number;
  /** from deriveMeterAddressKey */
  addressKey: Buffer;
}
