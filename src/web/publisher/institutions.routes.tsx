// /verlag/institutionen: institutional access (networks, email domains, seats, end date) — the publisher role reads, admins create, edit, revoke and free seats.
import { Hono } from 'hono';
import {
  INSTITUTION_KIND_LABELS, findInstitution, freeSeat, institutionStatus, institutionUnlocks, institutionUnlocksByDay, listInstitutions, listMembers,
  parseInstitutionInput, revokeInstitution, saveInstitution, seatsTaken,
} from '../../access/index.ts';
import { berlinDate } from '../../berlin-time.ts';
import { HttpError } from '../platform/app-error.ts';
import { csrfToken } from '../platform/csrf.ts';
import type { AppEnv } from '../platform/request-context.middleware.ts';
import { emptyForm, type FormState } from '../ui/form.view.tsx';
import { csvLine } from './csv.ts';
import { parseRange } from './date-range.ts';
import { adminOf, formOf, problemsOf, renderPublisherPage, type PublisherContext, type PublisherRouteDeps } from './publisher-context.ts';
import { InstitutionDetailPage, InstitutionFormPage, InstitutionListPage, institutionFormValues } from './institutions.view.tsx';

const NOTICES: Record<string, string> = {
  gespeichert: 'Die Institution wurde gespeichert. Der Zugang gilt in allen Serverprozessen spätestens nach wenigen Sekunden.',
  widerrufen: 'Der Zugang wurde widerrufen.',
  freigegeben: 'Der Platz ist wieder frei.',
};

const ID = /^[A-Za-z0-9_-]{1,64}$/;

export function institutionRoutes(deps: PublisherRouteDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const db = deps.site.db;
  const now = () => deps.billing.clock();
  const isAdmin = (c: PublisherContext) => c.get('reader')?.user.role === 'admin';
  const rangeOf = (c: PublisherContext) => parseRange({ zeitraum: c.req.query('zeitraum'), von: c.req.query('von'), bis: c.req.query('bis') }, now());
  const found = async (id: string) => {
    const i = ID.test(id) ? await findInstitution(db, id) : null;
    if (!i) throw new HttpError('not-found', 'Diese Institution gibt es nicht.');
    return i;
  };
  const formPage = (c: PublisherContext, form: FormState, id: string | null, status = 200) =>
    renderPublisherPage(c, deps, id ? 'Institution bearbeiten' : 'Neue Institution', <InstitutionFormPage form={form} id={id} csrf={csrfToken(c)} />, status);

  app.get('/verlag/institutionen', async (c) => {
    const format = c.req.query('format');
    if (format !== undefined && format !== 'csv') throw new HttpError('bad-request', 'Unbekanntes „format“: erlaubt ist nur csv.', 'format');
    const range = rangeOf(c);
    const [all, unlocks] = await Promise.all([listInstitutions(db), institutionUnlocks(db, range.range)]);
    const items = all.map((i) => ({ ...i, status: institutionStatus(i, now()), unlocks: unlocks.get(i.id) ?? 0 }));
    if (format === 'csv') {
      const lines = [csvLine(['Institution', 'Art', 'Status', 'Zugang bis', 'Plätze belegt', 'Plätze', 'Netzwerke', 'E-Mail-Domains', `Freischaltungen ${range.range.from} bis ${range.range.to}`])];
      for (const i of items) {
        lines.push(csvLine([i.name, INSTITUTION_KIND_LABELS[i.kind], i.status, i.endsOn, String(i.seatsTaken), i.seats === null ? '' : String(i.seats), i.networks.join(' '), i.domains.join(' '), String(i.unlocks)]));
      }
      return c.body(`\uFEFF${lines.join('\r\n')}\r\n`, 200, {
        'content-type': 'text/csv; charset=utf-8', 'content-disposition': 'attachment; filename="institutionen.csv"', 'cache-control': 'no-store',
      });
    }
    return renderPublisherPage(c, deps, 'Institutionen', <InstitutionListPage items={items} range={range} admin={isAdmin(c)} today={berlinDate(now())} notice={NOTICES[c.req.query('ok') ?? '']} />);
  });

  app.get('/verlag/institutionen/neu', (c) => {
    adminOf(c);
    return formPage(c, emptyForm({ kind: 'library' }), null);
  });

  app.post('/verlag/institutionen', async (c) => {
    adminOf(c);
    const f = await formOf(c);
    try {
      const saved = await saveInstitution(db, null, parseInstitutionInput(f, berlinDate(now())), now());
      deps.institutions.changed();
      return c.redirect(`/verlag/institutionen/${saved.id}?ok=gespeichert`, 303);
    } catch (e) {
      const { status, problems } = problemsOf(e);
      return formPage(c, { values: f, problems }, null, status);
    }
  });

  app.get('/verlag/institutionen/:id', async (c) => {
    const i = await found(c.req.param('id'));
    const range = rangeOf(c);
    const [taken, members, byDay] = await Promise.all([
      seatsTaken(db, i.id), isAdmin(c) ? listMembers(db, i.id) : Promise.resolve(null), institutionUnlocksByDay(db, i.id, range.range),
    ]);
    const institution = { ...i, seatsTaken: taken.get(i.id) ?? 0, status: institutionStatus(i, now()) };
    return renderPublisherPage(c, deps, i.name, (
      <InstitutionDetailPage institution={institution} members={members} range={range} unlocksByDay={byDay.map((d) => ({ x: d.day, y: d.count }))}
        csrf={csrfToken(c)} notice={NOTICES[c.req.query('ok') ?? '']} />
    ));
  });

  app.get('/verlag/institutionen/:id/bearbeiten', async (c) => {
    adminOf(c);
    const i = await found(c.req.param('id'));
    if (i.revokedAt) throw new HttpError('conflict', 'Ein widerrufener Zugang lässt sich nicht mehr bearbeiten; legen Sie die Institution neu an.');
    return formPage(c, emptyForm(institutionFormValues(i)), i.id);
  });

  app.post('/verlag/institutionen/:id', async (c) => {
    adminOf(c);
    const i = await found(c.req.param('id'));
    if (i.revokedAt) throw new HttpError('conflict', 'Ein widerrufener Zugang lässt sich nicht mehr bearbeiten; legen Sie die Institution neu an.');
    const f = await formOf(c);
    try {
      await saveInstitution(db, i.id, parseInstitutionInput(f, berlinDate(now())), now());
      deps.institutions.changed();
      return c.redirect(`/verlag/institutionen/${i.id}?ok=gespeichert`, 303);
    } catch (e) {
      const { status, problems } = problemsOf(e);
      return formPage(c, { values: f, problems }, i.id, status);
    }
  });

  app.post('/verlag/institutionen/:id/widerrufen', async (c) => {
    adminOf(c);
    const i = await found(c.req.param('id'));
    await revokeInstitution(db, i.id, now());
    deps.institutions.changed();
    return c.redirect(`/verlag/institutionen/${i.id}?ok=widerrufen`, 303);
  });

  app.post('/verlag/institutionen/:id/plaetze/:userId/freigeben', async (c) => {
    adminOf(c);
    const i = await found(c.req.param('id'));
    const userId = c.req.param('userId');
    if (!ID.test(userId)) throw new HttpError('not-found', 'Diese Person hat bei dieser Institution keinen Platz (mehr).', 'userId');
    await freeSeat(db, i.id, userId);
    return c.redirect(`/verlag/institutionen/${i.id}?ok=freigegeben`, 303);
  });
  return app;
}
