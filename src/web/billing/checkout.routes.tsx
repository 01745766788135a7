// /abo/bestellen/:slug — the order page (with login and registration inline for guests) and the order itself.
import { randomBytes } from 'node:crypto';
import { Hono } from 'hono';
import {
  checkBic, checkIban, mandateText, placeOrder, type BillingContext, type CheckoutQuote, type Offer,
} from '../../billing/index.ts';
import { csrfToken } from '../platform/csrf.ts';
import { formOf, problemsOf } from '../platform/form-input.ts';
import type { AppEnv } from '../platform/request-context.middleware.ts';
import { emptyForm, type FormState } from '../ui/form.view.tsx';
import { articleNext, currentReader, orderAttribution, queryOf, renderBillingPage, type BillingContextC, type BillingRouteDeps, type OrderAttribution } from './billing-area.ts';
import { checkoutAuthRoutes, renderAuthStep } from './checkout-auth.routes.tsx';
import { activeOffer, quoteFor } from './checkout-offer.ts';
import { CheckoutPage } from './checkout.view.tsx';

/** Fields that are echoed back into the form after an error; the IBAN only into its own input, never into a message. */
const KEPT_FIELDS = ['method', 'holderName', 'iban', 'bic', 'mandate'] as const;

export const newOrderKey = (): string => randomBytes(18).toString('base64url');

/** The mandate text before the order: the reference is made with the subscription, so the page says where it will be. */
function mandatePreview(ctx: BillingContext): string {
  const placeholder = 'REFERENZ';
  return mandateText({ creditorName: ctx.creditor.name, creditorId: ctx.creditor.creditorId, mandateReference: placeholder })
    .replace(`Mandatsreferenz: ${placeholder}`, 'Mandatsreferenz: wird Ihnen mit der Bestellbestätigung per E-Mail mitgeteilt');
}

export function checkoutRoutes(deps: BillingRouteDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const ctx = deps.billing;
  const stripeFor = (offer: Offer) => ctx.stripe !== null && offer.kind !== 'gift' && offer.paymentMethods.includes('stripe');

  function renderCheckout(c: BillingContextC, offer: Offer, quote: CheckoutQuote, next: string, attribution: OrderAttribution, form: FormState, status = 200) {
    const reader = currentReader(c)!;
    return renderBillingPage(c, deps, `${offer.name} bestellen`, (
      <CheckoutPage offer={offer} quote={quote} csrf={csrfToken(c)} form={form} orderKey={newOrderKey()} next={next} attribution={attribution}
        stripe={stripeFor(offer)} mandate={mandatePreview(ctx)} email={reader.user.email} />
    ), status);
  }

  app.get('/abo/bestellen/:slug', async (c) => {
    const offer = await activeOffer(ctx, c.req.param('slug'));
    const quote = quoteFor(ctx, offer, c.req.query('monate'));
    const next = articleNext(c.req.query('next'));
    const attribution = await orderAttribution(deps, { herkunft: c.req.query('herkunft'), variante: c.req.query('variante') });
    if (!currentReader(c)) return renderAuthStep(c, deps, { offer, quote, next, attribution });
    // insights: the order form was opened (a guest counts once signed in, when the form is shown)
    deps.analytics.record({ kind: 'checkout', offerId: offer.id, articleId: attribution.articleId, variantId: attribution.variantId });
    // The account holder is typed, not guessed: the display name is often a nickname, and the bank wants the real name.
    return renderCheckout(c, offer, quote, next, attribution, emptyForm({ method: 'sepa' }));
  });

  app.post('/abo/bestellen/:slug', async (c) => {
    const offer = await activeOffer(ctx, c.req.param('slug'));
    const f = await formOf(c);
    const next = articleNext(f.next);
    const attribution = await orderAttribution(deps, { herkunft: f.herkunft, variante: f.variante });
    const reader = currentReader(c);
    if (!reader) return c.redirect(`/abo/bestellen/${offer.slug}${queryOf({ next, monate: f.giftMonths })}`, 303);
    const method = f.method === 'stripe' ? 'stripe' : 'sepa';
    try {
      const result = await placeOrder(ctx, {
        userId: reader.user.id, userEmail: reader.user.email, offer: offer.slug, giftMonths: f.giftMonths ? Number(f.giftMonths) : null,
        method, priceKey: f.priceKey ?? '', orderKey: f.orderKey ?? '', consentImmediateStart: f.consent === 'on',
        holderName: f.holderName ?? '', iban: f.iban ?? '', bic: f.bic ?? '', mandateAccepted: f.mandate === 'on',
        cancelUrl: `${deps.site.publicUrl}/abo/bestellen/${offer.slug}${queryOf({ next })}`,
        successUrl: `${deps.site.publicUrl}/abo/danke${queryOf({ next })}${next ? '&' : '?'}abo={number}`,
        attribution,
      });
      // insights: one order per subscription made (a repeated order key makes none)
      if (result.created) deps.analytics.record({ kind: 'order', offerId: offer.id, articleId: attribution.articleId, variantId: attribution.variantId });
      // Stripe: the reader pays on Stripe's page and comes back to /abo/danke with the article they came from.
      if (result.redirectUrl) return c.redirect(result.redirectUrl, 303);
      return c.redirect(`/abo/danke${queryOf({ abo: result.subscription.number, next })}`, 303);
    } catch (e) {
      const { status, problems } = problemsOf(e);
      // placeOrder names the first problem; the bank details are checked here too, so the reader fixes them in one go.
      if (method === 'sepa' && status === 400) {
        const iban = checkIban(f.iban ?? '');
        if (!iban.ok) problems.iban ??= iban.message;
        const bic = checkBic(f.bic ?? '');
        if (!bic.ok) problems.bic ??= bic.message;
      }
      const values: Record<string, string> = {};
      for (const k of KEPT_FIELDS) if (f[k] !== undefined) values[k] = f[k]!;
      // The terms changed meanwhile: show the new quote (and a new price key), so the reader orders what they see.
      const quote = quoteFor(ctx, offer, f.giftMonths);
      return renderCheckout(c, offer, quote, next, attribution, { values, problems }, status);
    }
  });

  app.route('/', checkoutAuthRoutes(deps));
  return app;
}
