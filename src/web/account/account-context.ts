// What every account route needs: its dependencies, the form it was sent, the requester, mails for notices, problems for forms.
import type { Context } from 'hono';
import type { Child } from 'hono/jsx';
import type { Logger } from 'pino';
import type { AccountNotice, PasswordHashing, Requester } from '../../accounts/index.ts';
import {
  alreadyRegisteredMail, confirmNewEmailMail, emailChangeRequestedMail, emailTakenMail, passwordChangedMail, resetPasswordMail, verifyEmailMail,
  type Mailer, type OutgoingMail,
} from '../../mail/index.ts';
import { DomainError } from '../../domain-error.ts';
import { HttpError } from '../platform/app-error.ts';
import { parseFormBody } from '../platform/request-body.ts';
import type { AppEnv } from '../platform/request-context.middleware.ts';
import { renderPage, type SiteDeps } from '../platform/render.tsx';
import { clientIp, type ProxyTrust } from '../platform/request-info.ts';

export interface AccountRouteDeps extends ProxyTrust {
  site: SiteDeps;
  mailer: Mailer;
  hashing: PasswordHashing;
  logger: Logger;
}

export type AccountContext = Context<AppEnv>;

import type { Problems } from '../ui/form.view.tsx';

export type { Problems };

/** The submitted form as strings; files and repeated fields are ignored. */
export async function formOf(c: AccountContext): Promise<Record<string, string>> {
  const type = c.req.header('content-type') ?? '';
  if (!/^(application\/x-www-form-urlencoded|multipart\/form-data)/i.test(type)) {
    throw new HttpError('bad-request', 'Bitte senden Sie das Formular ab (application/x-www-form-urlencoded).', 'content-type');
  }
  const body = await parseFormBody(c);
  return Object.fromEntries(Object.entries(body).filter((e): e is [string, string] => typeof e[1] === 'string'));
}

export const requester = (c: AccountContext, deps: AccountRouteDeps): Requester => ({ ip: clientIp(c, deps), userAgent: c.req.header('user-agent') ?? '' });

/** The field problems of a domain error a form can show inline; anything else is rethrown to onError. */
export function problemsOf(e: unknown): { status: number; problems: Problems } {
  if (e instanceof DomainError && (e.code === 'invalid-input' || e.code === 'unauthenticated' || e.code === 'conflict') && e.field) {
    const problems: Problems = {};
    for (const f of e.fields.length ? e.fields : [{ path: e.field, message: e.message }]) problems[f.path] ??= f.message;
    return { status: e.code === 'unauthenticated' ? 401 : e.code === 'conflict' ? 409 : 400, problems };
  }
  throw e;
}

/** JSON clients get the error from onError; browsers get the form again with the problems next to the fields. */
export { wantsJson } from '../platform/request-info.ts';

export function renderAccountPage(c: AccountContext, deps: AccountRouteDeps, title: string, body: Child, status = 200) {
  return renderPage(c, deps.site, { title, noindex: true }, body, { status });
}

function mailFor(notice: AccountNotice, ctx: { siteName: string; baseUrl: string }): OutgoingMail {
  switch (notice.kind) {
    case 'verify-email': return verifyEmailMail(ctx, notice.to, notice.token);
    case 'already-registered': return alreadyRegisteredMail(ctx, notice.to);
    case 'reset-password': return resetPasswordMail(ctx, notice.to, notice.token);
    case 'confirm-new-email': return confirmNewEmailMail(ctx, notice.to, notice.token);
    case 'email-change-requested': return emailChangeRequestedMail(ctx, notice.to, notice.newEmail);
    case 'email-taken': return emailTakenMail(ctx, notice.to);
    case 'password-changed': return passwordChangedMail(ctx, notice.to);
  }
}

/**
 * Sends the mails of account notices. Over SMTP they go out in the background, so the answer takes as long whether
 * or not a mail was due (no enumeration by timing); into the outbox they are written before answering.
 */
export async function deliver(c: AccountContext, deps: AccountRouteDeps, notices: (AccountNotice | null)[]): Promise<void> {
  const ctx = { siteName: deps.site.site.name, baseUrl: deps.site.publicUrl };
  for (const n of notices) {
    if (!n) continue;
    const sending = deps.mailer.send(mailFor(n, ctx)).catch((err: unknown) => deps.logger.error({ err, kind: n.kind }, 'mail not sent'));
    if (deps.mailer.kind === 'outbox') await sending;
  }
}
