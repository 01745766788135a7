// The editor's schema as TipTap extensions: exactly the block model (paragraph, subheading, question, answer, quote,
// image) plus the one paywall marker, and the three marks of the inline subset. Nothing else can enter the document:
// pasted HTML is parsed through these rules only, so tables, scripts, styles and foreign images simply do not exist here.
import { Mark, Node, markInputRule, textblockTypeInputRule } from '@tiptap/core';
import { safeHref } from './doc-convert.ts';
import type { EditorContext } from './editor-context.ts';
import { answerView, imageView, paywallView, quoteView } from './node-views.ts';

const Doc = Node.create({ name: 'doc', topNode: true, content: 'block+' });
const Text = Node.create({ name: 'text', group: 'inline' });

const Paragraph = Node.create({
  name: 'paragraph',
  group: 'block',
  content: 'inline*',
  // first among the blocks: what Enter after a subheading, quote or image makes
  priority: 1000,
  parseHTML: () => [{ tag: 'p' }],
  renderHTML: () => ['p', 0],
});

const Subheading = Node.create({
  name: 'subheading',
  group: 'block',
  content: 'text*',
  marks: '',
  defining: true,
  parseHTML: () => ['h1', 'h2', 'h3', 'h4', 'h5', 'h6'].map((tag) => ({ tag })),
  renderHTML: () => ['h2', { class: 'nr-ed-subheading' }, 0],
  addInputRules() { return [textblockTypeInputRule({ find: /^##\s$/, type: this.type })]; },
});

const Question = Node.create({
  name: 'question',
  group: 'block',
  content: 'inline*',
  defining: true,
  parseHTML: () => [{ tag: 'p.question', priority: 60 }, { tag: 'p[data-question]', priority: 60 }],
  renderHTML: () => ['p', { class: 'question nr-ed-question', 'data-question': '' }, 0],
});

const str = (v: string | null | undefined): string => (v ?? '').trim();

export function schemaExtensions(ctx: EditorContext) {
  const Answer = Node.create({
    name: 'answer',
    group: 'block',
    content: 'inline*',
    defining: true,
    addAttributes: () => ({ speaker: { default: '', parseHTML: (el) => str(el.getAttribute('data-speaker')), renderHTML: (a) => ({ 'data-speaker': a.speaker }) } }),
    parseHTML: () => [{ tag: 'p[data-speaker]', priority: 60 }],
    renderHTML: ({ HTMLAttributes }) => ['p', { ...HTMLAttributes, class: 'answer' }, 0],
    addNodeView: () => answerView(ctx),
  });

  const Quote = Node.create({
    name: 'quote',
    group: 'block',
    content: 'inline*',
    defining: true,
    addAttributes: () => ({ by: { default: '', parseHTML: (el) => str(el.getAttribute('data-by') ?? el.querySelector('footer, cite')?.textContent?.replace(/^[—–-]\s*/, '')), renderHTML: (a) => ({ 'data-by': a.by }) } }),
    // a quote is one text: of a pasted <blockquote> its first paragraph, without the footer naming the source
    parseHTML: () => [{ tag: 'blockquote', contentElement: (el: HTMLElement) => el.querySelector('p') ?? el }],
    renderHTML: ({ HTMLAttributes }) => ['blockquote', HTMLAttributes, ['p', 0]],
    addInputRules() { return [textblockTypeInputRule({ find: /^>\s$/, type: this.type })]; },
    addNodeView: () => quoteView(ctx),
  });

  const Image = Node.create({
    name: 'image',
    group: 'block',
    atom: true,
    selectable: true,
    draggable: true,
    addAttributes: () => ({
      imageId: { default: '', parseHTML: (el) => el.getAttribute('data-image-id') ?? '', renderHTML: (a) => ({ 'data-image-id': a.imageId }) },
      caption: { default: '', parseHTML: (el) => el.getAttribute('data-caption') ?? '', renderHTML: (a) => ({ 'data-caption': a.caption }) },
      credit: { default: '', parseHTML: (el) => el.getAttribute('data-credit') ?? '', renderHTML: (a) => ({ 'data-credit': a.credit }) },
    }),
    // only images of our own media library (copied within the editor); a foreign <img> is never fetched or stored
    parseHTML: () => [{ tag: 'figure[data-image-id]' }],
    renderHTML: ({ HTMLAttributes }) => ['figure', HTMLAttributes],
    addNodeView: () => imageView(ctx),
  });

  const Paywall = Node.create({
    name: 'paywall',
    group: 'block',
    atom: true,
    selectable: true,
    draggable: true,
    parseHTML: () => [{ tag: 'div[data-paywall]' }],
    renderHTML: () => ['div', { 'data-paywall': '' }],
    addNodeView: () => paywallView(ctx),
  });

  // The subset does not nest: each mark excludes the others (bold on a link replaces the link), as the site would show it.
  const Bold = Mark.create({
    name: 'bold',
    excludes: '_',
    parseHTML: () => [
      { tag: 'strong' },
      // Google Docs wraps everything in <b style="font-weight:normal">
      { tag: 'b', getAttrs: (el: HTMLElement) => (el.style.fontWeight !== 'normal' ? null : false) },
      { style: 'font-weight', getAttrs: (v: string) => (/^(bold(er)?|[6-9]\d\d)$/.test(v) ? null : false) },
    ],
    renderHTML: () => ['strong', 0],
    addKeyboardShortcuts() { return { 'Mod-b': () => this.editor.commands.toggleMark(this.name) }; },
    addInputRules() { return [markInputRule({ find: /(?:^|\s)(\*\*(?!\s+\*\*)([^*]+)\*\*(?!\s+\*\*))$/, type: this.type })]; },
  });

  const Italic = Mark.create({
    name: 'italic',
    excludes: '_',
    parseHTML: () => [{ tag: 'em' }, { tag: 'i', getAttrs: (el: HTMLElement) => (el.style.fontStyle !== 'normal' ? null : false) }, { style: 'font-style=italic' }],
    renderHTML: () => ['em', 0],
    addKeyboardShortcuts() { return { 'Mod-i': () => this.editor.commands.toggleMark(this.name) }; },
    addInputRules() { return [markInputRule({ find: /(?:^|\s)(\*(?!\s+\*)([^*]+)\*(?!\s+\*))$/, type: this.type })]; },
  });

  const Link = Mark.create({
    name: 'link',
    excludes: '_',
    inclusive: false,
    addAttributes: () => ({ href: { default: null } }),
    // a pasted javascript: or data: link arrives as its text only
    parseHTML: () => [{ tag: 'a[href]', getAttrs: (el: HTMLElement) => { const href = safeHref(el.getAttribute('href') ?? ''); return href ? { href } : false; } }],
    renderHTML: ({ HTMLAttributes }) => ['a', { href: safeHref(String(HTMLAttributes.href ?? '')) ?? '', rel: 'noopener nofollow', class: 'nr-ed-link' }, 0],
  });

  return [Doc, Text, Paragraph, Subheading, Question, Answer, Quote, Image, Paywall, Bold, Italic, Link];
}
