// Stands where premium blocks would be when no paywall is wired in: it reveals nothing about them.
import type { Article } from '../content/index.ts';

export function PremiumPlaceholder({ article }: { article: Article }) {
  return (
    <div class="premium paywall-box">
      <h2>{article.access === 'plus' ? 'Weiterlesen mit Plus' : 'Kostenlos weiterlesen nach Anmeldung'}</h2>
      <p>{article.access === 'plus' ? 'Dieser Artikel ist Teil unseres Plus-Angebots.' : 'Diesen Artikel lesen Sie kostenlos, wenn Sie angemeldet sind.'}</p>
      <p class="actions"><a class="button button--plus" href="/abo">Plus-Abo ansehen</a> <a class="button button--ghost" href="/anmelden">Anmelden</a></p>
    </div>
  );
}
