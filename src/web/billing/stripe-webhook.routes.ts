// POST /api/stripe/webhook: Stripe's events, authenticated by their signature over the raw body (no session, no CSRF token).
import { Hono } from 'hono';
import { applyStripeFact, paymentFactFromStripeEvent, type BillingContext } from '../../billing/index.ts';
import { DomainError } from '../../domain-error.ts';
import { HttpError } from '../platform/app-error.ts';
import type { AppEnv } from '../platform/request-context.middleware.ts';
import { readSmallBody } from '../platform/small-body.ts';

/** Stripe's events are a few KB; its documented maximum payload is far below this. */
export const WEBHOOK_BODY_LIMIT = 256 * 1024;

export function stripeWebhookRoutes(ctx: BillingContext): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  app.post('/api/stripe/webhook', async (c) => {
    // Without Stripe configured there is nothing here to talk to.
    if (!ctx.stripe) throw new HttpError('not-found', 'Stripe ist auf dieser Installation nicht eingerichtet.');
    // The signature covers the exact bytes Stripe sent: read the text as it is, never re-serialized JSON.
    const raw = await readSmallBody(c, WEBHOOK_BODY_LIMIT);
    let event;
    try {
      event = ctx.stripe.verifyEvent(raw, c.req.header('stripe-signature'));
    } catch (e) {
      if (e instanceof DomainError) return c.json({ error: 'signature', message: e.message }, 400);
      throw e;
    }
    const fact = paymentFactFromStripeEvent(event);
    const outcome = fact ? await applyStripeFact(ctx, fact) : 'ignored';
    return c.json({ received: true, outcome });
  });

  return app;
}
