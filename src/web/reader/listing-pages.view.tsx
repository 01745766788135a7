// Front page, section pages and author pages.
import type { ArticleSummary, Author, Section } from '../../content/index.ts';
import { Teaser } from '../ui/teaser.view.tsx';
import type { Paging } from './listing-paging.ts';

export interface FrontPageData {
  lead: ArticleSummary | undefined;
  blocks: { section: Section; articles: ArticleSummary[] }[];
  latest: ArticleSummary[];
}

export function FrontPage({ data, siteName }: { data: FrontPageData; siteName: string }) {
  return (
    <>
      <h1 class="visually-hidden">{siteName} – Startseite</h1>
      {data.lead && <Teaser a={data.lead} variant="lead" headingLevel={2} />}
      <div class="front-grid">
        <div>
          {data.blocks.filter((b) => b.articles.length > 0).map((b) => (
            <section class="section-block" aria-labelledby={`ressort-${b.section.slug}`}>
              <h2 class="section-block__title" id={`ressort-${b.section.slug}`}>
                <a href={`/${b.section.slug}`}>{b.section.name}</a>
                <a class="section-block__more" href={`/${b.section.slug}`}>Mehr aus {b.section.name} →</a>
              </h2>
              <div class="teaser-grid">{b.articles.map((a) => <Teaser a={a} variant="card" />)}</div>
            </section>
          ))}
        </div>
        <aside>
          <section class="aside-box" aria-labelledby="neueste">
            <h2 id="neueste">Neueste Artikel</h2>
            <ul class="latest">{data.latest.map((a) => <li><Teaser a={a} variant="compact" /></li>)}</ul>
          </section>
          <section class="aside-box">
            <h2>Plus lesen</h2>
            <p>Alle Plus-Artikel im Klartext lesen: im ersten Monat für 1 €, danach monatlich kündbar.</p>
            <a class="button button--plus" href="/abo">Angebot ansehen</a>
          </section>
        </aside>
      </div>
    </>
  );
}

const longDate = new Intl.DateTimeFormat('de-DE', { timeZone: 'Europe/Berlin', day: 'numeric', month: 'long', year: 'numeric' });

/** The days a page spans, oldest first: „3. März 2024 – 12. April 2024“, or one day. */
function spanOf(articles: ArticleSummary[]): string {
  const from = longDate.format(new Date(articles[articles.length - 1]!.publishedAt));
  const to = longDate.format(new Date(articles[0]!.publishedAt));
  return from === to ? from : `${from} – ${to}`;
}

/** Newer and older pages by link (keyset, decision 021): no page numbers, the page names the days it covers instead. */
export function Pagination({ paging, articles }: { paging: Paging; articles: ArticleSummary[] }) {
  if (!paging.newer && !paging.older) return null;
  return (
    <nav class="pagination pagination--keyset" aria-label="Seiten">
      {paging.newer ? <a href={paging.newer} rel="prev">← Neuere Artikel</a> : <span />}
      <span class="pagination__span">
        {paging.newer ? <>Artikel vom {spanOf(articles)}</> : 'Die neuesten Artikel'}
        {paging.newest && <> · <a href={paging.newest}>Zu den neuesten</a></>}
      </span>
      {paging.older ? <a href={paging.older} rel="next">Ältere Artikel →</a> : <span />}
    </nav>
  );
}

export function SectionPage({ section, articles, paging }: { section: Section; articles: ArticleSummary[]; paging: Paging }) {
  return (
    <>
      <h1 class="page-title">{section.name}</h1>
      {section.description && <p class="intro">{section.description}</p>}
      {articles.length === 0 && <p>In diesem Ressort ist noch nichts erschienen.</p>}
      <div class="list-stack">{articles.map((a) => <Teaser a={a} variant="row" headingLevel={2} />)}</div>
      <Pagination paging={paging} articles={articles} />
    </>
  );
}

export function AuthorPage({ author, articles, paging }: { author: Author; articles: ArticleSummary[]; paging: Paging }) {
  return (
    <>
      <h1 class="page-title">{author.name}</h1>
      <p class="intro">{author.bio || `Artikel von ${author.name}`}</p>
      <div class="list-stack">{articles.map((a) => <Teaser a={a} variant="row" headingLevel={2} />)}</div>
      <Pagination paging={paging} articles={articles} />
    </>
  );
}
