// Pure comparison of two drafts for the conflict view: the meta fields that differ and the blocks aligned side by side
// (longest common subsequence), so "theirs" and "mine" read next to each other with the changes marked.
import type { DraftBlock, DraftDocument } from '../../newsroom/draft-document.ts';

export interface MetaRow { field: string; label: string; theirs: string; mine: string }
export type BlockRow =
  | { kind: 'same'; theirs: DraftBlock; mine: DraftBlock; theirsIndex: number; mineIndex: number }
  | { kind: 'changed'; theirs: DraftBlock; mine: DraftBlock; theirsIndex: number; mineIndex: number }
  | { kind: 'theirs-only'; theirs: DraftBlock; theirsIndex: number }
  | { kind: 'mine-only'; mine: DraftBlock; mineIndex: number };

const ACCESS_LABELS: Record<string, string> = { free: 'Frei', registered: 'Registriert', plus: 'Plus' };

/** Inline markup removed: what a person reads. */
export const readable = (text: string): string => text.replace(/\[([^\]\n]+)\]\(([^)\s]+)\)/g, '$1').replace(/\*\*([^*\n]+)\*\*/g, '$1').replace(/\*([^*\n]+)\*/g, '$1');

export function blockText(b: DraftBlock): string {
  switch (b.type) {
    case 'answer': return `${b.speaker || '(ohne Person)'}: ${readable(b.text)}`;
    case 'quote': return `„${readable(b.text)}“${b.by ? ` — ${b.by}` : ''}`;
    case 'image': return `Bild ${b.imageId}: ${b.caption || '(ohne Unterschrift)'}${b.credit ? ` (${b.credit})` : ''}`;
    case 'subheading': return b.text;
    default: return readable(b.text);
  }
}

export function metaRows(theirs: DraftDocument, mine: DraftDocument, names: { sections: Map<string, string>; authors: Map<string, string> }): MetaRow[] {
  const image = (d: DraftDocument) => (d.image ? `${d.image.imageId}: ${d.image.caption}${d.image.credit ? ` (${d.image.credit})` : ''}` : '(keins)');
  const paywall = (d: DraftDocument) => (d.access === 'free' ? '–' : `nach Block ${d.paywallAfter}`);
  const fields: [string, string, (d: DraftDocument) => string][] = [
    ['kicker', 'Dachzeile', (d) => d.kicker],
    ['headline', 'Überschrift', (d) => d.headline],
    ['teaser', 'Vorspann', (d) => d.teaser],
    ['section', 'Ressort', (d) => names.sections.get(d.section) ?? d.section],
    ['authors', 'Autorinnen/Autoren', (d) => d.authors.map((a) => names.authors.get(a) ?? a).join(', ')],
    ['access', 'Zugang', (d) => ACCESS_LABELS[d.access] ?? d.access],
    ['paywallAfter', 'Paywall', paywall],
    ['image', 'Aufmacherbild', image],
    ['slug', 'Adresse', (d) => d.slug],
    ['seoTitle', 'SEO-Titel', (d) => d.seoTitle],
    ['seoDescription', 'SEO-Beschreibung', (d) => d.seoDescription],
    ['speakers', 'Gesprächspartner', (d) => d.speakers.join(', ')],
  ];
  return fields.map(([field, label, show]) => ({ field, label, theirs: show(theirs), mine: show(mine) })).filter((r) => r.theirs !== r.mine);
}

/** The two block lists side by side: equal blocks paired, a removal next to an insertion shown as one changed row. */
export function alignBlocks(theirs: DraftBlock[], mine: DraftBlock[]): BlockRow[] {
  const a = theirs.map((b) => JSON.stringify(b));
  const b = mine.map((x) => JSON.stringify(x));
  const n = a.length; const m = b.length;
  // lcs[i][j]: length of the longest common subsequence of a[i..] and b[j..]
  const lcs: Uint32Array[] = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
  for (let i = n - 1; i >= 0; i--) for (let j = m - 1; j >= 0; j--) lcs[i]![j] = a[i] === b[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
  const rows: BlockRow[] = [];
  let i = 0; let j = 0;
  const gapT: number[] = []; const gapM: number[] = [];
  const flush = () => {
    const k = Math.min(gapT.length, gapM.length);
    for (let x = 0; x < k; x++) rows.push({ kind: 'changed', theirs: theirs[gapT[x]!]!, mine: mine[gapM[x]!]!, theirsIndex: gapT[x]!, mineIndex: gapM[x]! });
    for (let x = k; x < gapT.length; x++) rows.push({ kind: 'theirs-only', theirs: theirs[gapT[x]!]!, theirsIndex: gapT[x]! });
    for (let x = k; x < gapM.length; x++) rows.push({ kind: 'mine-only', mine: mine[gapM[x]!]!, mineIndex: gapM[x]! });
    gapT.length = 0; gapM.length = 0;
  };
  while (i < n || j < m) {
    if (i < n && j < m && a[i] === b[j]) {
      flush();
      rows.push({ kind: 'same', theirs: theirs[i]!, mine: mine[j]!, theirsIndex: i, mineIndex: j });
      i++; j++;
    } else if (j >= m || (i < n && lcs[i + 1]![j]! >= lcs[i]![j + 1]!)) gapT.push(i++);
    else gapM.push(j++);
  }
  flush();
  return rows;
}
