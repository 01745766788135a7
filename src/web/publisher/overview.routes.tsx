// /verlag: the overview of the insights — key figures, the funnel from Plus views to orders, daily charts, each against the previous range; CSV of its tables.
import { Hono } from 'hono';
import type { Child } from 'hono/jsx';
import { changeOf, dailyCounts, funnelOf, institutionUsage, topArticlesByOrders, totalsIn, type DayCount } from '../../analytics/index.ts';
import { mondayOf } from '../../berlin-time.ts';
import { HttpError } from '../platform/app-error.ts';
import type { AppEnv } from '../platform/request-context.middleware.ts';
import type { ChartPoint, ChartSeries } from './charts.tsx';
import { csvResponse, wantsCsv } from './csv.ts';
import { addDaysTo, rangeOfRequest, type DayRange, type RangeChoice } from './date-range.ts';
import { renderPublisherPage, viewerOf, type PublisherContext, type PublisherRouteDeps } from './publisher-context.ts';
import { OverviewPage, type OverviewData } from './overview.view.tsx';
import { BlockHead, hrefWith, KeyFigures, rangeParams, type Figure } from './insights.view.tsx';
import { revenueSummary } from '../../billing/index.ts';

/** Longer ranges are drawn per week: 730 daily points are a smear, 105 weekly ones a shape. */
const WEEKLY_FROM_DAYS = 93;

/**
 * One series over the range from daily rows: every day of the range (0 where nothing was counted, so the line does not
 * skip), or every week for long ranges. `shift` moves the previous range's days onto the current range's for comparison.
 */
export function seriesOf(rows: readonly DayCount[], span: DayRange, value: (r: DayCount) => number, o: { weekly: boolean; shift?: number }): ChartPoint[] {
  const sums = new Map<string, number>();
  for (let d = span.from; d <= span.to; d = addDaysTo(d, 1)) {
    const x = addDaysTo(d, o.shift ?? 0);
    const key = o.weekly ? mondayOf(x) : x;
    sums.set(key, sums.get(key) ?? 0);
  }
  for (const r of rows) {
    if (r.day < span.from || r.day > span.to) continue;
    const x = addDaysTo(r.day, o.shift ?? 0);
    const key = o.weekly ? mondayOf(x) : x;
    sums.set(key, (sums.get(key) ?? 0) + value(r));
  }
  return [...sums].map(([x, y]) => ({ x, y }));
}

const of = (kind: string, part: 'total' | 'funnel') => (r: DayCount) => (r.kind === kind ? r[part] : 0);

/** The revenue page's lead figures (MRR, paying subscriptions, ARPU, churn) against the previous range, with a link to the page. */
async function revenueSlot(_c: PublisherContext, deps: PublisherRouteDeps, choice: RangeChoice): Promise<Child> {
  const { current: cur, previous: prev } = await revenueSummary(deps.site.db, choice.range, choice.previous, deps.site.now());
  const figures: Figure[] = [
    { label: 'MRR am Ende', value: cur.mrrCents, format: 'euro-cents', change: changeOf(cur.mrrCents, prev.mrrCents), note: 'je Monat, brutto' },
    { label: 'Zahlende Abos', value: cur.paying, format: 'count', change: changeOf(cur.paying, prev.paying) },
  ];
  if (cur.arpuCents !== null) figures.push({ label: 'Umsatz je Abo (ARPU)', value: cur.arpuCents, format: 'euro-cents', ...(prev.arpuCents !== null ? { change: changeOf(cur.arpuCents, prev.arpuCents) } : {}) });
  if (cur.churn.rate !== null) figures.push({ label: 'Churn-Rate', value: cur.churn.rate, format: 'percent', betterWhenLower: true, ...(prev.churn.rate !== null ? { change: changeOf(cur.churn.rate, prev.churn.rate) } : {}) });
  return (
    <>
      <BlockHead id="umsatz" title="Umsatz"><a class="insights__more" href={hrefWith('/verlag/umsatz', rangeParams(choice))}>Alle Umsatzzahlen</a></BlockHead>
      <KeyFigures figures={figures} label="Umsatz" />
    </>
  );
}

export function overviewRoutes(deps: PublisherRouteDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const db = deps.site.db;

  app.get('/verlag', async (c) => {
    const choice = rangeOfRequest(c, deps.site.now());
    const csv = wantsCsv(c);
    const table = c.req.query('tabelle');
    if (table !== undefined && table !== 'trichter' && table !== 'tage') throw new HttpError('bad-request', '„tabelle“ kennt nur „trichter“ und „tage“.', 'tabelle');
    const { range, previous } = choice;
    // the range and the one before it are adjacent: one query over both, split here
    const rows = await dailyCounts(db, { from: previous.from, to: range.to });
    const cur = totalsIn(rows, range);
    const prev = totalsIn(rows, previous);
    const funnel = funnelOf(cur.funnel);
    const before = funnelOf(prev.funnel);
    const name = `${range.from}-${range.to}`;

    if (csv && table === 'tage') {
      const kinds = [...new Set(rows.map((r) => r.kind))].sort();
      const days = new Map<string, Record<string, number>>();
      for (const r of rows) if (r.day >= range.from) (days.get(r.day) ?? days.set(r.day, {}).get(r.day)!)[r.kind] = r.total;
      return csvResponse(c, `verlag-tage-${name}`, ['Tag', ...kinds], [...days].map(([day, k]) => [day, ...kinds.map((kind) => k[kind] ?? 0)]));
    }
    if (csv) {
      return csvResponse(c, `verlag-trichter-${name}`,
        ['Schritt', 'Anzahl', 'Anteil am vorigen Schritt', 'Anteil an den Aufrufen', 'Vorzeitraum', 'Veränderung'],
        funnel.steps.map((s, i) => {
          const change = changeOf(s.count, before.steps[i]!.count);
          return [s.label, s.count, s.stepRate, s.overallRate, before.steps[i]!.count, change.relative];
        }));
    }

    const weekly = range.days >= WEEKLY_FROM_DAYS;
    const views: ChartSeries[] = [
      { label: 'Aufrufe', points: seriesOf(rows, range, of('view', 'total'), { weekly }) },
      { label: 'Vorzeitraum', points: seriesOf(rows, previous, of('view', 'total'), { weekly, shift: range.days }), muted: true },
    ];
    const orders: ChartSeries[] = [
      { label: 'Bestellungen', points: seriesOf(rows, range, of('order', 'total'), { weekly }) },
      { label: 'davon über die Paywall', points: seriesOf(rows, range, of('order', 'funnel'), { weekly }) },
      { label: 'Bestellungen im Vorzeitraum', points: seriesOf(rows, previous, of('order', 'total'), { weekly, shift: range.days }), muted: true },
    ];
    const [top, institutions, revenue] = await Promise.all([
      topArticlesByOrders(db, range, 5),
      institutionUsage(db, range),
      revenueSlot(c, deps, choice),
    ]);
    const data: OverviewData = {
      choice, funnel, before, weekly, views, orders, top, institutions, revenue,
      totals: cur.totals, previousTotals: prev.totals, funnelCounts: cur.funnel, previousFunnelCounts: prev.funnel,
    };
    return renderPublisherPage(c, deps, 'Übersicht', <OverviewPage data={data} insightsOnly={viewerOf(c) === 'publisher'} />);
  });
  return app;
}
