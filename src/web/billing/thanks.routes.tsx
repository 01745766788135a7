// /abo/danke (the order's owner only) and /abo/einloesen (a logged-in reader redeems a gift code).
import { Hono } from 'hono';
import { orderOverview, redeemGift } from '../../billing/index.ts';
import { HttpError } from '../platform/app-error.ts';
import { csrfToken } from '../platform/csrf.ts';
import { formOf, problemsOf } from '../platform/form-input.ts';
import type { AppEnv } from '../platform/request-context.middleware.ts';
import { emptyForm } from '../ui/form.view.tsx';
import { articleNext, currentReader, queryOf, renderBillingPage, type BillingRouteDeps } from './billing-area.ts';
import { RedeemPage, ThanksPage } from './thanks.view.tsx';

const NOT_YOURS = 'Diese Bestellung gibt es nicht, oder sie gehört zu einem anderen Konto. Ihre Abos finden Sie unter „Mein Konto“.';

export function thanksRoutes(deps: BillingRouteDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const ctx = deps.billing;

  app.get('/abo/danke', async (c) => {
    const number = c.req.query('abo') ?? '';
    const next = articleNext(c.req.query('next'));
    const reader = currentReader(c);
    if (!reader) return c.redirect(`/anmelden${queryOf({ weiter: `/abo/danke${queryOf({ abo: number, next })}` })}`, 303);
    const order = /^[A-Za-z0-9-]{1,40}$/.test(number) ? await orderOverview(ctx.db, number) : null;
    // A paid subscription belongs to its reader; a gift, until redeemed, to the account that bought it.
    const sub = order?.subscription;
    const owns = sub && (sub.user_id === reader.user.id || (sub.kind === 'gift' && sub.buyer_email === reader.user.email));
    if (!order || !owns) throw new HttpError('not-found', NOT_YOURS, 'abo');
    return renderBillingPage(c, deps, 'Danke für Ihre Bestellung', <ThanksPage order={order} next={next} email={reader.user.email} />);
  });

  app.get('/abo/einloesen', (c) => {
    if (!currentReader(c)) return c.redirect('/anmelden?weiter=/abo/einloesen', 303);
    return renderBillingPage(c, deps, 'Geschenk-Code einlösen', <RedeemPage form={emptyForm()} csrf={csrfToken(c)} />);
  });

  app.post('/abo/einloesen', async (c) => {
    const reader = currentReader(c);
    if (!reader) return c.redirect('/anmelden?weiter=/abo/einloesen', 303);
    const f = await formOf(c);
    try {
      const sub = await redeemGift(ctx, { code: f.code ?? '', userId: reader.user.id });
      return renderBillingPage(c, deps, 'Geschenk eingelöst', <RedeemPage form={emptyForm()} csrf={csrfToken(c)} redeemed={{ offerName: sub.offer_name, until: sub.current_period_end! }} />);
    } catch (e) {
      const { status, problems } = problemsOf(e);
      return renderBillingPage(c, deps, 'Geschenk-Code einlösen', <RedeemPage form={{ values: { code: f.code ?? '' }, problems }} csrf={csrfToken(c)} />, status);
    }
  });

  return app;
}
