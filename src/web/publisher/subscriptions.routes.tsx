// /verlag/abos: the list with search and paging, one contract with history and actions (comp grant, cancel, terminate), the CSV export.
import { Hono } from 'hono';
import {
  cancelSubscription, findSubscriptionByNumber, refundCharge, grantSubscription, MAX_GRANT_DAYS, searchSubscriptions, soldOfferNames, STATE_LABELS,
  subscriptionHistory, subscriptionsForExport, terminateSubscription,
} from '../../billing/index.ts';
import { normalizeEmail } from '../../accounts/index.ts';
import { DomainError } from '../../domain-error.ts';
import { HttpError } from '../platform/app-error.ts';
import { csrfToken } from '../platform/csrf.ts';
import { pageNumber } from '../platform/query-params.ts';
import type { AppEnv } from '../platform/request-context.middleware.ts';
import { emptyForm, type FormState } from '../ui/form.view.tsx';
import { adminOf, formOf, problemsOf, renderPublisherPage, type PublisherContext, type PublisherRouteDeps } from './publisher-context.ts';
import { SubscriptionDetailPage, SubscriptionListPage, type SubscriptionFilter } from './subscriptions.view.tsx';
import { csvLine } from './csv.ts';

const NOTICES: Record<string, string> = {
  freiabo: 'Das Freiabo wurde vergeben.',
  gekuendigt: 'Das Abo wurde gekündigt.',
  beendet: 'Das Abo wurde sofort beendet.',
  erstattet: 'Die Erstattung ist gebucht, die Gutschrift erstellt. Bitte überweisen Sie den Betrag (bei Stripe: dort erstatten).',
};

function filterOf(c: PublisherContext): SubscriptionFilter {
  const state = c.req.query('status') ?? '';
  return {
    q: (c.req.query('q') ?? '').slice(0, 200), state: state in STATE_LABELS ? state : '', offer: (c.req.query('angebot') ?? '').slice(0, 200),
    page: pageNumber(c.req.query('seite')),
  };
}

export function subscriptionRoutes(deps: PublisherRouteDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const { billing } = deps;
  // site.db is the same database; the billing context is read per request (tests hand in a stand-in filled after the app is built)
  const db = deps.site.db;

  async function listPage(c: PublisherContext, o: { grant?: FormState; status?: number; notice?: string | undefined } = {}) {
    const filter = filterOf(c);
    const search = { q: filter.q, state: filter.state as never, offerName: filter.offer, page: filter.page };
    const [{ items, hasMore }, offers] = await Promise.all([searchSubscriptions(db, search), soldOfferNames(db)]);
    return renderPublisherPage(c, deps, 'Abos', (
      <SubscriptionListPage items={items} hasMore={hasMore} filter={filter} offers={offers} csrf={csrfToken(c)} grant={o.grant ?? emptyForm()} notice={o.notice} />
    ), o.status);
  }

  app.get('/verlag/abos', (c) => listPage(c, { notice: NOTICES[c.req.query('ok') ?? ''] }));

  app.get('/verlag/abos.csv', async (c) => {
    const f = filterOf(c);
    const lines = [csvLine(['Abonummer', 'Status', 'Angebot', 'E-Mail', 'Abgeschlossen', 'Zugang bis'])];
    for await (const s of subscriptionsForExport(db, { q: f.q, state: f.state as never, offerName: f.offer })) {
      lines.push(csvLine([s.number, s.state, s.offerName, s.email, s.createdAt, s.accessUntil ?? '']));
    }
    // A BOM so spreadsheet programs read the UTF-8 umlauts; CRLF as RFC 4180 asks.
    return c.body(`\uFEFF${lines.join('\r\n')}\r\n`, 200, {
      'content-type': 'text/csv; charset=utf-8', 'content-disposition': 'attachment; filename="abos.csv"', 'cache-control': 'no-store',
    });
  });

  app.post('/verlag/abos/freiabo', async (c) => {
    const admin = adminOf(c);
    const f = await formOf(c);
    try {
      const email = normalizeEmail(f.email ?? '');
      if (!email) throw new DomainError('invalid-input', 'Bitte geben Sie eine gültige E-Mail-Adresse an.', 'email');
      const days = /^\d+$/.test((f.days ?? '').trim()) ? Number(f.days!.trim()) : NaN;
      if (!(days >= 1 && days <= MAX_GRANT_DAYS)) throw new DomainError('invalid-input', `Bitte eine ganze Zahl von 1 bis ${MAX_GRANT_DAYS} angeben.`, 'days');
      const user = await db.selectFrom('users').select('id').where('email', '=', email).executeTakeFirst();
      if (!user) throw new DomainError('invalid-input', `Es gibt kein Konto mit der Adresse ${email}.`, 'email');
      const grant = await grantSubscription(db, { userId: user.id, days, now: billing.clock(), actor: `admin:${admin.id}` });
      return c.redirect(`/verlag/abos/${grant.number}?ok=freiabo`, 303);
    } catch (e) {
      const { status, problems } = problemsOf(e);
      return listPage(c, { grant: { values: { email: f.email ?? '', days: f.days ?? '' }, problems }, status });
    }
  });

  async function detailPage(c: PublisherContext, o: { terminate?: FormState; refund?: { charge: string; amount: string; problem: string }; status?: number; notice?: string | undefined } = {}) {
    const sub = await findSubscriptionByNumber(db, c.req.param('number') ?? '');
    if (!sub) throw new HttpError('not-found', 'Dieses Abo gibt es nicht.');
    const [history, charges, user, mandate] = await Promise.all([
      subscriptionHistory(db, sub.id),
      db.selectFrom('charges').select(['id', 'kind', 'amount_cents', 'period_start', 'state', 'due_on']).where('subscription_id', '=', sub.id).orderBy('period_start', 'desc').limit(24).execute(),
      sub.user_id ? db.selectFrom('users').select('email').where('id', '=', sub.user_id).executeTakeFirst() : undefined,
      db.selectFrom('sepa_mandates').select('iban_masked').where('subscription_id', '=', sub.id).where('revoked_at', 'is', null).executeTakeFirst(),
    ]);
    return renderPublisherPage(c, deps, `Abo ${sub.number}`, (
      <SubscriptionDetailPage sub={sub} email={user?.email ?? null} history={history} ibanMasked={mandate?.iban_masked ?? null} csrf={csrfToken(c)}
        charges={charges.map((x) => ({ id: x.id, kind: x.kind, amountCents: x.amount_cents, periodStart: x.period_start, state: x.state, dueOn: x.due_on }))}
        terminate={o.terminate ?? emptyForm()} refund={o.refund} notice={o.notice} />
    ), o.status);
  }

  app.get('/verlag/abos/:number', (c) => detailPage(c, { notice: NOTICES[c.req.query('ok') ?? ''] }));

  app.post('/verlag/abos/:number/kuendigen', async (c) => {
    const admin = adminOf(c);
    const sub = await findSubscriptionByNumber(db, c.req.param('number'));
    if (!sub) throw new HttpError('not-found', 'Dieses Abo gibt es nicht.');
    await cancelSubscription(billing, sub.id, { actor: `admin:${admin.id}` });
    deps.analytics.record({ kind: 'cancellation', offerId: sub.offer_id, detail: 'ordinary' });
    return c.redirect(`/verlag/abos/${sub.number}?ok=gekuendigt`, 303);
  });

  app.post('/verlag/abos/:number/beenden', async (c) => {
    const admin = adminOf(c);
    const f = await formOf(c);
    const sub = await findSubscriptionByNumber(db, c.req.param('number'));
    if (!sub) throw new HttpError('not-found', 'Dieses Abo gibt es nicht.');
    try {
      await terminateSubscription(billing, sub.id, { actor: `admin:${admin.id}`, reason: f.reason ?? '' });
      deps.analytics.record({ kind: 'cancellation', offerId: sub.offer_id, detail: 'extraordinary' });
      return c.redirect(`/verlag/abos/${sub.number}?ok=beendet`, 303);
    } catch (e) {
      const { status, problems } = problemsOf(e);
      return detailPage(c, { terminate: { values: { reason: f.reason ?? '' }, problems }, status });
    }
  });

  app.post('/verlag/abos/:number/erstatten', async (c) => {
    const admin = adminOf(c);
    const f = await formOf(c);
    const sub = await findSubscriptionByNumber(db, c.req.param('number'));
    if (!sub) throw new HttpError('not-found', 'Dieses Abo gibt es nicht.');
    const charge = await db.selectFrom('charges').select('id').where('id', '=', f.charge ?? '').where('subscription_id', '=', sub.id).executeTakeFirst();
    if (!charge) throw new HttpError('not-found', 'Diese Zahlung gibt es nicht.');
    const amount = (f.amount ?? '').trim();
    try {
      const m = /^(\d{1,6})(?:[,.](\d{1,2}))?$/.exec(amount);
      if (!m) throw new DomainError('invalid-input', 'Bitte den Betrag in Euro angeben, z. B. 9,99.', 'amount');
      await refundCharge(deps.billing, { chargeId: charge.id, amountCents: Number(m[1]) * 100 + Number((m[2] ?? '0').padEnd(2, '0')), actor: `admin:${admin.id}` });
      return c.redirect(`/verlag/abos/${sub.number}?ok=erstattet`, 303);
    } catch (e) {
      const { status, problems } = problemsOf(e);
      return detailPage(c, { refund: { charge: charge.id, amount, problem: Object.values(problems)[0] ?? '' }, status });
    }
  });

  return app;
}
