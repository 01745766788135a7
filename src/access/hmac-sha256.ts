// HMAC-SHA256 of many short messages under one key, in plain JS: the key's inner and outer states are computed once.
import { createHash } from 'node:crypto';

const K = new Uint32Array([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
  0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
  0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
  0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
  0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
  0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
  0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
]);
const IV = new Uint32Array([0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19]);

const w = new Uint32Array(64);

/** One SHA-256 compression of the 64-byte block at `offset` into `state`. */
function compress(state: Uint32Array, block: Uint8Array, offset: number): void {
  for (let i = 0; i < 16; i++) {
    const j = offset + i * 4;
    w[i] = (block[j]! << 24) | (block[j + 1]! << 16) | (block[j + 2]! << 8) | block[j + 3]!;
  }
  for (let i = 16; i < 64; i++) {
    const a = w[i - 15]!, b = w[i - 2]!;
    const s0 = ((a >>> 7) | (a << 25)) ^ ((a >>> 18) | (a << 14)) ^ (a >>> 3);
    const s1 = ((b >>> 17) | (b << 15)) ^ ((b >>> 19) | (b << 13)) ^ (b >>> 10);
    w[i] = (w[i - 16]! + s0 + w[i - 7]! + s1) | 0;
  }
  let a = state[0]!, b = state[1]!, c = state[2]!, d = state[3]!, e = state[4]!, f = state[5]!, g = state[6]!, h = state[7]!;
  for (let i = 0; i < 64; i++) {
    const S1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
    const t1 = (h + S1 + ((e & f) ^ (~e & g)) + K[i]! + w[i]!) | 0;
    const S0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
    const t2 = (S0 + ((a & b) ^ (a & c) ^ (b & c))) | 0;
    h = g; g = f; f = e; e = (d + t1) | 0; d = c; c = b; b = a; a = (t1 + t2) | 0;
  }
  state[0] = (state[0]! + a) | 0; state[1] = (state[1]! + b) | 0; state[2] = (state[2]! + c) | 0; state[3] = (state[3]! + d) | 0;
  state[4] = (state[4]! + e) | 0; state[5] = (state[5]! + f) | 0; state[6] = (state[6]! + g) | 0; state[7] = (state[7]! + h) | 0;
}

/** The state after absorbing one 64-byte block. */
function stateAfter(block: Uint8Array): Uint32Array {
  const s = new Uint32Array(IV);
  compress(s, block, 0);
  return s;
}

/**
 * HMAC-SHA256 (RFC 2104) under one fixed key, for many short messages: what `createHmac('sha256', key).update(m).digest()`
 * gives, as eight big-endian 32-bit words. createHmac sets up the key anew for every message, which costs more than
 * hashing a short label twice; here the key's inner and outer states are computed once (tested against node:crypto).
 */
export class HmacSha256 {
  private readonly inner: Uint32Array;
  private readonly outer: Uint32Array;
  private readonly state = new Uint32Array(8);
  private buf = new Uint8Array(128);

  constructor(key: Uint8Array) {
    const k = key.length > 64 ? createHash('sha256').update(key).digest() : key;
    const ipad = new Uint8Array(64).fill(0x36);
    const opad = new Uint8Array(64).fill(0x5c);
    for (let i = 0; i < k.length; i++) { ipad[i]! ^= k[i]!; opad[i]! ^= k[i]!; }
    this.inner = stateAfter(ipad);
    this.outer = stateAfter(opad);
  }

  /** The MAC of `message` (UTF-8) as eight words, written into `out`. */
  digestWords(message: string, out: Uint32Array): Uint32Array {
    const bytes = utf8(message);
    const n = bytes.length;
    // inner hash: the key block is done, then the message, 0x80, zeros and the bit length of key block + message
    const blocks = Math.ceil((n + 9) / 64);
    if (this.buf.length < blocks * 64) this.buf = new Uint8Array(blocks * 64);
    const buf = this.buf;
    buf.set(bytes);
    buf.fill(0, n, blocks * 64);
    buf[n] = 0x80;
    writeBitLength(buf, blocks * 64, 64 + n);
    const s = this.state;
    s.set(this.inner);
    for (let b = 0; b < blocks; b++) compress(s, buf, b * 64);
    // outer hash: the key block is done, then the 32-byte inner digest in one block of 96 bytes' length
    for (let i = 0; i < 8; i++) {
      const v = s[i]!;
      buf[i * 4] = v >>> 24; buf[i * 4 + 1] = v >>> 16; buf[i * 4 + 2] = v >>> 8; buf[i * 4 + 3] = v;
    }
    buf.fill(0, 32, 64);
    buf[32] = 0x80;
    writeBitLength(buf, 64, 96);
    out.set(this.outer);
    compress(out, buf, 0);
    return out;
  }
}

function writeBitLength(buf: Uint8Array, end: number, byteLength: number): void {
  const bits = byteLength * 8; // messages here are far below 2^32 bits
  buf[end - 4] = bits >>> 24; buf[end - 3] = bits >>> 16; buf[end - 2] = bits >>> 8; buf[end - 1] = bits;
}

const encoder = new TextEncoder();
const ascii = new Uint8Array(256);
/** UTF-8 of a string; ASCII (every label here) without allocating. */
function utf8(s: string): Uint8Array {
  if (s.length > ascii.length) return encoder.encode(s);
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c > 0x7f) return encoder.encode(s);
    ascii[i] = c;
  }
  return ascii.subarray(0, s.length);
}
