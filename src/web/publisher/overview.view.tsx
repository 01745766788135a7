// /verlag: key figures, the funnel (chart and table with step and overall rates), views and orders over time, the articles that sold, institution use.
import type { Child } from 'hono/jsx';
import { changeOf, rate, type ArticleInsight, type Funnel, type FunnelCounts, type InstitutionUse } from '../../analytics/index.ts';
import { BarChart, formatValue, TimeChart, type ChartSeries } from './charts.tsx';
import type { RangeChoice } from './date-range.ts';
import { BlockHead, ChangeBadge, hrefWith, KeyFigures, rangeParams, RangePicker } from './insights.view.tsx';
import { csvHref } from './csv.ts';
import { PublisherFrame } from './publisher-frame.view.tsx';

export interface OverviewData {
  choice: RangeChoice;
  funnel: Funnel;
  before: Funnel;
  funnelCounts: FunnelCounts;
  previousFunnelCounts: FunnelCounts;
  totals: Record<string, number>;
  previousTotals: Record<string, number>;
  weekly: boolean;
  views: ChartSeries[];
  orders: ChartSeries[];
  top: ArticleInsight[];
  institutions: InstitutionUse[];
  /** the revenue page's lead figures (revenueSlot) */
  revenue: Child;
}

const pct = (v: number | null) => (v === null ? '–' : formatValue(v, 'percent'));

function FunnelTable({ funnel, before }: { funnel: Funnel; before: Funnel }) {
  return (
    <div class="publisher__table-wrap">
      <table class="publisher__table insights__table">
        <caption class="visually-hidden">Trichter: Anzahl je Schritt, Anteile und Vergleich mit dem Vorzeitraum</caption>
        <thead><tr>
          <th scope="col">Schritt</th><th scope="col" class="num">Anzahl</th><th scope="col" class="num">vom vorigen Schritt</th>
          <th scope="col" class="num">von den Aufrufen</th><th scope="col" class="num">Vorzeitraum</th><th scope="col" class="num">Veränderung</th>
        </tr></thead>
        <tbody>{funnel.steps.map((s, i) => (
          <tr>
            <th scope="row">{s.label}</th>
            <td class="num">{formatValue(s.count, 'count')}</td>
            <td class="num">{pct(s.stepRate)}</td>
            <td class="num">{pct(s.overallRate)}</td>
            <td class="num publisher__muted">{formatValue(before.steps[i]!.count, 'count')}</td>
            <td class="num"><ChangeBadge change={changeOf(s.count, before.steps[i]!.count)} /></td>
          </tr>
        ))}</tbody>
      </table>
    </div>
  );
}

export function OverviewPage({ data, insightsOnly }: { data: OverviewData; insightsOnly: boolean }) {
  const { choice, funnel, before, totals, previousTotals } = data;
  const keep = rangeParams(choice);
  const t = (k: string) => totals[k] ?? 0;
  const p = (k: string) => previousTotals[k] ?? 0;
  const conversion = funnel.conversion ?? 0;
  const empty = funnel.steps.every((s) => s.count === 0) && t('view') === 0 && t('order') === 0;
  return (
    <PublisherFrame title="Übersicht" active="/verlag" insightsOnly={insightsOnly}
      meta="Wie aus Leserinnen und Lesern Abonnenten werden – aus den eigenen Zahlen der Zeitung, ohne Drittanbieter und ohne Personen zu verfolgen.">
      <RangePicker path="/verlag" choice={choice} />
      {data.revenue && <section class="insights__block" aria-label="Umsatz">{data.revenue}</section>}
      {empty && <p class="insights__empty">Für diesen Zeitraum sind noch keine Ereignisse ausgewertet. Die Zahlen eines Tages erscheinen, sobald er zusammengefasst ist (alle zehn Minuten für heute, nachts für gestern).</p>}
      <KeyFigures label="Kennzahlen im Zeitraum" figures={[
        { label: 'Artikelaufrufe', value: t('view'), format: 'count', change: changeOf(t('view'), p('view')) },
        { label: 'Paywall gezeigt', value: t('paywall'), format: 'count', change: changeOf(t('paywall'), p('paywall')) },
        { label: 'Bestellungen', value: t('order'), format: 'count', change: changeOf(t('order'), p('order')), note: `davon ${formatValue(data.funnelCounts.order, 'count')} über die Paywall` },
        { label: 'Konversion', value: conversion, format: 'percent', change: changeOf(conversion, before.conversion ?? 0), note: 'Bestellungen je Plus-Aufruf' },
        { label: 'Registrierungen', value: t('registration'), format: 'count', change: changeOf(t('registration'), p('registration')), note: 'aus der Paywall' },
      ]} />

      <section class="insights__block" aria-labelledby="trichter">
        <BlockHead id="trichter" title="Vom Aufruf zur Bestellung" csv={csvHref('/verlag', keep)} />
        <p class="insights__lead">Jeder Schritt mit seinem Anteil am vorigen. Gesamtkonversion: <strong>{pct(funnel.conversion)}</strong> der Aufrufe von Plus-Artikeln enden in einer Bestellung{before.conversion !== null && <> (Vorzeitraum: {pct(before.conversion)})</>}.</p>
        <BarChart title="Trichter" caption="Aufrufe von Plus-Artikeln bis zur Bestellung, die einem Artikel zugeordnet ist" format="count"
          bars={funnel.steps.map((s) => ({ label: s.label, value: s.count, ...(s.stepRate !== null ? { note: `${pct(s.stepRate)} vom vorigen` } : {}) }))} />
        <FunnelTable funnel={funnel} before={before} />
      </section>

      <section class="insights__block insights__charts" aria-labelledby="verlauf">
        <BlockHead id="verlauf" title="Verlauf" csv={csvHref('/verlag', { ...keep, tabelle: 'tage' })} />
        <TimeChart title={data.weekly ? 'Artikelaufrufe pro Woche' : 'Artikelaufrufe pro Tag'} caption="gestrichelt: der Vorzeitraum, auf diesen Zeitraum gelegt" format="count" series={data.views} />
        <TimeChart title={data.weekly ? 'Bestellungen pro Woche' : 'Bestellungen pro Tag'} caption="alle Bestellungen und die, die einem Artikel zugeordnet sind" format="count" series={data.orders} />
      </section>

      <section class="insights__block" aria-labelledby="top">
        <BlockHead id="top" title="Artikel, die Abos bringen">
          <a class="insights__more" href={hrefWith('/verlag/artikel', { ...keep, sortierung: 'bestellungen' })}>Alle Artikel</a>
        </BlockHead>
        {data.top.length === 0 ? <p class="publisher__muted">Im Zeitraum wurde keine Bestellung einem Artikel zugeordnet.</p> : (
          <ol class="toplist">{data.top.map((a) => (
            <li>
              <span class="toplist__title">{a.slug ? <a href={`/artikel/${a.slug}`}>{a.headline}</a> : <em>gelöschter Artikel</em>}</span>
              <span class="toplist__meta">{formatValue(a.orders, 'count')} {a.orders === 1 ? 'Bestellung' : 'Bestellungen'} · {pct(rate(a.orders, a.paywall))} der Paywall-Einblendungen · {a.sectionName ?? ''}</span>
            </li>
          ))}</ol>
        )}
      </section>

      {data.institutions.length > 0 && (
        <section class="insights__block" aria-labelledby="institutionen">
          <BlockHead id="institutionen" title="Zugang über Institutionen">
            <a class="insights__more" href={hrefWith('/verlag/institutionen', keep)}>Institutionen</a>
          </BlockHead>
          <table class="publisher__table insights__table">
            <thead><tr><th scope="col">Institution</th><th scope="col" class="num">freigeschaltete Artikel</th></tr></thead>
            <tbody>{data.institutions.map((i) => <tr><th scope="row">{i.name ?? <em>gelöscht</em>}</th><td class="num">{formatValue(i.unlocks, 'count')}</td></tr>)}</tbody>
          </table>
        </section>
      )}
    </PublisherFrame>
  );
}
