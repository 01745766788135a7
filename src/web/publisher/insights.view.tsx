// Pieces every insights page shares: the range picker (presets, von/bis), key figures with their change, sortable table headers, the CSV link.
import type { Child } from 'hono/jsx';
import type { Change } from '../../analytics/index.ts';
import { formatValue, type ValueFormat } from './charts.tsx';
import { RANGE_PRESETS, type RangeChoice } from './date-range.ts';
import type { Direction } from './table-sort.ts';

/** 01.11.2026 */
export const dayLabel = (day: string): string => `${day.slice(8, 10)}.${day.slice(5, 7)}.${day.slice(0, 4)}`;
export const spanLabel = (r: { from: string; to: string }): string => (r.from === r.to ? dayLabel(r.from) : `${dayLabel(r.from)} – ${dayLabel(r.to)}`);

/** A query string from the parameters that are set (the page's state carried into links). */
export function hrefWith(path: string, query: Record<string, string | undefined>): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== '') p.set(k, v);
  const s = p.toString();
  return s ? `${path}?${s}` : path;
}

/** The range parameters of a choice, to carry into links and forms: the preset, or von/bis. */
export const rangeParams = (choice: RangeChoice): Record<string, string | undefined> =>
  choice.preset ? { zeitraum: choice.preset } : { von: choice.range.from, bis: choice.range.to };

/**
 * The range picker: preset links (no script needed) and a small GET form for von/bis. `keep` are the page's other
 * parameters (sort, filters), carried along so choosing a range does not lose them.
 */
export function RangePicker({ path, choice, keep = {} }: { path: string; choice: RangeChoice; keep?: Record<string, string | undefined> }) {
  return (
    <section class="range" aria-label="Zeitraum">
      <ul class="range__presets">
        {Object.entries(RANGE_PRESETS).map(([key, p]) => (
          <li><a href={hrefWith(path, { ...keep, zeitraum: key })} aria-current={choice.preset === key ? 'true' : undefined}>{p.label.replace(/^Letzte /, '')}</a></li>
        ))}
      </ul>
      <form class="range__custom" method="get" action={path}>
        {Object.entries(keep).map(([k, v]) => (v ? <input type="hidden" name={k} value={v} /> : null))}
        <label for="range-von">von</label>
        <input id="range-von" type="date" name="von" value={choice.range.from} required />
        <label for="range-bis">bis</label>
        <input id="range-bis" type="date" name="bis" value={choice.range.to} required />
        <button class="button button--small" type="submit">Anzeigen</button>
      </form>
      <p class="range__info">
        <strong>{spanLabel(choice.range)}</strong> ({choice.range.days} {choice.range.days === 1 ? 'Tag' : 'Tage'}) · verglichen mit {spanLabel(choice.previous)}
      </p>
    </section>
  );
}

const signed = new Intl.NumberFormat('de-DE', { maximumFractionDigits: 1, signDisplay: 'exceptZero' });

/** „+12,5 %“ against the previous range, coloured by direction; „neu“ when there was nothing before. */
export function ChangeBadge({ change, betterWhenLower = false }: { change: Change; betterWhenLower?: boolean }) {
  if (change.relative === null) {
    return change.delta === 0 ? <span class="delta delta--flat">±0</span> : <span class="delta delta--up">neu</span>;
  }
  const up = change.relative > 0;
  const good = change.relative === 0 ? 'flat' : up !== betterWhenLower ? 'up' : 'down';
  return (
    <span class={`delta delta--${good}`}>
      <span aria-hidden="true">{change.relative === 0 ? '' : up ? '▲ ' : '▼ '}</span>{signed.format(change.relative * 100)} %
      <span class="visually-hidden"> gegenüber dem Vorzeitraum</span>
    </span>
  );
}

export interface Figure { label: string; value: number; format: ValueFormat; change?: Change | undefined; note?: Child; betterWhenLower?: boolean }

/** A row of key figures: the number large, the change against the previous range under it. */
export function KeyFigures({ figures, label }: { figures: Figure[]; label: string }) {
  return (
    <ul class="figures" aria-label={label}>
      {figures.map((f) => (
        <li class="figures__item">
          <span class="figures__label">{f.label}</span>
          <span class="figures__value">{formatValue(f.value, f.format)}</span>
          <span class="figures__meta">{f.change && <ChangeBadge change={f.change} betterWhenLower={f.betterWhenLower} />}{f.note && <span class="figures__note">{f.note}</span>}</span>
        </li>
      ))}
    </ul>
  );
}

/** A column header that sorts: a link to the same page sorted by this key (the other way round when it already is). */
export function SortHeader({ label, sortKey, current, href, numeric = true }: {
  label: string; sortKey: string; current: { key: string; direction: Direction }; href: (key: string, dir: Direction) => string; numeric?: boolean;
}) {
  const active = current.key === sortKey;
  const next: Direction = active ? (current.direction === 'ab' ? 'auf' : 'ab') : numeric ? 'ab' : 'auf';
  return (
    <th scope="col" class={numeric ? 'num' : undefined} aria-sort={active ? (current.direction === 'ab' ? 'descending' : 'ascending') : undefined}>
      <a class="sort" href={href(sortKey, next)}>{label}<span class="sort__mark" aria-hidden="true">{active ? (current.direction === 'ab' ? ' ↓' : ' ↑') : ''}</span></a>
    </th>
  );
}

export function CsvLink({ href, label = 'Als CSV herunterladen' }: { href: string; label?: string }) {
  return <a class="csv-link" href={href} download>{label}</a>;
}

/** The heading of a block on an insights page, with its CSV link on the right. */
export function BlockHead({ id, title, csv, children }: { id: string; title: string; csv?: string; children?: Child }) {
  return (
    <div class="insights__head">
      <h2 id={id}>{title}</h2>
      {children}
      {csv && <CsvLink href={csv} />}
    </div>
  );
}
