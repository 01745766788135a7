// What every route of the billing area needs: its dependencies, the page frame, the logged-in reader, the article to return to.
import type { Context } from 'hono';
import type { Child } from 'hono/jsx';
import type { Logger } from 'pino';
import type { Reader, PasswordHashing, Requester } from '../../accounts/index.ts';
import type { BillingContext } from '../../billing/index.ts';
import { checkedAttribution, type EventFacts, type EventRecorder } from '../../analytics/index.ts';
import type { Mailer } from '../../mail/index.ts';
import type { AppEnv } from '../platform/request-context.middleware.ts';
import { renderPage, type SiteDeps } from '../platform/render.tsx';
import { clientIp, safeNextPath, type ProxyTrust } from '../platform/request-info.ts';

export interface BillingRouteDeps extends ProxyTrust {
  site: SiteDeps;
  billing: BillingContext;
  /** inline login and registration at checkout use the account services */
  mailer: Mailer;
  hashing: PasswordHashing;
  logger: Logger;
  /** insights: checkout started, order, registration from a paywall, cancellation (never who) */
  analytics: EventRecorder;
  /** checks the attribution fields (`herkunft`, `variante`) and paywall return paths */
  eventFacts: EventFacts;
}

export type BillingContextC = Context<AppEnv>;

export function renderBillingPage(c: BillingContextC, deps: BillingRouteDeps, title: string, body: Child, status = 200) {
  return renderPage(c, deps.site, { title, noindex: true }, body, { status });
}

export const currentReader = (c: BillingContextC): Reader | null => c.get('reader') ?? null;

export const requesterOf = (c: BillingContextC, deps: BillingRouteDeps): Requester => ({ ip: clientIp(c, deps), userAgent: c.req.header('user-agent') ?? '' });

/**
 * The article a reader came from (the paywall's offer box sends it), to return to after the order. Only a local
 * article path counts: anything else (another site, a login page) is dropped rather than followed.
 */
export function articleNext(raw: string | undefined): string {
  if (!raw) return '';
  const path = safeNextPath(raw);
  return /^\/artikel\/[a-z0-9][a-z0-9-]*(?:\/klartext)?$/.test(path) ? path : '';
}

/** A query string of the given parameters, empty ones left out ("?next=…&monate=6" or ""). */
export function queryOf(params: Record<string, string | number | null | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== null && v !== undefined && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : '';
}

/** The attribution an order carries: the article of the last Plus paywall seen and the offer-box variant, both checked (or null). */
export interface OrderAttribution { articleId: string | null; variantId: string | null }

/**
 * The attribution fields of a checkout link (query) or the order form (body): `herkunft` (article id) and `variante`
 * (variant id), filled by the page script from the browser's own memory of the last Plus paywall. Kept only when they
 * name a live Plus article and an existing variant; anything else is ignored — a hint, never an error.
 */
export function orderAttribution(deps: BillingRouteDeps, fields: { herkunft?: string | undefined; variante?: string | undefined }): Promise<OrderAttribution> {
  return checkedAttribution(deps.eventFacts, fields);
}

/** The attribution as query parameters of the next checkout URL (through login or registration at checkout). */
export const attributionQuery = (a: OrderAttribution) => ({ herkunft: a.articleId, variante: a.variantId });
