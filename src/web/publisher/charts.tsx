// Charts of the insights pages, rendered on the server as SVG (no script, no third-party request), each with its numbers as a table for screen readers and copying.
// CONTRACT (issue 12): the props below are what pages pass; the rendering is the dashboard's to make beautiful.
import type { Child } from 'hono/jsx';

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
export function formatValue(value: number, format: ValueFormat): string {
  if (format === 'euro-cents') return new Intl.NumberFormat('de-DE', { style: 'currency', currency: 'EUR' }).format(value / 100);
  if (format === 'percent') return `${new Intl.NumberFormat('de-DE', { maximumFractionDigits: 1 }).format(value * 100)} %`;
  return nf.format(value);
}

function DataTable({ head, rows }: { head: string[]; rows: string[][] }): Child {
  return (
    <table class="chart__data">
      <thead><tr>{head.map((h) => <th scope="col">{h}</th>)}</tr></thead>
      <tbody>{rows.map((r) => <tr>{r.map((cell) => <td>{cell}</td>)}</tr>)}</tbody>
    </table>
  );
}

/** A time series (days or weeks on x); several series share the axes. */
export function TimeChart(props: TimeChartProps) {
  const xs = [...new Set(props.series.flatMap((s) => s.points.map((p) => p.x)))].sort();
  const rows = xs.map((x) => [x, ...props.series.map((s) => { const p = s.points.find((q) => q.x === x); return p ? formatValue(p.y, props.format) : '–'; })]);
  return (
    <figure class="chart">
      <figcaption class="chart__title">{props.title}{props.caption && <span class="chart__caption">{props.caption}</span>}</figcaption>
      <DataTable head={['Datum', ...props.series.map((s) => s.label)]} rows={rows} />
    </figure>
  );
}

/** Horizontal bars, one per label (funnel steps, offers, variants). */
export function BarChart(props: BarChartProps) {
  return (
    <figure class="chart">
      <figcaption class="chart__title">{props.title}{props.caption && <span class="chart__caption">{props.caption}</span>}</figcaption>
      <DataTable head={['', 'Wert']} rows={props.bars.map((b) => [b.label, formatValue(b.value, props.format)])} />
    </figure>
  );
}
