// Charts of the insights pages, rendered on the server as SVG (no script, no third-party request), each with its numbers as a table for screen readers and copying.
// CONTRACT (issue 12): the props below are what pages pass; the SVG comes from Observable Plot on linkedom's DOM.
import * as Plot from '@observablehq/plot';
import { parseHTML } from 'linkedom';
import type { Child } from 'hono/jsx';
import { raw } from 'hono/html';

export type ValueFormat = 'count' | 'euro-cents' | 'percent';

export interface ChartPoint {
  /** a Berlin day (YYYY-MM-DD) or a week's Monday for time charts; a label for bar charts */
  x: string;
  y: number;
}

export interface ChartSeries {
  label: string;
  points: ChartPoint[];
  /** drawn muted (e.g. the previous range for comparison) */
  muted?: boolean;
}

export interface TimeChartProps {
  title: string;
  series: ChartSeries[];
  format: ValueFormat;
  kind?: 'line' | 'bar';
  /** one sentence under the title: what is counted */
  caption?: string;
}

export interface BarChartProps {
  title: string;
  bars: { label: string; value: number; note?: string }[];
  format: ValueFormat;
  caption?: string;
}

const nf = new Intl.NumberFormat('de-DE');
const euro = new Intl.NumberFormat('de-DE', { style: 'currency', currency: 'EUR' });
const pct = new Intl.NumberFormat('de-DE', { maximumFractionDigits: 1 });
export function formatValue(value: number, format: ValueFormat): string {
  if (format === 'euro-cents') return euro.format(value / 100);
  if (format === 'percent') return `${pct.format(value * 100)} %`;
  return nf.format(value);
}

/** Axis ticks: shorter than table cells (whole euros, compact thousands, whole percents where they suffice). */
const euroTick = new Intl.NumberFormat('de-DE', { style: 'currency', currency: 'EUR', maximumFractionDigits: 0 });
const compact = new Intl.NumberFormat('de-DE', { notation: 'compact', maximumFractionDigits: 1 });
function tickOf(format: ValueFormat): (v: number) => string {
  if (format === 'euro-cents') return (v) => euroTick.format(v / 100);
  if (format === 'percent') return (v) => `${pct.format(v * 100)} %`;
  return (v) => (Math.abs(v) >= 10_000 ? compact.format(v) : nf.format(v));
}

const MONTHS = ['Jan.', 'Feb.', 'März', 'Apr.', 'Mai', 'Juni', 'Juli', 'Aug.', 'Sept.', 'Okt.', 'Nov.', 'Dez.'];
/** German date ticks without depending on the ICU data of the Node build: „4. Okt.“, or „Okt. 2026“ over long ranges. */
const dayTick = (d: Date) => `${d.getUTCDate()}. ${MONTHS[d.getUTCMonth()]}`;
const monthTick = (d: Date) => (d.getUTCMonth() === 0 ? `${MONTHS[0]} ${d.getUTCFullYear()}` : `${MONTHS[d.getUTCMonth()]} ${String(d.getUTCFullYear()).slice(2)}`);
/** The table's date column: 04.10.2026 */
const germanDay = (x: string) => (/^\d{4}-\d{2}-\d{2}$/.test(x) ? `${x.slice(8, 10)}.${x.slice(5, 7)}.${x.slice(0, 4)}` : x);
const dateOf = (x: string) => new Date(`${x}T00:00:00Z`);

/** Line colours in order; the same colours are the legend's swatch classes in site.css (chart__swatch--0 …). */
const PALETTE = ['#12355b', '#c8102e', '#2e7d5b', '#b8860b'];
const MUTED = '#9aa3ad';
const WIDTH = 720;

/**
 * The SVG markup of a Plot figure, made safe for the strict CSP: Plot's `<style>` element and any `style` attribute are
 * removed (site.css styles `.chart svg`), and the picture is hidden from screen readers, who get the table instead.
 */
function svgOf(options: Plot.PlotOptions): string {
  const { document } = parseHTML('<!doctype html><html><body></body></html>');
  const figure = Plot.plot({ ...options, document } as Plot.PlotOptions) as unknown as Element;
  const svg = figure.tagName.toLowerCase() === 'svg' ? figure : figure.querySelector('svg')!;
  for (const style of [...svg.querySelectorAll('style')]) style.remove();
  for (const el of [svg, ...svg.querySelectorAll('[style]')]) el.removeAttribute('style');
  svg.setAttribute('class', 'chart__svg');
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('focusable', 'false');
  svg.removeAttribute('font-family');
  return svg.outerHTML;
}

function DataTable({ caption, head, rows }: { caption: string; head: string[]; rows: string[][] }): Child {
  return (
    // hidden by its wrapper: a table does not shrink to the 1 px of .visually-hidden and would widen the page
    <div class="visually-hidden">
      <table class="chart__data">
        <caption>{caption}</caption>
        <thead><tr>{head.map((h) => <th scope="col">{h}</th>)}</tr></thead>
        <tbody>{rows.map((r) => <tr><th scope="row">{r[0]}</th>{r.slice(1).map((cell) => <td>{cell}</td>)}</tr>)}</tbody>
      </table>
    </div>
  );
}

function Legend({ series }: { series: ChartSeries[] }) {
  if (series.length < 2) return null;
  let n = 0;
  return (
    <ul class="chart__legend" aria-hidden="true">
      {series.map((s) => <li><span class={`chart__swatch ${s.muted ? 'chart__swatch--muted' : `chart__swatch--${n++ % PALETTE.length}`}`}></span>{s.label}</li>)}
    </ul>
  );
}

function Frame({ title, caption, children }: { title: string; caption?: string | undefined; children: Child }) {
  return (
    <figure class="chart">
      <figcaption class="chart__title">{title}{caption && <span class="chart__caption">{caption}</span>}</figcaption>
      {children}
    </figure>
  );
}

/** A series' colour: muted ones grey, the others from the palette in order. */
function coloursOf(series: ChartSeries[]): string[] {
  let n = 0;
  return series.map((s) => (s.muted ? MUTED : PALETTE[n++ % PALETTE.length]!));
}

interface Row { date: Date; x: string; y: number; series: string; colour: string; muted: boolean; text: string }

function timeSvg(props: TimeChartProps, xs: string[]): string {
  const colours = coloursOf(props.series);
  const rows: Row[] = props.series.flatMap((s, i) => s.points.map((p) => ({
    date: dateOf(p.x), x: p.x, y: p.y, series: s.label, colour: colours[i]!, muted: !!s.muted,
    text: `${s.label}, ${germanDay(p.x)}: ${formatValue(p.y, props.format)}`,
  })));
  const first = xs[0] ? dateOf(xs[0]).getTime() : 0;
  const last = xs.at(-1) ? dateOf(xs.at(-1)!).getTime() : 0;
  const long = last - first > 120 * 86_400_000;
  const x = { type: 'utc' as const, label: null, tickFormat: long ? monthTick : dayTick, ticks: long ? 'month' as const : 6 };
  const y = { grid: true, label: null, tickFormat: tickOf(props.format), nice: true, zero: true, ticks: 5 };
  const common = { width: WIDTH, height: 260, marginLeft: 56, marginRight: 12, marginTop: 14, marginBottom: 30, x, y };
  if (props.kind === 'bar') {
    // bars side by side per date: each series takes its slot of the gap to the next date
    const step = xs.length > 1 ? Math.min(...xs.slice(1).map((v, i) => dateOf(v).getTime() - dateOf(xs[i]!).getTime())) : 86_400_000;
    const n = props.series.length;
    const slot = (step * 0.8) / n;
    const bars = rows.map((r) => {
      const i = props.series.findIndex((s) => s.label === r.series);
      const x1 = new Date(r.date.getTime() - step * 0.4 + i * slot);
      return { ...r, x1, x2: new Date(x1.getTime() + slot * 0.92) };
    });
    return svgOf({ ...common, marks: [
      Plot.rectY(bars, { x1: 'x1', x2: 'x2', y: 'y', fill: 'colour', title: 'text' }),
      Plot.ruleY([0], { stroke: '#1a1d21' }),
    ] });
  }
  const current = rows.filter((r) => !r.muted);
  return svgOf({ ...common, marks: [
    Plot.areaY(rows.filter((r) => r.series === props.series.find((s) => !s.muted)?.label), { x: 'date', y: 'y', fill: PALETTE[0], fillOpacity: 0.07, curve: 'monotone-x' }),
    Plot.lineY(rows.filter((r) => r.muted), { x: 'date', y: 'y', z: 'series', stroke: MUTED, strokeWidth: 1.5, strokeDasharray: '4 3', curve: 'monotone-x' }),
    Plot.lineY(current, { x: 'date', y: 'y', z: 'series', stroke: 'colour', strokeWidth: 2.25, curve: 'monotone-x' }),
    // points to hover for the exact figure (an SVG <title>: the browser's own tooltip, no script)
    ...(xs.length <= 120 ? [Plot.dot(current, { x: 'date', y: 'y', fill: 'colour', r: xs.length <= 40 ? 2.5 : 1.5, title: 'text' })] : []),
    Plot.ruleY([0], { stroke: '#1a1d21' }),
  ] });
}

/** A time series (days or weeks on x); several series share the axes. */
export function TimeChart(props: TimeChartProps) {
  const xs = [...new Set(props.series.flatMap((s) => s.points.map((p) => p.x)))].sort();
  const byX = props.series.map((s) => new Map(s.points.map((p) => [p.x, p.y])));
  const rows = xs.map((x) => [germanDay(x), ...byX.map((m) => { const y = m.get(x); return y === undefined ? '–' : formatValue(y, props.format); })]);
  return (
    <Frame title={props.title} caption={props.caption}>
      {xs.length === 0 ? <p class="chart__empty">Für diesen Zeitraum gibt es noch keine Zahlen.</p> : <>
        <Legend series={props.series} />
        <div class="chart__plot">{raw(timeSvg(props, xs))}</div>
      </>}
      <DataTable caption={props.title} head={['Datum', ...props.series.map((s) => s.label)]} rows={rows} />
    </Frame>
  );
}

/** Horizontal bars, one per label (funnel steps, offers, variants), each with its value at the end. */
export function BarChart(props: BarChartProps) {
  const data = props.bars.map((b, i) => ({ ...b, key: `${i}`, text: `${formatValue(b.value, props.format)}${b.note ? ` · ${b.note}` : ''}` }));
  const max = Math.max(0, ...data.map((d) => d.value));
  // room for the longest label (about 7 px a character at the axis' size), within reason
  const marginLeft = Math.min(320, Math.max(120, 16 + 7 * Math.max(0, ...data.map((d) => d.label.length))));
  const svg = data.length === 0 ? '' : svgOf({
    width: WIDTH, height: 34 * data.length + 12, marginLeft, marginRight: 150, marginTop: 4, marginBottom: 8,
    x: { axis: null, domain: [0, max > 0 ? max : 1] },
    y: { axis: 'left', label: null, domain: data.map((d) => d.key), tickFormat: (k: string) => data[Number(k)]!.label, tickSize: 0, padding: 0.28 },
    marks: [
      Plot.barX(data, { x: 'value', y: 'key', fill: PALETTE[0], title: 'text' }),
      Plot.text(data, { x: 'value', y: 'key', text: 'text', textAnchor: 'start', dx: 6, fill: '#1a1d21', fontWeight: 600 }),
    ],
  });
  return (
    <Frame title={props.title} caption={props.caption}>
      {data.length === 0 ? <p class="chart__empty">Für diesen Zeitraum gibt es noch keine Zahlen.</p> : <div class="chart__plot chart__plot--bars">{raw(svg)}</div>}
      <DataTable caption={props.title} head={['', 'Wert']} rows={props.bars.map((b) => [b.label, `${formatValue(b.value, props.format)}${b.note ? ` (${b.note})` : ''}`])} />
    </Frame>
  );
}
