// Master key rotation while servers run: every wrapped content key and payment data key re-wrapped under the current master key, in small batches, compare-and-set.
import type { Kysely } from 'kysely';
import { masterKeyFingerprint, rewrapContentKey, ringKeys, unwrapWithRing, type MasterKeyRing } from '../access/index.ts';
import { openPaymentData, paymentDataKey, rewrapPaymentData } from '../billing/index.ts';
import type { Database } from '../db/index.ts';
import { DomainError } from '../domain-error.ts';

export interface RotationReport {
  contentKeys: { rewrapped: number; current: number };
  paymentData: { rewrapped: number; current: number };
}

export interface RotationOptions {
  /** rows per transaction: small, so a running server's writes never wait long for these locks */
  batchSize?: number;
  /** after each batch: for progress lines */
  onBatch?: (table: string, done: number) => void | Promise<void>;
}

const keysNamed = (ring: MasterKeyRing) => ringKeys(ring).map(masterKeyFingerprint).join(', ');

/**
 * Refuses (DomainError 'conflict') when no key of the ring opens the database's oldest content key or mandate:
 * the server and the rotation stop with one clear line instead of serving errors or writing anything.
 */
export async function assertMasterKeysOpen(db: Kysely<Database>, ring: MasterKeyRing): Promise<void> {
  const key = await db.selectFrom('content_keys').select(['id', 'wrapped_key']).orderBy('created_at').orderBy('id').limit(1).executeTakeFirst();
  if (key) {
    try { unwrapWithRing(key.wrapped_key, ring); } catch {
      throw new DomainError('conflict', `Kein gehaltener Master-Schlüssel (${keysNamed(ring)}) öffnet die Inhaltsschlüssel dieser Datenbank: KLARTEXT_MASTER_KEY ist falsch, oder der alte Schlüssel fehlt in KLARTEXT_MASTER_KEY_PREVIOUS`);
    }
  }
  const mandate = await db.selectFrom('sepa_mandates').select(['id', 'iban_sealed']).orderBy('created_at').orderBy('id').limit(1).executeTakeFirst();
  if (mandate) {
    try { openPaymentData(mandate.iban_sealed, ringKeys(ring).map(paymentDataKey), 'iban'); } catch {
      throw new DomainError('conflict', `Kein gehaltener Master-Schlüssel (${keysNamed(ring)}) öffnet die Zahlungsdaten dieser Datenbank: KLARTEXT_MASTER_KEY ist falsch, oder der alte Schlüssel fehlt in KLARTEXT_MASTER_KEY_PREVIOUS`);
    }
  }
}

/**
 * Re-wraps everything not yet under `ring.current`. Safe beside running servers: content keys and mandates are only
 * ever inserted, never changed, and each update is compare-and-set on the old value; servers unwrap with any key of
 * their ring, so a row read before or after its update opens either way. Idempotent: a second run finds nothing to do.
 * A row no key opens stops the run with DomainError before that row's batch writes anything.
 */
export async function rotateMasterKey(db: Kysely<Database>, ring: MasterKeyRing, o: RotationOptions = {}): Promise<RotationReport> {
  const batchSize = o.batchSize ?? 200;
  await assertMasterKeysOpen(db, ring);
  const report: RotationReport = { contentKeys: { rewrapped: 0, current: 0 }, paymentData: { rewrapped: 0, current: 0 } };

  let after = '';
  for (;;) {
    const rows = await db.selectFrom('content_keys').select(['id', 'wrapped_key']).where('id', '>', after).orderBy('id').limit(batchSize).execute();
    if (!rows.length) break;
    const updates: { id: string; old: string; wrapped: string }[] = [];
    for (const r of rows) {
      let wrapped: string | null;
      try { wrapped = rewrapContentKey(r.wrapped_key, ring); } catch {
        throw new DomainError('conflict', `Inhaltsschlüssel ${r.id} lässt sich mit keinem gehaltenen Master-Schlüssel (${keysNamed(ring)}) öffnen; nichts weiter geändert. Fehlt ein alter Schlüssel in KLARTEXT_MASTER_KEY_PREVIOUS?`);
      }
      if (wrapped) updates.push({ id: r.id, old: r.wrapped_key, wrapped }); else report.contentKeys.current++;
    }
    await db.transaction().execute(async (trx) => {
      for (const u of updates) {
        const res = await trx.updateTable('content_keys').set({ wrapped_key: u.wrapped }).where('id', '=', u.id).where('wrapped_key', '=', u.old).executeTakeFirst();
        if (Number(res.numUpdatedRows) === 1) report.contentKeys.rewrapped++; else report.contentKeys.current++;
      }
    });
    after = rows[rows.length - 1]!.id;
    await o.onBatch?.('content_keys', report.contentKeys.rewrapped + report.contentKeys.current);
  }

  const paymentKeys = ringKeys(ring).map(paymentDataKey);
  after = '';
  for (;;) {
    const rows = await db.selectFrom('sepa_mandates').select(['id', 'holder_sealed', 'iban_sealed']).where('id', '>', after).orderBy('id').limit(batchSize).execute();
    if (!rows.length) break;
    const updates: { id: string; oldHolder: string; oldIban: string; holder: string; iban: string }[] = [];
    for (const r of rows) {
      let holder: string | null; let iban: string | null;
      try {
        holder = rewrapPaymentData(r.holder_sealed, paymentKeys, 'holder');
        iban = rewrapPaymentData(r.iban_sealed, paymentKeys, 'iban');
      } catch {
        throw new DomainError('conflict', `Zahlungsdaten des Mandats ${r.id} lassen sich mit keinem gehaltenen Master-Schlüssel (${keysNamed(ring)}) öffnen; nichts weiter geändert. Fehlt ein alter Schlüssel in KLARTEXT_MASTER_KEY_PREVIOUS?`);
      }
      if (holder || iban) updates.push({ id: r.id, oldHolder: r.holder_sealed, oldIban: r.iban_sealed, holder: holder ?? r.holder_sealed, iban: iban ?? r.iban_sealed });
      else report.paymentData.current++;
    }
    await db.transaction().execute(async (trx) => {
      for (const u of updates) {
        const res = await trx.updateTable('sepa_mandates').set({ holder_sealed: u.holder, iban_sealed: u.iban })
          .where('id', '=', u.id).where('holder_sealed', '=', u.oldHolder).where('iban_sealed', '=', u.oldIban).executeTakeFirst();
        if (Number(res.numUpdatedRows) === 1) report.paymentData.rewrapped++; else report.paymentData.current++;
      }
    });
    after = rows[rows.length - 1]!.id;
    await o.onBatch?.('sepa_mandates', report.paymentData.rewrapped + report.paymentData.current);
  }
  return report;
}

/** How many rows are still wrapped under a key other than the current one (after a rotation: 0, so the old key can go). */
export async function countNotUnderCurrentKey(db: Kysely<Database>, ring: MasterKeyRing): Promise<number> {
  const current = { current: ring.current, previous: [] };
  let left = 0;
  for (const r of await db.selectFrom('content_keys').select('wrapped_key').execute()) {
    try { unwrapWithRing(r.wrapped_key, current); } catch { left++; }
  }
  const paymentKey = paymentDataKey(ring.current);
  for (const r of await db.selectFrom('sepa_mandates').select(['holder_sealed', 'iban_sealed']).execute()) {
    try { openPaymentData(r.holder_sealed, paymentKey, 'holder'); openPaymentData(r.iban_sealed, paymentKey, 'iban'); } catch { left++; }
  }
  return left;
}
