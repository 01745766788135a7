// /verlag/umsatz: MRR, paying subscriptions, ARPU, churn, intro-to-paid and the weekly flows of a date range, compared with the range before; every table as CSV.
import { Hono } from 'hono';
import { activeByOfferAt, revenueSummary, weeklyRevenue } from '../../billing/index.ts';
import { HttpError } from '../platform/app-error.ts';
import type { AppEnv } from '../platform/request-context.middleware.ts';
import { renderPublisherPage, viewerOf, type PublisherContext, type PublisherRouteDeps } from './publisher-context.ts';
import { parseRange } from './date-range.ts';
import { csvLine } from './csv.ts';
import { REVENUE_TABLES, RevenuePage, revenueTable, type RevenueData, type RevenueTableKey } from './revenue.view.tsx';

/** `?format=csv` (and `tabelle`, which of the page's tables); anything else is a 400 naming the parameter. */
function csvChoice(c: PublisherContext): RevenueTableKey | null {
  const format = c.req.query('format');
  if (format === undefined || format === 'html') return null;
  if (format !== 'csv') throw new HttpError('bad-request', 'Unbekanntes „format“: erlaubt ist csv.', 'format');
  const table = c.req.query('tabelle') ?? 'kennzahlen';
  if (!Object.hasOwn(REVENUE_TABLES, table)) {
    throw new HttpError('bad-request', `Unbekannte „tabelle“: erlaubt sind ${Object.keys(REVENUE_TABLES).join(', ')}.`, 'tabelle');
  }
  return table as RevenueTableKey;
}

export function revenueRoutes(deps: PublisherRouteDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const db = deps.site.db;

  app.get('/verlag/umsatz', async (c) => {
    const now = deps.billing.clock();
    const choice = parseRange({ zeitraum: c.req.query('zeitraum'), von: c.req.query('von'), bis: c.req.query('bis') }, now);
    const table = csvChoice(c);
    // one after the other: on SQLite they would queue for the one connection anyway, and on PostgreSQL three scans at once buy little
    const summary = await revenueSummary(db, choice.range, choice.previous, now);
    const weeks = await weeklyRevenue(db, choice.range, now);
    const offers = await activeByOfferAt(db, choice.range, now);
    const data: RevenueData = { choice, summary, weeks, offers };
    if (table) {
      const { head, rows } = revenueTable(data, table);
      const name = `umsatz-${table}-${choice.range.from}-bis-${choice.range.to}.csv`;
      // A BOM so spreadsheet programs read the UTF-8 umlauts; CRLF as RFC 4180 asks.
      return c.body(`\uFEFF${[csvLine(head), ...rows.map(csvLine)].join('\r\n')}\r\n`, 200, {
        'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="${name}"`, 'cache-control': 'no-store',
      });
    }
    return renderPublisherPage(c, deps, 'Umsatz', <RevenuePage data={data} insightsOnly={viewerOf(c) === 'publisher'} />);
  });

  return app;
}
