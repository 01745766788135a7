// What every account route needs: its dependencies, the form it was sent, the requester, mails for notices, problems for forms.
import type { Context } from 'hono';
import type { Child } from 'hono/jsx';
import type { Logger } from 'pino';
import type { AccountNotice, PasswordHashing, Requester } from '../../accounts/index.ts';
import type { EventFacts, EventRecorder } from '../../analytics/index.ts';
import {
  alreadyRegisteredMail, confirmNewEmailMail, emailChangeRequestedMail, emailTakenMail, passwordChangedMail, resetPasswordMail, verifyEmailMail,
  type Mailer, type OutgoingMail,
} from '../../mail/index.ts';
import type { AppEnv } from '../platform/request-context.middleware.ts';
import { renderPage, type SiteDeps } from '../platform/render.tsx';
import { clientIp, type ProxyTrust } from '../platform/request-info.ts';

export interface AccountRouteDeps extends ProxyTrust {
  site: SiteDeps;
  mailer: Mailer;
  hashing: PasswordHashing;
  logger: Logger;
  /** the reader's bank data for their own export (billing decrypts it); without it the export has the masked IBAN only */
  paymentData?: (userId: string) => Promise<object[]>;
  /** insights: a registration coming from a paywall is recorded with that article (never who registered) */
  analytics: EventRecorder;
  eventFacts: EventFacts;
}

export type AccountContext = Context<AppEnv>;

import type { Problems } from '../ui/form.view.tsx';

export type { Problems };

export { formOf } from '../platform/form-input.ts';

export const requester = (c: AccountContext, deps: AccountRouteDeps): Requester => ({ ip: clientIp(c, deps), userAgent: c.req.header('user-agent') ?? '' });

export { problemsOf } from '../platform/form-input.ts';

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
