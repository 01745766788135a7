// The subscription list with search and comp grant, and one subscription with its history and the admin's actions.
import {
  formatEuro, formatGermanDate, priceText, formatGermanDateTime, lastDayBefore, STATE_LABELS, type Subscription, type SubscriptionEvent, type SubscriptionListItem,
} from '../../billing/index.ts';
import { CsrfField, Field, type FormState } from '../ui/form.view.tsx';
import { PublisherFrame } from './publisher-frame.view.tsx';

export interface SubscriptionFilter { q: string; state: string; offer: string; page: number }

const KIND_LABELS: Record<string, string> = { paid: 'bezahlt', gift: 'Geschenk', comp: 'Freiabo' };
const EVENT_LABELS: Record<string, string> = {
  order: 'Bestellung', start: 'Beginn', renew: 'Verlängerung', 'payment-failed': 'Zahlung fehlgeschlagen', 'dunning-step': 'Mahnung',
  'payment-recovered': 'Zahlung eingegangen', cancel: 'Kündigung', 'withdraw-cancellation': 'Kündigung zurückgenommen', expire: 'Ende',
  terminate: 'Sofort beendet', grant: 'Freiabo vergeben', extend: 'Freiabo verlängert', refund: 'Erstattung',
};
const CHARGE_KINDS: Record<string, string> = { intro: 'Einführungspreis', regular: 'regulär', gift: 'Geschenk', refund: 'Erstattung' };
const CHARGE_STATES: Record<string, string> = { pending: 'offen', submitted: 'eingereicht', paid: 'bezahlt', failed: 'fehlgeschlagen', returned: 'zurückgegeben', refunded: 'erstattet' };
const PROVIDER_LABELS: Record<string, string> = { sepa: 'SEPA-Lastschrift', stripe: 'Stripe', none: '—' };

const until = (end: string | null) => (end === null ? '—' : end.startsWith('9999') ? 'unbefristet' : formatGermanDate(lastDayBefore(end)));

function StateBadge({ state }: { state: string }) {
  const ok = state === 'active' || state === 'intro';
  return <span class={`status ${ok ? 'status--ok' : state === 'ended' ? 'status--off' : 'status--warn'}`}>{STATE_LABELS[state as keyof typeof STATE_LABELS] ?? state}</span>;
}

export function filterQuery(f: Omit<SubscriptionFilter, 'page'>, page?: number): string {
  const p = new URLSearchParams();
  if (f.q) p.set('q', f.q);
  if (f.state) p.set('status', f.state);
  if (f.offer) p.set('angebot', f.offer);
  if (page && page > 1) p.set('seite', String(page));
  const s = p.toString();
  return s ? `?${s}` : '';
}

export function SubscriptionListPage(p: {
  items: SubscriptionListItem[]; hasMore: boolean; filter: SubscriptionFilter; offers: string[]; csrf: string; grant: FormState; notice?: string | undefined;
}) {
  const { filter } = p;
  return (
    <PublisherFrame title="Abos" active="/verlag/abos" notice={p.notice}>
      <form class="publisher__search" method="get" action="/verlag/abos" role="search">
        <div class="field">
          <label for="f-q">Suche</label>
          <input id="f-q" name="q" type="search" value={filter.q} placeholder="Name, E-Mail oder Abonummer" />
        </div>
        <div class="field">
          <label for="f-status">Status</label>
          <select id="f-status" name="status">
            <option value="">alle</option>
            {Object.entries(STATE_LABELS).map(([k, v]) => <option value={k} selected={filter.state === k}>{v}</option>)}
          </select>
        </div>
        <div class="field">
          <label for="f-angebot">Angebot</label>
          <select id="f-angebot" name="angebot">
            <option value="">alle</option>
            {p.offers.map((o) => <option value={o} selected={filter.offer === o}>{o}</option>)}
          </select>
        </div>
        <button class="button" type="submit">Suchen</button>
      </form>
      <p class="publisher__tools"><a href={`/verlag/abos.csv${filterQuery(filter)}`}>Diese Liste als CSV herunterladen</a></p>

      {p.items.length === 0
        ? <p>Keine Abos gefunden.</p>
        : (
          <div class="publisher__table-wrap">
            <table class="publisher__table">
              <thead><tr><th scope="col">Abonummer</th><th scope="col">Name / E-Mail</th><th scope="col">Angebot</th><th scope="col">Status</th><th scope="col">Abgeschlossen</th><th scope="col">Zugang bis einschl.</th></tr></thead>
              <tbody>
                {p.items.map((s) => (
                  <tr>
                    <td><a href={`/verlag/abos/${s.number}`}><code>{s.number}</code></a></td>
                    <td>{s.name && <>{s.name}<br /></>}<span class="publisher__muted">{s.email || '—'}</span></td>
                    <td>{s.offerName}<br /><span class="publisher__muted">{KIND_LABELS[s.kind]}</span></td>
                    <td><StateBadge state={s.state} />{s.cancelEffectiveAt && s.state !== 'ended' && <><br /><span class="publisher__muted">gekündigt zum {until(s.cancelEffectiveAt)}</span></>}</td>
                    <td>{formatGermanDate(s.createdAt)}</td>
                    <td>{until(s.accessUntil)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      <nav class="pagination" aria-label="Seiten">
        {filter.page > 1 ? <a href={`/verlag/abos${filterQuery(filter, filter.page - 1)}`}>← Neuere</a> : <span />}
        <span class="publisher__muted">Seite {filter.page}</span>
        {p.hasMore ? <a href={`/verlag/abos${filterQuery(filter, filter.page + 1)}`}>Ältere →</a> : <span />}
      </nav>

      <section class="panel publisher__grant" aria-labelledby="grant-title">
        <h2 id="grant-title">Freiabo vergeben</h2>
        <p>Gibt einem Konto Plus für die angegebenen Tage; ein laufendes Freiabo wird verlängert. In der Historie steht, wer es vergeben hat.</p>
        <form class="form" method="post" action="/verlag/abos/freiabo">
          <CsrfField token={p.csrf} />
          <Field form={p.grant} name="email" label="E-Mail-Adresse des Kontos" type="email" required />
          <Field form={p.grant} name="days" label="Tage" hint="1 bis 3660" required />
          <button class="button" type="submit">Freiabo vergeben</button>
        </form>
      </section>
    </PublisherFrame>
  );
}

export interface SubscriptionCharge { id: string; kind: string; amountCents: number; periodStart: string; state: string; dueOn: string }

export function SubscriptionDetailPage(p: {
  sub: Subscription; email: string | null; history: SubscriptionEvent[]; charges: SubscriptionCharge[]; ibanMasked: string | null; csrf: string;
  terminate: FormState; notice?: string | undefined;
  /** a refund that was refused: which charge, the amount typed, why */
  refund?: { charge: string; amount: string; problem: string } | undefined;
}) {
  const { sub } = p;
  const live = sub.state !== 'ended';
  return (
    <PublisherFrame title={`Abo ${sub.number}`} active="/verlag/abos" notice={p.notice}
      meta={<>{sub.offer_name} · <StateBadge state={sub.state} /></>}>
      <p class="publisher__tools"><a href="/verlag/abos">← Alle Abos</a></p>
      <section class="panel">
        <h2>Vertrag</h2>
        <dl class="publisher__facts">
          <dt>Konto</dt><dd>{p.email ?? '— (kein Konto)'}</dd>
          <dt>Kontoinhaber / Käufer</dt><dd>{sub.holder_name || '—'}{sub.buyer_email && sub.buyer_email !== p.email ? ` (${sub.buyer_email})` : ''}</dd>
          <dt>Art</dt><dd>{KIND_LABELS[sub.kind]} · {PROVIDER_LABELS[sub.provider]}{p.ibanMasked ? ` · ${p.ibanMasked}` : ''}</dd>
          <dt>Preis</dt><dd>{sub.kind === 'comp' ? 'kostenlos' : priceText({
            kind: sub.kind === 'gift' ? 'gift' : 'recurring', introPriceCents: sub.intro_price_cents, introMonths: sub.intro_months, priceCents: sub.price_cents,
            period: sub.period === 'year' ? 'year' : 'month', giftMonths: sub.gift_months ? [sub.gift_months] : [],
          })}</dd>
          <dt>Beginn</dt><dd>{formatGermanDate(sub.starts_at)}</dd>
          <dt>Laufender Zeitraum</dt><dd>{sub.current_period_start && sub.current_period_end ? `${formatGermanDate(sub.current_period_start)} bis einschließlich ${until(sub.current_period_end)}` : '—'}</dd>
          <dt>Zugang bis einschließlich</dt><dd>{until(sub.access_until)}</dd>
          {sub.cancel_effective_at && <><dt>Gekündigt zum</dt><dd>Ende am {until(sub.cancel_effective_at)} (eingegangen {sub.cancel_requested_at ? formatGermanDateTime(sub.cancel_requested_at) : '—'})</dd></>}
          {sub.ended_at && <><dt>Beendet</dt><dd>{formatGermanDateTime(sub.ended_at)}{sub.end_reason ? ` (${sub.end_reason})` : ''}</dd></>}
        </dl>
      </section>

      {live && (
        <section class="panel" aria-labelledby="actions-title">
          <h2 id="actions-title">Aktionen</h2>
          {!sub.cancel_effective_at && (
            <form class="inline-form publisher__action" method="post" action={`/verlag/abos/${sub.number}/kuendigen`}>
              <CsrfField token={p.csrf} />
              <p>Im Auftrag kündigen: zum frühestmöglichen Termin, der Zugang läuft bis dahin weiter.</p>
              <button class="button button--small" type="submit">Kündigen</button>
            </form>
          )}
          <form class="form publisher__action" method="post" action={`/verlag/abos/${sub.number}/beenden`}>
            <CsrfField token={p.csrf} />
            <h3 class="panel__danger-title">Sofort beenden</h3>
            <Field form={p.terminate} name="reason" label="Grund" hint="z. B. außerordentliche Kündigung, Betrug. Der Zugang endet sofort, es wird nichts mehr abgebucht." required />
            <button class="button button--small button--danger" type="submit">Abo sofort beenden</button>
          </form>
        </section>
      )}

      <section class="panel">
        <h2>Zahlungen</h2>
        {p.charges.length === 0 ? <p>Keine Zahlungen.</p> : (
          <table class="publisher__table">
            <thead><tr><th scope="col">Zeitraum ab</th><th scope="col">Art</th><th scope="col">Betrag</th><th scope="col">Fällig</th><th scope="col">Status</th><th scope="col">Erstatten</th></tr></thead>
            <tbody>{p.charges.map((c) => (
              <tr>
                <td>{formatGermanDate(c.periodStart)}</td><td>{CHARGE_KINDS[c.kind] ?? c.kind}</td><td>{formatEuro(c.amountCents)}</td><td>{formatGermanDate(c.dueOn)}</td><td>{CHARGE_STATES[c.state] ?? c.state}</td>
                <td>{c.kind !== 'refund' && (c.state === 'submitted' || c.state === 'paid') && (
                  <form class="publisher__refund" method="post" action={`/verlag/abos/${sub.number}/erstatten`}>
                    <CsrfField token={p.csrf} />
                    <input type="hidden" name="charge" value={c.id} />
                    <label class="visually-hidden" for={`amount-${c.id}`}>Betrag in Euro</label>
                    <input id={`amount-${c.id}`} name="amount" type="text" inputmode="decimal" size={7} value={p.refund?.charge === c.id ? p.refund.amount : (c.amountCents / 100).toFixed(2).replace('.', ',')} />
                    <button class="button button--small button--ghost" type="submit">Erstatten</button>
                    {p.refund?.charge === c.id && <p class="field__error">{p.refund.problem}</p>}
                  </form>
                )}</td>
              </tr>
            ))}</tbody>
          </table>
        )}
      </section>

      <section class="panel">
        <h2>Historie</h2>
        <table class="publisher__table">
          <thead><tr><th scope="col">Zeitpunkt</th><th scope="col">Ereignis</th><th scope="col">Status</th><th scope="col">Anlass</th><th scope="col">Von</th></tr></thead>
          <tbody>{p.history.map((h) => (
            <tr>
              <td>{formatGermanDateTime(h.at)}</td><td>{EVENT_LABELS[h.event] ?? h.event}</td>
              <td>{h.from ? `${STATE_LABELS[h.from as keyof typeof STATE_LABELS] ?? h.from} → ` : ''}{STATE_LABELS[h.to as keyof typeof STATE_LABELS] ?? h.to}</td>
              <td>{h.cause}</td><td><code>{h.actor}</code></td>
            </tr>
          ))}</tbody>
        </table>
      </section>
    </PublisherFrame>
  );
}
