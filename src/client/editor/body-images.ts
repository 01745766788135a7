// Images in the body: inserted where files were dropped or pasted (after upload), or at the cursor from the upload
// button and the media library, with the caption field focused (an image without one cannot be published).
import type { EditorView } from '@tiptap/pm/view';
import type { MediaItem } from '../../web/newsroom/editor-contract.ts';
import { announce } from './notices.ts';

export function bodyImages(view: EditorView, upload: (file: File) => Promise<MediaItem | null>) {
  /** Index of the top-level block boundary after the block at pos (where a dropped image goes). */
  function blockIndexAt(pos: number): number {
    const $pos = view.state.doc.resolve(Math.min(pos, view.state.doc.content.size));
    return $pos.depth === 0 ? $pos.index(0) : $pos.index(0) + 1;
  }

  /** Images into the body after block `index` (counted when the drop happened), one after the other. */
  async function insertImages(files: File[], index: number): Promise<void> {
    for (const file of files) {
      const item = await upload(file);
      if (item) insertImageAt(item, index++);
    }
  }

  /** Inserts the image as block `index`; returns its position. */
  function insertImageAt(item: MediaItem, index: number): number {
    const { state } = view;
    let pos = 0;
    for (let i = 0; i < Math.min(index, state.doc.childCount); i++) pos += state.doc.child(i).nodeSize;
    const node = state.schema.nodes.image!.create({ imageId: item.id, caption: item.caption, credit: item.credit });
    view.dispatch(state.tr.insert(pos, node).scrollIntoView());
    announce('Bild eingefügt. Bitte Bildunterschrift und Bildnachweis ergänzen.');
    return pos;
  }

  /** At the cursor: after the current block, or in place of an empty paragraph; then into its caption. */
  function insertImageHere(item: MediaItem): void {
    const { state } = view;
    const $from = state.selection.$from;
    const parent = $from.depth > 0 ? $from.node(1) : null;
    let pos: number;
    if (parent && parent.type.name === 'paragraph' && parent.content.size === 0) {
      pos = $from.before(1);
      view.dispatch(state.tr.replaceWith(pos, pos + parent.nodeSize, state.schema.nodes.image!.create({ imageId: item.id, caption: item.caption, credit: item.credit })).scrollIntoView());
      announce('Bild eingefügt. Bitte Bildunterschrift und Bildnachweis ergänzen.');
    } else pos = insertImageAt(item, $from.depth === 0 ? $from.index(0) : $from.index(0) + 1);
    // caption first: an image without one cannot be published
    const dom = view.nodeDOM(pos);
    if (dom instanceof HTMLElement) dom.querySelector<HTMLInputElement>('input[data-attr="caption"]')?.focus();
  }

  return { blockIndexAt, insertImages, insertImageHere };
}
