// /verlag/aufgaben: the background jobs of all processes — how many wait, run and failed, the failed ones with their error and a retry button.
import type { JobQueueCount, JobSummary } from '../../jobs/index.ts';
import { formatGermanDateTime } from '../../billing/index.ts';
import { Notice, PostButton } from '../ui/form.view.tsx';
import { PublisherFrame } from './publisher-frame.view.tsx';

/** The job kinds the product runs, in the publisher's words; an unknown kind is shown by its name. */
const KIND_LABELS: Record<string, string> = {
  'billing-run': 'Abrechnungslauf',
  'daily-cleanup': 'Tägliche Aufräumarbeiten',
  'newsroom-publish': 'Geplante Veröffentlichung',
};

const STATE_HEADINGS = { failed: 'Fehlgeschlagen', queued: 'Wartend', running: 'Läuft gerade' } as const;

export interface JobsPageProps {
  counts: JobQueueCount[];
  failed: JobSummary[];
  queued: JobSummary[];
  running: JobSummary[];
  csrf: string;
  notice?: string | undefined;
  /** shown above the lists, e.g. a retry that found the job no longer failed */
  problem?: string | undefined;
}

function Kind({ kind }: { kind: string }) {
  const label = KIND_LABELS[kind];
  return label ? <>{label}<br /><code class="publisher__muted">{kind}</code></> : <code>{kind}</code>;
}

function total(counts: JobQueueCount[], state: JobSummary['state']): number {
  return counts.filter((c) => c.state === state).reduce((n, c) => n + c.count, 0);
}

function JobTable({ jobs, state, csrf }: { jobs: JobSummary[]; state: keyof typeof STATE_HEADINGS; csrf: string }) {
  const columns = {
    time: state === 'queued' ? 'Nächster Lauf' : state === 'running' ? 'Läuft bis spätestens' : 'Aufgegeben',
    detail: state === 'running' ? 'Prozess' : 'Letzter Fehler',
  };
  return (
    <div class="publisher__table-wrap">
      <table class="publisher__table jobs__table">
        <thead><tr>
          <th scope="col">Art</th>
          <th scope="col">Versuche</th>
          <th scope="col">{columns.time}</th>
          <th scope="col">{columns.detail}</th>
          {state === 'failed' && <th scope="col"><span class="visually-hidden">Aktion</span></th>}
        </tr></thead>
        <tbody>{jobs.map((j) => (
          <tr id={`aufgabe-${j.id}`}>
            <td data-label="Art"><div><Kind kind={j.kind} />{j.uniqueKey && <><br /><span class="publisher__muted">{j.uniqueKey}</span></>}</div></td>
            <td data-label="Versuche">{j.attempts} von {j.maxAttempts}</td>
            <td data-label={columns.time}>{formatGermanDateTime(state === 'queued' ? j.runAt : state === 'running' ? (j.lockedUntil ?? j.runAt) : (j.finishedAt ?? j.runAt))}</td>
            <td data-label={columns.detail}><div>{state === 'running'
              ? <code class="publisher__muted">{j.lockedBy}</code>
              : j.lastError ? <span class="jobs__error">{j.lastError}</span> : <span class="publisher__muted">—</span>}</div></td>
            {state === 'failed' && (
              <td class="jobs__action">
                <PostButton action={`/verlag/aufgaben/${j.id}/wiederholen`} csrf={csrf}>Erneut versuchen</PostButton>
              </td>
            )}
          </tr>
        ))}</tbody>
      </table>
    </div>
  );
}

export function JobsPage(p: JobsPageProps) {
  const lists = { failed: p.failed, queued: p.queued, running: p.running };
  return (
    <PublisherFrame title="Aufgaben" active="/verlag/aufgaben" notice={p.notice}
      meta="Arbeiten, die im Hintergrund laufen: Abrechnung, geplante Veröffentlichungen, Aufräumen. Jede Aufgabe läuft in genau einem Serverprozess; was fehlschlägt, wird mit wachsendem Abstand wiederholt und landet nach dem letzten Versuch hier.">
      {p.problem && <Notice kind="warning">{p.problem}</Notice>}
      <ul class="jobs__counts" aria-label="Aufgaben nach Zustand">
        {(['failed', 'queued', 'running'] as const).map((s) => (
          <li class={`jobs__count${s === 'failed' && total(p.counts, s) > 0 ? ' jobs__count--alert' : ''}`}>
            <a href={`#${s}`}><span class="jobs__number">{total(p.counts, s)}</span> {STATE_HEADINGS[s]}</a>
          </li>
        ))}
      </ul>
      {(['failed', 'queued', 'running'] as const).map((s) => (
        <section class="jobs__section" id={s} aria-labelledby={`${s}-title`}>
          <h2 id={`${s}-title`}>{STATE_HEADINGS[s]}</h2>
          {lists[s].length === 0
            ? <p class="publisher__muted">{s === 'failed' ? 'Keine fehlgeschlagenen Aufgaben.' : s === 'queued' ? 'Keine wartenden Aufgaben.' : 'Gerade läuft keine Aufgabe.'}</p>
            : <JobTable jobs={lists[s]} state={s} csrf={p.csrf} />}
          {total(p.counts, s) > lists[s].length && <p class="publisher__muted">Die {lists[s].length} dringendsten von {total(p.counts, s)} werden gezeigt.</p>}
        </section>
      ))}
    </PublisherFrame>
  );
}
