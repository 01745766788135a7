// Bundles the browser code in memory: one minified IIFE for article pages, plus its gzipped size for the budget.
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

export async function buildClient(): Promise<{ js: string; gzipBytes: number }> {
  const result = await build({
    entryPoints: [fileURLToPath(new URL('./unlock.ts', import.meta.url))],
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
  const js = result.outputFiles[0]!.text;
  return { js, gzipBytes: gzipSync(js, { level: 9 }).length };
}
