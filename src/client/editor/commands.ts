// Editing commands of the block model (block types, moving blocks, the paywall marker, interview flow) and the keys
// and plugins that use them: one marker at most, placeholders, the premium part tinted, blocks the server refused marked.
import { Extension } from '@tiptap/core';
import { Fragment, Slice, type Node as PmNode } from '@tiptap/pm/model';
import { NodeSelection, Plugin, PluginKey, TextSelection, type EditorState, type Transaction } from '@tiptap/pm/state';
import { Decoration, DecorationSet, type EditorView } from '@tiptap/pm/view';
import { history, redo, undo } from '@tiptap/pm/history';
import { dropCursor } from '@tiptap/pm/dropcursor';
import { gapCursor } from '@tiptap/pm/gapcursor';
import type { EditorContext } from './editor-context.ts';

export const BLOCK_TYPES = ['paragraph', 'subheading', 'question', 'answer', 'quote'] as const;
export type TextBlockType = (typeof BLOCK_TYPES)[number];
const BLOCK_LABELS: Record<TextBlockType | 'image' | 'paywall', string> = {
  paragraph: 'Absatz', subheading: 'Zwischentitel', question: 'Frage', answer: 'Antwort', quote: 'Zitat', image: 'Bild', paywall: 'Paywall',
};

export type Command = (state: EditorState, dispatch?: (tr: Transaction) => void, view?: EditorView) => boolean;

/** The top-level block holding the selection: its index, start position and node. */
export function currentBlock(state: EditorState): { index: number; pos: number; node: PmNode } | null {
  const sel = state.selection;
  if (sel instanceof NodeSelection && sel.$from.depth === 0) return { index: sel.$from.index(0), pos: sel.from, node: sel.node };
  const $from = sel.$from;
  if ($from.depth === 0) {
    // a gap cursor between blocks: the block after it, else the one before
    const index = Math.min($from.index(0), state.doc.childCount - 1);
    let pos = 0;
    for (let i = 0; i < index; i++) pos += state.doc.child(i).nodeSize;
    return { index, pos, node: state.doc.child(index) };
  }
  return { index: $from.index(0), pos: $from.before(1), node: state.doc.child($from.index(0)) };
}

/** Position of the paywall marker, or null. */
export function findPaywall(doc: PmNode): number | null {
  let found: number | null = null;
  doc.forEach((n, offset) => { if (found === null && n.type.name === 'paywall') found = offset; });
  return found;
}

/** How many blocks come before the marker, and how many there are (the marker not counted). */
export function paywallPlace(doc: PmNode): { after: number; of: number } | null {
  let after = -1; let of = 0;
  doc.forEach((n) => { if (n.type.name === 'paywall') after = of; else of++; });
  return after < 0 ? null : { after, of };
}

export const setBlockType = (type: TextBlockType, attrs?: Record<string, unknown>): Command => (state, dispatch) => {
  const nodeType = state.schema.nodes[type]!;
  const { from, to } = state.selection;
  let applicable = false;
  state.doc.nodesBetween(from, to, (node) => {
    if (node.isTextblock && !node.hasMarkup(nodeType, attrs ?? (type === 'answer' ? node.attrs : undefined))) applicable = true;
    return !node.isTextblock;
  });
  if (!applicable) return false;
  dispatch?.(state.tr.setBlockType(from, to, nodeType, attrs ?? null).scrollIntoView());
  return true;
};

/** The speaker an answer most likely has: the one of the nearest answer before, else the first remembered partner. */
export function nextSpeaker(state: EditorState, index: number, ctx: EditorContext): string {
  for (let i = Math.min(index, state.doc.childCount) - 1; i >= 0; i--) {
    const n = state.doc.child(i);
    if (n.type.name === 'answer' && n.attrs.speaker) return String(n.attrs.speaker);
  }
  return ctx.speakers()[0] ?? '';
}

/** Alt+1…9: the block becomes an answer by interview partner n. */
export const answerBy = (ctx: EditorContext, n: number): Command => (state, dispatch) => {
  const name = ctx.speakers()[n - 1];
  if (!name) {
    if (dispatch) ctx.announce(`Es gibt keine Person ${n}. Legen Sie Gesprächspartner im Bereich „Interview“ an.`);
    return true;
  }
  if (setBlockType('answer', { speaker: name })(state, dispatch) && dispatch) ctx.announce(`Antwort von ${name}`);
  return true;
};

/** Alt+Enter: question ↔ answer. */
export const toggleInterview = (ctx: EditorContext): Command => (state, dispatch) => {
  const b = currentBlock(state);
  if (!b || !b.node.isTextblock) return false;
  if (b.node.type.name === 'answer') return setBlockType('question')(state, dispatch);
  return setBlockType('answer', { speaker: nextSpeaker(state, b.index, ctx) })(state, dispatch);
};

/**
 * Enter at the end of a question starts the answer, at the end of an answer the next question (the interview's rhythm);
 * Enter in an empty question or answer leaves the interview with a paragraph.
 */
export const interviewEnter = (ctx: EditorContext): Command => (state, dispatch) => {
  const { $from, empty } = state.selection;
  if (!empty || $from.depth !== 1) return false;
  const node = $from.parent;
  const type = node.type.name;
  if (type !== 'question' && type !== 'answer') return false;
  if (node.content.size === 0) return setBlockType('paragraph')(state, dispatch);
  if ($from.parentOffset !== node.content.size) return false;
  if (dispatch) {
    const index = $from.index(0);
    const next = type === 'question' ? state.schema.nodes.answer!.create({ speaker: nextSpeaker(state, index + 1, ctx) }) : state.schema.nodes.question!.create();
    const pos = $from.after(1);
    const tr = state.tr.insert(pos, next);
    tr.setSelection(TextSelection.create(tr.doc, pos + 1));
    dispatch(tr.scrollIntoView());
  }
  return true;
};

/** Alt+↑/↓: the block (or the selected image or paywall marker) swaps places with its neighbour. */
export const moveBlock = (dir: -1 | 1): Command => (state, dispatch) => {
  const b = currentBlock(state);
  if (!b) return false;
  const target = b.index + dir;
  if (target < 0 || target >= state.doc.childCount) return true; // at the edge: nothing to do, but no scrolling either
  if (dispatch) {
    const other = state.doc.child(target);
    const sel = state.selection;
    const tr = state.tr.delete(b.pos, b.pos + b.node.nodeSize);
    const at = dir === -1 ? b.pos - other.nodeSize : b.pos + other.nodeSize;
    tr.insert(at, b.node);
    if (sel instanceof NodeSelection || !b.node.isTextblock) tr.setSelection(NodeSelection.create(tr.doc, at));
    else {
      const max = b.node.nodeSize - 1;
      tr.setSelection(TextSelection.create(tr.doc, at + Math.min(Math.max(sel.from - b.pos, 1), max), at + Math.min(Math.max(sel.to - b.pos, 1), max)));
    }
    dispatch(tr.scrollIntoView());
  }
  return true;
};

/** Puts the paywall marker after the current block (moving it if it is elsewhere). */
export const placePaywall = (ctx: EditorContext): Command => (state, dispatch) => {
  if (ctx.access() === 'free') {
    if (dispatch) ctx.announce('Eine Paywall gibt es nur bei Artikeln für Registrierte oder Plus. Stellen Sie zuerst den Zugang um.');
    return true;
  }
  const b = currentBlock(state);
  if (!b || b.node.type.name === 'paywall') return true;
  if (dispatch) {
    const tr = state.tr;
    const existing = findPaywall(state.doc);
    let at = b.pos + b.node.nodeSize;
    if (existing !== null) {
      tr.delete(existing, existing + 1);
      at = tr.mapping.map(at);
    }
    tr.insert(at, state.schema.nodes.paywall!.create());
    dispatch(tr.scrollIntoView());
  }
  return true;
};

/** Inserts or removes the marker as the access level changes (the free article keeps its position for later). */
export function syncPaywall(view: EditorView, access: string, paywallAfter: number): void {
  const { state } = view;
  const existing = findPaywall(state.doc);
  if (access === 'free') {
    if (existing !== null) view.dispatch(state.tr.delete(existing, existing + 1).setMeta('addToHistory', false));
    return;
  }
  if (existing !== null) return;
  let pos = 0; let i = 0;
  const blocks = state.doc.childCount;
  const after = Math.max(0, Math.min(paywallAfter > 0 ? paywallAfter : Math.min(3, blocks - 1 || 1), blocks));
  state.doc.forEach((n) => { if (i < after) { pos += n.nodeSize; i++; } });
  view.dispatch(state.tr.insert(pos, state.schema.nodes.paywall!.create()).setMeta('addToHistory', false));
}

export const problemsKey = new PluginKey<Map<number, string>>('nr-ed-problems');

const PLACEHOLDERS: Record<string, string> = {
  paragraph: 'Text schreiben …', subheading: 'Zwischentitel', question: 'Frage …', answer: 'Antwort …', quote: 'Zitat …',
};

function decorations(state: EditorState, problems: Map<number, string>): DecorationSet {
  const decos: Decoration[] = [];
  const single = state.doc.childCount === 1;
  const cursorBlock = state.selection.empty && state.selection.$from.depth === 1 ? state.selection.$from.index(0) : -1;
  let premium = false;
  let blockIndex = 0;
  state.doc.forEach((node, pos, index) => {
    const end = pos + node.nodeSize;
    if (node.type.name === 'paywall') { premium = true; return; }
    const cls: string[] = [];
    const attrs: Record<string, string> = {};
    if (premium) cls.push('nr-ed-premium');
    if (node.isTextblock && node.content.size === 0 && (node.type.name !== 'paragraph' || single || index === cursorBlock)) {
      cls.push('nr-ed-empty');
      attrs['data-placeholder'] = PLACEHOLDERS[node.type.name] ?? '';
    }
    const problem = problems.get(blockIndex);
    if (problem) { cls.push('nr-ed-invalid'); attrs['data-problem'] = problem; attrs['aria-invalid'] = 'true'; }
    if (cls.length) decos.push(Decoration.node(pos, end, { ...attrs, class: cls.join(' ') }));
    blockIndex++;
  });
  return DecorationSet.create(state.doc, decos);
}

/** The plugins of the block model: marker guard, paste filter, decorations, marker announcements, history, cursors. */
export function blockPlugins(ctx: EditorContext): Plugin[] {
  const guard = new Plugin({
    key: new PluginKey('nr-ed-paywall-guard'),
    // One marker at most, none in a free article. A copy dropped with Ctrl wins over the old one (it is where the person wanted it).
    appendTransaction(trs, oldState, newState) {
      if (!trs.some((t) => t.docChanged)) return null;
      const positions: number[] = [];
      newState.doc.forEach((n, offset) => { if (n.type.name === 'paywall') positions.push(offset); });
      const free = ctx.access() === 'free';
      if (free ? positions.length === 0 : positions.length <= 1) return null;
      let keep = -1;
      if (!free) {
        let old = findPaywall(oldState.doc);
        for (const t of trs) if (old !== null) { const r = t.mapping.mapResult(old); old = r.deleted ? null : r.pos; }
        keep = positions.find((p) => p !== old) ?? positions[0]!;
      }
      const tr = newState.tr;
      for (const p of positions.reverse()) if (p !== keep) tr.delete(p, p + 1);
      return tr;
    },
    props: {
      // A pasted marker (copied text around it) is dropped; only dragging the marker itself moves it.
      transformPasted(slice, view) {
        if (view.dragging) return slice;
        const kept: PmNode[] = [];
        let removed = false;
        slice.content.forEach((n) => { if (n.type.name === 'paywall') removed = true; else kept.push(n); });
        if (!removed) return slice;
        return kept.length ? new Slice(Fragment.from(kept), slice.openStart, slice.openEnd) : Slice.empty;
      },
    },
  });

  const deco = new Plugin<{ problems: Map<number, string>; set: DecorationSet }>({
    key: problemsKey,
    state: {
      init: (_config, state) => ({ problems: new Map(), set: decorations(state, new Map()) }),
      apply(tr, value, _old, state) {
        const problems = (tr.getMeta(problemsKey) as Map<number, string> | undefined) ?? value.problems;
        if (!tr.docChanged && !tr.selectionSet && problems === value.problems) return value;
        return { problems, set: decorations(state, problems) };
      },
    },
    props: { decorations(state) { return this.getState(state)?.set; } },
  });

  // "Paywall nach Block 3 von 12": said whenever the marker appears or moves, for those who cannot see it
  const announcer = new Plugin({
    view: () => ({
      update(view, prev) {
        if (prev.doc.eq(view.state.doc)) return;
        const before = paywallPlace(prev.doc);
        const now = paywallPlace(view.state.doc);
        if (now && (!before || before.after !== now.after)) ctx.announce(`Paywall nach Block ${now.after} von ${now.of}`);
      },
    }),
  });

  return [guard, deco, announcer, history({ depth: 200 }), dropCursor({ width: 3, class: 'nr-ed-dropcursor' }), gapCursor()];
}

/**
 * Chrome reports a selection change (Shift+Arrow) a moment later than the key that follows it; a shortcut pressed in
 * between would act on the old selection. ProseMirror reads the DOM selection on this event.
 */
export function syncSelection(): void {
  document.dispatchEvent(new Event('selectionchange'));
}

/** What toolbar buttons and shortcuts call outside the document (link dialog, save now). */
export interface EditorHooks { link(): void; save(): void }

export function editorKeys(ctx: EditorContext, hooks: EditorHooks) {
  return Extension.create({
    name: 'nrEdKeys',
    priority: 1000,
    addProseMirrorPlugins: () => blockPlugins(ctx),
    addKeyboardShortcuts() {
      const run = (cmd: Command) => () => { syncSelection(); return cmd(this.editor.state, this.editor.view.dispatch, this.editor.view); };
      const keys: Record<string, () => boolean> = {
        Enter: run(interviewEnter(ctx)),
        'Alt-Enter': run(toggleInterview(ctx)),
        'Alt-0': run(setBlockType('question')),
        'Alt-ArrowUp': run(moveBlock(-1)),
        'Alt-ArrowDown': run(moveBlock(1)),
        'Alt-p': run(placePaywall(ctx)),
        'Mod-z': run(undo),
        'Mod-Shift-z': run(redo),
        'Mod-y': run(redo),
        'Mod-k': () => { syncSelection(); hooks.link(); return true; },
        'Mod-s': () => { hooks.save(); return true; },
      };
      for (let n = 1; n <= 9; n++) keys[`Alt-${n}`] = run(answerBy(ctx, n));
      BLOCK_TYPES.forEach((type, i) => {
        keys[`Mod-Shift-${i}`] = run(type === 'answer' ? toggleToAnswer(ctx) : setBlockType(type));
      });
      return keys;
    },
  });
}

/** The block type button "Antwort": the speaker of the previous answer is taken along. */
export const toggleToAnswer = (ctx: EditorContext): Command => (state, dispatch) => {
  const b = currentBlock(state);
  if (!b) return false;
  return setBlockType('answer', { speaker: b.node.type.name === 'answer' ? b.node.attrs.speaker : nextSpeaker(state, b.index, ctx) })(state, dispatch);
};

export const blockLabel = (name: string): string => BLOCK_LABELS[name as keyof typeof BLOCK_LABELS] ?? name;
