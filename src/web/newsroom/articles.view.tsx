// The newsroom start page (my drafts, waiting for review, scheduled, recently published) and the article list with its filters.
import type { AccessLevel } from '../../content/index.ts';
import type { EditorialState, NewsroomListItem, NewsroomOverview } from '../../newsroom/index.ts';
import { berlinParts } from '../../berlin-time.ts';
import { CsrfField } from '../ui/form.view.tsx';
import { StatusChip } from './newsroom-frame.view.tsx';

type ArticleRow = NewsroomListItem;

export const ACCESS_LABELS: Record<AccessLevel, string> = { free: 'Frei', registered: 'Registriert', plus: 'Plus' };

const pad = (n: number) => String(n).padStart(2, '0');
/** "03.11.2026, 09:05" in Berlin time: compact for tables. */
export function shortDateTime(iso: string | null): string {
  if (!iso) return '–';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '–';
  const p = berlinParts(d);
  return `${pad(p.day)}.${pad(p.month)}.${p.year}, ${pad(p.hour)}:${pad(p.minute)}`;
}

export const editorUrl = (articleId: string) => `/redaktion/artikel/${encodeURIComponent(articleId)}`;
const titleOf = (r: Pick<ArticleRow, 'headline'>) => r.headline.trim() || 'Ohne Überschrift';

function AccessBadge({ access }: { access: AccessLevel }) {
  if (access === 'plus') return <span class="badge-plus">Plus</span>;
  if (access === 'registered') return <span class="badge-registered">Registriert</span>;
  return null;
}

function Panel({ title, rows, empty, more, when }: { title: string; rows: ArticleRow[]; empty: string; more?: string; when: (r: ArticleRow) => string }) {
  return (
    <section class="nr-panel" aria-label={title}>
      <h2 class="nr-section-title">{title}{more && <a href={more}>Alle anzeigen</a>}</h2>
      {rows.length === 0 ? <p class="nr-empty">{empty}</p> : (
        <ul class="nr-list">
          {rows.map((r) => (
            <li>
              <a class="nr-list__title" href={editorUrl(r.articleId)}><AccessBadge access={r.access} />{titleOf(r)}</a>
              <StatusChip state={r.state} changes={r.hasUnpublishedChanges} />
              <span class="nr-list__meta">{[r.section.name, r.authors.map((a) => a.name).join(', '), when(r)].filter(Boolean).join(' · ')}</span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

export function StartPage({ overview }: { overview: NewsroomOverview }) {
  const edited = (r: ArticleRow) => `bearbeitet ${shortDateTime(r.updatedAt)}${r.updatedByName ? ` von ${r.updatedByName}` : ''}`;
  return (
    <div class="nr-dash">
      <Panel title="Meine Entwürfe" rows={overview.myDrafts} empty="Sie haben gerade keine offenen Entwürfe." more="/redaktion/artikel?status=entwurf" when={edited} />
      <Panel title="Wartet auf Prüfung" rows={overview.inReview} empty="Nichts wartet auf Prüfung." more="/redaktion/artikel?status=pruefung" when={edited} />
      <Panel title="Geplant" rows={overview.scheduled} empty="Keine Artikel geplant." more="/redaktion/artikel?status=geplant" when={(r) => `erscheint ${shortDateTime(r.scheduledAt)}`} />
      <Panel title="Zuletzt veröffentlicht" rows={overview.recentlyPublished} empty="Noch nichts veröffentlicht." more="/redaktion/artikel?status=veroeffentlicht" when={(r) => `veröffentlicht ${shortDateTime(r.publishedAt)}`} />
    </div>
  );
}

/** The button that makes a new draft: a form, so it works without the editor script. */
export function NewArticleButton({ csrf }: { csrf: string }) {
  return (
    <form class="nr-new" method="post" action="/redaktion/artikel">
      <CsrfField token={csrf} />
      <button class="button" type="submit">Neuer Artikel</button>
    </form>
  );
}

/** The list filter as the URL carries it (German parameter values). */
export interface ListQuery { q: string; status: string; ressort: string; autor: string; zugang: string; von: string; bis: string; /** where the page starts (the previous page's cursor) */ nach: string }

export const STATUS_PARAMS: Record<string, EditorialState> = {
  entwurf: 'draft', pruefung: 'review', geplant: 'scheduled', veroeffentlicht: 'published', zurueckgezogen: 'unpublished',
};
export const ACCESS_PARAMS: Record<string, AccessLevel> = { frei: 'free', registriert: 'registered', plus: 'plus' };
const STATUS_OPTIONS: [string, string][] = [['entwurf', 'Entwurf'], ['pruefung', 'In Prüfung'], ['geplant', 'Geplant'], ['veroeffentlicht', 'Veröffentlicht'], ['zurueckgezogen', 'Zurückgezogen']];
const ACCESS_OPTIONS: [string, string][] = [['frei', 'Frei'], ['registriert', 'Registriert'], ['plus', 'Plus']];

function Select({ name, label, value, options }: { name: string; label: string; value: string; options: [string, string][] }) {
  return (
    <label>{label}
      <select name={name}>
        <option value="">Alle</option>
        {options.map(([v, l]) => <option value={v} selected={v === value}>{l}</option>)}
      </select>
    </label>
  );
}

export function pageUrl(query: ListQuery, after: string | null): string {
  const p = new URLSearchParams();
  for (const k of ['q', 'status', 'ressort', 'autor', 'zugang', 'von', 'bis'] as const) if (query[k]) p.set(k, query[k]);
  if (after) p.set('nach', after);
  const s = p.toString();
  return `/redaktion/artikel${s ? `?${s}` : ''}`;
}

export function ArticleListPage({ rows, query, next, sections, authors }: {
  rows: ArticleRow[]; query: ListQuery; next: string | null; sections: { slug: string; name: string }[]; authors: { slug: string; name: string }[];
}) {
  const filtered = ['q', 'status', 'ressort', 'autor', 'zugang', 'von', 'bis'].some((k) => query[k as keyof ListQuery]);
  return (
    <>
      <form class="nr-filters" method="get" action="/redaktion/artikel" role="search">
        <label class="nr-filters__q">Suche<input type="search" name="q" value={query.q} placeholder="Überschrift, Text …" /></label>
        <Select name="status" label="Status" value={query.status} options={STATUS_OPTIONS} />
        <Select name="ressort" label="Ressort" value={query.ressort} options={sections.map((s) => [s.slug, s.name])} />
        <Select name="autor" label="Autor/in" value={query.autor} options={authors.map((a) => [a.slug, a.name])} />
        <Select name="zugang" label="Zugang" value={query.zugang} options={ACCESS_OPTIONS} />
        <label>Geändert ab<input type="date" name="von" value={query.von} /></label>
        <label>Geändert bis<input type="date" name="bis" value={query.bis} /></label>
        <div class="nr-filters__actions">
          <button class="button button--small" type="submit">Filtern</button>
          {filtered && <a href="/redaktion/artikel">Zurücksetzen</a>}
        </div>
      </form>
      {rows.length === 0 ? <p class="nr-empty">{filtered ? 'Keine Artikel passen zu diesen Filtern.' : 'Noch keine Artikel.'}</p> : (
        <div class="nr-table-wrap">
          <table class="nr-table">
            <thead>
              <tr><th scope="col">Artikel</th><th scope="col">Status</th><th scope="col">Ressort</th><th scope="col" class="nr-hide-narrow">Autor/in</th><th scope="col">Zugang</th><th scope="col">Geändert</th><th scope="col" class="nr-hide-narrow">Erscheint / erschienen</th></tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr>
                  <td>
                    {r.kicker && <span class="nr-table__kicker">{r.kicker}</span>}
                    <a class="nr-table__title" href={editorUrl(r.articleId)}>{titleOf(r)}</a>
                  </td>
                  <td><StatusChip state={r.state} changes={r.hasUnpublishedChanges} /></td>
                  <td>{r.section.name || <span class="nr-muted">–</span>}</td>
                  <td class="nr-hide-narrow">{r.authors.map((a) => a.name).join(', ') || <span class="nr-muted">–</span>}</td>
                  <td>{ACCESS_LABELS[r.access]}</td>
                  <td class="nr-nowrap">{shortDateTime(r.updatedAt)}{r.updatedByName && <><br /><span class="nr-muted">{r.updatedByName}</span></>}</td>
                  <td class="nr-nowrap nr-hide-narrow">{r.state === 'scheduled' ? shortDateTime(r.scheduledAt) : shortDateTime(r.publishedAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <nav class="nr-pager" aria-label="Seiten">
        <span>{query.nach && <a href={pageUrl(query, null)}>← Zum Anfang der Liste</a>}</span>
        <span>{next && <a href={pageUrl(query, next)} rel="next">Ältere Artikel →</a>}</span>
      </nav>
    </>
  );
}
