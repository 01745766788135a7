// /verlag/experimente: the list of offer experiments and one experiment with its variants, results, verdict and the start/stop buttons.
import { formatPValue, formatRate, formatZ, type Experiment, type ExperimentResults, type ExperimentState, type VariantCounts } from '../../analytics/index.ts';
import { CsrfField, Notice } from '../ui/form.view.tsx';
import { BarChart } from './charts.tsx';
import { PublisherFrame } from './publisher-frame.view.tsx';

export const EXPERIMENTS_PATH = '/verlag/experimente';
export const experimentPath = (id: string): string => `${EXPERIMENTS_PATH}/${encodeURIComponent(id)}`;

const STATE_LABELS: Record<ExperimentState, { label: string; chip: string }> = {
  draft: { label: 'Entwurf', chip: 'status status--warn' },
  running: { label: 'Läuft', chip: 'status status--ok' },
  ended: { label: 'Beendet', chip: 'status status--off' },
};

export const StateChip = ({ state }: { state: ExperimentState }) => <span class={STATE_LABELS[state].chip}>{STATE_LABELS[state].label}</span>;

const nf = new Intl.NumberFormat('de-DE');
/** "28.11.2026, 11:08 Uhr", Berlin time: an experiment runs for weeks, seconds would only distract. */
const WHEN = new Intl.DateTimeFormat('de-DE', { timeZone: 'Europe/Berlin', dateStyle: 'medium', timeStyle: 'short' });
const at = (iso: string): string => `${WHEN.format(new Date(iso))}\u00a0Uhr`;

function when(e: Experiment): string {
  if (e.state === 'running') return `seit ${at(e.startedAt!)}`;
  if (e.state === 'ended') return `${at(e.startedAt!)} bis ${at(e.endedAt!)}`;
  return `angelegt am ${at(e.createdAt)}`;
}

/** Offer names by id, for the variants that sell another offer than the featured one. */
export type OfferNames = Map<string, string>;
const offerLabel = (offerId: string | null, offers: OfferNames): string => (offerId ? offers.get(offerId) ?? 'Angebot nicht mehr vorhanden' : 'Hervorgehobenes Angebot');

export function ExperimentListPage({ experiments, totals, canEdit, notice }: { experiments: Experiment[]; totals: Map<string, VariantCounts>; canEdit: boolean; notice?: string | undefined }) {
  return (
    <PublisherFrame title="Experimente" active={EXPERIMENTS_PATH} notice={notice} insightsOnly={!canEdit}
      meta="Varianten der Angebotsbox auf Plus-Artikeln im Vergleich: Überschrift, Text und beworbenes Angebot. Die Zuteilung geschieht im Browser der Leserinnen und Leser, ohne Profil und ohne Cookie.">
      <p class="publisher__tools experiments__tools">
        {canEdit && <a class="button button--small" href={`${EXPERIMENTS_PATH}/neu`}>Neues Experiment</a>}
        {experiments.length > 0 && <a href={`${EXPERIMENTS_PATH}?format=csv`} download>Liste als CSV</a>}
      </p>
      {experiments.length === 0
        ? <p class="experiments__empty">Noch kein Experiment. {canEdit ? 'Legen Sie eines an: zwei bis vier Varianten der Angebotsbox mit ihren Anteilen am Publikum.' : 'Experimente legen Administratorinnen und Administratoren an.'}</p>
        : (
          <div class="publisher__table-wrap">
            <table class="publisher__table experiments__table">
              <thead><tr>
                <th scope="col">Experiment</th><th scope="col">Status</th><th scope="col">Zeitraum</th>
                <th scope="col" class="num">Varianten</th><th scope="col" class="num">Einblendungen</th><th scope="col" class="num">Bestellungen</th>
              </tr></thead>
              <tbody>{experiments.map((e) => {
                const t = totals.get(e.id) ?? { impressions: 0, clicks: 0, orders: 0 };
                return (
                  <tr>
                    <td data-label="Experiment"><a href={experimentPath(e.id)}>{e.name}</a></td>
                    <td data-label="Status"><StateChip state={e.state} /></td>
                    <td data-label="Zeitraum">{when(e)}</td>
                    <td data-label="Varianten" class="num">{e.variants.map((v) => `${v.key}\u00a0${v.share}\u00a0%`).join(' · ')}</td>
                    <td data-label="Einblendungen" class="num">{nf.format(t.impressions)}</td>
                    <td data-label="Bestellungen" class="num">{nf.format(t.orders)}</td>
                  </tr>
                );
              })}</tbody>
            </table>
          </div>
        )}
    </PublisherFrame>
  );
}

function Actions({ experiment, csrf }: { experiment: Experiment; csrf: string }) {
  if (experiment.state === 'ended') return null;
  const start = experiment.state === 'draft';
  return (
    <form class="experiments__action" method="post" action={`${experimentPath(experiment.id)}/${start ? 'starten' : 'beenden'}`}>
      <CsrfField token={csrf} />
      <p>{start
        ? 'Nach dem Start sehen Leserinnen und Leser ohne Abo auf jedem Plus-Artikel eine der Varianten, nach den Anteilen unten. Es läuft immer nur ein Experiment; die Varianten lassen sich danach nicht mehr ändern.'
        : 'Nach dem Beenden zeigt die Angebotsbox wieder das hervorgehobene Angebot. Die Ergebnisse bleiben hier stehen.'}</p>
      <button class={start ? 'button' : 'button button--ghost'} type="submit">{start ? 'Experiment starten' : 'Experiment beenden'}</button>
    </form>
  );
}

function ResultsTable({ results }: { results: ExperimentResults }) {
  return (
    <div class="publisher__table-wrap">
      <table class="publisher__table experiments__table experiments__results">
        <caption class="visually-hidden">Ergebnisse je Variante</caption>
        <thead><tr>
          <th scope="col">Variante</th><th scope="col" class="num">Einblendungen</th><th scope="col" class="num">Klicks</th><th scope="col" class="num">Klickrate</th>
          <th scope="col" class="num">Bestellungen</th><th scope="col" class="num">Conversion</th><th scope="col" class="num">z</th><th scope="col" class="num">p</th>
        </tr></thead>
        <tbody>{results.variants.map((r) => {
          const test = r.comparison?.test ?? null;
          const preliminary = r.comparison?.outcome === 'not-enough-data';
          return (
            <tr class={r.comparison?.outcome === 'better' ? 'experiments__row--better' : r.comparison?.outcome === 'worse' ? 'experiments__row--worse' : undefined}>
              <th scope="row" data-label="Variante"><span class="experiments__key">{r.variant.key}</span> {r.variant.key === 'A' ? 'Kontrolle' : r.variant.headline}</th>
              <td data-label="Einblendungen" class="num">{nf.format(r.impressions)}</td>
              <td data-label="Klicks" class="num">{nf.format(r.clicks)}</td>
              <td data-label="Klickrate" class="num">{formatRate(r.clickRate)}</td>
              <td data-label="Bestellungen" class="num">{nf.format(r.orders)}</td>
              <td data-label="Conversion" class="num"><strong>{formatRate(r.conversionRate)}</strong></td>
              <td data-label="z" class="num">{test ? formatZ(test.z) : '–'}</td>
              <td data-label="p" class="num">{test ? `${formatPValue(test.p)}${preliminary ? ' *' : ''}` : '–'}</td>
            </tr>
          );
        })}</tbody>
      </table>
    </div>
  );
}

export function ExperimentDetailPage({ results, offers, canEdit, csrf, notice, problem }: {
  results: ExperimentResults; offers: OfferNames; canEdit: boolean; csrf: string; notice?: string | undefined; problem?: string | undefined;
}) {
  const e = results.experiment;
  const preliminary = results.variants.some((r) => r.comparison?.outcome === 'not-enough-data' && r.comparison.test);
  const undecided = results.variants.some((r) => r.comparison?.outcome === 'not-enough-data');
  const winner = results.variants.some((r) => r.comparison?.outcome === 'better');
  const summaryClass = `experiments__summary${winner ? ' experiments__summary--better' : undecided ? ' experiments__summary--open' : ''}`;
  return (
    <PublisherFrame title={e.name} active={EXPERIMENTS_PATH} notice={notice} insightsOnly={!canEdit} meta={<><StateChip state={e.state} /> {when(e)}</>}>
      <p class="publisher__tools"><a href={EXPERIMENTS_PATH}>← Alle Experimente</a>{e.state !== 'draft' && <> · <a href={`${experimentPath(e.id)}?format=csv`} download>Ergebnisse als CSV</a></>}</p>
      {problem && <Notice kind="warning">{problem}</Notice>}
      {canEdit && <Actions experiment={e} csrf={csrf} />}

      {e.state === 'draft' ? <p class="experiments__empty">Ergebnisse gibt es, sobald das Experiment läuft und Leserinnen und Leser die Varianten sehen.</p> : <section class="experiments__section" aria-labelledby="ergebnis">
        <h2 id="ergebnis">Ergebnis</h2>
        <p class={summaryClass}>{results.summary}</p>
        <ResultsTable results={results} />
        {preliminary && <p class="publisher__muted">* vorläufig: zu wenig Daten für ein Urteil.</p>}
        <ul class="experiments__verdicts">{results.variants.map((r) => <li><span class="experiments__key">{r.variant.key}</span> {r.verdict}</li>)}</ul>
        <BarChart title="Conversion je Variante" format="percent" caption="Bestellungen je Einblendung der Angebotsbox"
          bars={results.variants.map((r) => ({ label: `Variante ${r.variant.key}`, value: r.conversionRate ?? 0 }))} />
      </section>}

      <section class="experiments__section" aria-labelledby="varianten">
        <h2 id="varianten">Varianten</h2>
        <ul class="experiments__variants">{e.variants.map((v) => (
          <li class="experiments__variant">
            <p class="experiments__variant-head"><span class="experiments__key">{v.key}</span> {v.key === 'A' ? 'Kontrolle · ' : ''}{`${v.share}\u00a0% der Seitenaufrufe`}</p>
            <p class="experiments__variant-headline">{v.headline}</p>
            {v.body && <p class="experiments__variant-body">{v.body}</p>}
            <p class="publisher__muted">{offerLabel(v.offerId, offers)}</p>
          </li>
        ))}</ul>
      </section>

      <section class="experiments__section experiments__method" aria-labelledby="methode">
        <h2 id="methode">So wird gerechnet</h2>
        <p>Eine <strong>Einblendung</strong> ist ein Seitenaufruf eines Plus-Artikels, bei dem die Angebotsbox mit dieser Variante zu sehen war; <strong>Klicks</strong> zählen die Bestell-Links in der Box, <strong>Bestellungen</strong> die Abos, die innerhalb von sieben Tagen danach mit dieser Variante abgeschlossen wurden. Die <strong>Conversion</strong> ist Bestellungen je Einblendung.</p>
        <p>Jede Variante wird mit der Kontrolle A verglichen (Zwei-Stichproben-Test für Anteile, zweiseitig). Als gesichert gilt ein Unterschied, wenn p unter 5{'\u00a0'}% liegt; bei mehreren Varianten wird diese Schwelle auf die Vergleiche aufgeteilt. Ein Urteil gibt es erst ab 100 Einblendungen je Variante und genug Bestellungen (rechnerisch mindestens 10 je Variante). Die Zahlen stammen aus den Tagesauswertungen; der laufende Tag kommt im Lauf des Tages hinzu.</p>
      </section>
    </PublisherFrame>
  );
}
