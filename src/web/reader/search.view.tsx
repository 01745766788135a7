// The search page: the form, and results as teasers — headline and teaser only, never a snippet of the text.
import type { ArticleSummary } from '../../content/index.ts';
import { Teaser } from '../ui/teaser.view.tsx';

export function SearchPage({ q, results, premiumSearched }: { q: string; results: ArticleSummary[]; premiumSearched: boolean }) {
  return (
    <section class="search-page">
      <h1 class="page-title">Suche</h1>
      <form class="search-form" method="get" action="/suche" role="search">
        <label class="visually-hidden" for="suche-q">Suchbegriff</label>
        <input id="suche-q" type="search" name="q" value={q} maxlength={200} placeholder="Wonach suchen Sie?" />
        <button class="button" type="submit">Suchen</button>
      </form>
      {q && <p class="intro">{results.length === 0 ? `Keine Treffer für „${q}“.` : `${results.length} ${results.length === 1 ? 'Treffer' : 'Treffer'} für „${q}“`}{premiumSearched ? ' – einschließlich des Textes aller Plus-Artikel.' : ''}</p>}
      <div class="list-stack">{results.map((a) => <Teaser a={a} variant="row" headingLevel={2} />)}</div>
    </section>
  );
}
