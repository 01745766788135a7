// The editor bar's status line (saved at, saving, offline and retrying, refused, conflict) and the state chip, and the
// problems a refused save names: blocks marked in the text, fields marked in place, all listed in the alert box.
import type { Editor } from '@tiptap/core';
import type { EditorView } from '@tiptap/pm/view';
import type { ApiProblem, SaveConflict, SaveOk } from '../../web/newsroom/editor-contract.ts';
import type { SaveStatus } from './autosave.ts';
import { problemsKey } from './commands.ts';
import { timeOf } from './conflict-view.ts';
import type { bindMeta } from './meta-panel.ts';
import { alertShowsSaveProblem, hideAlert, showAlert, type AlertItem } from './notices.ts';

const STATE_TEXT: Record<string, string> = { draft: 'Entwurf', review: 'In Prüfung', scheduled: 'Geplant', published: 'Veröffentlicht', unpublished: 'Zurückgezogen' };

const LABELS: Record<string, string> = {
  kicker: 'Dachzeile', headline: 'Überschrift', teaser: 'Vorspann', section: 'Ressort', authors: 'Autorinnen/Autoren', access: 'Zugang',
  paywallAfter: 'Paywall', image: 'Aufmacherbild', slug: 'Adresse', seoTitle: 'SEO-Titel', seoDescription: 'SEO-Beschreibung', speakers: 'Gesprächspartner',
};

export interface SaveStatusDeps {
  view: EditorView;
  editor: Editor;
  meta: Pick<ReturnType<typeof bindMeta>, 'markProblem' | 'clearProblems'>;
  onConflict(current: SaveConflict['current']): void;
}

export function bindSaveStatus({ view, editor, meta, onConflict }: SaveStatusDeps) {
  const saveEl = document.getElementById('nr-ed-save')!;
  const stateEl = document.getElementById('nr-ed-state');

  /** Puts the cursor into the index-th block (the marker not counted) and shows it. */
  function focusBlock(index: number): void {
    let pos = 0; let i = 0;
    view.state.doc.forEach((n, offset) => {
      if (n.type.name === 'paywall') return;
      if (i++ === index) pos = offset;
    });
    const node = view.state.doc.nodeAt(pos);
    view.focus();
    editor.commands.setTextSelection(node?.isTextblock ? pos + 1 + node.content.size : pos);
    const dom = view.nodeDOM(pos);
    if (dom instanceof HTMLElement) dom.scrollIntoView({ block: 'center' });
  }

  function showProblems(message: string, problems: ApiProblem[]): void {
    const blockProblems = new Map<number, string>();
    const items: AlertItem[] = [];
    for (const p of problems) {
      const m = /^blocks\[(\d+)\]/.exec(p.path);
      if (m) {
        const index = Number(m[1]);
        blockProblems.set(index, p.message);
        items.push({ text: `Block ${index + 1}: ${p.message}`, go: () => focusBlock(index) });
        continue;
      }
      const el = meta.markProblem(p.path, p.message);
      const head = p.path.split(/[.[]/)[0]!;
      items.push({ text: `${LABELS[head] ?? p.path}: ${p.message}`, go: el ? () => el.focus() : undefined });
    }
    view.dispatch(view.state.tr.setMeta(problemsKey, blockProblems).setMeta('addToHistory', false));
    showAlert(`Nicht gespeichert: ${message}`, items.length > 1 || blockProblems.size ? items : []);
  }

  function clearProblems(): void {
    meta.clearProblems();
    if ((problemsKey.getState(view.state) as { problems: Map<number, string> } | undefined)?.problems.size) {
      view.dispatch(view.state.tr.setMeta(problemsKey, new Map()).setMeta('addToHistory', false));
    }
    if (alertShowsSaveProblem()) hideAlert();
  }

  function render(s: SaveStatus): void {
    let text: string; let title = '';
    switch (s.kind) {
      case 'saved': text = s.at ? `Gespeichert ${timeOf(s.at)}` : `Version ${s.version}`; title = `Version ${s.version}`; break;
      case 'dirty': text = 'Ungespeicherte Änderungen'; break;
      case 'saving': text = 'Speichert …'; break;
      case 'retrying':
        text = s.reason === 'offline' ? 'Offline – wird erneut versucht' : s.reason === 'login' ? 'Sitzung abgelaufen – bitte in neuem Tab anmelden' : 'Server nicht erreichbar – wird erneut versucht';
        title = `Ihre Änderungen sind in diesem Browser gesichert. Nächster Versuch in ${Math.round(s.retryInMs / 1000)} s.`;
        break;
      case 'error': text = 'Nicht gespeichert'; title = s.message; break;
      case 'conflict': text = 'Konflikt – bitte Fassung wählen'; break;
    }
    saveEl.textContent = text;
    saveEl.title = title;
    saveEl.dataset.kind = s.kind === 'retrying' ? 'offline' : s.kind;
    if (s.kind === 'error') showProblems(s.message, s.problems);
    else if (s.kind === 'saved') clearProblems();
    if (s.kind === 'conflict') onConflict(s.current);
  }

  /** After a save: the state chip, and the version the page's workflow forms name. */
  function saved(ok: SaveOk): void {
    if (stateEl) {
      stateEl.textContent = STATE_TEXT[ok.state] ?? ok.state;
      stateEl.className = `nr-ed-chip nr-ed-chip--${ok.state}`;
    }
    // the page's workflow forms name the version on screen (data-kt-version; set again on submit anyway)
    for (const el of Array.from(document.querySelectorAll<HTMLInputElement>('input[data-kt-version]'))) el.value = String(ok.version);
    for (const el of Array.from(document.querySelectorAll<HTMLElement>('[data-kt-version-label]'))) el.textContent = String(ok.version);
  }

  return { render, saved };
}
