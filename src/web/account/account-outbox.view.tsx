// The mail outbox for admins: every mail Klartext would have sent, with clickable links, when no SMTP server is set.
import type { OutboxMail } from '../../mail/index.ts';
import { berlinDateTime } from '../platform/site-info.ts';

/** Text with its http(s) links made clickable; everything else stays escaped text. */
function Linked({ text }: { text: string }) {
  const parts = text.split(/(https?:\/\/[^\s<>"]+)/g);
  return <>{parts.map((p, i) => (i % 2 === 1 ? <a href={p}>{p}</a> : p))}</>;
}

export function OutboxPage({ mails, smtp }: { mails: OutboxMail[]; smtp: boolean }) {
  return (
    <div class="account">
      <header class="account__head">
        <p class="auth__kicker"><a href="/konto">Mein Konto</a> · Administration</p>
        <h1 class="account__title">Postausgang</h1>
        <p class="account__meta">{smtp
          ? 'Diese Installation verschickt Mails über SMTP. Hier stehen nur Mails aus der Zeit ohne Mailserver.'
          : 'Kein Mailserver eingerichtet (SMTP_URL): Alle Mails landen hier. Die neuesten stehen oben.'}</p>
      </header>
      {mails.length === 0 && <p>Der Postausgang ist leer.</p>}
      <ol class="outbox">
        {mails.map((m) => (
          <li class="panel outbox__mail">
            <p class="outbox__meta"><time datetime={m.createdAt}>{berlinDateTime(m.createdAt)}</time> · an <strong>{m.to}</strong></p>
            <h2 class="outbox__subject">{m.subject}</h2>
            <pre class="outbox__body"><Linked text={m.text} /></pre>
          </li>
        ))}
      </ol>
    </div>
  );
}
