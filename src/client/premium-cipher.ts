// Opens the premium ciphertext of an article page with WebCrypto: the browser half of the content cipher, shared by unlock.ts and its test.

const IV_BYTES = 12;
const TAG_BYTES = 16;

export function fromBase64Url(text: string): Uint8Array<ArrayBuffer> {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) throw new Error('not base64url');
  const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/') + '==='.slice((text.length + 3) % 4));
  return Uint8Array.from(binary, (char) => char.charCodeAt(0));
}

/**
 * Decrypts base64url(iv ‖ ciphertext ‖ tag) with AES-256-GCM and the key id as additional data, as
 * encryptPremium on the server made it. Rejects on any tampering, a wrong key or a wrong key id, so
 * nothing unauthenticated ever reaches the page.
 */
export async function decryptPremiumPayload(payload: string, keyBase64Url: string, keyId: string, subtle: SubtleCrypto = crypto.subtle): Promise<string> {
  const raw = fromBase64Url(payload.trim());
  const keyBytes = fromBase64Url(keyBase64Url);
  if (raw.length < IV_BYTES + TAG_BYTES || keyBytes.length !== 32) throw new Error('malformed payload or key');
  const key = await subtle.importKey('raw', keyBytes, 'AES-GCM', false, ['decrypt']);
  const plain = await subtle.decrypt(
    { name: 'AES-GCM', iv: raw.subarray(0, IV_BYTES), additionalData: new TextEncoder().encode(keyId), tagLength: TAG_BYTES * 8 },
    key,
    raw.subarray(IV_BYTES),
  );
  return new TextDecoder('utf-8', { fatal: true }).decode(plain);
}
