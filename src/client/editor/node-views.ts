// Node views: the answer's speaker picker, the quote's source, the image with caption and credit edited in place, and the
// paywall marker with its move buttons. Their fields are ordinary form controls the editor leaves alone (stopEvent).
import type { NodeViewRendererProps } from '@tiptap/core';
import type { Node as PmNode } from '@tiptap/pm/model';
import { NodeSelection, TextSelection } from '@tiptap/pm/state';
import type { EditorView, NodeView } from '@tiptap/pm/view';
import type { EditorContext } from './editor-context.ts';
import { moveBlock } from './commands.ts';

function el<K extends keyof HTMLElementTagNameMap>(tag: K, cls?: string, text?: string): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text) e.textContent = text;
  return e;
}

/** Dragging over a node's fields still moves blocks (a drop is the editor's); every other event there is the field's. */
const isDrag = (event: Event): boolean => event.type.startsWith('drag') || event.type === 'drop';

/** Events inside the given controls belong to them, not to the editor. */
const inside = (...roots: HTMLElement[]) => (event: Event): boolean =>
  !isDrag(event) && event.target instanceof globalThis.Node && roots.some((root) => root.contains(event.target as globalThis.Node));

/** A view's update(): it keeps its DOM for any node of its own type and lets `apply` bring the fields up to date. */
const sameType = (initial: PmNode, apply: (next: PmNode) => void) => (next: PmNode): boolean => {
  if (next.type !== initial.type) return false;
  apply(next);
  return true;
};

/** A field shows the node's value, except while someone types in it (their text is the newer one). */
function syncValue(input: HTMLInputElement, value: unknown): void {
  if (document.activeElement !== input && input.value !== value) input.value = String(value ?? '');
}

function setAttrs(view: EditorView, getPos: () => number | undefined, node: PmNode, attrs: Record<string, unknown>): void {
  const pos = getPos();
  if (typeof pos !== 'number') return;
  view.dispatch(view.state.tr.setNodeMarkup(pos, undefined, { ...node.attrs, ...attrs }));
}

/** After a field of a node: back into the text right after the node. */
function focusAfter(view: EditorView, getPos: () => number | undefined, node: PmNode): void {
  const pos = getPos();
  if (typeof pos !== 'number') return;
  const after = pos + node.nodeSize;
  const $after = view.state.doc.resolve(Math.min(after + 1, view.state.doc.content.size));
  view.focus();
  view.dispatch(view.state.tr.setSelection(TextSelection.near($after)).scrollIntoView());
}

/** Into the node's own text, at its end. */
function focusText(view: EditorView, getPos: () => number | undefined): void {
  const pos = getPos();
  const node = typeof pos === 'number' ? view.state.doc.nodeAt(pos) : null;
  view.focus();
  if (node && typeof pos === 'number') view.dispatch(view.state.tr.setSelection(TextSelection.create(view.state.doc, pos + 1 + node.content.size)));
}

const NEW_SPEAKER = '\u0000neu';

export function answerView(ctx: EditorContext) {
  return ({ node: initial, view, getPos }: NodeViewRendererProps): NodeView => {
    let node = initial as PmNode;
    const dom = el('div', 'nr-ed-answer');
    const who = el('div', 'nr-ed-speaker');
    who.contentEditable = 'false';
    const select = el('select', 'nr-ed-speaker__select');
    // keyboard users switch with Alt+1…9; a picker per answer in the tab order would bury the text fields
    select.tabIndex = -1;
    select.setAttribute('aria-label', 'Antwort von');
    const input = el('input', 'nr-ed-speaker__input');
    input.type = 'text';
    input.maxLength = 100;
    input.placeholder = 'Name';
    input.setAttribute('aria-label', 'Name der Person');
    input.hidden = true;
    const text = el('p', 'nr-ed-answer__text');
    who.append(select, input);
    dom.append(who, text);

    const fill = () => {
      const speaker = String(node.attrs.speaker ?? '');
      const names = ctx.speakers();
      const options: [string, string][] = [['', 'Person wählen …'], ...names.map((n): [string, string] => [n, n])];
      if (speaker && !names.includes(speaker)) options.push([speaker, speaker]);
      options.push([NEW_SPEAKER, 'Neue Person …']);
      select.replaceChildren(...options.map(([value, label]) => { const o = el('option', undefined, label); o.value = value; return o; }));
      select.value = speaker;
      const n = names.indexOf(speaker);
      select.title = speaker ? (n >= 0 && n < 9 ? `${speaker} (Alt+${n + 1})` : speaker) : 'Person wählen';
      dom.classList.toggle('nr-ed-answer--nobody', !speaker);
      // the picker is as wide as the name it shows
      select.style.width = `${Math.max(6, Math.min(28, (speaker || 'Person wählen …').length + 3))}ch`;
    };
    const commitNew = () => {
      const name = input.value.trim();
      input.hidden = true;
      select.hidden = false;
      if (name) { ctx.addSpeaker(name); setAttrs(view, getPos, node, { speaker: name }); } else fill();
    };
    select.addEventListener('mousedown', fill);
    select.addEventListener('change', () => {
      if (select.value === NEW_SPEAKER) {
        select.hidden = true;
        input.hidden = false;
        input.value = '';
        input.focus();
        return;
      }
      setAttrs(view, getPos, node, { speaker: select.value });
    });
    input.addEventListener('keydown', (e) => {
      if (e.key === 'Enter') { e.preventDefault(); commitNew(); focusText(view, getPos); }
      if (e.key === 'Escape') { e.preventDefault(); input.value = ''; commitNew(); view.focus(); }
    });
    input.addEventListener('blur', () => { if (!input.hidden) commitNew(); });
    fill();
    return {
      dom,
      contentDOM: text,
      update: sameType(node, (next) => { node = next; fill(); }),
      stopEvent: inside(who),
      ignoreMutation: (m) => m.type !== 'selection' && who.contains(m.target),
    };
  };
}

export function quoteView(_ctx: EditorContext) {
  return ({ node: initial, view, getPos }: NodeViewRendererProps): NodeView => {
    let node = initial as PmNode;
    const dom = el('blockquote', 'nr-ed-quote');
    const text = el('p', 'nr-ed-quote__text');
    const by = el('div', 'nr-ed-quote__by');
    by.contentEditable = 'false';
    const input = el('input');
    input.type = 'text';
    input.maxLength = 200;
    input.placeholder = 'Wer sagt das? (optional)';
    input.setAttribute('aria-label', 'Zitat von');
    by.append(el('span', undefined, '—'), input);
    dom.append(text, by);
    input.value = String(node.attrs.by ?? '');
    input.addEventListener('input', () => setAttrs(view, getPos, node, { by: input.value }));
    input.addEventListener('keydown', (e) => { if (e.key === 'Enter' || e.key === 'Escape') { e.preventDefault(); focusAfter(view, getPos, node); } });
    return {
      dom,
      contentDOM: text,
      update: sameType(node, (next) => { node = next; syncValue(input, next.attrs.by); }),
      stopEvent: inside(by),
      ignoreMutation: (m) => m.type !== 'selection' && by.contains(m.target),
    };
  };
}

export function imageView(ctx: EditorContext) {
  return ({ node: initial, view, getPos }: NodeViewRendererProps): NodeView => {
    let node = initial as PmNode;
    const dom = el('figure', 'nr-ed-figure');
    dom.contentEditable = 'false';
    const frame = el('div', 'nr-ed-figure__img');
    const img = el('img');
    img.alt = '';
    img.decoding = 'async';
    frame.append(img);
    const fields = el('div', 'nr-ed-figure__fields');
    const field = (label: string, max: number, attr: 'caption' | 'credit', placeholder: string) => {
      const wrap = el('label', 'nr-ed-figure__field');
      const span = el('span', undefined, label);
      const input = el('input');
      input.type = 'text';
      input.maxLength = max;
      input.placeholder = placeholder;
      input.dataset.attr = attr;
      input.addEventListener('input', () => { setAttrs(view, getPos, node, { [attr]: input.value }); input.classList.toggle('nr-ed-missing', !input.value.trim()); });
      input.addEventListener('keydown', (e) => {
        if (e.key === 'Enter' || e.key === 'Escape') { e.preventDefault(); focusAfter(view, getPos, node); }
      });
      wrap.append(span, input);
      fields.append(wrap);
      return input;
    };
    const caption = field('Bildunterschrift', 500, 'caption', 'Was zeigt das Bild? (Pflicht)');
    const credit = field('Bildnachweis', 200, 'credit', 'Foto: Name / Agentur (Pflicht)');
    const remove = el('button', 'nr-ed-figure__remove', '×');
    remove.type = 'button';
    remove.title = 'Bild aus dem Text entfernen';
    remove.setAttribute('aria-label', 'Bild aus dem Text entfernen');
    remove.addEventListener('click', () => {
      const pos = getPos();
      if (typeof pos === 'number') view.dispatch(view.state.tr.delete(pos, pos + node.nodeSize));
      view.focus();
    });
    dom.append(frame, fields, remove);
    let shown = '';
    const fill = () => {
      const id = String(node.attrs.imageId);
      if (id !== shown) {
        shown = id;
        void ctx.imageSrc(id).then((src) => {
          if (shown !== id) return;
          if (src) img.src = src; else { img.removeAttribute('src'); img.alt = 'Keine Vorschau'; }
        });
      }
      for (const [input, value] of [[caption, node.attrs.caption], [credit, node.attrs.credit]] as const) {
        syncValue(input, value);
        input.classList.toggle('nr-ed-missing', !input.value.trim());
      }
    };
    fill();
    return {
      dom,
      update: sameType(node, (next) => { node = next; fill(); }),
      stopEvent: inside(fields, remove),
      ignoreMutation: () => true,
      selectNode: () => dom.classList.add('nr-ed-selected'),
      deselectNode: () => dom.classList.remove('nr-ed-selected'),
    };
  };
}

export const paywallWho = (access: string): string => (access === 'plus' ? 'Abonnentinnen und Abonnenten (Plus)' : 'registrierte Leserinnen und Leser');

export function paywallView(ctx: EditorContext) {
  return ({ view, getPos }: NodeViewRendererProps): NodeView => {
    const dom = el('div', 'nr-ed-paywall');
    dom.contentEditable = 'false';
    dom.draggable = true;
    dom.setAttribute('role', 'separator');
    dom.setAttribute('aria-label', 'Paywall-Markierung');
    const grip = el('span', 'nr-ed-paywall__grip');
    grip.setAttribute('aria-hidden', 'true');
    grip.textContent = '⋮⋮';
    const label = el('span', 'nr-ed-paywall__label');
    const strong = el('strong', undefined, 'Paywall');
    const who = el('span', 'nr-ed-paywall__who', ` · ab hier nur für ${paywallWho(ctx.access())}`);
    label.append(strong, who);
    const hint = el('span', 'nr-ed-paywall__hint', 'Ziehen oder Alt+↑/↓');
    const buttons = el('span', 'nr-ed-paywall__buttons');
    const move = (dir: -1 | 1, text: string, title: string) => {
      const b = el('button', 'nr-ed-iconbtn', text);
      b.type = 'button';
      b.tabIndex = -1;
      b.title = title;
      b.setAttribute('aria-label', title);
      b.addEventListener('mousedown', (e) => e.preventDefault());
      b.addEventListener('click', () => {
        const pos = getPos();
        if (typeof pos !== 'number') return;
        view.dispatch(view.state.tr.setSelection(NodeSelection.create(view.state.doc, pos)));
        moveBlock(dir)(view.state, view.dispatch);
        view.focus();
      });
      return b;
    };
    buttons.append(move(-1, '↑', 'Paywall einen Block nach oben'), move(1, '↓', 'Paywall einen Block nach unten'));
    dom.append(grip, label, hint, buttons);
    return {
      dom,
      stopEvent: inside(buttons),
      ignoreMutation: () => true,
      selectNode: () => dom.classList.add('nr-ed-selected'),
      deselectNode: () => dom.classList.remove('nr-ed-selected'),
    };
  };
}
