// The newsroom's media library in the browser: drag-and-drop upload (raw bytes to the upload API) and the focal point
// set by clicking on the picture or with the arrow keys. Without it the forms still work.
import type { ApiError, MediaItem } from '../web/newsroom/editor-contract.ts';

const $ = <T extends Element>(sel: string, root: ParentNode = document): T | null => root.querySelector<T>(sel);

function status(text: string, kind: 'info' | 'error' = 'info'): void {
  const box = $<HTMLElement>('#nr-media-status');
  if (!box) return;
  box.textContent = text;
  box.dataset.kind = kind;
}

/** One file to the upload API; answers the item or the server's German message. */
async function upload(url: string, csrf: string, file: File): Promise<MediaItem> {
  const res = await fetch(url, {
    method: 'POST', body: file, credentials: 'same-origin',
    // header values must be Latin-1: names with umlauts or emoji travel percent-encoded
    headers: { 'x-file-name': encodeURIComponent(file.name), 'x-klartext-csrf': csrf, accept: 'application/json', 'content-type': 'application/octet-stream' },
  });
  const body = (await res.json().catch(() => null)) as MediaItem | ApiError | { error?: { message?: string } } | null;
  if (res.ok && body && 'id' in body) return body;
  const err = body && 'error' in body ? body.error : undefined;
  throw new Error(typeof err === 'string' ? err : err?.message ?? `Das Hochladen ist fehlgeschlagen (HTTP ${res.status}).`);
}

function tile(item: MediaItem): HTMLLIElement {
  const li = document.createElement('li');
  li.className = 'nr-media-tile';
  const a = document.createElement('a');
  a.href = `/redaktion/medien/${encodeURIComponent(item.id)}`;
  const img = document.createElement('img');
  img.src = item.thumbUrl;
  img.alt = item.caption || item.fileName;
  img.width = item.width;
  img.height = item.height;
  const name = document.createElement('span');
  name.className = 'nr-media-tile__name';
  name.textContent = item.fileName || 'ohne Dateiname'; // text, never markup: file names come from anyone
  a.append(img, name);
  li.append(a);
  return li;
}

function initUpload(form: HTMLFormElement): void {
  const url = form.dataset.uploadUrl;
  const csrf = (form.elements.namedItem('_csrf') as HTMLInputElement | null)?.value;
  const input = form.elements.namedItem('datei') as HTMLInputElement | null;
  if (!url || !csrf || !input) return;
  const grid = $<HTMLUListElement>('#nr-media-grid');
  const send = async (files: File[]) => {
    let done = 0;
    for (const file of files) {
      status(`Lade ${file.name} hoch … (${done + 1} von ${files.length})`);
      try {
        const item = await upload(url, csrf, file);
        grid?.prepend(tile(item));
        $('#nr-media-empty')?.remove();
        done++;
        status(files.length === 1 ? `${file.name} ist hochgeladen.` : `${done} von ${files.length} Bildern hochgeladen.`);
      } catch (e) {
        status(`${file.name}: ${(e as Error).message}`, 'error');
        return;
      }
    }
  };
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    if (input.files?.length) void send([...input.files]).then(() => { input.value = ''; });
  });
  input.addEventListener('change', () => form.requestSubmit());
  const zone = form;
  for (const type of ['dragenter', 'dragover'] as const) {
    zone.addEventListener(type, (ev) => { ev.preventDefault(); zone.classList.add('nr-media-upload--over'); });
  }
  zone.addEventListener('dragleave', () => zone.classList.remove('nr-media-upload--over'));
  zone.addEventListener('drop', (ev) => {
    ev.preventDefault();
    zone.classList.remove('nr-media-upload--over');
    const files = [...(ev.dataTransfer?.files ?? [])];
    if (files.length) void send(files);
  });
}

function initFocal(area: HTMLElement): void {
  const fx = $<HTMLInputElement>('#f-focal_x');
  const fy = $<HTMLInputElement>('#f-focal_y');
  const mark = $<HTMLElement>('.nr-media-focus__mark', area);
  const img = $<HTMLImageElement>('img', area);
  if (!fx || !fy || !mark || !img) return;
  const crops = [...document.querySelectorAll<HTMLImageElement>('.nr-media-crop img')];
  const announce = $<HTMLElement>('#nr-media-focal-live');
  const show = (x: number, y: number, say: boolean) => {
    // CSSOM, not a style attribute: the page's CSP allows no inline style, but scripts may set properties
    mark.style.left = `${x}%`;
    mark.style.top = `${y}%`;
    for (const c of crops) c.style.objectPosition = `${x}% ${y}%`;
    const text = `Fokuspunkt: ${x} % von links, ${y} % von oben`;
    area.setAttribute('aria-label', `${text}. Mit den Pfeiltasten verschieben, mit Umschalt in großen Schritten.`);
    if (say && announce) announce.textContent = text;
  };
  const set = (x: number, y: number, say = false) => {
    const cx = Math.round(Math.min(100, Math.max(0, x)));
    const cy = Math.round(Math.min(100, Math.max(0, y)));
    fx.value = String(cx);
    fy.value = String(cy);
    show(cx, cy, say);
  };
  area.tabIndex = 0;
  area.setAttribute('role', 'application');
  area.classList.add('nr-media-focus--live');
  area.addEventListener('click', (ev) => {
    const r = img.getBoundingClientRect();
    set(((ev.clientX - r.left) / r.width) * 100, ((ev.clientY - r.top) / r.height) * 100, true);
  });
  area.addEventListener('keydown', (ev) => {
    const step = ev.shiftKey ? 10 : 1;
    const moves: Record<string, [number, number]> = { ArrowLeft: [-step, 0], ArrowRight: [step, 0], ArrowUp: [0, -step], ArrowDown: [0, step] };
    const m = moves[ev.key];
    if (!m) return;
    ev.preventDefault();
    set(Number(fx.value) + m[0], Number(fy.value) + m[1], true);
  });
  for (const input of [fx, fy]) input.addEventListener('input', () => show(Number(fx.value) || 0, Number(fy.value) || 0, false));
  show(Number(fx.value), Number(fy.value), false);
}

const form = $<HTMLFormElement>('#nr-media-upload');
if (form) initUpload(form);
const area = $<HTMLElement>('#nr-media-focus');
if (area) initFocal(area);
