// The billing area: checkout, thank-you page, gift redemption, the cancellation button, Mein Konto's subscription pages, the Stripe webhook.
import { Hono } from 'hono';
import type { Logger } from 'pino';
import type { BillingContext } from '../../billing/index.ts';
import type { PasswordHashing } from '../../accounts/index.ts';
import type { Mailer } from '../../mail/index.ts';
import type { AppEnv } from '../platform/request-context.middleware.ts';
import type { SiteDeps } from '../platform/render.tsx';
import type { ProxyTrust } from '../platform/request-info.ts';
import { cancellationRoutes } from './cancellation.routes.tsx';
import { accountSubscriptionRoutes } from './account-subscription.routes.tsx';

export interface BillingRouteDeps extends ProxyTrust {
  site: SiteDeps;
  billing: BillingContext;
  /** inline login and registration at checkout use the account services */
  mailer: Mailer;
  hashing: PasswordHashing;
  logger: Logger;
}

/** Private routes (session, no-store) of the billing area. */
export function billingRoutes(deps: BillingRouteDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.route('/', cancellationRoutes(deps));
  app.route('/', accountSubscriptionRoutes(deps));
  return app;
}
