// Pages of gift links: making one from an article, and the list in "Mein Konto" with copyable links and revoke buttons.
import { GIFT_LINK_DAYS, GIFT_LINKS_PER_MONTH, type GiftLink } from '../../access/index.ts';
import type { Article } from '../../content/index.ts';
import { berlinDateTime } from '../platform/site-info.ts';

export function GiftCreatePage({ article, left, csrf }: { article: Pick<Article, 'slug' | 'headline'>; left: number; csrf: string }) {
  return (
    <section class="prose gift-page">
      <p class="paywall-box__eyebrow">Artikel verschenken</p>
      <h1>„{article.headline}“ verschenken</h1>
      <p>Sie erhalten einen Link, mit dem jede und jeder diesen Artikel {GIFT_LINK_DAYS} Tage lang vollständig lesen kann – ohne Konto und ohne Abo. Sie können den Link jederzeit zurückziehen.</p>
      <p>In diesem Monat können Sie noch <strong>{left} von {GIFT_LINKS_PER_MONTH}</strong> Artikeln verschenken.</p>
      {left > 0 ? (
        <form method="post" action={`/artikel/${article.slug}/verschenken`}>
          <input type="hidden" name="_csrf" value={csrf} />
          <p class="actions"><button class="button button--plus button--large" type="submit">Geschenk-Link erstellen</button></p>
        </form>
      ) : <p class="notice">Ab dem Ersten des nächsten Monats können Sie wieder Artikel verschenken.</p>}
      <p><a href={`/artikel/${article.slug}`}>Zurück zum Artikel</a> · <a href="/konto/geschenke">Meine Geschenk-Links</a></p>
    </section>
  );
}

const STATE_LABEL: Record<GiftLink['state'], string> = { valid: 'aktiv', expired: 'abgelaufen', revoked: 'zurückgezogen', lapsed: 'gilt nicht mehr (ohne Abo)' };

export function GiftListPage({ links, base, csrf, created, revoked }: { links: GiftLink[]; base: string; csrf: string; created?: string; revoked: boolean }) {
  return (
    <section class="prose gift-page">
      <p class="paywall-box__eyebrow"><a href="/konto">Mein Konto</a></p>
      <h1>Meine Geschenk-Links</h1>
      {revoked && <p class="notice" role="status">Der Link wurde zurückgezogen. Wer ihn öffnet, sieht wieder das Angebot.</p>}
      <p>Jeder Link öffnet einen Artikel {GIFT_LINK_DAYS} Tage lang für alle, die ihn bekommen. Sie können bis zu {GIFT_LINKS_PER_MONTH} Artikel im Monat verschenken.</p>
      {links.length === 0 && <p>Sie haben noch keinen Artikel verschenkt. Unter jedem Plus-Artikel finden Sie „Artikel verschenken“.</p>}
      <ul class="gift-list">
        {links.map((link) => {
          const url = `${base}/artikel/${link.article.slug}?geschenk=${link.token}`;
          return (
            <li class={`gift-list__item gift-list__item--${link.state}${link.id === created ? ' gift-list__item--new' : ''}`}>
              <p class="gift-list__title"><a href={`/artikel/${link.article.slug}`}>{link.article.headline}</a> <span class="gift-list__state">{STATE_LABEL[link.state]}</span></p>
              {link.id === created && <p class="notice" role="status">Ihr Geschenk-Link ist fertig. Kopieren Sie ihn und schicken Sie ihn weiter:</p>}
              {link.state === 'valid' && <p><label>Link<input class="gift-list__url" type="text" readonly value={url} /></label></p>}
              <p class="teaser__meta">
                Erstellt {berlinDateTime(link.createdAt)} · {link.state === 'revoked' ? `zurückgezogen ${berlinDateTime(link.revokedAt!)}` : `gültig bis ${berlinDateTime(link.expiresAt)}`}
              </p>
              {(link.state === 'valid' || link.state === 'lapsed') && (
                <form method="post" action={`/konto/geschenke/${link.id}/widerrufen`}>
                  <input type="hidden" name="_csrf" value={csrf} />
                  <button class="button button--ghost" type="submit">Link zurückziehen</button>
                </form>
              )}
            </li>
          );
        })}
      </ul>
    </section>
  );
}
