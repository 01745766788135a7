// Images for the editor: upload (button, drag and drop, paste) with the server's 413/415 answers shown as German
// messages, and the media library dialog with search for reusing an image.
import type { EditorBootData, MediaItem } from '../../web/newsroom/editor-contract.ts';

export const MAX_UPLOAD_BYTES = 20 * 1024 * 1024;

export class UploadError extends Error {}

function errorText(body: unknown): string {
  const b = (body ?? {}) as { error?: unknown; message?: unknown };
  if (typeof b.error === 'string') return b.error;
  if (b.error && typeof b.error === 'object' && typeof (b.error as { message?: unknown }).message === 'string') return (b.error as { message: string }).message;
  return typeof b.message === 'string' ? b.message : '';
}

/** Sends the file's bytes; the server checks the type by content and the size. Resolves with the library entry. */
export async function uploadImage(boot: Pick<EditorBootData, 'urls' | 'csrf'>, file: File): Promise<MediaItem> {
  // not sent at all when it cannot fit: no one waits for 80 MB to go up just to hear "too big"
  if (file.size > MAX_UPLOAD_BYTES) throw new UploadError(`„${file.name}“ ist ${(file.size / 1048576).toFixed(1).replace('.', ',')} MB groß; erlaubt sind höchstens 20 MB.`);
  let res: Response;
  try {
    res = await fetch(boot.urls.upload, {
      method: 'POST',
      body: file,
      credentials: 'same-origin',
      redirect: 'manual',
      headers: {
        'content-type': file.type || 'application/octet-stream',
        // header values are bytes: the name travels percent-encoded
        'x-file-name': encodeURIComponent(file.name),
        'x-klartext-csrf': boot.csrf,
        accept: 'application/json',
      },
    });
  } catch {
    throw new UploadError(`„${file.name}“ konnte nicht hochgeladen werden: keine Verbindung zum Server. Bitte versuchen Sie es noch einmal.`);
  }
  const body: unknown = await res.json().catch(() => null);
  if (res.ok && body && typeof (body as MediaItem).id === 'string') return body as MediaItem;
  const said = errorText(body);
  if (res.status === 413) throw new UploadError(said || `„${file.name}“ ist zu groß; erlaubt sind höchstens 20 MB.`);
  if (res.status === 415) throw new UploadError(said || `„${file.name}“ ist kein JPEG-, PNG- oder WebP-Bild.`);
  if (res.type === 'opaqueredirect' || res.status === 401) throw new UploadError('Ihre Sitzung ist abgelaufen. Bitte melden Sie sich in einem neuen Tab an und laden Sie das Bild dann erneut hoch.');
  throw new UploadError(said || `„${file.name}“ konnte nicht hochgeladen werden (Fehler ${res.status}).`);
}

/** The image files among dropped or pasted ones (others are refused with a message by the caller). */
export function filesOf(list: FileList | null | undefined): File[] {
  return list ? Array.from(list) : [];
}

const byId = <T extends HTMLElement>(id: string): T => document.getElementById(id) as T;

/** Opens the library; resolves with the chosen image or null when closed. */
export function pickFromLibrary(boot: Pick<EditorBootData, 'urls'>): Promise<MediaItem | null> {
  const dialog = byId<HTMLDialogElement>('nr-ed-media-dialog');
  const search = byId<HTMLInputElement>('nr-ed-media-q');
  const list = byId<HTMLUListElement>('nr-ed-media-list');
  const status = byId<HTMLElement>('nr-ed-media-status');
  return new Promise((resolve) => {
    let chosen: MediaItem | null = null;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let seq = 0;
    const load = async () => {
      const mine = ++seq;
      status.textContent = 'Lädt …';
      try {
        const sep = boot.urls.media.includes('?') ? '&' : '?';
        const res = await fetch(`${boot.urls.media}${sep}q=${encodeURIComponent(search.value.trim())}`, { credentials: 'same-origin', headers: { accept: 'application/json' } });
        const body = (await res.json()) as { items?: MediaItem[] };
        if (mine !== seq) return;
        const items = res.ok && Array.isArray(body.items) ? body.items : [];
        status.textContent = res.ok ? (items.length ? `${items.length} Bilder` : 'Keine Bilder gefunden.') : 'Die Mediathek ist gerade nicht erreichbar.';
        list.replaceChildren(...items.map((item) => {
          const li = document.createElement('li');
          const b = document.createElement('button');
          b.type = 'button';
          b.className = 'nr-ed-media-item';
          const img = document.createElement('img');
          img.src = item.thumbUrl;
          img.alt = '';
          img.loading = 'lazy';
          const cap = document.createElement('span');
          cap.className = 'nr-ed-media-item__caption';
          cap.textContent = item.caption || item.fileName;
          const meta = document.createElement('small');
          meta.textContent = [item.credit, `${item.width}×${item.height}`].filter(Boolean).join(' · ');
          b.append(img, cap, meta);
          b.setAttribute('aria-label', `${item.caption || item.fileName} einfügen`);
          b.addEventListener('click', () => { chosen = item; dialog.close('ok'); });
          li.append(b);
          return li;
        }));
      } catch {
        if (mine === seq) status.textContent = 'Die Mediathek ist gerade nicht erreichbar.';
      }
    };
    const onInput = () => { clearTimeout(timer); timer = setTimeout(() => void load(), 250); };
    search.addEventListener('input', onInput);
    dialog.addEventListener('close', () => {
      search.removeEventListener('input', onInput);
      clearTimeout(timer);
      resolve(chosen);
    }, { once: true });
    dialog.showModal();
    search.focus();
    void load();
  });
}
