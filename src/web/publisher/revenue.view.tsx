// The revenue page: range choice, key figures against the previous range, weekly MRR and flows, subscriptions by offer, the definitions, and its tables for CSV.
import type { OfferShare, RangeFigures, RevenueSummary, WeekPoint } from '../../billing/index.ts';
import { BarChart, TimeChart, formatValue, type ValueFormat } from './charts.tsx';
import type { RangeChoice } from './date-range.ts';
import { RangePicker } from './insights.view.tsx';
import { PublisherFrame } from './publisher-frame.view.tsx';

export interface RevenueData { choice: RangeChoice; summary: RevenueSummary; weeks: WeekPoint[]; offers: OfferShare[] }

/** The page's tables, each downloadable as `?format=csv&tabelle=<key>`. */
export const REVENUE_TABLES = { kennzahlen: 'Kennzahlen', wochen: 'Wochen', angebote: 'Abos nach Angebot' } as const;
export type RevenueTableKey = keyof typeof REVENUE_TABLES;

const KIND_LABELS: Record<OfferShare['kind'], string> = { paid: 'bezahlt', gift: 'Geschenk (ohne MRR)', comp: 'Freiabo (ohne MRR)' };
const day = new Intl.DateTimeFormat('de-DE', { day: '2-digit', month: '2-digit', year: 'numeric', timeZone: 'UTC' });
const germanDay = (d: string) => day.format(new Date(`${d}T12:00:00Z`));

/** ISO 8601 week number of a Monday (the week with the year's first Thursday is week 1). */
export function isoWeek(monday: string): number {
  // that week's Thursday lies in the ISO year; its ordinal day counts the weeks
  const thursday = Date.parse(`${monday}T12:00:00Z`) + 3 * 86_400_000;
  const jan1 = Date.UTC(new Date(thursday).getUTCFullYear(), 0, 1, 12);
  return Math.floor(Math.round((thursday - jan1) / 86_400_000) / 7) + 1;
}
const weekLabel = (monday: string) => `KW ${isoWeek(monday)} (ab ${germanDay(monday)})`;

interface Figure {
  key: string; label: string; format: ValueFormat; now: number | null; before: number | null;
  /** whether a rise is good news (MRR) or bad (churn) */
  rising: 'good' | 'bad';
  note?: string;
}

function figuresOf(cur: RangeFigures, prev: RangeFigures): Figure[] {
  return [
    { key: 'mrr', label: 'MRR am Ende des Zeitraums', format: 'euro-cents', now: cur.mrrCents, before: prev.mrrCents, rising: 'good', note: 'je Monat, brutto' },
    { key: 'paying', label: 'Zahlende Abos', format: 'count', now: cur.paying, before: prev.paying, rising: 'good', note: 'am Ende des Zeitraums' },
    { key: 'arpu', label: 'Umsatz je zahlendem Abo (ARPU)', format: 'euro-cents', now: cur.arpuCents, before: prev.arpuCents, rising: 'good', note: 'monatlich, brutto' },
    { key: 'started', label: 'Neue Abos', format: 'count', now: cur.started, before: prev.started, rising: 'good' },
    { key: 'cancelled', label: 'Kündigungen eingegangen', format: 'count', now: cur.cancelled, before: prev.cancelled, rising: 'bad' },
    { key: 'ended', label: 'Beendete Abos', format: 'count', now: cur.ended, before: prev.ended, rising: 'bad' },
    { key: 'churn', label: 'Churn-Rate', format: 'percent', now: cur.churn.rate, before: prev.churn.rate, rising: 'bad', note: `${formatValue(cur.churn.endedOfThose, 'count')} von ${formatValue(cur.churn.activeAtStart, 'count')} Abos` },
    { key: 'intro', label: 'Vom Einführungspreis zum Vollpreis', format: 'percent', now: cur.intro.rate, before: prev.intro.rate, rising: 'good', note: cur.intro.ended === 0 ? 'kein Einführungszeitraum endete im Zeitraum'
      : `${formatValue(cur.intro.paying, 'count')} von ${formatValue(cur.intro.ended, 'count')}${cur.intro.open ? `, ${formatValue(cur.intro.open, 'count')} noch offen` : ''}` },
  ];
}

const show = (v: number | null, f: ValueFormat) => (v === null ? '–' : formatValue(v, f));
const signedFormat = new Intl.NumberFormat('de-DE', { maximumFractionDigits: 1, signDisplay: 'exceptZero' });
/** "+4,2" / "−3,1" with a real minus sign, as in print. */
const signed = { format: (n: number) => signedFormat.format(n).replace('-', '\u2212') };

/** The change against the previous range: percentage points for rates, per cent for amounts and counts; null when there is nothing to compare. */
function change(f: Figure): { text: string; direction: 'up' | 'down' | 'flat' } | null {
  if (f.now === null || f.before === null) return null;
  const diff = f.now - f.before;
  let text: string;
  if (f.format === 'percent') {
    const points = signed.format(diff * 100);
    text = `${points} ${/^[+\u2212]?1$/.test(points) ? 'Prozentpunkt' : 'Prozentpunkte'}`;
  } else if (f.before === 0) {
    if (diff !== 0) return { text: 'neu', direction: 'up' };
    text = '0 %';
  } else {
    text = `${signed.format((diff / f.before) * 100)} %`;
  }
  // a change that rounds to nothing is shown as none, without an arrow
  const direction = /^[+\u2212]?0 /.test(text) || diff === 0 ? 'flat' : diff > 0 ? 'up' : 'down';
  return { text: direction === 'flat' ? text.replace(/^[+\u2212]/, '') : text, direction };
}

function Delta({ f }: { f: Figure }) {
  const c = change(f);
  if (!c) return <span class="revenue__delta">kein Vergleich</span>;
  const tone = c.direction === 'flat' ? 'flat' : (c.direction === 'up') === (f.rising === 'good') ? 'good' : 'bad';
  const arrow = c.direction === 'up' ? '▲' : c.direction === 'down' ? '▼' : '';
  return <span class={`revenue__delta revenue__delta--${tone}`}>{arrow && <span aria-hidden="true">{arrow} </span>}{c.text}</span>;
}

/** The rows of one table, as the page shows them and as the CSV carries them (numbers in German notation, amounts in euros). */
export function revenueTable(data: RevenueData, key: RevenueTableKey): { head: string[]; rows: string[][] } {
  const euro = (cents: number | null) => (cents === null ? '' : (cents / 100).toFixed(2).replace('.', ','));
  const plain = (v: number | null, f: ValueFormat) => (v === null ? '' : f === 'euro-cents' ? euro(v) : f === 'percent' ? (v * 100).toFixed(1).replace('.', ',') : String(v));
  if (key === 'kennzahlen') {
    const { range, previous } = data.choice;
    return {
      head: ['Kennzahl', `${range.from} bis ${range.to}`, `${previous.from} bis ${previous.to}`, 'Einheit'],
      rows: figuresOf(data.summary.current, data.summary.previous).map((f) => [f.label, plain(f.now, f.format), plain(f.before, f.format), f.format === 'euro-cents' ? 'Euro (brutto)' : f.format === 'percent' ? 'Prozent' : 'Anzahl']),
    };
  }
  if (key === 'wochen') {
    return {
      head: ['Woche ab (Montag)', 'KW', 'MRR am Wochenende (Euro)', 'Neue Abos', 'Kündigungen eingegangen', 'Beendete Abos'],
      rows: data.weeks.map((w) => [w.monday, String(isoWeek(w.monday)), euro(w.mrrCents), String(w.started), String(w.cancelled), String(w.ended)]),
    };
  }
  return {
    head: ['Angebot', 'Art', 'Laufende Abos', 'MRR (Euro)'],
    rows: data.offers.map((o) => [o.offerName, KIND_LABELS[o.kind], String(o.count), euro(o.mrrCents)]),
  };
}

function rangeQuery(choice: RangeChoice): string {
  return choice.preset ? `zeitraum=${choice.preset}` : `von=${choice.range.from}&bis=${choice.range.to}`;
}

function DataTable({ table, caption, numeric }: { table: { head: string[]; rows: string[][] }; caption: string; numeric: number }) {
  return (
    <div class="publisher__table-wrap">
      <table class="publisher__table revenue__table">
        <caption class="visually-hidden">{caption}</caption>
        <thead><tr>{table.head.map((h, i) => <th scope="col" class={i >= table.head.length - numeric ? 'revenue__num' : undefined}>{h}</th>)}</tr></thead>
        <tbody>{table.rows.map((r) => <tr>{r.map((cell, i) => <td class={i >= r.length - numeric ? 'revenue__num' : undefined}>{cell}</td>)}</tr>)}</tbody>
      </table>
    </div>
  );
}

function CsvLink({ choice, table }: { choice: RangeChoice; table: RevenueTableKey }) {
  return <a class="revenue__csv" href={`/verlag/umsatz?${rangeQuery(choice)}&format=csv&tabelle=${table}`}>Als CSV herunterladen</a>;
}

export function RevenuePage({ data, insightsOnly }: { data: RevenueData; insightsOnly: boolean }) {
  const { choice, summary, weeks, offers } = data;
  const figures = figuresOf(summary.current, summary.previous);
  const weekTable = revenueTable(data, 'wochen');
  return (
    <PublisherFrame title="Umsatz" active="/verlag/umsatz" insightsOnly={insightsOnly}>
      <RangePicker path="/verlag/umsatz" choice={choice} />

      <section class="revenue__figures" aria-label="Kennzahlen">
        {figures.map((f) => (
          <div class={`revenue__figure${f.key === 'mrr' ? ' revenue__figure--lead' : ''}`}>
            <p class="revenue__label">{f.label}</p>
            <p class="revenue__value">{show(f.now, f.format)}</p>
            <p class="revenue__compare"><Delta f={f} /> <span class="publisher__muted revenue__before">vorher {show(f.before, f.format)}</span></p>
            {f.note && <p class="publisher__muted revenue__note">{f.note}</p>}
          </div>
        ))}
      </section>
      <p class="publisher__tools"><CsvLink choice={choice} table="kennzahlen" /> · alle Beträge brutto (inkl. 7 % USt.), in Euro</p>

      <section class="panel revenue__panel" aria-labelledby="mrr-title">
        <h2 id="mrr-title">MRR je Woche</h2>
        <TimeChart title="Monatlich wiederkehrender Umsatz am Ende jeder Woche" format="euro-cents" kind="line"
          caption="Aus den Verträgen rekonstruiert: Preis je Monat (Jahrespreise durch 12, Einführungspreise bis zu ihrem Ende); die laufende Woche bis jetzt."
          series={[{ label: 'MRR', points: weeks.map((w) => ({ x: w.monday, y: w.mrrCents })) }]} />
      </section>

      <section class="panel revenue__panel" aria-labelledby="flows-title">
        <h2 id="flows-title">Neue, gekündigte und beendete Abos je Woche</h2>
        <TimeChart title="Bewegungen je Kalenderwoche" format="count" kind="bar"
          caption="Kündigungen zählen an ihrem Eingang (zurückgenommene nicht mehr), Enden an dem Tag, an dem der Vertrag endet."
          series={[
            { label: 'Neu', points: weeks.map((w) => ({ x: w.monday, y: w.started })) },
            { label: 'Kündigungen', points: weeks.map((w) => ({ x: w.monday, y: w.cancelled })) },
            { label: 'Beendet', points: weeks.map((w) => ({ x: w.monday, y: w.ended })) },
          ]} />
        {weeks.length === 0 ? <p>Dieser Zeitraum liegt in der Zukunft.</p> : (
          // a long range has a hundred weeks: folded away unless it is a few, the chart above tells the story
          <details class="revenue__weeks" open={weeks.length <= 16}>
            <summary class="revenue__subtitle">Wochen im Einzelnen ({weeks.length})</summary>
            <DataTable caption="Wochen" numeric={4} table={{ head: ['Woche', 'MRR am Wochenende', 'Neu', 'Kündigungen', 'Beendet'], rows: weeks.map((w, i) => [weekLabel(w.monday), formatValue(w.mrrCents, 'euro-cents'), ...weekTable.rows[i]!.slice(3)]) }} />
          </details>
        )}
        <p class="publisher__tools"><CsvLink choice={choice} table="wochen" /></p>
      </section>

      <section class="panel revenue__panel" aria-labelledby="offers-title">
        <h2 id="offers-title">Laufende Abos nach Angebot</h2>
        <BarChart title="Laufende Abos am Ende des Zeitraums" format="count" caption="Geschenk- und Freiabos zählen hier mit, zum MRR tragen sie nichts bei."
          bars={offers.map((o) => ({ label: o.offerName, value: o.count, ...(o.kind === 'paid' ? {} : { note: KIND_LABELS[o.kind] }) }))} />
        {offers.length === 0 ? <p>Keine laufenden Abos.</p>
          : <DataTable caption="Abos nach Angebot" numeric={2} table={{ head: ['Angebot', 'Art', 'Laufende Abos', 'MRR'], rows: offers.map((o) => [o.offerName, KIND_LABELS[o.kind], formatValue(o.count, 'count'), formatValue(o.mrrCents, 'euro-cents')]) }} />}
        <p class="publisher__tools"><CsvLink choice={choice} table="angebote" /></p>
      </section>

      <details class="panel revenue__definitions">
        <summary>So wird gerechnet</summary>
        <dl class="publisher__facts">
          <dt>MRR</dt><dd>Summe der Monatspreise aller laufenden bezahlten Abos, brutto. Jahrespreise zählen mit einem Zwölftel, Einführungspreise bis zum ersten Tag zum Vollpreis. Abos mit offener Zahlung zählen, bis der Vertrag endet; Geschenk- und Freiabos zählen nicht.</dd>
          <dt>Zahlende Abos</dt><dd>Bezahlte Abos, die begonnen und noch nicht geendet haben – auch im Einführungszeitraum.</dd>
          <dt>ARPU</dt><dd>MRR am Ende des Zeitraums geteilt durch die zahlenden Abos zu diesem Zeitpunkt.</dd>
          <dt>Kündigungen</dt><dd>Eingegangene Kündigungen bezahlter Abos, die noch gelten; eine zurückgenommene Kündigung zählt nicht.</dd>
          <dt>Churn-Rate</dt><dd>Von den bezahlten Abos, die unmittelbar vor dem ersten Tag liefen, der Anteil, der im Zeitraum endete. Abos, die im Zeitraum begannen, zählen nicht mit.</dd>
          <dt>Einführungspreis → Vollpreis</dt><dd>Von den Abos, deren erster Tag zum Vollpreis im Zeitraum liegt, der Anteil, der verlängert wurde und dessen erste Vollpreis-Zahlung nicht zurückkam. „Noch offen“: die Verlängerung steht noch aus.</dd>
          <dt>Wochen</dt><dd>Kalenderwochen (Montag bis Sonntag, Berliner Zeit); die erste und letzte Woche nur, soweit sie im Zeitraum liegen.</dd>
        </dl>
      </details>
    </PublisherFrame>
  );
}
