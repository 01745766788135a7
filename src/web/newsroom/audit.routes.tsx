// /redaktion/protokoll: the editorial audit log (publish, schedule, unpublish, access changes, restores), newest first,
// filtered by article and action.
import { Hono } from 'hono';
import { getWorkingCopy, listAudit, type AuditEntry } from '../../newsroom/index.ts';
import { HttpError } from '../platform/app-error.ts';
import type { AppEnv } from '../platform/request-context.middleware.ts';
import type { NewsroomRouteDeps } from './newsroom-context.ts';
import { renderInFrame } from './newsroom-frame.view.tsx';
import { ACCESS_LABELS, editorUrl, shortDateTime } from './articles.view.tsx';

const PAGE_SIZE = 100;

export const AUDIT_LABELS: Record<string, string> = {
  publish: 'Veröffentlicht', republish: 'Erneut veröffentlicht', schedule: 'Geplant', unschedule: 'Planung aufgehoben', unpublish: 'Zurückgezogen',
  access: 'Zugang geändert', restore: 'Version wiederhergestellt', 'publish-failed': 'Geplante Veröffentlichung fehlgeschlagen',
};

const DETAIL_LABELS: Record<string, string> = {
  from: 'von', to: 'auf', scheduledAt: 'Zeitpunkt', at: 'Zeitpunkt', previous: 'bisher', slug: 'Adresse', version: 'Version', fromVersion: 'aus Version', reason: 'Grund', error: 'Fehler',
};
/** ids mean nothing to a person */
const HIDDEN_DETAILS = new Set(['revisionId', 'jobId', 'wasLive']);
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;

/** The detail of an entry as "label: value" parts; access levels and times in words, everything escaped by JSX. */
function detailText(e: AuditEntry): string {
  return Object.entries(e.detail)
    .filter(([k, v]) => v !== null && v !== undefined && typeof v !== 'object' && !HIDDEN_DETAILS.has(k))
    .map(([k, v]) => {
      const s = String(v);
      const value = e.action === 'access' && (k === 'from' || k === 'to') ? ACCESS_LABELS[s as keyof typeof ACCESS_LABELS] ?? s : ISO.test(s) ? shortDateTime(s) : s;
      return `${DETAIL_LABELS[k] ?? k}: ${value}`;
    })
    .join(' · ');
}

const ID = /^[A-Za-z0-9_-]{1,64}$/;

function auditUrl(q: { artikel: string; aktion: string }, before?: string): string {
  const p = new URLSearchParams();
  if (q.artikel) p.set('artikel', q.artikel);
  if (q.aktion) p.set('aktion', q.aktion);
  if (before) p.set('vor', before);
  const s = p.toString();
  return `/redaktion/protokoll${s ? `?${s}` : ''}`;
}

function AuditPage({ entries, q, before, headline }: { entries: AuditEntry[]; q: { artikel: string; aktion: string }; before: string | undefined; headline: string | undefined }) {
  const last = entries.length === PAGE_SIZE ? entries[entries.length - 1] : undefined;
  return (
    <>
      <form class="nr-filters nr-filters--audit" method="get" action="/redaktion/protokoll">
        {q.artikel && <input type="hidden" name="artikel" value={q.artikel} />}
        <label>Aktion
          <select name="aktion">
            <option value="">Alle</option>
            {Object.entries(AUDIT_LABELS).map(([v, l]) => <option value={v} selected={v === q.aktion}>{l}</option>)}
          </select>
        </label>
        <div class="nr-filters__actions">
          <button class="button button--small" type="submit">Filtern</button>
          {(q.artikel || q.aktion) && <a href="/redaktion/protokoll">Alle Einträge</a>}
        </div>
      </form>
      {q.artikel && <p class="nr-muted">Nur der Artikel <a href={editorUrl(q.artikel)}>{headline || 'Ohne Überschrift'}</a>.</p>}
      {entries.length === 0 ? <p class="nr-empty">Keine Einträge.</p> : (
        <div class="nr-table-wrap">
          <table class="nr-table">
            <thead><tr><th scope="col">Zeit</th><th scope="col">Aktion</th><th scope="col">Artikel</th><th scope="col">Wer</th><th scope="col">Einzelheiten</th></tr></thead>
            <tbody>
              {entries.map((e) => (
                <tr>
                  <td class="nr-nowrap">{shortDateTime(e.at)}</td>
                  <td>{AUDIT_LABELS[e.action] ?? e.action}</td>
                  <td><a class="nr-table__title" href={auditUrl({ artikel: e.articleId, aktion: '' })}>{e.headline || 'Ohne Überschrift'}</a></td>
                  <td>{e.actorName || <span class="nr-muted">{e.actorId ? 'gelöschtes Konto' : 'System (geplant)'}</span>}</td>
                  <td>{detailText(e)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <nav class="nr-pager" aria-label="Seiten">
        <span>{before && <a href={auditUrl(q)}>← Neueste Einträge</a>}</span>
        <span>{last && <a href={auditUrl(q, last.at)} rel="next">Ältere Einträge →</a>}</span>
      </nav>
    </>
  );
}

export function auditRoutes(deps: NewsroomRouteDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  app.get('/redaktion/protokoll', async (c) => {
    const artikel = c.req.query('artikel') ?? '';
    if (artikel && !ID.test(artikel)) throw new HttpError('bad-request', 'Der Parameter „artikel“ ist keine gültige Artikelkennung.', 'artikel');
    const aktion = c.req.query('aktion') ?? '';
    if (aktion && !(aktion in AUDIT_LABELS)) throw new HttpError('bad-request', `Unbekannte Aktion „${aktion.slice(0, 40)}“ (Parameter „aktion“). Erlaubt: ${Object.keys(AUDIT_LABELS).join(', ')}.`, 'aktion');
    const before = c.req.query('vor') || undefined;
    if (before && !ISO.test(before)) throw new HttpError('bad-request', 'Der Parameter „vor“ ist kein gültiger Zeitpunkt.', 'vor');
    const entries = await listAudit(deps.site.db, { articleId: artikel || undefined, action: aktion || undefined, before, limit: PAGE_SIZE });
    const headline = artikel ? entries[0]?.headline ?? (await getWorkingCopy(deps.site.db, artikel))?.doc.headline : undefined;
    return renderInFrame(c, deps, { title: 'Protokoll', active: 'protokoll' }, <AuditPage entries={entries} q={{ artikel, aktion }} before={before} headline={headline} />);
  });

  return app;
}
