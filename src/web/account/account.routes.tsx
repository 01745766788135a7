// /konto: the account page and its forms, the email-change link, the data export and deletion.
import { Hono } from 'hono';
import {
  changePassword, confirmEmailChange, deleteAccount, endOtherSessions, endSession, exportUserData, findUserById, listSessions,
  pendingEmailChange, requestEmailChange, requestVerificationMail, updateProfile, type Reader,
} from '../../accounts/index.ts';
import { DomainError } from '../../domain-error.ts';
import { HttpError } from '../platform/app-error.ts';
import type { AppEnv } from '../platform/request-context.middleware.ts';
import { deliver, formOf, problemsOf, renderAccountPage, wantsJson, type AccountContext, type AccountRouteDeps } from './account-context.ts';
import type { FormState } from '../ui/form.view.tsx';
import { LinkProblemPage } from './account-auth.view.tsx';
import { ACCOUNT_NOTICES, AccountPage, ConfirmEmailPage, type AccountForm } from './account.view.tsx';
import { csrfToken } from '../platform/csrf.ts';
import { clearSessionCookie } from '../platform/session.middleware.ts';

function readerOf(c: AccountContext): Reader {
  const reader = c.get('reader');
  if (!reader) throw new HttpError('unauthorized', 'Bitte melden Sie sich zuerst an.');
  return reader;
}

export function accountPageRoutes(deps: AccountRouteDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const db = deps.site.db;

  async function page(c: AccountContext, o: { notice?: string; failed?: { form: AccountForm; state: FormState }; status?: number } = {}) {
    const reader = readerOf(c);
    const [user, sessions] = await Promise.all([findUserById(db, reader.user.id), listSessions(db, reader.user.id)]);
    if (!user) throw new HttpError('unauthorized', 'Bitte melden Sie sich an.');
    return renderAccountPage(c, deps, 'Mein Konto', (
      <AccountPage user={user} sessions={sessions} currentSessionId={reader.sessionId} csrf={csrfToken(c)}
        notice={o.notice} failed={o.failed} showOutbox={user.role === 'admin'} />
    ), o.status);
  }

  /** Runs a form's action; on a field problem the page comes back with the problem next to the field. */
  async function handle(c: AccountContext, form: AccountForm, keep: string[], action: (f: Record<string, string>, reader: Reader) => Promise<string>) {
    const reader = readerOf(c);
    const f = await formOf(c);
    try {
      return c.redirect(`/konto?ok=${await action(f, reader)}`, 303);
    } catch (e) {
      if (wantsJson(c)) throw e;
      const { status, problems } = problemsOf(e);
      const values = Object.fromEntries(keep.map((k) => [k, f[k] ?? '']));
      return page(c, { failed: { form, state: { values, problems } }, status });
    }
  }

  app.get('/konto', (c) => {
    if (!c.get('reader')) return c.redirect('/anmelden?weiter=/konto', 303);
    const ok = c.req.query('ok');
    return page(c, { notice: ok ? ACCOUNT_NOTICES[ok] : undefined });
  });

  app.post('/konto/profil', (c) => handle(c, 'profile', ['displayName', 'newsletter'], async (f, r) => {
    await updateProfile(db, r.user.id, { displayName: f.displayName ?? '', newsletter: f.newsletter === 'on' });
    return 'profil';
  }));

  app.post('/konto/email', (c) => handle(c, 'email', ['newEmail'], async (f, r) => {
    await deliver(c, deps, await requestEmailChange(db, r.user.id, { newEmail: f.newEmail ?? '', password: f.password ?? '' }, { hashing: deps.hashing }));
    return 'email';
  }));

  app.post('/konto/passwort', (c) => handle(c, 'password', [], async (f, r) => {
    await deliver(c, deps, [await changePassword(db, r.user.id, r.sessionId, { currentPassword: f.currentPassword ?? '', newPassword: f.newPassword ?? '' }, { hashing: deps.hashing })]);
    return 'passwort';
  }));

  app.post('/konto/sitzungen/beenden', async (c) => {
    const reader = readerOf(c);
    const which = (await formOf(c)).session ?? '';
    if (which === 'andere') {
      await endOtherSessions(db, reader.user.id, reader.sessionId);
      return c.redirect('/konto?ok=sitzungen#geraete', 303);
    }
    if (!(await endSession(db, reader.user.id, which))) throw new HttpError('not-found', 'Diese Anmeldung gibt es nicht (mehr).', 'session');
    return c.redirect(which === reader.sessionId ? '/anmelden?hinweis=logged-out' : '/konto?ok=sitzung#geraete', 303);
  });

  app.post('/konto/bestaetigung', async (c) => {
    const reader = readerOf(c);
    await deliver(c, deps, [await requestVerificationMail(db, reader.user.id)]);
    return c.redirect('/konto?ok=bestaetigung', 303);
  });

  app.get('/konto/daten.json', async (c) => {
    const reader = readerOf(c);
    const data = await exportUserData(db, reader.user.id);
    if (deps.paymentData) Object.assign(data, { bankDetails: await deps.paymentData(reader.user.id) });
    return c.body(JSON.stringify(data, null, 2), 200, {
      'content-type': 'application/json; charset=utf-8', 'content-disposition': 'attachment; filename="meine-daten.json"', 'cache-control': 'no-store',
    });
  });

  app.post('/konto/loeschen', async (c) => {
    const reader = readerOf(c);
    const f = await formOf(c);
    try {
      await deleteAccount(db, reader.user.id, f.password ?? '', { hashing: deps.hashing });
    } catch (e) {
      if (wantsJson(c)) throw e;
      const { status, problems } = problemsOf(e);
      return page(c, { failed: { form: 'delete', state: { values: {}, problems } }, status });
    }
    clearSessionCookie(c, deps);
    return c.redirect('/anmelden?hinweis=deleted', 303);
  });

  // From the mail to the new address: a page with a button, so a mail scanner opening the link changes nothing.
  app.get('/konto/email/bestaetigen', async (c) => {
    const token = c.req.query('token') ?? '';
    try {
      const newEmail = await pendingEmailChange(db, token);
      return renderAccountPage(c, deps, 'Neue Adresse bestätigen', <ConfirmEmailPage csrf={csrfToken(c)} token={token} newEmail={newEmail} />);
    } catch (e) {
      if (!(e instanceof DomainError) || e.field !== 'token' || wantsJson(c)) throw e;
      return renderAccountPage(c, deps, 'Link ungültig', <LinkProblemPage message={e.message} action={{ href: '/konto#email', label: 'Zu Mein Konto' }} />, 400);
    }
  });

  app.post('/konto/email/bestaetigen', async (c) => {
    const token = (await formOf(c)).token ?? '';
    try {
      await confirmEmailChange(db, token);
    } catch (e) {
      if (!(e instanceof DomainError) || e.field !== 'token' || wantsJson(c)) throw e;
      return renderAccountPage(c, deps, 'Link ungültig', <LinkProblemPage message={e.message} action={{ href: '/konto#email', label: 'Zu Mein Konto' }} />, e.code === 'conflict' ? 409 : 400);
    }
    return c.redirect(c.get('reader') ? '/konto?ok=neue-email' : '/anmelden?hinweis=email-changed', 303);
  });

  return app;
}
