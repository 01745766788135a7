// Entry of the editor bundle (editor page only): reads the boot data, mounts TipTap on the block model, binds the meta
// fields, the toolbar, images and autosave, and keeps workflow buttons from acting on an unsaved text.
import { Editor } from '@tiptap/core';
import type { DraftDocument } from '../../newsroom/draft-document.ts';
import type { AccessLevel } from '../../content/article.types.ts';
import type { EditorBootData, MediaItem } from '../../web/newsroom/editor-contract.ts';
import { Autosaver, canonicalJson, dropStash, findStash } from './autosave.ts';
import { docToPm, pmToDoc, type PmNode } from './doc-convert.ts';
import type { EditorContext } from './editor-context.ts';
import { schemaExtensions } from './schema.ts';
import { editorKeys, paywallPlace, syncPaywall } from './commands.ts';
import { bindToolbar } from './toolbar.ts';
import { bindMeta } from './meta-panel.ts';
import { filesOf, pickFromLibrary, uploadImage, UploadError } from './media.ts';
import { offerRestore, showConflict } from './conflict-view.ts';
import { paywallWho } from './node-views.ts';
import { announce, showAlert } from './notices.ts';
import { bodyImages } from './body-images.ts';
import { bindSaveStatus } from './save-status.ts';

const startedAt = performance.now();
const root = document.getElementById('kt-editor')!;
const boot = JSON.parse(document.getElementById('kt-editor-data')!.textContent!) as EditorBootData;
const $ = <T extends HTMLElement = HTMLElement>(id: string): T => document.getElementById(id) as T;

/** The meta data lives here; blocks and the paywall position are read from the editor when needed. */
const doc: DraftDocument = structuredClone(boot.doc);
// preview URLs of library images: from uploads and picks at once, for images already in the text asked of the library
const thumbs = new Map<string, Promise<string>>();
const remember = (item: MediaItem) => thumbs.set(item.id, Promise.resolve(item.thumbUrl));
function imageSrc(id: string): Promise<string> {
  let src = thumbs.get(id);
  if (!src) {
    src = fetch(`${boot.urls.media}/${encodeURIComponent(id)}`, { credentials: 'same-origin', headers: { accept: 'application/json' } })
      .then(async (res) => (res.ok ? String(((await res.json()) as Partial<MediaItem>).thumbUrl ?? '') : ''))
      .catch(() => '');
    thumbs.set(id, src);
  }
  return src;
}

const ctx: EditorContext = {
  speakers: () => doc.speakers,
  addSpeaker: (name) => { meta.addSpeaker(name); },
  access: () => doc.access,
  imageSrc,
  announce,
};

// the editor calls back into the autosaver, which reads the editor: assigned once both exist
// eslint-disable-next-line prefer-const
let saver: Autosaver | undefined;

const editor = new Editor({
  element: $('nr-ed-body'),
  extensions: [...schemaExtensions(ctx), editorKeys(ctx, { link: () => toolbar.openLink(), save: () => void saveNow() })],
  content: docToPm(doc),
  injectCSS: false,
  enableContentCheck: false,
  editorProps: {
    attributes: { 'aria-label': 'Artikeltext', 'aria-multiline': 'true', role: 'textbox', class: 'nr-ed-prose', lang: 'de', spellcheck: 'true' },
    handleDrop(view, event, _slice, moved) {
      const files = filesOf(event.dataTransfer?.files);
      if (moved || !files.length) return false;
      event.preventDefault();
      const at = view.posAtCoords({ left: event.clientX, top: event.clientY });
      void images.insertImages(files, at ? images.blockIndexAt(at.pos) : view.state.doc.childCount);
      return true;
    },
    handlePaste(view, event) {
      const files = filesOf(event.clipboardData?.files);
      if (!files.length) return false;
      void images.insertImages(files, images.blockIndexAt(view.state.selection.from));
      return true;
    },
  },
  onUpdate: () => { saver?.changed(); paywallInfo(); },
  onTransaction: () => scheduleToolbar(),
  onBlur: () => { if (saver?.dirty) void saver.flush({ autosave: true }); },
});
const view = editor.view;

/** The draft as sent to the server: the meta data and the blocks of the editor's document. */
function compose(meta: DraftDocument, body: { blocks: DraftDocument['blocks']; paywallAfter: number }): DraftDocument {
  return {
    slug: meta.slug, kicker: meta.kicker, headline: meta.headline, teaser: meta.teaser, section: meta.section, authors: meta.authors,
    access: meta.access, paywallAfter: body.paywallAfter, seoTitle: meta.seoTitle, seoDescription: meta.seoDescription,
    image: meta.image, speakers: meta.speakers, blocks: body.blocks,
  };
}

function currentDoc(): DraftDocument {
  const body = pmToDoc(editor.getJSON() as { content?: PmNode[] }, { paywallAfter: doc.paywallAfter });
  doc.paywallAfter = body.paywallAfter;
  return compose(doc, body);
}

/** A document from the server as the editor will send it back (same conversion, no editor needed). */
const normalize = (d: DraftDocument): DraftDocument => compose(d, pmToDoc(docToPm(d), d));

async function upload(file: File): Promise<MediaItem | null> {
  announce(`„${file.name}“ wird hochgeladen …`);
  root.classList.add('nr-ed--busy');
  try {
    const item = await uploadImage(boot, file);
    remember(item);
    announce(`„${file.name}“ hochgeladen`);
    return item;
  } catch (e) {
    showAlert(e instanceof UploadError ? e.message : `„${file.name}“ konnte nicht hochgeladen werden.`);
    return null;
  } finally {
    root.classList.remove('nr-ed--busy');
  }
}

async function library(): Promise<MediaItem | null> {
  const item = await pickFromLibrary(boot);
  if (item) remember(item);
  return item;
}

const images = bodyImages(view, upload);

const fileInput = $<HTMLInputElement>('nr-ed-file');
fileInput.addEventListener('change', async () => {
  const files = filesOf(fileInput.files);
  const target = fileInput.dataset.target;
  fileInput.dataset.target = '';
  fileInput.value = '';
  if (!files.length) return;
  if (target === 'lead') { meta.setLead(await upload(files[0]!)); return; }
  for (const f of files) { const item = await upload(f); if (item) images.insertImageHere(item); }
});

const meta = bindMeta({
  boot, doc, imageSrc, announce, upload, library,
  changed: () => saver?.changed(),
  commit: () => { if (saver?.dirty) void saver.flush({ autosave: true }); },
  accessChanged: (access: AccessLevel) => {
    syncPaywall(view, access, doc.paywallAfter);
    for (const el of Array.from(view.dom.querySelectorAll('.nr-ed-paywall__who'))) el.textContent = ` · ab hier nur für ${paywallWho(access)}`;
    paywallInfo();
    scheduleToolbar();
  },
  speakersChanged: () => scheduleToolbar(),
});

const toolbar = bindToolbar(editor, ctx, {
  upload: () => { fileInput.dataset.target = 'body'; fileInput.click(); },
  library: async () => { const item = await library(); if (item) { view.focus(); images.insertImageHere(item); } },
  help: () => $<HTMLDialogElement>('nr-ed-help-dialog').showModal(),
  addSpeaker: () => meta.focusNewSpeaker(),
});

let toolbarFrame = 0;
function scheduleToolbar(): void {
  if (toolbarFrame) return;
  toolbarFrame = requestAnimationFrame(() => { toolbarFrame = 0; toolbar.update(); });
}

function paywallInfo(): void {
  if (doc.access === 'free') { meta.paywallInfo('Frei: der ganze Text für alle, keine Paywall.'); return; }
  const place = paywallPlace(view.state.doc);
  meta.paywallInfo(place ? `Paywall nach Block ${place.after} von ${place.of}. Im Text ziehen, oder markieren und Alt+↑/↓.` : 'Die Paywall fehlt.');
}

// --- status line and the problems a refused save names
const status = bindSaveStatus({ view, editor, meta, onConflict: (current) => void resolveConflict(current) });

const names = { sections: new Map(boot.sections.map((s) => [s.slug, s.name])), authors: new Map(boot.authors.map((a) => [a.slug, a.name])) };
async function resolveConflict(current: Parameters<Autosaver['takeTheirs']>[0]): Promise<void> {
  const choice = await showConflict($<HTMLDialogElement>('nr-ed-conflict-dialog'), currentDoc(), current, names);
  if (choice === 'theirs') {
    autosaver.takeTheirs(current);
    load(current.doc);
    announce(`Fassung von ${current.savedBy} übernommen`);
  } else {
    const r = await autosaver.keepMine(current);
    announce(r === 'saved' ? 'Ihre Fassung ist gespeichert' : 'Ihre Fassung ist noch nicht gespeichert');
  }
}

/** Shows a whole other document (their version, a restored draft) without it counting as an edit to undo. */
function load(next: DraftDocument): void {
  Object.assign(doc, structuredClone(next));
  editor.commands.setContent(docToPm(doc), { emitUpdate: false });
  meta.fill();
  paywallInfo();
  scheduleToolbar();
}

const autosaver = new Autosaver({
  // the boot document is compared when it first matters, not while the page opens
  articleId: boot.articleId, url: boot.urls.save, csrf: boot.csrf, baseVersion: boot.version, savedDoc: () => normalize(boot.doc),
  getDoc: currentDoc, normalize, onStatus: status.render, onSaved: status.saved, storage: safeStorage(),
});

saver = autosaver;

function safeStorage(): Storage | null {
  try { return window.localStorage; } catch { return null; }
}

async function saveNow(): Promise<void> {
  const r = await autosaver.flush();
  if (r === 'unchanged') announce('Alles gespeichert');
}

// --- workflow buttons (plain forms of the page): save first, then send the version the server has
for (const form of Array.from(document.querySelectorAll<HTMLFormElement>('form'))) {
  const version = form.querySelector<HTMLInputElement>('input[name="version"]');
  if (!version) continue;
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const submitter = (e as SubmitEvent).submitter as HTMLButtonElement | null;
    if (submitter) submitter.disabled = true;
    const r = await autosaver.flush();
    if (submitter) submitter.disabled = false;
    if (r !== 'saved' && r !== 'unchanged') {
      showAlert(r === 'conflict' ? 'Erst den Konflikt lösen: Welche Fassung soll weitergelten?' : 'Der Artikel ist noch nicht gespeichert. Bitte warten Sie, bis er gespeichert ist, oder beheben Sie die markierten Fehler.');
      return;
    }
    version.value = String(autosaver.baseVersion);
    if (submitter?.name) {
      const hidden = document.createElement('input');
      hidden.type = 'hidden';
      hidden.name = submitter.name;
      hidden.value = submitter.value;
      form.append(hidden);
    }
    form.submit();
  });
}

addEventListener('online', () => autosaver.retryNow());
// Ctrl+S in any field of the editor saves now (in the text the editor's own key binding does it)
root.addEventListener('keydown', (e) => {
  if ((e.ctrlKey || e.metaKey) && !e.altKey && e.key.toLowerCase() === 's' && !view.dom.contains(e.target as Node)) {
    e.preventDefault();
    void saveNow();
  }
});
addEventListener('beforeunload', (e) => {
  if (!autosaver.dirty) return;
  autosaver.stash();
  e.preventDefault();
  e.returnValue = '';
});
document.addEventListener('visibilitychange', () => { if (document.visibilityState === 'hidden') { autosaver.stash(); if (autosaver.dirty) void autosaver.flush({ autosave: true }); } });

// --- a draft this browser kept from an earlier visit
const stash = findStash(safeStorage(), boot.articleId);
if (stash && canonicalJson(normalize(stash.doc)) !== canonicalJson(normalize(boot.doc))) {
  autosaver.stashFrozen = true;
  void offerRestore($<HTMLDialogElement>('nr-ed-restore-dialog'), stash, boot.version).then((choice) => {
    if (choice === 'restore') {
      load(stash.doc);
      autosaver.restore(stash);
      void autosaver.flush();
      announce('Ungespeicherte Fassung wiederhergestellt');
    } else {
      dropStash(safeStorage(), boot.articleId);
      autosaver.stashFrozen = false;
    }
  });
} else if (stash) dropStash(safeStorage(), boot.articleId);

paywallInfo();
toolbar.update();
root.removeAttribute('aria-busy');
root.dataset.ready = '1';
// for bench:editor: from script start and from navigation start until the text is in the page
performance.measure('kt-editor-init', { start: startedAt, end: performance.now() });
performance.mark('kt-editor-ready');
// the first frame after it: the text is on screen
requestAnimationFrame(() => setTimeout(() => performance.mark('kt-editor-painted'), 0));
