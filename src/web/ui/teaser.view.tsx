// Article teasers as they appear in lists: badge, kicker, headline, teaser text, picture.
import { raw } from 'hono/html';
import type { ArticleSummary } from '../../content/index.ts';
import { berlinDate } from '../platform/site-info.ts';
import { Picture } from './picture.view.tsx';

export { Picture, jpegUrl, variantUrl } from './picture.view.tsx';

export function AccessBadge({ access }: { access: ArticleSummary['access'] }) {
  if (access === 'plus') return <span class="badge-plus" title="Plus-Artikel: für Abonnentinnen und Abonnenten">Plus</span>;
  if (access === 'registered') return <span class="badge-registered" title="Kostenlos nach Registrierung">Registriert</span>;
  return null;
}

type TeaserProps = { a: ArticleSummary; variant: 'lead' | 'card' | 'row' | 'compact'; headingLevel?: 2 | 3 };

/**
 * Teasers are most of a listing's rendering. Lists that are remembered (the front page's, until the content changes)
 * hand the same summary objects to every render: their teasers are rendered once per summary object and variant and
 * kept with the object (a WeakMap, gone with it) — a changed article is a new object, never a stale teaser.
 */
const renderedTeasers = new WeakMap<ArticleSummary, Map<string, string>>();

export function Teaser(props: TeaserProps) {
  let byVariant = renderedTeasers.get(props.a);
  if (!byVariant) renderedTeasers.set(props.a, (byVariant = new Map()));
  const key = `${props.variant}${props.headingLevel ?? 3}`;
  let html = byVariant.get(key);
  if (html === undefined) {
    html = String(TeaserView(props));
    byVariant.set(key, html);
  }
  return raw(html);
}

function TeaserView({ a, variant, headingLevel = 3 }: TeaserProps) {
  const H = headingLevel === 2 ? 'h2' : 'h3';
  const headline = (
    <H class="teaser__headline">
      <span class="kicker"><AccessBadge access={a.access} />{a.kicker || a.section.name}</span>
      {a.headline}
    </H>
  );
  if (variant === 'compact') {
    return (
      <article class="teaser">
        <a class="teaser__link" href={`/artikel/${a.slug}`}>
          <time datetime={a.publishedAt}>{berlinDate(a.publishedAt)} · {a.section.name}</time>
          {headline}
        </a>
      </article>
    );
  }
  const pic = a.image && <Picture image={a.image} eager={variant === 'lead'} sizes={variant === 'lead' ? '(max-width: 900px) 100vw, 700px' : variant === 'row' ? '240px' : '(max-width: 600px) 100vw, 380px'} />;
  const text = (
    <div>
      {headline}
      {a.teaser && <p class="teaser__text">{a.teaser}</p>}
      <p class="teaser__meta"><time datetime={a.publishedAt}>{berlinDate(a.publishedAt)}</time> · {a.section.name}</p>
    </div>
  );
  return (
    <article class={variant === 'lead' ? 'teaser lead-story' : variant === 'row' ? 'teaser list-item' : 'teaser'}>
      {variant === 'row' || variant === 'lead'
        ? <><a class="teaser__link" href={`/artikel/${a.slug}`} tabindex={-1} aria-hidden="true">{pic}</a><a class="teaser__link" href={`/artikel/${a.slug}`}>{text}</a></>
        : <a class="teaser__link" href={`/artikel/${a.slug}`}>{pic}{text}</a>}
    </article>
  );
}
