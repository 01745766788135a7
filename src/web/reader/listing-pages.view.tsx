// Front page, section pages and author pages.
import type { ArticleSummary, Author, Section } from '../../content/index.ts';
import { Teaser } from '../ui/teaser.view.tsx';

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

export interface Paging { page: number; pages: number; basePath: string }

export function Pagination({ paging }: { paging: Paging }) {
  if (paging.pages <= 1) return null;
  const href = (p: number) => (p === 1 ? paging.basePath : `${paging.basePath}?seite=${p}`);
  return (
    <nav class="pagination" aria-label="Seiten">
      {paging.page > 1 ? <a href={href(paging.page - 1)} rel="prev">← Neuere Artikel</a> : <span />}
      <span>Seite {paging.page} von {paging.pages}</span>
      {paging.page < paging.pages ? <a href={href(paging.page + 1)} rel="next">Ältere Artikel →</a> : <span />}
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
      <Pagination paging={paging} />
    </>
  );
}

export function AuthorPage({ author, articles, paging }: { author: Author; articles: ArticleSummary[]; paging: Paging }) {
  return (
    <>
      <h1 class="page-title">{author.name}</h1>
      <p class="intro">{author.bio || `Artikel von ${author.name}`}</p>
      <div class="list-stack">{articles.map((a) => <Teaser a={a} variant="row" headingLevel={2} />)}</div>
      <Pagination paging={paging} />
    </>
  );
}
