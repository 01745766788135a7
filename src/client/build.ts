// Bundles the browser code in memory: one minified IIFE for article pages (unlock), and — when asked — a second one for
// the newsroom editor (TipTap), which only the editor page loads. Both with their gzipped sizes for the budgets.
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

export interface ClientBundles {
  /** the article-page script */
  js: string;
  gzipBytes: number;
  /** the editor script (only with `{ editor: true }`) */
  editorJs?: string;
  editorGzipBytes?: number;
}

const ENTRIES = {
  klartext: fileURLToPath(new URL('./unlock.ts', import.meta.url)),
  editor: fileURLToPath(new URL('./editor/main.ts', import.meta.url)),
};

/** The editor bundle is a few hundred KB and takes a second to build: tests of the reader pages leave it out. */
export async function buildClient(o: { editor?: boolean } = {}): Promise<ClientBundles> {
  const result = await build({
    entryPoints: o.editor ? ENTRIES : { klartext: ENTRIES.klartext },
    outdir: 'out',
    bundle: true,
    minify: true,
    format: 'iife',
    target: 'es2020',
    platform: 'browser',
    charset: 'utf8',
    legalComments: 'none',
    write: false,
    logLevel: 'silent',
  });
  const text = (name: string) => result.outputFiles.find((f) => f.path.endsWith(`${name}.js`))!.text;
  const js = text('klartext');
  const bundles: ClientBundles = { js, gzipBytes: gzipSync(js, { level: 9 }).length };
  if (o.editor) {
    bundles.editorJs = text('editor');
    bundles.editorGzipBytes = gzipSync(bundles.editorJs, { level: 9 }).length;
  }
  return bundles;
}
