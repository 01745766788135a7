// The conflict view (409): the saved version and the person's own side by side, differences marked, and two ways on:
// take theirs, or keep mine and save it on top (theirs stays in the revisions). Also the restore offer after a reload.
import type { DraftDocument } from '../../newsroom/draft-document.ts';
import type { SaveConflict } from '../../web/newsroom/editor-contract.ts';
import { alignBlocks, blockText, metaRows } from './doc-compare.ts';
import type { StashedDraft } from './autosave.ts';
import { blockLabel } from './commands.ts';

const berlinTime = new Intl.DateTimeFormat('de-DE', { hour: '2-digit', minute: '2-digit', timeZone: 'Europe/Berlin' });
const berlinDateTime = new Intl.DateTimeFormat('de-DE', { day: 'numeric', month: 'numeric', hour: '2-digit', minute: '2-digit', timeZone: 'Europe/Berlin' });
export const timeOf = (iso: string): string => { const d = new Date(iso); return Number.isNaN(d.getTime()) ? '' : berlinTime.format(d); };
const dateTimeOf = (iso: string): string => { const d = new Date(iso); return Number.isNaN(d.getTime()) ? '' : berlinDateTime.format(d); };

function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string> = {}, ...children: (Node | string)[]): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  e.append(...children);
  return e;
}

/** Shows the modal and resolves with the choice of the button pressed, which also becomes the dialog's returnValue. */
function ask<C extends string>(dialog: HTMLDialogElement, buttons: Record<C, HTMLButtonElement>, focus: NoInfer<C>): Promise<C> {
  return new Promise((resolve) => {
    // Escape does not close it: the choice decides what happens to someone's text
    const onCancel = (e: Event) => e.preventDefault();
    dialog.addEventListener('cancel', onCancel);
    for (const [choice, button] of Object.entries(buttons) as [C, HTMLButtonElement][]) {
      button.addEventListener('click', () => {
        dialog.removeEventListener('cancel', onCancel);
        dialog.close(choice);
        resolve(choice);
      }, { once: true });
    }
    dialog.showModal();
    buttons[focus].focus();
  });
}

export interface Names { sections: Map<string, string>; authors: Map<string, string> }

export function showConflict(dialog: HTMLDialogElement, mine: DraftDocument, current: SaveConflict['current'], names: Names): Promise<'theirs' | 'mine'> {
  const who = current.savedBy || 'Jemand';
  const table = h('table', { class: 'nr-ed-compare' },
    h('caption', { class: 'visually-hidden' }, 'Gespeicherte Fassung und Ihre Fassung im Vergleich'),
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, ''), h('th', { scope: 'col' }, `Gespeichert von ${who} (Version ${current.version})`), h('th', { scope: 'col' }, 'Ihre Fassung (nicht gespeichert)'))));
  const body = h('tbody');
  for (const r of metaRows(current.doc, mine, names)) {
    body.append(h('tr', { class: 'nr-ed-compare__changed' }, h('th', { scope: 'row' }, r.label), h('td', {}, r.theirs || '–'), h('td', {}, r.mine || '–')));
  }
  const rows = alignBlocks(current.doc.blocks, mine.blocks);
  let sameRun = 0;
  const flushSame = () => {
    if (sameRun) body.append(h('tr', { class: 'nr-ed-compare__same' }, h('th', { scope: 'row' }, ''), h('td', { colspan: '2' }, sameRun === 1 ? '1 Block gleich' : `${sameRun} Blöcke gleich`)));
    sameRun = 0;
  };
  const label = (type: string, index: number) => `Block ${index + 1} · ${blockLabel(type)}`;
  for (const r of rows) {
    if (r.kind === 'same') { sameRun++; continue; }
    flushSame();
    if (r.kind === 'changed') body.append(h('tr', { class: 'nr-ed-compare__changed' }, h('th', { scope: 'row' }, label(r.mine.type, r.mineIndex)), h('td', {}, blockText(r.theirs)), h('td', {}, blockText(r.mine))));
    else if (r.kind === 'theirs-only') body.append(h('tr', { class: 'nr-ed-compare__theirs' }, h('th', { scope: 'row' }, label(r.theirs.type, r.theirsIndex)), h('td', {}, blockText(r.theirs)), h('td', { class: 'nr-ed-compare__gap' }, 'fehlt bei Ihnen')));
    else body.append(h('tr', { class: 'nr-ed-compare__mine' }, h('th', { scope: 'row' }, label(r.mine.type, r.mineIndex)), h('td', { class: 'nr-ed-compare__gap' }, 'fehlt dort'), h('td', {}, blockText(r.mine))));
  }
  flushSame();
  table.append(body);
  const theirsBtn = h('button', { type: 'button', class: 'nr-ed-btn nr-ed-btn--ghost', 'data-choice': 'theirs' }, `Fassung von ${who} übernehmen`);
  const mineBtn = h('button', { type: 'button', class: 'nr-ed-btn', 'data-choice': 'mine' }, 'Meine Fassung behalten und speichern');
  dialog.replaceChildren(
    h('h2', { id: 'nr-ed-conflict-title' }, 'Jemand anderes hat diesen Artikel inzwischen gespeichert'),
    h('p', {}, `${who} hat um ${timeOf(current.savedAt)} Uhr Version ${current.version} gespeichert, während Sie geschrieben haben. Unterschiede sind markiert. Wenn Sie Ihre Fassung behalten, bleibt die andere in den Versionen erhalten; wenn Sie die andere übernehmen, gehen Ihre ungespeicherten Änderungen verloren.`),
    h('div', { class: 'nr-ed-compare__wrap' }, table),
    h('div', { class: 'nr-ed-dialog__buttons' }, theirsBtn, mineBtn),
  );
  return ask(dialog, { theirs: theirsBtn, mine: mineBtn }, 'mine');
}

/** After a reload: a draft from this browser the server never confirmed. Resolves with the person's choice. */
export function offerRestore(dialog: HTMLDialogElement, stash: StashedDraft, serverVersion: number): Promise<'restore' | 'discard'> {
  const newer = serverVersion > stash.baseVersion;
  const restoreBtn = h('button', { type: 'button', class: 'nr-ed-btn' }, 'Wiederherstellen');
  const discardBtn = h('button', { type: 'button', class: 'nr-ed-btn nr-ed-btn--ghost' }, 'Verwerfen');
  dialog.replaceChildren(
    h('h2', { id: 'nr-ed-restore-title' }, 'Ungespeicherte Änderungen gefunden'),
    h('p', {}, `In diesem Browser liegt eine Fassung vom ${dateTimeOf(stash.stashedAt)} Uhr, die der Server noch nicht bestätigt hat (Überschrift: „${stash.doc.headline || 'ohne'}“).`),
    h('p', {}, newer
      ? `Auf dem Server ist inzwischen Version ${serverVersion} gespeichert. Nach dem Wiederherstellen sehen Sie beide Fassungen zum Vergleich.`
      : 'Wiederherstellen setzt Ihre Arbeit dort fort, wo sie aufgehört hat, und speichert sie.'),
    h('div', { class: 'nr-ed-dialog__buttons' }, discardBtn, restoreBtn),
  );
  return ask(dialog, { restore: restoreBtn, discard: discardBtn }, 'restore');
}
