// The toolbar (one tab stop, arrow keys inside, aria-pressed mirrors the block and marks at the cursor), the speaker
// bar for interviews, and the link dialog that accepts only links the site will render.
import type { Editor } from '@tiptap/core';
import { redo, redoDepth, undo, undoDepth } from '@tiptap/pm/history';
import { safeHref } from './doc-convert.ts';
import type { EditorContext } from './editor-context.ts';
import { answerBy, currentBlock, placePaywall, setBlockType, toggleToAnswer, type Command, type TextBlockType } from './commands.ts';

export interface ToolbarActions { upload(): void; library(): void; help(): void; addSpeaker(): void }

export function bindToolbar(editor: Editor, ctx: EditorContext, actions: ToolbarActions): { update(): void; openLink(): void } {
  const bar = document.querySelector<HTMLElement>('.nr-ed-toolbar')!;
  const buttons = Array.from(bar.querySelectorAll<HTMLButtonElement>('button[data-cmd]'));
  const speakerBar = document.getElementById('nr-ed-speakerbar')!;
  const view = editor.view;
  const run = (cmd: Command) => { cmd(view.state, view.dispatch, view); view.focus(); };

  // roving tab stop: Tab enters the toolbar once, arrows move within it
  let current = 0;
  const rove = (i: number, focus: boolean) => {
    current = (i + buttons.length) % buttons.length;
    buttons.forEach((b, k) => { b.tabIndex = k === current ? 0 : -1; });
    if (focus) buttons[current]!.focus();
  };
  rove(0, false);
  bar.addEventListener('keydown', (e) => {
    const i = buttons.indexOf(e.target as HTMLButtonElement);
    if (i < 0) return;
    const to = e.key === 'ArrowRight' ? i + 1 : e.key === 'ArrowLeft' ? i - 1 : e.key === 'Home' ? 0 : e.key === 'End' ? buttons.length - 1 : null;
    if (to === null) return;
    e.preventDefault();
    rove(to, true);
  });
  // a click keeps the text selection where it is
  bar.addEventListener('mousedown', (e) => { if ((e.target as HTMLElement).closest('button')) e.preventDefault(); });
  bar.addEventListener('click', (e) => {
    const b = (e.target as HTMLElement).closest<HTMLButtonElement>('button[data-cmd]');
    if (!b || b.disabled) return;
    rove(buttons.indexOf(b), false);
    const cmd = b.dataset.cmd!;
    if (cmd.startsWith('block:')) {
      const type = cmd.slice(6) as TextBlockType;
      run(type === 'answer' ? toggleToAnswer(ctx) : setBlockType(type));
    } else if (cmd === 'mark:bold' || cmd === 'mark:italic') {
      editor.chain().focus().toggleMark(cmd.slice(5)).run();
    } else if (cmd === 'link') openLink();
    else if (cmd === 'upload') actions.upload();
    else if (cmd === 'library') actions.library();
    else if (cmd === 'paywall') run(placePaywall(ctx));
    else if (cmd === 'undo') run(undo);
    else if (cmd === 'redo') run(redo);
    else if (cmd === 'help') actions.help();
  });

  const dialog = document.getElementById('nr-ed-link-dialog') as HTMLDialogElement;
  const url = document.getElementById('nr-ed-link-url') as HTMLInputElement;
  const error = document.getElementById('nr-ed-link-error')!;
  const remove = document.getElementById('nr-ed-link-remove') as HTMLButtonElement;
  function openLink(): void {
    const { state } = view;
    const b = currentBlock(state);
    if (!b || !b.node.isTextblock || b.node.type.name === 'subheading') { ctx.announce('Links gibt es in Absätzen, Fragen, Antworten und Zitaten.'); return; }
    const href = String(editor.getAttributes('link').href ?? '');
    url.value = href;
    error.textContent = '';
    url.removeAttribute('aria-invalid');
    remove.hidden = !href;
    dialog.showModal();
    url.select();
  }
  dialog.addEventListener('close', () => {
    const choice = dialog.returnValue;
    dialog.returnValue = '';
    if (choice === 'remove') editor.chain().focus().extendMarkRange('link').unsetMark('link').run();
    else view.focus();
  });
  /** Checks and applies the address; false (with the reason shown) when the site would not render it. */
  function applyLink(): boolean {
    let value = url.value.trim();
    if (/^www\./i.test(value)) value = `https://${value}`;
    if (/^[^\s@/]+@[^\s@/]+\.[a-z]{2,}$/i.test(value)) value = `mailto:${value}`;
    const href = value ? safeHref(value) : null;
    if (!href) {
      error.textContent = 'Erlaubt sind Adressen mit https://, http://, mailto: oder ein Pfad dieser Seite wie /artikel/…';
      url.setAttribute('aria-invalid', 'true');
      url.focus();
      return false;
    }
    dialog.close('ok');
    const chain = editor.chain().focus();
    if (view.state.selection.empty && !editor.isActive('link')) chain.insertContent({ type: 'text', text: href.replace(/^mailto:/, ''), marks: [{ type: 'link', attrs: { href } }] }).run();
    else chain.extendMarkRange('link').setMark('link', { href }).run();
    return true;
  }
  // Enter in the address field means "apply" (implicit submission would pick the form's first button)
  url.addEventListener('keydown', (e) => { if (e.key === 'Enter') { e.preventDefault(); applyLink(); } });
  document.getElementById('nr-ed-link-form')!.addEventListener('submit', (e) => {
    const submitter = (e as SubmitEvent).submitter as HTMLButtonElement | null;
    if (submitter?.value !== 'ok') return;
    e.preventDefault();
    applyLink();
  });

  let lastSpeakerKey = '';
  function update(): void {
    const { state } = view;
    const b = currentBlock(state);
    const type = b?.node.type.name ?? '';
    const textual = !!b?.node.isTextblock;
    const marksAllowed = textual && type !== 'subheading';
    for (const btn of buttons) {
      const cmd = btn.dataset.cmd!;
      if (cmd.startsWith('block:')) { btn.setAttribute('aria-pressed', String(type === cmd.slice(6))); btn.disabled = !textual; }
      else if (cmd === 'mark:bold' || cmd === 'mark:italic') { btn.setAttribute('aria-pressed', String(editor.isActive(cmd.slice(5)))); btn.disabled = !marksAllowed; }
      else if (cmd === 'link') { btn.setAttribute('aria-pressed', String(editor.isActive('link'))); btn.disabled = !marksAllowed; }
      else if (cmd === 'undo') btn.disabled = undoDepth(state) === 0;
      else if (cmd === 'redo') btn.disabled = redoDepth(state) === 0;
      else if (cmd === 'paywall') btn.disabled = ctx.access() === 'free';
    }
    // the speaker bar: who answers, one click (or Alt+n) away. It stays once there are partners, so the text
    // does not jump whenever the cursor enters or leaves an interview block.
    const interview = type === 'answer' || type === 'question';
    const speaker = type === 'answer' ? String(b!.node.attrs.speaker ?? '') : '';
    const names = ctx.speakers();
    const show = interview || names.length > 0;
    const key = `${show}|${type}|${speaker}|${names.join('\u0001')}`;
    if (key === lastSpeakerKey) return;
    lastSpeakerKey = key;
    speakerBar.hidden = !show;
    if (!show) return;
    const label = document.createElement('span');
    label.className = 'nr-ed-speakerbar__label';
    label.textContent = 'Wer spricht?';
    const items = names.map((name, i) => {
      const btn = document.createElement('button');
      btn.type = 'button';
      btn.className = 'nr-ed-speakerbtn';
      btn.setAttribute('aria-pressed', String(name === speaker));
      if (i < 9) btn.title = `Alt+${i + 1}`;
      const kbd = document.createElement('kbd');
      kbd.textContent = i < 9 ? String(i + 1) : '·';
      btn.append(kbd, ` ${name}`);
      btn.addEventListener('mousedown', (e) => e.preventDefault());
      btn.addEventListener('click', () => run(answerBy(ctx, i + 1)));
      return btn;
    });
    const q = document.createElement('button');
    q.type = 'button';
    q.className = 'nr-ed-speakerbtn nr-ed-speakerbtn--question';
    q.setAttribute('aria-pressed', String(type === 'question'));
    q.title = 'Alt+0';
    const zero = document.createElement('kbd');
    zero.textContent = '0';
    q.append(zero, ' Frage');
    q.addEventListener('mousedown', (e) => e.preventDefault());
    q.addEventListener('click', () => run(setBlockType('question')));
    const add = document.createElement('button');
    add.type = 'button';
    add.className = 'nr-ed-speakerbtn nr-ed-speakerbtn--add';
    add.textContent = '+ Person';
    add.addEventListener('click', () => actions.addSpeaker());
    speakerBar.replaceChildren(label, q, ...items, add);
  }
  return { update, openLink };
}
