// /verlag/angebote: list, create and edit offers; the offer rules (parseOfferInput) report their problems at the field.
import { Hono } from 'hono';
import { createOffer, findOffer, listOffers, updateOffer, type OfferInput } from '../../billing/index.ts';
import { DomainError } from '../../domain-error.ts';
import { HttpError } from '../platform/app-error.ts';
import { csrfToken } from '../platform/csrf.ts';
import type { AppEnv } from '../platform/request-context.middleware.ts';
import { emptyForm, type FormState } from '../ui/form.view.tsx';
import { formOf, problemsOf, renderPublisherPage, type PublisherContext, type PublisherRouteDeps } from './publisher-context.ts';
import { OfferFormPage, OfferListPage, offerFormValues } from './offers.view.tsx';

const NUMBER_FIELDS = ['priceCents', 'introPriceCents', 'introMonths', 'minTermMonths', 'noticeMonths', 'position'] as const;

/** The form's strings as offer input: numbers must be whole numbers (else the field says so), empty optional ones stay unset. */
export function offerInputOf(f: Record<string, string>): OfferInput {
  const input: Record<string, unknown> = {
    slug: (f.slug ?? '').trim(), name: f.name ?? '', description: f.description ?? '', kind: f.kind ?? 'recurring', period: f.period ?? 'month',
    paymentMethods: [f.method_sepa === 'on' ? 'sepa' : null, f.method_stripe === 'on' ? 'stripe' : null].filter(Boolean),
    active: f.active === 'on',
  };
  for (const k of NUMBER_FIELDS) {
    const raw = (f[k] ?? '').trim();
    if (raw === '') { if (k === 'introPriceCents') input[k] = null; continue; }
    if (!/^\d+$/.test(raw)) throw new DomainError('invalid-input', 'Bitte eine ganze Zahl angeben (Beträge in Cent, ohne Komma).', k);
    input[k] = Number(raw);
  }
  const gift = (f.giftMonths ?? '').split(/[,;\s]+/).filter(Boolean);
  if (gift.some((m) => !/^\d+$/.test(m))) throw new DomainError('invalid-input', 'Bitte Monate als ganze Zahlen mit Komma getrennt angeben, z. B. 3, 6, 12.', 'giftMonths');
  input.giftMonths = gift.map(Number);
  return input as unknown as OfferInput;
}

const FRESH: Record<string, string> = { kind: 'recurring', period: 'month', minTermMonths: '1', noticeMonths: '0', method_sepa: 'on', active: 'on', position: '0' };

export function offerRoutes(deps: PublisherRouteDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const db = deps.site.db;
  const formPage = (c: PublisherContext, form: FormState, slug: string | null, status = 200) =>
    renderPublisherPage(c, deps, slug ? 'Angebot bearbeiten' : 'Neues Angebot', <OfferFormPage form={form} slug={slug} csrf={csrfToken(c)} />, status);

  app.get('/verlag/angebote', async (c) => {
    const ok = c.req.query('ok');
    return renderPublisherPage(c, deps, 'Angebote', <OfferListPage offers={await listOffers(db)} notice={ok === 'gespeichert' ? 'Das Angebot wurde gespeichert.' : undefined} />);
  });
  app.get('/verlag/angebote/neu', (c) => formPage(c, emptyForm(FRESH), null));
  app.get('/verlag/angebote/:slug', async (c) => {
    const offer = await findOffer(db, c.req.param('slug'));
    if (!offer) throw new HttpError('not-found', 'Dieses Angebot gibt es nicht.');
    return formPage(c, emptyForm(offerFormValues(offer)), offer.slug);
  });

  app.post('/verlag/angebote', async (c) => {
    const f = await formOf(c);
    try {
      await createOffer(db, offerInputOf(f), deps.billing.clock());
      return c.redirect('/verlag/angebote?ok=gespeichert', 303);
    } catch (e) {
      const { status, problems } = problemsOf(e);
      return formPage(c, { values: f, problems }, null, status);
    }
  });
  app.post('/verlag/angebote/:slug', async (c) => {
    const offer = await findOffer(db, c.req.param('slug'));
    if (!offer) throw new HttpError('not-found', 'Dieses Angebot gibt es nicht.');
    const f = await formOf(c);
    try {
      await updateOffer(db, offer.slug, offerInputOf({ ...f, slug: offer.slug }), deps.billing.clock());
      return c.redirect('/verlag/angebote?ok=gespeichert', 303);
    } catch (e) {
      const { status, problems } = problemsOf(e);
      return formPage(c, { values: { ...f, slug: offer.slug }, problems }, offer.slug, status);
    }
  });
  return app;
}
