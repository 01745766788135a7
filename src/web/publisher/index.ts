// The publisher area (/verlag, admins only): subscriptions, their history, comp subscriptions, refunds, the cancellation queue, offers, CSV export.
import { Hono } from 'hono';
import type { Logger } from 'pino';
import type { BillingContext } from '../../billing/index.ts';
import type { AppEnv } from '../platform/request-context.middleware.ts';
import type { SiteDeps } from '../platform/render.tsx';

export interface PublisherRouteDeps { site: SiteDeps; billing: BillingContext; logger: Logger }

export function publisherRoutes(deps: PublisherRouteDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  void deps;
  return app;
}
