// What every publisher route needs: the admin check, the submitted form, field problems, and the page frame.
import type { Context, MiddlewareHandler } from 'hono';
import type { Child } from 'hono/jsx';
import type { Logger } from 'pino';
import type { BillingContext } from '../../billing/index.ts';
import type { EventRecorder } from '../../analytics/index.ts';
import type { InstitutionDirectory } from '../../access/index.ts';
import { DomainError } from '../../domain-error.ts';
import { HttpError } from '../platform/app-error.ts';
import { parseFormBody } from '../platform/request-body.ts';
import type { AppEnv } from '../platform/request-context.middleware.ts';
import { renderPage, type SiteDeps } from '../platform/render.tsx';
import type { Problems } from '../ui/form.view.tsx';

export interface PublisherRouteDeps {
  site: SiteDeps;
  billing: BillingContext;
  logger: Logger;
  /** the unlock path's table of institutions: told when one changes here */
  institutions: InstitutionDirectory;
  /** insights: a cancellation or termination entered here counts like one the reader sent (never who) */
  analytics: EventRecorder;
}
export type PublisherContext = Context<AppEnv>;

/**
 * Insights pages the `publisher` role may read (GET/HEAD only): the overview, articles, revenue, experiment results and
 * institutions. Everything else under /verlag — subscriptions with personal data, cancellations, offers, jobs, and every
 * form that changes something — stays with admins.
 */
export const INSIGHTS_PATHS = ['/verlag', '/verlag/artikel', '/verlag/umsatz', '/verlag/experimente', '/verlag/institutionen'] as const;

export const isInsightsPath = (path: string): boolean =>
  INSIGHTS_PATHS.some((p) => path === p || (p !== '/verlag' && path.startsWith(`${p}/`)) || path === `${p}.csv` || path.startsWith(`${p}.`));

/** Guests go to the login; admins everywhere; the publisher role reads insights pages (GET/HEAD) and nothing else; everyone else 403. */
export const publisherAccess: MiddlewareHandler<AppEnv> = async (c, next) => {
  const reader = c.get('reader');
  if (!reader) return c.redirect(`/anmelden?weiter=${encodeURIComponent(c.req.path)}`, 303);
  const role = reader.user.role;
  const reads = c.req.method === 'GET' || c.req.method === 'HEAD';
  if (role === 'admin' || (role === 'publisher' && reads && isInsightsPath(c.req.path))) return next();
  throw new HttpError('forbidden', role === 'publisher'
    ? 'Mit der Rolle „Verlag“ sehen Sie die Auswertungen; alles andere ist Administratorinnen und Administratoren vorbehalten.'
    : 'Der Verlagsbereich ist dem Verlag und der Administration vorbehalten.');
};

/** Who looks at an insights page (publisherAccess ran before): an admin, or someone with the `publisher` role. */
export function viewerOf(c: PublisherContext): 'admin' | 'publisher' {
  return c.get('reader')?.user.role === 'admin' ? 'admin' : 'publisher';
}

/** The admin behind this request (publisherAccess ran before; for the `publisher` role this is a 403). */
export function adminOf(c: PublisherContext): { id: string; email: string } {
  const reader = c.get('reader');
  if (!reader || reader.user.role !== 'admin') throw new HttpError('forbidden', 'Nur für Administratoren.');
  return { id: reader.user.id, email: reader.user.email };
}

/** The submitted form as strings; repeated fields (checkbox groups) as comma-joined strings. */
export async function formOf(c: PublisherContext): Promise<Record<string, string>> {
  const type = c.req.header('content-type') ?? '';
  if (!/^(application\/x-www-form-urlencoded|multipart\/form-data)/i.test(type)) {
    throw new HttpError('bad-request', 'Bitte senden Sie das Formular ab (application/x-www-form-urlencoded).', 'content-type');
  }
  const body = await parseFormBody(c);
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(body)) {
    if (typeof v === 'string') out[k] = v;
    else if (Array.isArray(v)) out[k] = v.filter((x): x is string => typeof x === 'string').join(',');
  }
  return out;
}

/** Field problems of a domain error a form can show next to its fields; anything else goes on to onError. */
export function problemsOf(e: unknown): { status: number; problems: Problems } {
  if (e instanceof DomainError && (e.code === 'invalid-input' || e.code === 'conflict' || e.code === 'not-found') && e.field) {
    const problems: Problems = {};
    for (const f of e.fields.length ? e.fields : [{ path: e.field, message: e.message }]) problems[f.path.split('.')[0]!] ??= f.message;
    return { status: e.code === 'conflict' ? 409 : e.code === 'not-found' ? 404 : 400, problems };
  }
  throw e;
}

export function renderPublisherPage(c: PublisherContext, deps: PublisherRouteDeps, title: string, body: Child, status = 200) {
  return renderPage(c, deps.site, { title: `${title} · Verlag`, noindex: true }, body, { status });
}
