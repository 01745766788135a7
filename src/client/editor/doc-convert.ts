// Pure conversion between the draft's block model (blocks + paywallAfter, inline subset *em*, **strong**, [text](url))
// and the editor's ProseMirror JSON. No DOM: unit-tested in node, used by the browser editor on every load and save.
import type { DraftBlock, DraftDocument } from '../../newsroom/draft-document.ts';

export type MarkName = 'bold' | 'italic' | 'link';
export interface PmMark { type: string; attrs?: Record<string, unknown> }
export interface PmNode { type: string; attrs?: Record<string, unknown>; content?: PmNode[]; text?: string; marks?: PmMark[] }
export interface PmDoc { type: 'doc'; content: PmNode[] }

/** The same test the site's renderer applies (content/inline-markup.ts): http(s), mailto and site-relative links only. */
export function safeHref(url: string): string | null {
  const u = url.trim();
  return /^(https?:\/\/|mailto:|\/(?!\/))/i.test(u) ? u : null;
}

// The site's inline grammar, character for character (renderInline): what the editor shows is what the site renders.
const INLINE = /\[([^\]\n]+)\]\(([^)\s]+)\)|\*\*([^*\n]+)\*\*|\*([^*\n]+)\*/g;

const textNode = (text: string, marks?: PmMark[]): PmNode => (marks?.length ? { type: 'text', text, marks } : { type: 'text', text });

/** Inline text of the block model → ProseMirror text nodes with marks. A link the site would not render stays plain text. */
export function parseInline(text: string): PmNode[] {
  const out: PmNode[] = [];
  const push = (t: string, marks?: PmMark[]) => {
    if (!t) return;
    const prev = out[out.length - 1];
    if (prev && !prev.marks && !marks) prev.text += t; else out.push(textNode(t, marks));
  };
  const re = new RegExp(INLINE.source, 'g');
  let last = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    push(text.slice(last, m.index));
    if (m[1] !== undefined) {
      const href = safeHref(m[2]!);
      push(m[1], href ? [{ type: 'link', attrs: { href } }] : undefined);
    } else if (m[3] !== undefined) push(m[3], [{ type: 'bold' }]);
    else push(m[4]!, [{ type: 'italic' }]);
    last = m.index + m[0].length;
  }
  push(text.slice(last));
  return out;
}

/** The one mark a piece of text carries in the block model (the subset does not nest): link before bold before italic. */
function markOf(node: PmNode): { type: MarkName; href?: string } | null {
  const marks = node.marks ?? [];
  const link = marks.find((m) => m.type === 'link');
  if (link) {
    const href = typeof link.attrs?.href === 'string' ? safeHref(link.attrs.href) : null;
    // javascript:, data: and friends never reach the server: the text stays, the link goes
    if (href) return { type: 'link', href };
  }
  if (marks.some((m) => m.type === 'bold')) return { type: 'bold' };
  if (marks.some((m) => m.type === 'italic')) return { type: 'italic' };
  return null;
}

const oneLine = (s: string): string => s.replace(/[\r\n\u2028\u2029]+/g, ' ');
/** A URL inside (…) ends at whitespace or ")": both are percent-encoded so the link survives. */
const encodeHref = (href: string): string => href.replace(/\s/g, (c) => encodeURIComponent(c)).replace(/\)/g, '%29');

function serialize(nodes: PmNode[], literalStar: boolean): string {
  // adjacent text with the same mark is one run (ProseMirror merges them already; pasted JSON may not)
  const runs: { text: string; mark: ReturnType<typeof markOf> }[] = [];
  for (const n of nodes) {
    if (n.type !== 'text' || !n.text) continue;
    const mark = markOf(n);
    const prev = runs[runs.length - 1];
    if (prev && prev.mark?.type === mark?.type && prev.mark?.href === mark?.href) prev.text += n.text;
    else runs.push({ text: n.text, mark });
  }
  const star = (s: string) => (literalStar ? s : s.replace(/\*/g, '\u2217'));
  return runs.map(({ text, mark }) => {
    const t = star(oneLine(text));
    if (!mark) return t;
    if (mark.type === 'link') return `[${t.replace(/\]/g, ')')}](${encodeHref(mark.href!)})`;
    if (!t.trim()) return t; // a mark around nothing but spaces has nothing to show
    return mark.type === 'bold' ? `**${t}**` : `*${t}*`;
  }).join('');
}

const sameInline = (a: PmNode[], b: PmNode[]): boolean => JSON.stringify(a) === JSON.stringify(b);

/**
 * ProseMirror text nodes → inline text of the block model. The subset has no escape character, so a literal "*" that
 * would pair up with another into emphasis (e.g. "Lehrer*innen und Schüler*innen") is written as "∗" (U+2217),
 * which looks the same and renders as typed; lone asterisks stay as they are.
 */
export function serializeInline(nodes: PmNode[] | undefined): string {
  const list = nodes ?? [];
  const plain = serialize(list, true);
  return sameInline(parseInline(plain), normalizeInline(list)) ? plain : serialize(list, false);
}

/** What the inline text means, in the form parseInline produces (for the round-trip check). */
function normalizeInline(nodes: PmNode[]): PmNode[] {
  const out: PmNode[] = [];
  for (const n of nodes) {
    if (n.type !== 'text' || !n.text) continue;
    const mark = markOf(n);
    let text = oneLine(n.text);
    if (mark?.type === 'link') text = text.replace(/\]/g, ')');
    const marks: PmMark[] | undefined = !mark ? undefined : mark.type === 'link' ? [{ type: 'link', attrs: { href: encodeHref(mark.href!) } }] : text.trim() ? [{ type: mark.type }] : undefined;
    const prev = out[out.length - 1];
    if (prev && JSON.stringify(prev.marks) === JSON.stringify(marks)) prev.text += text;
    else out.push(textNode(text, marks));
  }
  return out;
}

/** The plain text of inline nodes (subheadings, captions: no marks in the block model). */
export function plainText(nodes: PmNode[] | undefined): string {
  return oneLine((nodes ?? []).map((n) => (n.type === 'text' ? n.text ?? '' : plainText(n.content))).join(''));
}

const str = (v: unknown): string => (typeof v === 'string' ? v : '');

/** One block → its ProseMirror node. */
export function blockToPm(b: DraftBlock): PmNode {
  const inline = (text: string) => {
    const content = parseInline(text);
    return content.length ? { content } : {};
  };
  switch (b.type) {
    case 'paragraph': case 'question': return { type: b.type, ...inline(b.text) };
    case 'subheading': return { type: 'subheading', ...(b.text ? { content: [textNode(oneLine(b.text))] } : {}) };
    case 'answer': return { type: 'answer', attrs: { speaker: b.speaker }, ...inline(b.text) };
    case 'quote': return { type: 'quote', attrs: { by: b.by ?? '' }, ...inline(b.text) };
    case 'image': return { type: 'image', attrs: { imageId: b.imageId, caption: b.caption, credit: b.credit } };
  }
}

/** Where the paywall marker sits: after `paywallAfter` blocks, never before the first or after the last one's end. */
export const clampPaywall = (paywallAfter: number, blockCount: number): number => Math.max(0, Math.min(Number.isFinite(paywallAfter) ? Math.trunc(paywallAfter) : 0, blockCount));

/** Blocks + paywall position → the editor's document. The marker exists only for registered and Plus articles. */
export function docToPm(doc: Pick<DraftDocument, 'blocks' | 'paywallAfter' | 'access'>): PmDoc {
  const content = doc.blocks.map(blockToPm);
  if (!content.length) content.push({ type: 'paragraph' });
  if (doc.access !== 'free') content.splice(clampPaywall(doc.paywallAfter, doc.blocks.length), 0, { type: 'paywall' });
  return { type: 'doc', content };
}

/** One top-level node → a block; nodes outside the schema (pasted, stale JSON) become paragraphs of their text or vanish. */
export function pmToBlock(n: PmNode): DraftBlock | null {
  switch (n.type) {
    case 'paragraph': case 'question': return { type: n.type, text: serializeInline(n.content) };
    case 'subheading': return { type: 'subheading', text: plainText(n.content) };
    case 'answer': return { type: 'answer', speaker: oneLine(str(n.attrs?.speaker)).trim(), text: serializeInline(n.content) };
    case 'quote': {
      const by = oneLine(str(n.attrs?.by)).trim();
      return by ? { type: 'quote', text: serializeInline(n.content), by } : { type: 'quote', text: serializeInline(n.content) };
    }
    case 'image': {
      const imageId = str(n.attrs?.imageId);
      // an image still uploading has no id yet: it is not part of the document until the server knows it
      return imageId ? { type: 'image', imageId, caption: oneLine(str(n.attrs?.caption)), credit: oneLine(str(n.attrs?.credit)) } : null;
    }
    case 'paywall': return null;
    default: {
      const text = plainText(n.content);
      return text ? { type: 'paragraph', text: serializeInline([{ type: 'text', text }]) } : null;
    }
  }
}

/**
 * The editor's document → blocks and the paywall position. Without a marker (free articles) the position the article
 * had is kept, so switching to free and back does not lose it.
 */
export function pmToDoc(json: { content?: PmNode[] }, keep: { paywallAfter: number }): { blocks: DraftBlock[]; paywallAfter: number } {
  const blocks: DraftBlock[] = [];
  let paywallAfter: number | null = null;
  for (const n of json.content ?? []) {
    if (n.type === 'paywall') { paywallAfter ??= blocks.length; continue; }
    const b = pmToBlock(n);
    if (b) blocks.push(b);
  }
  return { blocks, paywallAfter: clampPaywall(paywallAfter ?? keep.paywallAfter, blocks.length) };
}

/** The slug proposed from a headline (the same rules as content's slugify), at most 120 characters. */
export function proposeSlug(headline: string): string {
  const s = headline.toLowerCase().replace(/ä/g, 'ae').replace(/ö/g, 'oe').replace(/ü/g, 'ue').replace(/ß/g, 'ss')
    .normalize('NFKD').replace(/[\u0300-\u036f]/g, '').replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
  return s.slice(0, 120).replace(/-$/, '');
}
