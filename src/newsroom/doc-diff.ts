// The difference between two working copies, for the revisions view: per field and per block, word by word inside
// texts (a longest-common-subsequence over words after trimming the common start and end). Pure.
import type { DraftBlock, DraftDocument } from './draft-document.ts';

export type DiffStatus = 'same' | 'added' | 'removed' | 'changed';

/** A run of words (whitespace included) that both sides share, or only the old / only the new one has. */
export interface WordPart { op: 'same' | 'added' | 'removed'; text: string }

export interface FieldDiff {
  /** `headline`, `image.caption`, or for a block field `speaker`, `text`, … */
  field: string;
  status: DiffStatus;
  before: string;
  after: string;
  /** word parts, for texts that changed (absent when the status is same, added or removed: show before / after) */
  parts?: WordPart[];
}

export interface BlockDiff {
  status: DiffStatus;
  /** position in the old and in the new document (absent for an added / removed block) */
  before?: number;
  after?: number;
  /** the block's type (the new one's when changed) */
  type: DraftBlock['type'];
  /** every field of the block, so a view can show the whole block with its changes */
  fields: FieldDiff[];
}

export interface DocDiff {
  changed: boolean;
  fields: FieldDiff[];
  blocks: BlockDiff[];
}

/** Word operations beyond this many cells fall back to "all removed, all added" (keeps a diff of huge texts cheap). */
const MAX_CELLS = 2_000_000;

export function diffWords(a: string, b: string): WordPart[] {
  if (a === b) return a ? [{ op: 'same', text: a }] : [];
  const x = a.split(/(\s+)/).filter((t) => t !== '');
  const y = b.split(/(\s+)/).filter((t) => t !== '');
  let start = 0;
  while (start < x.length && start < y.length && x[start] === y[start]) start++;
  let endX = x.length, endY = y.length;
  while (endX > start && endY > start && x[endX - 1] === y[endY - 1]) { endX--; endY--; }
  const parts: WordPart[] = [];
  const push = (op: WordPart['op'], text: string) => {
    const last = parts[parts.length - 1];
    if (last && last.op === op) last.text += text;
    else if (text) parts.push({ op, text });
  };
  push('same', x.slice(0, start).join(''));
  const mx = x.slice(start, endX), my = y.slice(start, endY);
  if (mx.length * my.length > MAX_CELLS) {
    push('removed', mx.join(''));
    push('added', my.join(''));
  } else {
    // lcs[i][j]: length of the longest common subsequence of mx[i..] and my[j..]
    const w = my.length + 1;
    const lcs = new Uint32Array((mx.length + 1) * w);
    for (let i = mx.length - 1; i >= 0; i--) {
      for (let j = my.length - 1; j >= 0; j--) {
        lcs[i * w + j] = mx[i] === my[j] ? lcs[(i + 1) * w + j + 1]! + 1 : Math.max(lcs[(i + 1) * w + j]!, lcs[i * w + j + 1]!);
      }
    }
    let i = 0, j = 0;
    while (i < mx.length && j < my.length) {
      if (mx[i] === my[j]) { push('same', mx[i]!); i++; j++; }
      else if (lcs[(i + 1) * w + j]! >= lcs[i * w + j + 1]!) push('removed', mx[i++]!);
      else push('added', my[j++]!);
    }
    while (i < mx.length) push('removed', mx[i++]!);
    while (j < my.length) push('added', my[j++]!);
  }
  push('same', x.slice(endX).join(''));
  return parts;
}

export function diffField(field: string, before: string, after: string): FieldDiff {
  if (before === after) return { field, status: 'same', before, after };
  if (before === '') return { field, status: 'added', before, after };
  if (after === '') return { field, status: 'removed', before, after };
  return { field, status: 'changed', before, after, parts: diffWords(before, after) };
}

const docFields = (d: DraftDocument): [string, string][] => [
  ['slug', d.slug], ['kicker', d.kicker], ['headline', d.headline], ['teaser', d.teaser], ['section', d.section],
  ['authors', d.authors.join(', ')], ['access', d.access], ['paywallAfter', d.access === 'free' ? '' : String(d.paywallAfter)],
  ['seoTitle', d.seoTitle], ['seoDescription', d.seoDescription],
  ['image.imageId', d.image?.imageId ?? ''], ['image.caption', d.image?.caption ?? ''], ['image.credit', d.image?.credit ?? ''],
];

function blockFields(b: DraftBlock): [string, string][] {
  switch (b.type) {
    case 'answer': return [['speaker', b.speaker], ['text', b.text]];
    case 'quote': return [['text', b.text], ['by', b.by ?? '']];
    case 'image': return [['imageId', b.imageId], ['caption', b.caption], ['credit', b.credit]];
    default: return [['text', b.text]];
  }
}

const blockKey = (b: DraftBlock) => JSON.stringify(blockFields(b).concat([['type', b.type]]));

function wholeBlock(status: 'same' | 'added' | 'removed', b: DraftBlock, pos: { before?: number; after?: number }): BlockDiff {
  return { status, ...pos, type: b.type, fields: blockFields(b).map(([f, v]) => ({ field: f, status, before: status === 'added' ? '' : v, after: status === 'removed' ? '' : v })) };
}

function changedBlock(a: DraftBlock, b: DraftBlock, before: number, after: number): BlockDiff {
  const fa = new Map(blockFields(a)), fb = blockFields(b);
  return { status: 'changed', before, after, type: b.type, fields: fb.map(([f, v]) => diffField(f, fa.get(f) ?? '', v)) };
}

/** Blocks aligned by the longest common run of identical blocks; within a gap, blocks of the same type pair up as changed. */
function diffBlocks(a: DraftBlock[], b: DraftBlock[]): BlockDiff[] {
  const ka = a.map(blockKey), kb = b.map(blockKey);
  const w = b.length + 1;
  const lcs = new Uint32Array((a.length + 1) * w);
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) lcs[i * w + j] = ka[i] === kb[j] ? lcs[(i + 1) * w + j + 1]! + 1 : Math.max(lcs[(i + 1) * w + j]!, lcs[i * w + j + 1]!);
  }
  const out: BlockDiff[] = [];
  let removed: number[] = [], added: number[] = [];
  const flush = () => {
    const n = Math.max(removed.length, added.length);
    for (let k = 0; k < n; k++) {
      const r = removed[k], d = added[k];
      if (r !== undefined && d !== undefined && a[r]!.type === b[d]!.type) out.push(changedBlock(a[r]!, b[d]!, r, d));
      else {
        if (r !== undefined) out.push(wholeBlock('removed', a[r]!, { before: r }));
        if (d !== undefined) out.push(wholeBlock('added', b[d]!, { after: d }));
      }
    }
    removed = []; added = [];
  };
  let i = 0, j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && ka[i] === kb[j]) {
      flush();
      out.push(wholeBlock('same', b[j]!, { before: i, after: j }));
      i++; j++;
    } else if (j >= b.length || (i < a.length && lcs[(i + 1) * w + j]! >= lcs[i * w + j + 1]!)) removed.push(i++);
    else added.push(j++);
  }
  flush();
  return out;
}

export function diffDocuments(a: DraftDocument, b: DraftDocument): DocDiff {
  const fb = new Map(docFields(b));
  const fields = docFields(a).map(([f, v]) => diffField(f, v, fb.get(f) ?? ''));
  const blocks = diffBlocks(a.blocks, b.blocks);
  return { changed: fields.some((f) => f.status !== 'same') || blocks.some((x) => x.status !== 'same'), fields, blocks };
}
