// The billing area: checkout, thank-you page, gift redemption, the Stripe webhook (cancellation and Mein Konto's subscription pages join here).
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { HttpError } from '../platform/app-error.ts';
import { csrfProtection } from '../platform/csrf.ts';
import type { AppEnv } from '../platform/request-context.middleware.ts';
import type { BillingRouteDeps } from './billing-area.ts';
import { checkoutRoutes } from './checkout.routes.tsx';
import { stripeWebhookRoutes } from './stripe-webhook.routes.ts';
import { thanksRoutes } from './thanks.routes.tsx';
import { cancellationRoutes } from './cancellation.routes.tsx';
import { accountSubscriptionRoutes } from './account-subscription.routes.tsx';

export type { BillingRouteDeps } from './billing-area.ts';

/** Order and gift forms are small; anything over 16 KB is refused before it is read. */
const FORM_LIMIT = 16 * 1024;
/** Every POST under these needs a CSRF token. The webhook (/api/stripe) is not among them: its signature authenticates it. */
const FORM_PREFIXES = ['/abo/bestellen', '/abo/einloesen', '/abo/danke'];

/** Private routes (session, no-store) of the billing area. */
export function billingRoutes(deps: BillingRouteDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const limit = bodyLimit({ maxSize: FORM_LIMIT, onError: () => { throw new HttpError('payload-too-large', 'Das Formular ist zu groß (höchstens 16 KB).'); } });
  const csrf = csrfProtection();
  for (const prefix of FORM_PREFIXES) app.use(`${prefix}/*`, limit, csrf);
  app.route('/', checkoutRoutes(deps));
  app.route('/', thanksRoutes(deps));
  app.route('/', stripeWebhookRoutes(deps.billing));
  app.route('/', cancellationRoutes(deps));
  app.route('/', accountSubscriptionRoutes(deps));
  return app;
}
