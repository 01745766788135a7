// /verlag/institutionen as pages: the list with status, seats and unlocks in the range, one institution with its access and seats, and the form.
import {
  INSTITUTION_KIND_LABELS, type Institution, type InstitutionKind, type InstitutionMember, type InstitutionStatus,
} from '../../access/index.ts';
import { berlinDate } from '../platform/site-info.ts';
import { CsrfField, ErrorSummary, Field, PostButton, TextAreaField, type FormState } from '../ui/form.view.tsx';
import { BarChart, TimeChart, formatValue, type ChartPoint } from './charts.tsx';
import { RANGE_PRESETS, daysBetween, type RangeChoice } from './date-range.ts';
import { PublisherFrame } from './publisher-frame.view.tsx';

export type InstitutionListItem = Institution & { seatsTaken: number; status: InstitutionStatus; unlocks: number };

const LABELS: Record<string, string> = { name: 'Name', kind: 'Art', seats: 'Plätze', endsOn: 'Zugang bis', networks: 'Netzwerke', domains: 'E-Mail-Domains' };
const STATUS: Record<InstitutionStatus, { text: string; css: string }> = {
  active: { text: 'aktiv', css: 'status status--ok' },
  expired: { text: 'abgelaufen', css: 'status status--off' },
  revoked: { text: 'widerrufen', css: 'status status--warn' },
};

/** A Berlin day as readers write it: 31.07.2027. */
const dayText = (day: string): string => day.split('-').reverse().join('.');
const seatsText = (i: { seats: number | null; seatsTaken: number }): string =>
  i.seats === null ? `${formatValue(i.seatsTaken, 'count')} (unbegrenzt)` : `${formatValue(i.seatsTaken, 'count')} von ${formatValue(i.seats, 'count')}`;
const rangeText = (r: RangeChoice): string => (r.preset ? RANGE_PRESETS[r.preset]!.label : `${dayText(r.range.from)} – ${dayText(r.range.to)}`);
const rangeQuery = (r: RangeChoice): string => (r.preset ? `zeitraum=${r.preset}` : `von=${r.range.from}&bis=${r.range.to}`);

/** For a running access that ends within 30 days: how soon, so a renewal is not missed. */
function EndsSoon({ endsOn, today, status }: { endsOn: string; today: string; status: InstitutionStatus }) {
  if (status !== 'active') return null;
  const days = daysBetween(today, endsOn) - 1;
  if (days > 30) return null;
  return <><br /><span class="institutions__soon">{days === 0 ? 'heute letzter Tag' : days === 1 ? 'noch 1 Tag' : `noch ${days} Tage`}</span></>;
}

function StatusBadge({ status }: { status: InstitutionStatus }) {
  return <span class={STATUS[status].css}>{STATUS[status].text}</span>;
}

/** The range choice as a small GET form: works without script, the address can be shared. */
function RangeForm({ action, range }: { action: string; range: RangeChoice }) {
  return (
    <form class="institutions__range" method="get" action={action}>
      <label for="f-zeitraum">Zeitraum</label>
      <select id="f-zeitraum" name="zeitraum">
        {Object.entries(RANGE_PRESETS).map(([key, p]) => <option value={key} selected={range.preset === key}>{p.label}</option>)}
      </select>
      <button class="button button--small button--ghost" type="submit">Anzeigen</button>
    </form>
  );
}

export function InstitutionListPage({ items, range, admin, today, notice }: { items: InstitutionListItem[]; range: RangeChoice; admin: boolean; today: string; notice?: string | undefined }) {
  const total = items.reduce((n, i) => n + i.unlocks, 0);
  const active = items.filter((i) => i.status === 'active').length;
  return (
    <PublisherFrame title="Institutionen" active="/verlag/institutionen" notice={notice} insightsOnly={!admin}
      meta="Schulen, Bibliotheken und Unternehmen lesen Plus über ihr Netzwerk oder mit bestätigten Adressen ihrer E-Mail-Domain.">
      <div class="institutions__bar">
        <RangeForm action="/verlag/institutionen" range={range} />
        <p class="institutions__links">
          <a href={`/verlag/institutionen?${rangeQuery(range)}&format=csv`}>Als CSV</a>
          {admin && <a class="button button--small" href="/verlag/institutionen/neu">Neue Institution</a>}
        </p>
      </div>
      <ul class="institutions__figures">
        <li><span class="institutions__number">{formatValue(active, 'count')}</span> aktive Zugänge</li>
        <li><span class="institutions__number">{formatValue(total, 'count')}</span> Freischaltungen · {rangeText(range)}</li>
      </ul>
      {items.length === 0 ? (
        <p class="institutions__empty">Noch keine Institution. {admin ? <>Legen Sie die erste an: <a href="/verlag/institutionen/neu">Neue Institution</a>.</> : 'Administratorinnen und Administratoren legen sie an.'}</p>
      ) : (
        <div class="publisher__table-wrap">
          <table class="publisher__table institutions__table">
            <thead><tr><th scope="col">Institution</th><th scope="col">Status</th><th scope="col">Zugang bis</th><th scope="col">Plätze belegt</th><th scope="col" class="num">Freischaltungen</th></tr></thead>
            <tbody>{items.map((i) => (
              <tr>
                <td data-label="Institution"><div><a href={`/verlag/institutionen/${i.id}`}>{i.name}</a><br />
                  <span class="publisher__muted">{INSTITUTION_KIND_LABELS[i.kind]} · {accessSummary(i)}</span></div></td>
                <td data-label="Status"><StatusBadge status={i.status} /></td>
                <td data-label="Zugang bis"><div>{dayText(i.endsOn)}<EndsSoon endsOn={i.endsOn} today={today} status={i.status} /></div></td>
                <td data-label="Plätze belegt">{i.domains.length > 0 ? seatsText(i) : <span class="publisher__muted">nur Netzwerk</span>}</td>
                <td data-label="Freischaltungen" class="num">{formatValue(i.unlocks, 'count')}</td>
              </tr>
            ))}</tbody>
          </table>
        </div>
      )}
      {items.some((i) => i.unlocks > 0) && (
        <BarChart title="Freischaltungen je Institution" caption={`${rangeText(range)}, aus den Tageszahlen`} format="count"
          bars={items.filter((i) => i.unlocks > 0).sort((a, b) => b.unlocks - a.unlocks).map((i) => ({ label: i.name, value: i.unlocks }))} />
      )}
    </PublisherFrame>
  );
}

function accessSummary(i: Pick<Institution, 'networks' | 'domains'>): string {
  const parts = [];
  if (i.networks.length) parts.push(i.networks.length === 1 ? '1 Netzwerk' : `${i.networks.length} Netzwerke`);
  if (i.domains.length) parts.push(i.domains.length === 1 ? '1 Domain' : `${i.domains.length} Domains`);
  return parts.join(', ');
}

export interface InstitutionDetail {
  institution: Institution & { seatsTaken: number; status: InstitutionStatus };
  /** admins only: the readers holding a seat (personal data) */
  members: InstitutionMember[] | null;
  range: RangeChoice;
  unlocksByDay: ChartPoint[];
  csrf: string;
  notice?: string | undefined;
}

export function InstitutionDetailPage({ institution: i, members, range, unlocksByDay, csrf, notice }: InstitutionDetail) {
  const admin = members !== null;
  const total = unlocksByDay.reduce((n, p) => n + p.y, 0);
  return (
    <PublisherFrame title={i.name} active="/verlag/institutionen" notice={notice} insightsOnly={!admin}
      meta={<>{INSTITUTION_KIND_LABELS[i.kind]} <StatusBadge status={i.status} /></>}>
      <p class="publisher__tools"><a href="/verlag/institutionen">← Alle Institutionen</a>
        {admin && i.status !== 'revoked' && <> · <a href={`/verlag/institutionen/${i.id}/bearbeiten`}>Bearbeiten</a></>}</p>
      <div class="institutions__detail">
        <section class="institutions__section">
          <h2>Zugang</h2>
          <dl class="publisher__facts">
            <dt>Zugang bis</dt><dd>{dayText(i.endsOn)} (einschließlich)</dd>
            {i.revokedAt && <><dt>Widerrufen</dt><dd>{berlinDate(i.revokedAt)}</dd></>}
            <dt>Netzwerke</dt>
            <dd>{i.networks.length ? <ul class="institutions__list">{i.networks.map((n) => <li><code>{n}</code></li>)}</ul> : <span class="publisher__muted">keine</span>}</dd>
            <dt>E-Mail-Domains</dt>
            <dd>{i.domains.length ? <ul class="institutions__list">{i.domains.map((d) => <li><code>@{d}</code></li>)}</ul> : <span class="publisher__muted">keine</span>}</dd>
            <dt>Plätze</dt><dd>{i.domains.length ? seatsText(i) : <span class="publisher__muted">Über das Netzwerk liest jede und jeder, ohne Platz.</span>}</dd>
          </dl>
        </section>
        <section class="institutions__section">
          <h2>Nutzung</h2>
          <RangeForm action={`/verlag/institutionen/${i.id}`} range={range} />
          <p class="institutions__total"><span class="institutions__number">{formatValue(total, 'count')}</span> Freischaltungen · {rangeText(range)}</p>
          <TimeChart title="Freischaltungen pro Tag" caption="Heute zählt bis zur letzten Zählung der Tageszahlen." format="count" kind="bar" series={[{ label: 'Freischaltungen', points: unlocksByDay }]} />
        </section>
      </div>
      {admin && i.domains.length > 0 && (
        <section class="institutions__section">
          <h2>Plätze</h2>
          <p class="publisher__muted">Einen Platz belegt, wer mit einer bestätigten Adresse der Domain zum ersten Mal einen Plus-Artikel öffnet. Freigegeben, kann ihn jemand anderes nehmen – oder dieselbe Person beim nächsten Lesen wieder.</p>
          {members!.length === 0 ? <p>Noch ist kein Platz belegt.</p> : (
            <div class="publisher__table-wrap">
              <table class="publisher__table institutions__table">
                <thead><tr><th scope="col">Leserin/Leser</th><th scope="col">Platz seit</th><th scope="col">Zuletzt gelesen</th><th scope="col"><span class="visually-hidden">Aktion</span></th></tr></thead>
                <tbody>{members!.map((m) => (
                  <tr>
                    <td data-label="Leserin/Leser"><div>{m.displayName || m.email}{m.displayName && <><br /><span class="publisher__muted">{m.email}</span></>}</div></td>
                    <td data-label="Platz seit">{berlinDate(m.claimedAt)}</td>
                    <td data-label="Zuletzt gelesen">{berlinDate(m.lastUsedAt)}</td>
                    <td class="institutions__action">
                      <PostButton action={`/verlag/institutionen/${i.id}/plaetze/${m.userId}/freigeben`} csrf={csrf} class="button button--small button--ghost">Platz freigeben</PostButton>
                    </td>
                  </tr>
                ))}</tbody>
              </table>
            </div>
          )}
        </section>
      )}
      {admin && i.status !== 'revoked' && (
        <section class="institutions__section institutions__revoke">
          <h2>Zugang widerrufen</h2>
          <p>Der Zugang endet sofort für alle Netzwerke und Plätze. Das lässt sich nicht rückgängig machen; für einen neuen Vertrag legen Sie die Institution neu an.</p>
          <PostButton action={`/verlag/institutionen/${i.id}/widerrufen`} csrf={csrf} class="button button--small button--danger">Zugang widerrufen</PostButton>
        </section>
      )}
    </PublisherFrame>
  );
}

/** Form values of a saved institution: networks and domains one a line, as typed. */
export function institutionFormValues(i: Institution): Record<string, string> {
  return { name: i.name, kind: i.kind, seats: i.seats === null ? '' : String(i.seats), endsOn: i.endsOn, networks: i.networks.join('\n'), domains: i.domains.join('\n') };
}

export function InstitutionFormPage({ form, id, csrf }: { form: FormState; id: string | null; csrf: string }) {
  const v = form.values;
  const error = (name: string) => form.problems[name];
  return (
    <PublisherFrame title={id ? `„${v.name || 'Institution'}“ bearbeiten` : 'Neue Institution'} active="/verlag/institutionen">
      <p class="publisher__tools"><a href={id ? `/verlag/institutionen/${id}` : '/verlag/institutionen'}>← Zurück</a></p>
      <ErrorSummary form={form} labels={LABELS} />
      <form class="form institutions__form" method="post" action={id ? `/verlag/institutionen/${id}` : '/verlag/institutionen'}>
        <CsrfField token={csrf} />
        <Field form={form} name="name" label="Name" hint="so, wie Leserinnen und Leser sie kennen: „Freigeschaltet über …“" required />
        <div class={error('kind') ? 'field field--error' : 'field'}>
          <label for="f-kind">Art</label>
          {error('kind') && <p class="field__error" id="kind-error">{error('kind')}</p>}
          <select id="f-kind" name="kind" aria-invalid={error('kind') ? 'true' : undefined}>
            {(Object.entries(INSTITUTION_KIND_LABELS) as [InstitutionKind, string][]).map(([value, text]) => <option value={value} selected={v.kind === value}>{text}</option>)}
          </select>
        </div>
        <div class="institutions__pair">
          <Field form={form} name="seats" label="Plätze" hint="für Leser über die E-Mail-Domain; leer: unbegrenzt" />
          <div class={error('endsOn') ? 'field field--error' : 'field'}>
            <label for="f-endsOn">Zugang bis (einschließlich)</label>
            <p class="field__hint" id="endsOn-hint">Berliner Zeit, bis Mitternacht</p>
            {error('endsOn') && <p class="field__error" id="endsOn-error">{error('endsOn')}</p>}
            <input id="f-endsOn" name="endsOn" type="date" value={v.endsOn ?? ''} required aria-invalid={error('endsOn') ? 'true' : undefined}
              aria-describedby={error('endsOn') ? 'endsOn-hint endsOn-error' : 'endsOn-hint'} />
          </div>
        </div>
        <TextAreaField form={form} name="networks" label="Netzwerke" rows={5} lines
          hint="ein Bereich pro Zeile, IPv4 oder IPv6, z. B. 192.0.2.0/24 oder 2001:db8:1::/48; eine einzelne Adresse gilt für sich. Jede und jeder in diesem Netz liest Plus, ohne Konto." />
        <TextAreaField form={form} name="domains" label="E-Mail-Domains" rows={3} lines
          hint="eine pro Zeile, z. B. stadtbibliothek-musterstadt.de: Wer ein Konto mit bestätigter Adresse genau dieser Domain hat, belegt beim ersten Lesen einen Platz. Subdomains zählen nicht mit." />
        <button class="button" type="submit">{id ? 'Änderungen speichern' : 'Institution anlegen'}</button>
      </form>
    </PublisherFrame>
  );
}
