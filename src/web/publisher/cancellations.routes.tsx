// /verlag/kuendigungen: cancellations that need a person (no contract matched, or extraordinary), marked done when handled.
import { Hono } from 'hono';
import { cancellationQueue, formatGermanDate, formatGermanDateTime, markCancellationHandled, type QueuedCancellation } from '../../billing/index.ts';
import { csrfToken } from '../platform/csrf.ts';
import type { AppEnv } from '../platform/request-context.middleware.ts';
import { CsrfField } from '../ui/form.view.tsx';
import { adminOf, renderPublisherPage, type PublisherRouteDeps } from './publisher-context.ts';
import { PublisherFrame } from './publisher-frame.view.tsx';

function CancellationQueuePage({ items, csrf, notice }: { items: QueuedCancellation[]; csrf: string; notice?: string | undefined }) {
  return (
    <PublisherFrame title="Kündigungen" active="/verlag/kuendigungen" notice={notice}
      meta="Eingänge über das Kündigungsformular, die keinem Abo zugeordnet werden konnten oder außerordentlich sind. Die Bestätigung an die Absender ist schon verschickt.">
      {items.length === 0 ? <p>Keine offenen Kündigungen.</p> : (
        <table class="publisher__table">
          <thead><tr><th scope="col">Eingang</th><th scope="col">Absender</th><th scope="col">Vertrag</th><th scope="col">Art / Grund</th><th scope="col"></th></tr></thead>
          <tbody>{items.map((k) => (
            <tr>
              <td>{formatGermanDateTime(k.receivedAt)}<br /><code class="publisher__muted">{k.number}</code></td>
              <td>{k.name}<br /><span class="publisher__muted">{k.email}</span></td>
              <td>{k.subscriptionNumber ? <a href={`/verlag/abos/${k.subscriptionNumber}`}><code>{k.subscriptionNumber}</code></a> : <span class="status status--warn">nicht zugeordnet</span>}
                {k.contractHint && <><br /><span class="publisher__muted">Angabe: {k.contractHint}</span></>}</td>
              <td>{k.kind === 'extraordinary' ? 'außerordentlich' : 'ordentlich'}{k.preferredDate ? `, zum ${formatGermanDate(k.preferredDate)}` : ''}{k.reason && <><br /><span class="publisher__muted">{k.reason}</span></>}</td>
              <td>
                <form method="post" action={`/verlag/kuendigungen/${k.id}/erledigt`}>
                  <CsrfField token={csrf} />
                  <button class="button button--small button--ghost" type="submit">Erledigt</button>
                </form>
              </td>
            </tr>
          ))}</tbody>
        </table>
      )}
    </PublisherFrame>
  );
}

export function cancellationRoutes(deps: PublisherRouteDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const db = deps.site.db;
  app.get('/verlag/kuendigungen', async (c) => renderPublisherPage(c, deps, 'Kündigungen', (
    <CancellationQueuePage items={await cancellationQueue(db)} csrf={csrfToken(c)} notice={c.req.query('ok') === 'erledigt' ? 'Als erledigt markiert.' : undefined} />
  )));
  app.post('/verlag/kuendigungen/:id/erledigt', async (c) => {
    await markCancellationHandled(db, c.req.param('id'), adminOf(c).id);
    return c.redirect('/verlag/kuendigungen?ok=erledigt', 303);
  });
  return app;
}
