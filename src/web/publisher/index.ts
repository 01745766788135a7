// The publisher area (/verlag): insights (overview with funnel, articles; admins and the `publisher` role) and, for admins only, subscriptions, the cancellation queue, offers, CSV export, background jobs.
import { Hono } from 'hono';
import { formGuard } from '../platform/form-input.ts';
import type { AppEnv } from '../platform/request-context.middleware.ts';
import { publisherAccess, type PublisherRouteDeps } from './publisher-context.ts';
import { subscriptionRoutes } from './subscriptions.routes.tsx';
import { offerRoutes } from './offers.routes.tsx';
import { cancellationRoutes } from './cancellations.routes.tsx';
import { jobRoutes } from './jobs.routes.tsx';
import { experimentRoutes } from './experiments.routes.tsx';
import { revenueRoutes } from './revenue.routes.tsx';
import { institutionRoutes } from './institutions.routes.tsx';
import { overviewRoutes } from './overview.routes.tsx';
import { articleInsightRoutes } from './articles.routes.tsx';

export type { PublisherRouteDeps } from './publisher-context.ts';

const FORM_LIMIT_KB = 32;

export function publisherRoutes(deps: PublisherRouteDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  // The role check comes first: a guest is sent to the login, a reader or newsroom member gets 403, the `publisher` role
  // reads the insights pages only — all before any form is read.
  app.use('/verlag', publisherAccess);
  app.use('/verlag/*', publisherAccess, ...formGuard(FORM_LIMIT_KB));
  app.route('/', overviewRoutes(deps));
  app.route('/', articleInsightRoutes(deps));
  app.route('/', subscriptionRoutes(deps));
  app.route('/', offerRoutes(deps));
  app.route('/', cancellationRoutes(deps));
  app.route('/', jobRoutes(deps));
  app.route('/', experimentRoutes(deps));
  app.route('/', revenueRoutes(deps));
  app.route('/', institutionRoutes(deps));
  return app;
}
