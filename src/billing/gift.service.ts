// Gift subscriptions: a reader redeems the code the buyer received, and the prepaid time starts for them.
import { nowIso, sha256 } from '../db/index.ts';
import { DomainError } from '../domain-error.ts';
import { addMonths, berlinDate, berlinMidnight } from './billing-calendar.ts';
import type { BillingContext } from './billing-context.ts';
import { applyLifecycle, type Subscription } from './subscription.store.ts';

const WRONG_CODE = 'Diesen Geschenk-Code kennen wir nicht, oder er wurde schon eingelöst. Bitte prüfen Sie die Schreibweise.';

/** Codes are shown in capitals and often typed with spaces or dashes; only letters and digits count. */
export const normalizeGiftCode = (code: string): string => code.toUpperCase().replace(/[^A-Z0-9]/g, '');

/**
 * Binds an unredeemed gift to the reader and starts it: the prepaid months run from today (Berlin) on.
 * The update only matches while the gift has no reader, so two readers racing with one code cannot both win.
 */
export async function redeemGift(ctx: BillingContext, input: { code: string; userId: string }): Promise<Subscription> {
  const code = normalizeGiftCode(input.code);
  if (code.length < 8 || code.length > 32) throw new DomainError('invalid-input', WRONG_CODE, 'code');
  const now = ctx.clock();
  const at = nowIso(now);
  return ctx.db.transaction().execute(async (trx) => {
    const gift = await trx.selectFrom('subscriptions').selectAll()
      .where('gift_code_hash', '=', sha256(code)).where('kind', '=', 'gift').where('state', '=', 'pending').where('user_id', 'is', null)
      .executeTakeFirst();
    if (!gift || gift.gift_months === null) throw new DomainError('invalid-input', WRONG_CODE, 'code');
    const claimed = await trx.updateTable('subscriptions').set({ user_id: input.userId, updated_at: at })
      .where('id', '=', gift.id).where('user_id', 'is', null).executeTakeFirst();
    if (Number(claimed.numUpdatedRows) !== 1) throw new DomainError('invalid-input', WRONG_CODE, 'code');
    const periodEnd = berlinMidnight(addMonths(berlinDate(now), gift.gift_months)).toISOString();
    return applyLifecycle(trx, { ...gift, user_id: input.userId, updated_at: at }, { type: 'start', at, periodEnd },
      { cause: 'Geschenk-Code eingelöst', actor: `reader:${input.userId}`, graceMs: ctx.graceMs });
  });
}
