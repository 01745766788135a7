// Password rules and hashing: argon2id, at least 10 characters, none of the common passwords.
import fs from 'node:fs';
import argon2 from 'argon2';
import { DomainError } from '../domain-error.ts';
import { unboundedHashGate, type HashGate } from './hash-gate.ts';

export const MIN_PASSWORD_LENGTH = 10;
export const MAX_PASSWORD_LENGTH = 200;

/**
 * argon2id cost; production always uses at least argon2's defaults (64 MiB, 3 passes, 4 lanes). `gate` bounds how many
 * hashes run at once (the app makes one); without it (CLI, tests outside an app) hashing is not limited.
 */
export interface PasswordHashing { memoryCost: number; timeCost: number; parallelism: number; gate?: HashGate }
export const STANDARD_HASHING: PasswordHashing = Object.freeze({ memoryCost: 65536, timeCost: 3, parallelism: 4 });
/** For tests only: fast, and still argon2id. */
export const TEST_HASHING: PasswordHashing = Object.freeze({ memoryCost: 4096, timeCost: 2, parallelism: 1 });

/** Raises every cost to at least the standard one, so no configuration can weaken production. */
export const atLeastStandard = (h: PasswordHashing): PasswordHashing => ({
  ...h,
  memoryCost: Math.max(h.memoryCost, STANDARD_HASHING.memoryCost),
  timeCost: Math.max(h.timeCost, STANDARD_HASHING.timeCost),
  parallelism: Math.max(h.parallelism, STANDARD_HASHING.parallelism),
});

let common: Set<string> | undefined;
function commonPasswords(): Set<string> {
  common ??= new Set(fs.readFileSync(new URL('./common-passwords.txt', import.meta.url), 'utf8')
    .split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#')));
  return common;
}

/** The problem with a new password in words a person understands, or null when it is acceptable. */
export function passwordProblem(password: string, email?: string): string | null {
  const length = [...password].length;
  if (length < MIN_PASSWORD_LENGTH) return `Das Passwort ist zu kurz: Es braucht mindestens ${MIN_PASSWORD_LENGTH} Zeichen (jetzt ${length}).`;
  if (length > MAX_PASSWORD_LENGTH) return `Das Passwort ist zu lang: höchstens ${MAX_PASSWORD_LENGTH} Zeichen.`;
  const lower = password.toLowerCase();
  if (commonPasswords().has(lower)) return 'Dieses Passwort gehört zu den häufigsten Passwörtern und wird bei Angriffen als Erstes ausprobiert. Bitte wählen Sie ein anderes.';
  if (new Set(lower).size <= 2) return 'Dieses Passwort besteht nur aus ein oder zwei verschiedenen Zeichen. Bitte wählen Sie ein anderes.';
  const local = email?.toLowerCase().split('@')[0] ?? '';
  if (local.length >= 4 && lower.includes(local) && lower.length - local.length < 6) return 'Das Passwort ähnelt Ihrer E-Mail-Adresse zu sehr. Bitte wählen Sie ein anderes.';
  return null;
}

export function assertPasswordAcceptable(password: string, field: string, email?: string): void {
  const problem = passwordProblem(password, email);
  if (problem) throw new DomainError('invalid-input', problem, field, [{ path: field, message: problem }]);
}

const ungated = unboundedHashGate();
const gateOf = (h: PasswordHashing): HashGate => h.gate ?? ungated;

/** Throws HashingBusyError when the hashing queue is full: checked first, so a refused attempt costs next to nothing. */
export const refuseIfHashingBusy = (h: PasswordHashing): void => gateOf(h).refuseIfFull();

export const hashPassword = (password: string, h: PasswordHashing): Promise<string> =>
  gateOf(h).run('hash', () => argon2.hash(password, { type: argon2.argon2id, memoryCost: h.memoryCost, timeCost: h.timeCost, parallelism: h.parallelism }));

/** False for a wrong password or a broken hash; throws HashingBusyError when too many checks wait. */
export function verifyPassword(hash: string, password: string, h: PasswordHashing): Promise<boolean> {
  return gateOf(h).run('verify', async () => {
    try { return await argon2.verify(hash, password); } catch { return false; }
  });
}

export const needsRehash = (hash: string, h: PasswordHashing): boolean => {
  try { return argon2.needsRehash(hash, { memoryCost: h.memoryCost, timeCost: h.timeCost, parallelism: h.parallelism }); } catch { return true; }
};

const dummyHashes = new Map<string, Promise<string>>();
/** A throwaway hash of the given cost; made inside a slot of the caller's gate. */
function dummyHash(h: PasswordHashing): Promise<string> {
  const key = `${h.memoryCost}/${h.timeCost}/${h.parallelism}`;
  let dummy = dummyHashes.get(key);
  if (!dummy) {
    dummy = argon2.hash('klartext-dummy-password', { type: argon2.argon2id, memoryCost: h.memoryCost, timeCost: h.timeCost, parallelism: h.parallelism });
    dummyHashes.set(key, dummy);
    dummy.catch(() => dummyHashes.delete(key)); // a failure must not stick
  }
  return dummy;
}

/**
 * Takes as long as verifying a password of a known address, so an unknown email cannot be told apart by time: it waits
 * in the gate's queue like a verify and holds a slot as long as a recent real verify took, without hashing. Only when
 * no real verify happened lately does it verify against a throwaway hash, which also refreshes the estimate.
 */
export async function burnVerifyTime(password: string, h: PasswordHashing): Promise<void> {
  let dummy = '';
  await gateOf(h).imitateVerify(() => argon2.verify(dummy, password).catch(() => false), async () => { dummy = await dummyHash(h); });
}
