// Self-hosted static assets (stylesheet, fonts, icon, the browser scripts), fingerprinted and cached for a year.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { brotliCompressSync, gzipSync } from 'node:zlib';

export interface AssetUrls {
  css: string;
  /** the article-page script, on every page */
  js: string;
  /** the newsroom editor's script: only the editor page loads it */
  editor: string;
  icon: string;
  fontSerifBold: string;
}
export interface Asset { body: Buffer; gzip?: Buffer; brotli?: Buffer; contentType: string }
export interface Assets { urls: AssetUrls; byPath: Map<string, Asset> }

const require = createRequire(import.meta.url);
const fontFile = (pkg: string, file: string): string => path.join(path.dirname(require.resolve(`${pkg}/package.json`)), 'files', file);

const FONTS: { family: string; pkg: string; prefix: string; weight: number; style: 'normal' | 'italic' }[] = [
  { family: 'Source Serif 4', pkg: '@fontsource/source-serif-4', prefix: 'source-serif-4', weight: 400, style: 'normal' },
  { family: 'Source Serif 4', pkg: '@fontsource/source-serif-4', prefix: 'source-serif-4', weight: 400, style: 'italic' },
  { family: 'Source Serif 4', pkg: '@fontsource/source-serif-4', prefix: 'source-serif-4', weight: 700, style: 'normal' },
  { family: 'Source Sans 3', pkg: '@fontsource/source-sans-3', prefix: 'source-sans-3', weight: 400, style: 'normal' },
  { family: 'Source Sans 3', pkg: '@fontsource/source-sans-3', prefix: 'source-sans-3', weight: 600, style: 'normal' },
  { family: 'Source Sans 3', pkg: '@fontsource/source-sans-3', prefix: 'source-sans-3', weight: 700, style: 'normal' },
];

const ICON = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64"><rect width="64" height="64" rx="12" fill="#12355b"/><text x="32" y="45" font-family="Georgia,serif" font-size="40" font-weight="700" text-anchor="middle" fill="#fff">B</text></svg>`;

function fingerprint(name: string, body: Buffer): string {
  const ext = path.extname(name);
  return `/assets/${path.basename(name, ext)}.${createHash('sha256').update(body).digest('hex').slice(0, 10)}${ext}`;
}

function compressible(body: Buffer, contentType: string): Asset {
  return { body, contentType, gzip: gzipSync(body, { level: 9 }), brotli: brotliCompressSync(body) };
}

/** Loads every asset once at start; `clientJs` is the bundled article-page script, `editorJs` the editor's. */
export function loadAssets(clientJs: string, editorJs = ''): Assets {
  const byPath = new Map<string, Asset>();
  const fontUrls = new Map<string, string>();
  const faces: string[] = [];
  for (const f of FONTS) {
    const file = `${f.prefix}-latin-${f.weight}-${f.style}.woff2`;
    const body = fs.readFileSync(fontFile(f.pkg, file));
    const url = fingerprint(file, body);
    byPath.set(url, { body, contentType: 'font/woff2' });
    fontUrls.set(file, url);
    faces.push(`@font-face{font-family:"${f.family}";font-style:${f.style};font-weight:${f.weight};font-display:swap;src:url(${url}) format("woff2")}`);
  }
  const css = Buffer.from(faces.join('\n') + '\n' + fs.readFileSync(new URL('./site.css', import.meta.url), 'utf8'));
  const cssUrl = fingerprint('site.css', css);
  byPath.set(cssUrl, compressible(css, 'text/css; charset=utf-8'));
  const js = Buffer.from(clientJs);
  const jsUrl = fingerprint('klartext.js', js);
  byPath.set(jsUrl, compressible(js, 'text/javascript; charset=utf-8'));
  const editor = Buffer.from(editorJs);
  const editorUrl = fingerprint('editor.js', editor);
  byPath.set(editorUrl, compressible(editor, 'text/javascript; charset=utf-8'));
  const icon = Buffer.from(ICON);
  const iconUrl = fingerprint('icon.svg', icon);
  byPath.set(iconUrl, compressible(icon, 'image/svg+xml'));
  return { urls: { css: cssUrl, js: jsUrl, editor: editorUrl, icon: iconUrl, fontSerifBold: fontUrls.get('source-serif-4-latin-700-normal.woff2')! }, byPath };
}
