// The media library pages: the grid with search and upload, and one image with caption, credit and focal point.
import type { MediaItem } from './editor-contract.ts';
import { CsrfField, ErrorSummary, type FormState } from '../ui/form.view.tsx';
import { focalClasses } from '../ui/picture.view.tsx';
import { berlinDateTime } from '../platform/site-info.ts';

export const MEDIA_FIELD_LABELS: Record<string, string> = {
  caption: 'Bildunterschrift', credit: 'Quelle', focal_x: 'Fokuspunkt waagerecht', focal_y: 'Fokuspunkt senkrecht', datei: 'Datei',
};

const ACCEPT = 'image/jpeg,image/png,image/webp';
const pct = (v: number) => Math.round(v * 100);

function Missing({ item }: { item: MediaItem }) {
  const missing = [!item.caption && 'Bildunterschrift', !item.credit && 'Quelle'].filter(Boolean);
  return missing.length > 0 ? <span class="nr-media-chip">{missing.join(' und ')} {missing.length > 1 ? 'fehlen' : 'fehlt'}</span> : null;
}

function Tile({ item }: { item: MediaItem }) {
  return (
    <li class="nr-media-tile">
      <a href={`/redaktion/medien/${item.id}`}>
        <img src={item.thumbUrl} alt={item.caption || item.fileName} width={item.width} height={item.height} loading="lazy" decoding="async" class={focalClasses(item.focal)} />
        <span class="nr-media-tile__name">{item.fileName || 'ohne Dateiname'}</span>
        <span class="nr-media-tile__meta">{item.width} × {item.height} · {berlinDateTime(item.createdAt)}</span>
        {item.caption && <span class="nr-media-tile__caption">{item.caption}</span>}
        <Missing item={item} />
      </a>
    </li>
  );
}

export function MediaLibraryPage(p: { items: MediaItem[]; next: string | null; q: string; csrf: string; scriptUrl: string; uploadUrl: string; error?: string | undefined }) {
  const more = p.next && `/redaktion/medien?${new URLSearchParams({ ...(p.q ? { q: p.q } : {}), vor: p.next }).toString()}`;
  return (
    <div class="nr-media">
      <form class="nr-media-search" method="get" action="/redaktion/medien" role="search">
        <label for="nr-media-q">Suchen in Dateiname, Bildunterschrift und Quelle</label>
        <input id="nr-media-q" type="search" name="q" value={p.q} maxlength={100} />
        <button class="button button--ghost" type="submit">Suchen</button>
        {p.q && <a href="/redaktion/medien">alle zeigen</a>}
      </form>
      <form id="nr-media-upload" class="nr-media-upload" method="post" action="/redaktion/medien" enctype="multipart/form-data" data-upload-url={p.uploadUrl}>
        <CsrfField token={p.csrf} />
        <p class="nr-media-upload__title">Bilder hochladen</p>
        <p class="nr-media-upload__hint" id="nr-media-upload-hint">Ziehen Sie Fotos hierher oder wählen Sie sie aus: JPEG, PNG oder WebP, höchstens 20 MB je Datei.</p>
        <label for="f-datei" class="nr-media-upload__pick">Datei auswählen</label>
        <input id="f-datei" type="file" name="datei" accept={ACCEPT} multiple aria-describedby="nr-media-upload-hint" />
        <button class="button" type="submit">Hochladen</button>
        <p id="nr-media-status" class="nr-media-status" role="status" aria-live="polite" data-kind={p.error ? 'error' : undefined}>{p.error}</p>
      </form>
      {p.items.length === 0
        ? <p id="nr-media-empty">{p.q ? 'Keine Bilder gefunden.' : 'Noch keine Bilder in der Mediathek.'}</p>
        : null}
      <ul id="nr-media-grid" class="nr-media-grid" aria-label="Bilder, neueste zuerst">{p.items.map((item) => <Tile item={item} />)}</ul>
      {more && <p class="nr-media-more"><a class="button button--ghost" href={more}>Ältere Bilder</a></p>}
      <script src={p.scriptUrl} defer></script>
    </div>
  );
}

export function mediaFormValues(item: MediaItem): Record<string, string> {
  return { caption: item.caption, credit: item.credit, focal_x: String(pct(item.focal.x)), focal_y: String(pct(item.focal.y)) };
}

/** The line under the image's title: size, when and by whom. */
export function MediaFacts({ item, uploadedBy }: { item: MediaItem; uploadedBy?: string | undefined }) {
  return <>{item.width} × {item.height} Pixel · hochgeladen {berlinDateTime(item.createdAt)}{uploadedBy && <> von {uploadedBy}</>}</>;
}

export function MediaDetailPage(p: { item: MediaItem; form: FormState; csrf: string; scriptUrl: string }) {
  const { item, form } = p;
  const fx = Number(form.values.focal_x ?? pct(item.focal.x));
  const fy = Number(form.values.focal_y ?? pct(item.focal.y));
  const focal = focalClasses({ x: (Number.isFinite(fx) ? fx : 50) / 100, y: (Number.isFinite(fy) ? fy : 50) / 100 }) ?? 'focal-x-50 focal-y-50';
  const problem = (name: string) => form.problems[name] && <p class="field__error" id={`${name}-error`}>{form.problems[name]}</p>;
  const invalid = (name: string) => (form.problems[name] ? { 'aria-invalid': 'true', 'aria-describedby': `${name}-error` } : {});
  return (
    <div class="nr-media nr-media-detail">
      <ErrorSummary form={form} labels={MEDIA_FIELD_LABELS} />
      <div class="nr-media-detail__body">
        <div>
          <div id="nr-media-focus" class="nr-media-focus" aria-describedby="nr-media-focus-hint">
            <img src={item.previewUrl ?? item.thumbUrl} alt={item.caption || item.fileName} width={item.width} height={item.height} />
            <span class={`nr-media-focus__mark ${focal}`} aria-hidden="true"></span>
          </div>
          <p id="nr-media-focus-hint" class="field__hint">Fokuspunkt: Klicken Sie auf die wichtigste Stelle des Bildes (oder verschieben Sie ihn mit den Pfeiltasten). Zugeschnittene Vorschaubilder behalten diese Stelle.</p>
          <p id="nr-media-focal-live" class="visually-hidden" aria-live="polite"></p>
          <div class="nr-media-crops" aria-label="So wird zugeschnitten">
            {[['16:9', 'wide'], ['1:1', 'square'], ['4:5', 'tall']].map(([label, kind]) => (
              <figure class={`nr-media-crop nr-media-crop--${kind}`}>
                <img src={item.thumbUrl} alt="" class={focal} />
                <figcaption>{label}</figcaption>
              </figure>
            ))}
          </div>
        </div>
        <form class="nr-media-form" method="post" action={`/redaktion/medien/${item.id}`}>
          <CsrfField token={p.csrf} />
          <div class={form.problems.caption ? 'field field--error' : 'field'}>
            <label for="f-caption">Bildunterschrift</label>
            <p class="field__hint" id="caption-hint">Wer oder was ist zu sehen? Vorgabe, wenn das Bild in einen Artikel kommt.</p>
            {problem('caption')}
            <textarea id="f-caption" name="caption" rows={3} maxlength={500} {...invalid('caption')}>{form.values.caption ?? ''}</textarea>
          </div>
          <div class={form.problems.credit ? 'field field--error' : 'field'}>
            <label for="f-credit">Quelle</label>
            <p class="field__hint">z. B. „Foto: Ina Beispiel“</p>
            {problem('credit')}
            <input id="f-credit" name="credit" type="text" maxlength={200} value={form.values.credit ?? ''} {...invalid('credit')} />
          </div>
          <fieldset class="nr-media-focal-fields">
            <legend>Fokuspunkt in Prozent</legend>
            {(['focal_x', 'focal_y'] as const).map((name) => (
              <div class={form.problems[name] ? 'field field--error' : 'field'}>
                <label for={`f-${name}`}>{name === 'focal_x' ? 'von links' : 'von oben'}</label>
                {problem(name)}
                <input id={`f-${name}`} name={name} type="number" min={0} max={100} step={1} value={form.values[name] ?? ''} inputmode="numeric" {...invalid(name)} />
              </div>
            ))}
          </fieldset>
          <p class="field__hint">Bildunterschrift und Quelle sind Pflicht, bevor ein Artikel mit diesem Bild veröffentlicht wird.</p>
          <button class="button" type="submit">Speichern</button>
        </form>
      </div>
      <script src={p.scriptUrl} defer></script>
    </div>
  );
}
