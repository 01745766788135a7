// /verlag/experimente: offer experiments — list, new, one with its results (page and CSV), start and stop. The publisher role reads; admins change.
import { Hono } from 'hono';
import {
  createExperiment, experimentResults, findExperiment, formatPValue, formatRate, formatZ, listExperiments, startExperiment, stopExperiment,
  variantCounts, variantField, VARIANT_KEYS, type ExperimentInput, type ExperimentResults, type VariantCounts,
} from '../../analytics/index.ts';
import { featuredOffer, listOffers, priceText } from '../../billing/index.ts';
import { DomainError } from '../../domain-error.ts';
import { HttpError } from '../platform/app-error.ts';
import { csrfToken } from '../platform/csrf.ts';
import type { AppEnv } from '../platform/request-context.middleware.ts';
import { emptyForm, type FormState } from '../ui/form.view.tsx';
import { csvLine } from './csv.ts';
import { ExperimentFormPage } from './experiment-form.view.tsx';
import { EXPERIMENTS_PATH, ExperimentDetailPage, ExperimentListPage, experimentPath } from './experiments.view.tsx';
import { adminOf, formOf, problemsOf, renderPublisherPage, type PublisherContext, type PublisherRouteDeps } from './publisher-context.ts';

const NOTICES: Record<string, string> = {
  angelegt: 'Das Experiment ist angelegt. Prüfen Sie die Varianten und starten Sie es, wenn alles stimmt.',
  gestartet: 'Das Experiment läuft. Die Seiten mit Angebotsbox werden neu erstellt; die Varianten erscheinen in wenigen Sekunden.',
  beendet: 'Das Experiment ist beendet. Die Angebotsbox zeigt wieder das hervorgehobene Angebot.',
};

/** `?format=csv` gives the table as CSV; no parameter the page; anything else is a mistake worth saying. */
function wantsCsv(c: PublisherContext): boolean {
  const format = c.req.query('format');
  if (format === undefined || format === '' || format === 'html') return false;
  if (format === 'csv') return true;
  throw new HttpError('bad-request', `Unbekanntes Format „${format}“: Der Parameter format kennt nur „csv“.`, 'format');
}

function csvResponse(c: PublisherContext, filename: string, lines: string[]) {
  // a byte order mark, so spreadsheet programs read the umlauts as UTF-8
  return c.body(`\uFEFF${lines.join('\r\n')}\r\n`, 200, {
    'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="${filename}"`, 'cache-control': 'no-store',
  });
}

/** The form's strings as experiment input: A and B always, C and D when anything was typed into them. */
export function experimentInputOf(f: Record<string, string>): ExperimentInput {
  const field = (name: 'headline' | 'body' | 'offer' | 'share', k: string) => (f[variantField(name, k)] ?? '').trim();
  const variants = VARIANT_KEYS.filter((k, i) => i < 2 || field('headline', k) || field('body', k) || field('share', k)).map((k) => {
    const share = field('share', k);
    return { headline: field('headline', k), body: field('body', k), offerId: field('offer', k) || null, share: /^\d{1,3}$/.test(share) ? Number(share) : Number.NaN };
  });
  return { name: f.name ?? '', variants };
}

const STATE_WORDS = { draft: 'Entwurf', running: 'läuft', ended: 'beendet' } as const;

const canEdit = (c: PublisherContext) => c.get('reader')?.user.role === 'admin';

function resultLines(r: ExperimentResults): string[] {
  const lines = [csvLine(['Variante', 'Überschrift', 'Anteil (%)', 'Einblendungen', 'Klicks', 'Klickrate', 'Bestellungen', 'Conversion', 'z', 'p', 'Urteil'])];
  for (const v of r.variants) {
    const test = v.comparison?.test ?? null;
    lines.push(csvLine([v.variant.key, v.variant.headline, String(v.variant.share), String(v.impressions), String(v.clicks), formatRate(v.clickRate), String(v.orders),
      formatRate(v.conversionRate), test ? formatZ(test.z).replace(/^\+/, '') : '', test ? formatPValue(test.p) : '', v.verdict]));
  }
  return lines;
}

export function experimentRoutes(deps: PublisherRouteDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const db = deps.site.db;
  const clock = () => deps.billing.clock();

  const formPage = async (c: PublisherContext, form: FormState, status = 200) => {
    const [offers, featured] = await Promise.all([listOffers(db, { activeOnly: true }), featuredOffer(db)]);
    const choices = offers.filter((o) => o.kind === 'recurring').map((o) => ({ id: o.id, label: `${o.name} – ${priceText(o)}` }));
    return renderPublisherPage(c, deps, 'Neues Experiment', <ExperimentFormPage form={form} offers={choices} featured={featured?.name ?? 'keines'} csrf={csrfToken(c)} />, status);
  };

  const detailPage = async (c: PublisherContext, id: string, o: { status?: number; problem?: string } = {}) => {
    const experiment = await findExperiment(db, id);
    if (!experiment) throw new HttpError('not-found', 'Dieses Experiment gibt es nicht.', 'id');
    const results = await experimentResults(db, experiment);
    if (wantsCsv(c)) return csvResponse(c, `experiment-${experiment.id}.csv`, resultLines(results));
    const offers = new Map((await listOffers(db)).map((x) => [x.id, `${x.name} – ${priceText(x)}`]));
    const notice = NOTICES[c.req.query('ok') ?? ''];
    return renderPublisherPage(c, deps, experiment.name,
      <ExperimentDetailPage results={results} offers={offers} canEdit={canEdit(c)} csrf={csrfToken(c)} notice={notice} problem={o.problem} />, o.status);
  };

  app.get(EXPERIMENTS_PATH, async (c) => {
    const csv = wantsCsv(c);
    const experiments = await listExperiments(db);
    const counts = await variantCounts(db, experiments.flatMap((e) => e.variants.map((v) => v.id)));
    const totals = new Map(experiments.map((e) => [e.id, e.variants.reduce<VariantCounts>((t, v) => {
      const n = counts.get(v.id)!;
      return { impressions: t.impressions + n.impressions, clicks: t.clicks + n.clicks, orders: t.orders + n.orders };
    }, { impressions: 0, clicks: 0, orders: 0 })]));
    if (csv) {
      const lines = [csvLine(['Experiment', 'Status', 'Angelegt', 'Gestartet', 'Beendet', 'Varianten', 'Einblendungen', 'Bestellungen'])];
      for (const e of experiments) {
        const t = totals.get(e.id)!;
        lines.push(csvLine([e.name, STATE_WORDS[e.state], e.createdAt, e.startedAt ?? '', e.endedAt ?? '', e.variants.map((v) => `${v.key} ${v.share} %`).join(' / '), String(t.impressions), String(t.orders)]));
      }
      return csvResponse(c, 'experimente.csv', lines);
    }
    return renderPublisherPage(c, deps, 'Experimente', <ExperimentListPage experiments={experiments} totals={totals} canEdit={canEdit(c)} notice={NOTICES[c.req.query('ok') ?? '']} />);
  });

  app.get(`${EXPERIMENTS_PATH}/neu`, async (c) => {
    adminOf(c);
    const featured = await featuredOffer(db);
    return formPage(c, emptyForm({ [variantField('headline', 'A')]: `Alle Artikel im Klartext${featured ? ` mit ${featured.name}` : ''}`, [variantField('share', 'A')]: '50', [variantField('share', 'B')]: '50' }));
  });

  app.post(EXPERIMENTS_PATH, async (c) => {
    const admin = adminOf(c);
    const f = await formOf(c);
    try {
      const experiment = await createExperiment(db, experimentInputOf(f), { by: admin.id, now: clock() });
      deps.logger.info({ experiment: experiment.id, admin: admin.id }, 'experiment created');
      return c.redirect(`${experimentPath(experiment.id)}?ok=angelegt`, 303);
    } catch (e) {
      const { status, problems } = problemsOf(e);
      return formPage(c, { values: f, problems }, status);
    }
  });

  app.get(`${EXPERIMENTS_PATH}/:id`, (c) => detailPage(c, c.req.param('id')));

  for (const [action, run, done] of [['starten', startExperiment, 'gestartet'], ['beenden', stopExperiment, 'beendet']] as const) {
    app.post(`${EXPERIMENTS_PATH}/:id/${action}`, async (c) => {
      const admin = adminOf(c);
      const id = c.req.param('id');
      try {
        await run(db, id, { now: clock() });
      } catch (e) {
        // a refused start or stop (another experiment runs, this one changed meanwhile) is said on the experiment's page
        if (e instanceof DomainError && e.code === 'conflict') return detailPage(c, id, { status: 409, problem: e.message });
        throw e;
      }
      deps.logger.info({ experiment: id, admin: admin.id }, `experiment ${done}`);
      return c.redirect(`${experimentPath(id)}?ok=${done}`, 303);
    });
  }
  return app;
}
