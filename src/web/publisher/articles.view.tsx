// /verlag/artikel: filters, the sortable per-article table with paging, and the per-section and per-author tables with a chart of orders.
import type { ArticleInsight, ArticleSortKey, FilterChoice, GroupInsight } from '../../analytics/index.ts';
import { AccessBadge } from '../ui/teaser.view.tsx';
import { BarChart, formatValue } from './charts.tsx';
import { csvHref } from './csv.ts';
import type { RangeChoice } from './date-range.ts';
import { BlockHead, hrefWith, rangeParams, RangePicker, SortHeader } from './insights.view.tsx';
import { PublisherFrame } from './publisher-frame.view.tsx';
import type { Direction, TableSort } from './table-sort.ts';

export const PAGE_SIZE = 50;
const pct = (v: number | null) => (v === null ? '–' : formatValue(v, 'percent'));
const n = (v: number) => formatValue(v, 'count');

interface Props {
  choice: RangeChoice;
  sort: TableSort<ArticleSortKey>;
  page: number;
  articles: { rows: ArticleInsight[]; total: number };
  sections: GroupInsight[];
  authors: GroupInsight[];
  filters: { sections: FilterChoice[]; authors: FilterChoice[] };
  section: FilterChoice | undefined;
  author: FilterChoice | undefined;
  insightsOnly: boolean;
}

function GroupTable({ rows, label, unknown, link }: { rows: GroupInsight[]; label: string; unknown: string; link: (r: GroupInsight) => string | null }) {
  return (
    <div class="publisher__table-wrap">
      <table class="publisher__table insights__table">
        <thead><tr><th scope="col">{label}</th><th scope="col" class="num">Aufrufe</th><th scope="col" class="num">Paywall</th><th scope="col" class="num">Bestellungen</th><th scope="col" class="num">Konversion</th><th scope="col" class="num">Registrierungen</th></tr></thead>
        <tbody>{rows.map((r) => {
          const href = link(r);
          return (
            <tr>
              <th scope="row">{href ? <a href={href}>{r.name ?? unknown}</a> : r.name ?? unknown}</th>
              <td class="num">{n(r.views)}</td><td class="num">{n(r.paywall)}</td><td class="num">{n(r.orders)}</td><td class="num">{pct(r.conversion)}</td><td class="num">{n(r.registrations)}</td>
            </tr>
          );
        })}</tbody>
      </table>
    </div>
  );
}

export function ArticleInsightsPage(p: Props) {
  const range = rangeParams(p.choice);
  const filter = { ressort: p.section?.slug, autor: p.author?.slug };
  const state = { ...range, ...filter, sortierung: p.sort.key, richtung: p.sort.direction };
  const sortHref = (key: string, dir: Direction) => hrefWith('/verlag/artikel', { ...range, ...filter, sortierung: key, richtung: dir });
  const pages = Math.max(1, Math.ceil(p.articles.total / PAGE_SIZE));
  const first = (p.page - 1) * PAGE_SIZE;
  return (
    <PublisherFrame title="Artikel" active="/verlag/artikel" insightsOnly={p.insightsOnly}
      meta="Welche Artikel zur Paywall führen, welche Abos bringen und welche Registrierungen. Eine Bestellung zählt für den letzten Plus-Artikel, dessen Paywall die Leserin oder der Leser in den sieben Tagen davor gesehen hat.">
      <RangePicker path="/verlag/artikel" choice={p.choice} keep={{ ...filter, sortierung: p.sort.key, richtung: p.sort.direction }} />

      <section class="insights__block" aria-labelledby="je-artikel">
        <BlockHead id="je-artikel" title="Je Artikel" csv={csvHref('/verlag/artikel', state)} />
        <form class="insights__filter" method="get" action="/verlag/artikel">
          {Object.entries({ ...range, sortierung: p.sort.key, richtung: p.sort.direction }).map(([k, v]) => (v ? <input type="hidden" name={k} value={v} /> : null))}
          <div class="field">
            <label for="f-ressort">Ressort</label>
            <select id="f-ressort" name="ressort">
              <option value="">alle Ressorts</option>
              {p.filters.sections.map((s) => <option value={s.slug} selected={p.section?.id === s.id}>{s.name}</option>)}
            </select>
          </div>
          <div class="field">
            <label for="f-autor">Autorin / Autor</label>
            <select id="f-autor" name="autor">
              <option value="">alle</option>
              {p.filters.authors.map((a) => <option value={a.slug} selected={p.author?.id === a.id}>{a.name}</option>)}
            </select>
          </div>
          <button class="button button--ghost" type="submit">Filtern</button>
          {(p.section || p.author) && <a class="insights__reset" href={hrefWith('/verlag/artikel', { ...range, sortierung: p.sort.key, richtung: p.sort.direction })}>Filter aufheben</a>}
        </form>
        <p class="publisher__muted" aria-live="polite">
          {p.articles.total === 0 ? 'Keine Artikel mit Zahlen in diesem Zeitraum.' : `${n(p.articles.total)} ${p.articles.total === 1 ? 'Artikel' : 'Artikel'}${pages > 1 ? `, ${n(first + 1)}–${n(Math.min(first + PAGE_SIZE, p.articles.total))} gezeigt` : ''}`}
        </p>
        {p.articles.rows.length > 0 && (
          <div class="publisher__table-wrap">
            <table class="publisher__table insights__table insights__table--articles">
              <thead><tr>
                <SortHeader label="Artikel" sortKey="titel" current={p.sort} href={sortHref} numeric={false} />
                <SortHeader label="Aufrufe" sortKey="aufrufe" current={p.sort} href={sortHref} />
                <SortHeader label="Paywall" sortKey="paywall" current={p.sort} href={sortHref} />
                <SortHeader label="Bestellungen" sortKey="bestellungen" current={p.sort} href={sortHref} />
                <SortHeader label="Konversion" sortKey="konversion" current={p.sort} href={sortHref} />
                <SortHeader label="Registrierungen" sortKey="registrierungen" current={p.sort} href={sortHref} />
              </tr></thead>
              <tbody>{p.articles.rows.map((a) => (
                <tr>
                  <th scope="row" class="insights__article">
                    {a.slug ? <a href={`/artikel/${a.slug}`}>{a.access && <AccessBadge access={a.access} />}{a.headline}</a> : <em>gelöschter Artikel</em>}
                    {a.sectionName && <span class="publisher__muted"> · {a.sectionName}</span>}
                  </th>
                  <td class="num">{n(a.views)}</td><td class="num">{n(a.paywall)}</td><td class="num">{n(a.orders)}</td><td class="num">{pct(a.conversion)}</td><td class="num">{n(a.registrations)}</td>
                </tr>
              ))}</tbody>
            </table>
          </div>
        )}
        {pages > 1 && (
          <nav class="pagination" aria-label="Seiten der Artikeltabelle">
            {p.page > 1 ? <a href={hrefWith('/verlag/artikel', { ...state, seite: String(p.page - 1) })} rel="prev">← vorige</a> : <span></span>}
            <span class="pagination__span">Seite {p.page} von {pages}</span>
            {p.page < pages ? <a href={hrefWith('/verlag/artikel', { ...state, seite: String(p.page + 1) })} rel="next">nächste →</a> : <span></span>}
          </nav>
        )}
      </section>

      <section class="insights__block" aria-labelledby="je-ressort">
        <BlockHead id="je-ressort" title="Je Ressort" csv={csvHref('/verlag/artikel', { ...range, tabelle: 'ressorts' })} />
        {p.sections.length === 0 ? <p class="publisher__muted">Keine Zahlen in diesem Zeitraum.</p> : <>
          <BarChart title="Bestellungen je Ressort" caption="Bestellungen, die einem Artikel des Ressorts zugeordnet sind" format="count"
            bars={[...p.sections].sort((a, b) => b.orders - a.orders).slice(0, 12)
              .map((s) => ({ label: s.name ?? 'ohne Ressort', value: s.orders, ...(s.conversion !== null ? { note: `${pct(s.conversion)} Konversion` } : {}) }))} />
          <GroupTable rows={p.sections} label="Ressort" unknown="ohne Ressort" link={(r) => (r.slug ? hrefWith('/verlag/artikel', { ...range, ressort: r.slug }) : null)} />
        </>}
      </section>

      <section class="insights__block" aria-labelledby="je-autor">
        <BlockHead id="je-autor" title="Je Autorin und Autor" csv={csvHref('/verlag/artikel', { ...range, tabelle: 'autoren' })} />
        <p class="publisher__muted">Ein Artikel mit mehreren Namen zählt für jeden von ihnen ganz.</p>
        {p.authors.length === 0 ? <p class="publisher__muted">Keine Zahlen in diesem Zeitraum.</p> : (
          <GroupTable rows={p.authors} label="Autorin / Autor" unknown="unbekannt" link={(r) => (r.slug ? hrefWith('/verlag/artikel', { ...range, autor: r.slug }) : null)} />
        )}
      </section>
    </PublisherFrame>
  );
}
