// The billing area: checkout, thank-you page, gift redemption, the Stripe webhook (cancellation and Mein Konto's subscription pages join here).
import { Hono } from 'hono';
import { formGuard } from '../platform/form-input.ts';
import type { AppEnv } from '../platform/request-context.middleware.ts';
import type { BillingRouteDeps } from './billing-area.ts';
import { checkoutRoutes } from './checkout.routes.tsx';
import { stripeWebhookRoutes } from './stripe-webhook.routes.ts';
import { thanksRoutes } from './thanks.routes.tsx';
import { cancellationRoutes } from './cancellation.routes.tsx';
import { accountSubscriptionRoutes } from './account-subscription.routes.tsx';

export type { BillingRouteDeps } from './billing-area.ts';

/** Every POST under these needs a CSRF token. The webhook (/api/stripe) is not among them: its signature authenticates it. */
const FORM_PREFIXES = ['/abo/bestellen', '/abo/einloesen', '/abo/danke'];

/** Private routes (session, no-store) of the billing area. */
export function billingRoutes(deps: BillingRouteDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  // order and gift forms are small: anything over 16 KB is refused before it is read
  const guard = formGuard(16);
  for (const prefix of FORM_PREFIXES) app.use(`${prefix}/*`, ...guard);
  app.route('/', checkoutRoutes(deps));
  app.route('/', thanksRoutes(deps));
  app.route('/', stripeWebhookRoutes(deps.billing));
  app.route('/', cancellationRoutes(deps));
  app.route('/', accountSubscriptionRoutes(deps));
  return app;
}
