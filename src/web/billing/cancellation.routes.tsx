// /kuendigen: the cancellation button (§ 312k BGB) — a form for everyone, logged in or not, and its printable receipt.
import { Hono, type Context } from 'hono';
import { findCancellationReceipt, receiveCancellation, subscriptionsOfUser } from '../../billing/index.ts';
import { HttpError } from '../platform/app-error.ts';
import { csrfToken } from '../platform/csrf.ts';
import { renderPage } from '../platform/render.tsx';
import type { AppEnv } from '../platform/request-context.middleware.ts';
import { emptyForm, type FormState } from '../ui/form.view.tsx';
import type { BillingRouteDeps } from './index.ts';
import { formGuard, formOf, problemsOf } from '../platform/form-input.ts';
import { dateInput, newFormKey } from './cancellation-form.ts';
import { CancellationForm, CancellationReceiptPage } from './cancellation.view.tsx';

const LIVE = new Set(['pending', 'intro', 'active', 'past_due', 'dunning']);

/**
 * The receipt lives at /kuendigen/bestaetigung/<number>?k=<submit key> (a 303 after the POST, so a reload sends
 * nothing twice and the page can be bookmarked, saved and printed). The submit key is the form's random nonce, which
 * only the sender's browser ever had: receipt numbers alone open nothing, so nobody can walk through them.
 */
const receiptUrl = (number: string, key: string) => `/kuendigen/bestaetigung/${encodeURIComponent(number)}?k=${encodeURIComponent(key)}`;

export function cancellationRoutes(deps: BillingRouteDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const ctx = deps.billing;
  // Guests get the CSRF token keyed by the anonymous cookie csrfToken() sets on the form page; logged in, the session's.
  // ('/kuendigen/*' covers '/kuendigen' itself.)
  app.use('/kuendigen/*', ...formGuard(16));

  async function form(c: Context<AppEnv>, state: FormState, submitKey: string, status = 200) {
    return renderPage(c, deps.site, { title: 'Verträge hier kündigen', noindex: true },
      <CancellationForm form={state} csrf={csrfToken(c)} submitKey={submitKey} loggedIn={!!c.get('reader')} />, { status });
  }

  app.get('/kuendigen', async (c) => {
    const reader = c.get('reader');
    const values: Record<string, string> = { kind: 'ordinary' };
    if (reader) {
      values.name = reader.user.displayName;
      values.email = reader.user.email;
      const live = (await subscriptionsOfUser(ctx.db, reader.user.id)).filter((s) => s.kind === 'paid' && LIVE.has(s.state) && s.cancel_effective_at === null);
      if (live.length === 1) values.contract = live[0]!.number;
    }
    return form(c, emptyForm(values), newFormKey());
  });

  app.post('/kuendigen', async (c) => {
    const f = await formOf(c);
    const reader = c.get('reader');
    const submitKey = f.submitKey ?? '';
    try {
      const receipt = await receiveCancellation(ctx, {
        name: f.name ?? '', email: f.email ?? '', contractHint: f.contract ?? '', kind: (f.kind ?? 'ordinary') as 'ordinary' | 'extraordinary',
        reason: f.reason ?? '', preferredDate: dateInput(f.date), userId: reader?.user.id ?? null, userEmail: reader?.user.email ?? null, submitKey,
      });
      // insights: a cancellation received now (a repeated form is not a second one), by kind, with the contract's offer
      if (receipt.received) deps.analytics.record({ kind: 'cancellation', offerId: receipt.received.offerId, detail: receipt.kind });
      return c.redirect(receiptUrl(receipt.number, submitKey), 303);
    } catch (e) {
      const { status, problems } = problemsOf(e);
      const values = Object.fromEntries(['kind', 'reason', 'name', 'email', 'contract', 'date'].map((k) => [k, f[k] ?? '']));
      // nothing was stored: the same key may be sent again; a broken key gets a fresh one
      return form(c, { values, problems }, problems.form ? newFormKey() : submitKey, status);
    }
  });

  app.get('/kuendigen/bestaetigung/:number', async (c) => {
    const receipt = await findCancellationReceipt(ctx.db, c.req.param('number'), c.req.query('k') ?? '');
    if (!receipt) throw new HttpError('not-found', 'Diese Eingangsbestätigung gibt es nicht, oder der Link ist unvollständig. Ihre Bestätigung finden Sie auch in der E-Mail, die wir Ihnen geschickt haben.');
    const res = await renderPage(c, deps.site, { title: `Eingangsbestätigung ${receipt.number}`, noindex: true }, <CancellationReceiptPage receipt={receipt} />);
    // the key in the address stays on this site
    res.headers.set('referrer-policy', 'no-referrer');
    return res;
  });

  return app;
}
