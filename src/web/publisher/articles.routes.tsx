// /verlag/artikel: which articles bring readers to the paywall, to orders and registrations — per article (sortable, filtered by section and author), per section, per author; CSV of each table.
import { Hono } from 'hono';
import { ARTICLE_SORT_KEYS, articleInsights, authorInsights, insightFilters, sectionInsights, type GroupInsight } from '../../analytics/index.ts';
import { HttpError } from '../platform/app-error.ts';
import { pageNumber } from '../platform/query-params.ts';
import type { AppEnv } from '../platform/request-context.middleware.ts';
import { csvResponse, wantsCsv, type CsvValue } from './csv.ts';
import { rangeOfRequest } from './date-range.ts';
import { renderPublisherPage, viewerOf, type PublisherRouteDeps } from './publisher-context.ts';
import { parseSort } from './table-sort.ts';
import { ArticleInsightsPage, PAGE_SIZE } from './articles.view.tsx';

/** The CSV holds every row of a table (not a page of it), but not without end. */
const CSV_MAX_ROWS = 50_000;
const TABLES = ['artikel', 'ressorts', 'autoren'] as const;

const REACH_HEAD = ['Aufrufe', 'Paywall gezeigt', 'Bestellungen (zugeordnet)', 'Konversion (Bestellungen je Paywall)', 'Registrierungen'];
const reachCells = (r: { views: number; paywall: number; orders: number; conversion: number | null; registrations: number }): CsvValue[] =>
  [r.views, r.paywall, r.orders, r.conversion, r.registrations];
const groupRows = (rows: GroupInsight[], unknown: string): CsvValue[][] => rows.map((r) => [r.name ?? unknown, ...reachCells(r)]);

export function articleInsightRoutes(deps: PublisherRouteDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const db = deps.site.db;

  app.get('/verlag/artikel', async (c) => {
    const choice = rangeOfRequest(c, deps.site.now());
    const sort = parseSort({ sortierung: c.req.query('sortierung'), richtung: c.req.query('richtung') }, ARTICLE_SORT_KEYS, { key: 'aufrufe', direction: 'ab' });
    const page = pageNumber(c.req.query('seite'));
    const csv = wantsCsv(c);
    const table = c.req.query('tabelle') ?? 'artikel';
    if (!(TABLES as readonly string[]).includes(table)) throw new HttpError('bad-request', `„tabelle“ kennt nur ${TABLES.join(', ')}.`, 'tabelle');
    const filters = await insightFilters(db);
    const sectionSlug = c.req.query('ressort') || undefined;
    const authorSlug = c.req.query('autor') || undefined;
    const section = sectionSlug === undefined ? undefined : filters.sections.find((s) => s.slug === sectionSlug);
    if (sectionSlug !== undefined && !section) throw new HttpError('bad-request', `„ressort“: Ein Ressort „${sectionSlug.slice(0, 80)}“ gibt es nicht. Bitte wählen Sie eines aus der Liste.`, 'ressort');
    const author = authorSlug === undefined ? undefined : filters.authors.find((a) => a.slug === authorSlug);
    if (authorSlug !== undefined && !author) throw new HttpError('bad-request', `„autor“: Eine Autorin oder einen Autor „${authorSlug.slice(0, 80)}“ gibt es nicht. Bitte wählen Sie aus der Liste.`, 'autor');
    const { range } = choice;
    const name = `${range.from}-${range.to}`;

    if (csv && table === 'ressorts') return csvResponse(c, `verlag-ressorts-${name}`, ['Ressort', ...REACH_HEAD], groupRows(await sectionInsights(db, range), 'ohne Ressort'));
    if (csv && table === 'autoren') return csvResponse(c, `verlag-autoren-${name}`, ['Autorin / Autor', ...REACH_HEAD], groupRows(await authorInsights(db, range), 'unbekannt'));
    const query = { sectionId: section?.id, authorId: author?.id, sort: sort.key, direction: sort.direction };
    if (csv) {
      const { rows } = await articleInsights(db, range, { ...query, limit: CSV_MAX_ROWS, offset: 0 });
      return csvResponse(c, `verlag-artikel-${name}`, ['Artikel', 'Adresse', 'Ressort', 'Zugang', ...REACH_HEAD],
        rows.map((r) => [r.headline ?? 'gelöschter Artikel', r.slug ? `${deps.site.publicUrl}/artikel/${r.slug}` : '', r.sectionName ?? '', r.access ?? '', ...reachCells(r)]));
    }

    const [articles, sections, authors] = await Promise.all([
      articleInsights(db, range, { ...query, limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE }),
      sectionInsights(db, range),
      authorInsights(db, range),
    ]);
    return renderPublisherPage(c, deps, 'Artikel', (
      <ArticleInsightsPage choice={choice} sort={sort} page={page} articles={articles} sections={sections} authors={authors} filters={filters}
        section={section} author={author} insightsOnly={viewerOf(c) === 'publisher'} />
    ));
  });
  return app;
}
