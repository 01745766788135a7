// The preview's pieces: the banner over the article page (fixed, so the page below keeps its layout) and the device page.
import type { PreviewAudience } from './newsroom-context.ts';
import type { EditorialState } from '../../newsroom/index.ts';
import { STATE_LABELS } from './newsroom-frame.view.tsx';

/** The `als` values of the URL, in the order the switch shows them. */
export const AUDIENCES: { param: string; audience: PreviewAudience; label: string; who: string }[] = [
  { param: 'gast', audience: 'guest', label: 'Gast', who: 'ein Gast (nicht angemeldet)' },
  { param: 'registriert', audience: 'registered', label: 'Registriert', who: 'eine registrierte Leserin ohne Abo (freie Plus-Artikel aufgebraucht)' },
  { param: 'abonnent', audience: 'subscriber', label: 'Abonnent', who: 'eine Abonnentin oder ein Abonnent' },
];

export const previewUrl = (articleId: string, param: string) => `/redaktion/artikel/${articleId}/vorschau?als=${param}`;
export const devicesUrl = (articleId: string, param: string) => `/redaktion/artikel/${articleId}/vorschau/geraete?als=${param}`;

function AudienceSwitch({ articleId, current, href, class: cls }: { articleId: string; current: string; href: (id: string, p: string) => string; class: string }) {
  return (
    <nav class={cls} aria-label="Vorschau als">
      {AUDIENCES.map((a) => <a href={href(articleId, a.param)} target="_top" aria-current={a.param === current ? 'page' : undefined}>{a.label}</a>)}
    </nav>
  );
}

export interface PreviewInfo { articleId: string; param: string; version: number; state: EditorialState }

/**
 * Fixed to the bottom of the window and out of the page's flow: what is measured above it is the page as readers get
 * it. Its links leave a device frame (target _top), back to the newsroom's own pages.
 */
export function PreviewBanner({ info }: { info: PreviewInfo }) {
  const a = AUDIENCES.find((x) => x.param === info.param)!;
  return (
    <aside class="nr-pv-banner" aria-label="Vorschau">
      <p class="nr-pv-banner__what"><strong>Vorschau</strong> <span>so sieht es {a.who}</span> <span class="nr-pv-banner__ver">Fassung {info.version} · {STATE_LABELS[info.state]}</span></p>
      <AudienceSwitch articleId={info.articleId} current={info.param} href={previewUrl} class="nr-pv-banner__switch" />
      <p class="nr-pv-banner__links">
        <a href={devicesUrl(info.articleId, info.param)} target="_top">Telefon &amp; Desktop</a>
        <a href={`/redaktion/artikel/${info.articleId}`} target="_top">Zum Editor</a>
      </p>
    </aside>
  );
}

/** Phone (390 px) and desktop (1280 px, drawn smaller) side by side; the frames run no script and cannot leave by themselves. */
export function DevicesPage({ info, headline }: { info: PreviewInfo; headline: string }) {
  const src = previewUrl(info.articleId, info.param);
  const a = AUDIENCES.find((x) => x.param === info.param)!;
  return (
    <div class="nr-pv">
      <div class="nr-pv__bar">
        <p class="nr-pv__who">Ansicht für {a.who}:</p>
        <AudienceSwitch articleId={info.articleId} current={info.param} href={devicesUrl} class="nr-pv__switch" />
        <p class="nr-pv__links"><a href={src}>Nur Desktop, volle Größe</a> · <a href={`/redaktion/artikel/${info.articleId}`}>Zum Editor</a></p>
      </div>
      <div class="nr-pv__devices">
        <figure class="nr-pv__device nr-pv__device--phone">
          <figcaption>Telefon · 390 px</figcaption>
          <div class="nr-pv__screen"><iframe src={src} title={`Vorschau „${headline}“ auf dem Telefon (390 Pixel breit)`} sandbox="allow-same-origin allow-top-navigation-by-user-activation" loading="eager" width="390" height="844"></iframe></div>
        </figure>
        <figure class="nr-pv__device nr-pv__device--desktop">
          <figcaption>Desktop · 1280 px (verkleinert)</figcaption>
          <div class="nr-pv__screen"><iframe src={src} title={`Vorschau „${headline}“ auf dem Desktop (1280 Pixel breit)`} sandbox="allow-same-origin allow-top-navigation-by-user-activation" loading="eager" width="1280" height="1500"></iframe></div>
        </figure>
      </div>
    </div>
  );
}
