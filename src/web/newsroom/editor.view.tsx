// The editor page: the boot data for the editor script and a shell it mounts into (to be built with the editor script).
import { raw } from 'hono/html';
import type { EditorBootData } from './editor-contract.ts';

/** JSON inside <script>: `<` escaped so no text of the article can close the element. */
export const scriptJson = (data: unknown): string => JSON.stringify(data).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');

export function EditorPage({ boot, scriptUrl }: { boot: EditorBootData; scriptUrl?: string }) {
  return (
    <div class="nr-editor" id="kt-editor">
      <script type="application/json" id="kt-editor-data">{raw(scriptJson(boot))}</script>
      <noscript><p>Der Editor braucht JavaScript.</p></noscript>
      {scriptUrl ? <script type="module" src={scriptUrl} /> : null}
    </div>
  );
}
