// The media library's browser script (src/client/media-library.ts), bundled by esbuild the first time a library page
// asks for it and then kept: only staff ever load it, so the server's start does not wait for it.
import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

export interface MediaScript { url: string; body: string }

let built: Promise<MediaScript> | undefined;

export function mediaLibraryScript(): Promise<MediaScript> {
  built ??= build({
    entryPoints: [fileURLToPath(new URL('../../client/media-library.ts', import.meta.url))],
    bundle: true, minify: true, format: 'iife', target: 'es2020', platform: 'browser', charset: 'utf8',
    legalComments: 'none', write: false, logLevel: 'silent',
  }).then((r) => {
    const body = r.outputFiles[0]!.text;
    // the version in the name: a changed script is a new URL
    return { body, url: `/redaktion/medien/bibliothek.js?v=${createHash('sha256').update(body).digest('hex').slice(0, 10)}` };
  }).catch((e: unknown) => {
    built = undefined; // try again with the next page rather than failing forever
    throw e;
  });
  return built;
}
