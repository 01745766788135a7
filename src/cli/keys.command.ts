// `klartext keys rotate` (re-wrap everything under KLARTEXT_MASTER_KEY while servers run) and `keys check`.
import { findMasterKeyRing, masterKeyFingerprint } from '../access/index.ts';
import { DomainError } from '../domain-error.ts';
import { assertMasterKeysOpen, countNotUnderCurrentKey, rotateMasterKey } from '../ops/index.ts';
import { parseOptions } from './cli-options.ts';
import type { CommandContext } from './main.ts';

export const KEYS_USAGE = `  keys rotate [--batch ZEILEN]    alle Inhaltsschlüssel und Zahlungsdaten unter KLARTEXT_MASTER_KEY neu verpacken
                                 (alte Schlüssel in KLARTEXT_MASTER_KEY_PREVIOUS); läuft neben laufenden Servern
  keys check                     zeigen, ob die Schlüssel die Datenbank öffnen und was noch unter alten Schlüsseln liegt`;

export async function runKeysCommand(ctx: CommandContext): Promise<number> {
  const [sub, ...rest] = ctx.args;
  if (sub !== 'rotate' && sub !== 'check') {
    ctx.io.err(`klartext keys: ${sub ? `unbekannter Unterbefehl „${sub}“` : 'Unterbefehl fehlt'}. Aufruf:\n${KEYS_USAGE}`);
    return 2;
  }
  const parsed = parseOptions(rest, sub === 'rotate' ? { batch: { type: 'string' } } : {});
  if (!parsed.ok) { ctx.io.err(`klartext keys ${sub}: ${parsed.problem}`); return 2; }
  const batchText = parsed.values.batch as string | undefined;
  if (batchText !== undefined && (!/^\d+$/.test(batchText) || Number(batchText) < 1 || Number(batchText) > 10_000)) {
    ctx.io.err(`klartext keys rotate: --batch muss eine ganze Zahl von 1 bis 10000 sein, nicht „${batchText}“`);
    return 2;
  }
  const ring = findMasterKeyRing(ctx.config.dataDir, ctx.config.masterKey, ctx.config.masterKeyPrevious);
  if (!ring) { ctx.io.err(`klartext keys ${sub}: kein Master-Schlüssel: KLARTEXT_MASTER_KEY setzen (oder ${ctx.config.dataDir}/master.key)`); return 2; }
  const db = (await ctx.store()).db;
  try {
    if (sub === 'check') {
      await assertMasterKeysOpen(db, ring);
      const left = await countNotUnderCurrentKey(db, ring);
      ctx.io.out(`Aktueller Schlüssel ${masterKeyFingerprint(ring.current)}; ${left === 0 ? 'alles ist unter ihm verpackt, alte Schlüssel können entfernt werden.' : `${left} Einträge liegen noch unter einem alten Schlüssel: klartext keys rotate.`}`);
      return 0;
    }
    const r = await rotateMasterKey(db, ring, batchText ? { batchSize: Number(batchText) } : {});
    ctx.io.out(`Schlüssel gewechselt auf ${masterKeyFingerprint(ring.current)}: ${r.contentKeys.rewrapped} Inhaltsschlüssel und ${r.paymentData.rewrapped} Mandate neu verpackt (${r.contentKeys.current + r.paymentData.current} waren es schon).`);
    const left = await countNotUnderCurrentKey(db, ring);
    ctx.io.out(left === 0 ? 'Nichts liegt mehr unter einem alten Schlüssel: KLARTEXT_MASTER_KEY_PREVIOUS kann entfernt werden.' : `${left} Einträge kamen währenddessen unter einem alten Schlüssel hinzu (ein Server ohne den neuen Schlüssel?): noch einmal aufrufen.`);
    return 0;
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    ctx.io.err(`klartext keys ${sub}: ${error.message}`);
    return 1;
  }
}
