// For browser tests, bench:editor and screenshots: the real editor page (layout, EditorPage, site.css, the editor
// bundle, the app's CSP) on a tiny server whose save, upload and media endpoints the test scripts.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import sharp from 'sharp';
import { Layout } from '../../web/platform/layout.view.tsx';
import { loadAssets } from '../../web/platform/assets.ts';
import { DEFAULT_SITE } from '../../web/platform/site-info.ts';
import { EditorPage } from '../../web/newsroom/editor.view.tsx';
import type { EditorBootData, MediaItem, SaveConflict } from '../../web/newsroom/editor-contract.ts';
import { EMPTY_DRAFT, type DraftDocument } from '../../newsroom/draft-document.ts';
import { buildClient } from '../build.ts';

const CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'";

export type SaveReply =
  | { status: 200 }
  | { status: 409; current: SaveConflict['current'] }
  | { status: 400 | 403 | 413 | 500 | 503; body?: unknown }
  /** the connection is dropped without an answer (Chrome retries an idempotent PUT once on its own) */
  | 'drop';

export interface SaveRequestSeen { headers: IncomingMessage['headers']; body: { baseVersion: number; doc: DraftDocument } }

export interface EditorStub {
  origin: string;
  pageUrl: string;
  /** what the server holds */
  version: number;
  doc: DraftDocument;
  saves: SaveRequestSeen[];
  /** answers for the next saves, in order; afterwards saves succeed */
  replies: SaveReply[];
  /** while set, every save's connection is dropped: the network is down */
  offline: boolean;
  uploads: { headers: IncomingMessage['headers']; bytes: number }[];
  uploadReply: { status: number; body?: unknown } | null;
  workflowPosts: { path: string; body: string }[];
  media: MediaItem[];
  setDoc(doc: DraftDocument, version?: number): void;
  close(): Promise<void>;
}

export const SECTIONS = [{ slug: 'stadt', name: 'Stadt' }, { slug: 'kreis', name: 'Kreis' }, { slug: 'sport', name: 'Sport' }, { slug: 'kultur', name: 'Kultur' }];
export const AUTHORS = [{ slug: 'jana-hollmann', name: 'Jana Hollmann' }, { slug: 'malte-brehm', name: 'Malte Brehm' }, { slug: 'selin-yilmaz', name: 'Selin Yılmaz' }];

const readBody = (req: IncomingMessage): Promise<Buffer> => new Promise((resolve) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => resolve(Buffer.concat(chunks)));
});

/** A photo-like placeholder (a gradient with a horizon) for thumbnails, one colour per id. */
async function thumbnail(id: string): Promise<Buffer> {
  let h = 0;
  for (const c of id) h = (h * 31 + c.charCodeAt(0)) % 360;
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="480" height="320"><defs><linearGradient id="g" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="hsl(${h},45%,72%)"/><stop offset="1" stop-color="hsl(${(h + 40) % 360},35%,45%)"/></linearGradient></defs><rect width="480" height="320" fill="url(#g)"/><path d="M0 230 L120 170 L210 210 L330 140 L480 200 L480 320 L0 320Z" fill="hsl(${(h + 80) % 360},25%,30%)" opacity=".75"/><circle cx="380" cy="80" r="28" fill="#fff" opacity=".7"/></svg>`;
  return sharp(Buffer.from(svg)).webp({ quality: 70 }).toBuffer();
}

export async function startEditorStub(o: { doc?: Partial<DraftDocument>; version?: number; state?: EditorBootData['state']; actions?: boolean } = {}): Promise<EditorStub> {
  const { js, editorJs } = await buildClient({ editor: true });
  const assets = loadAssets(js, editorJs);
  const thumbs = new Map<string, Buffer>();
  let nextMedia = 1;
  const stub: EditorStub = {
    origin: '', pageUrl: '', version: o.version ?? 1, doc: { ...EMPTY_DRAFT, ...o.doc }, saves: [], replies: [], offline: false, uploads: [], uploadReply: null, workflowPosts: [], media: [],
    setDoc(doc, version) { stub.doc = doc; if (version !== undefined) stub.version = version; },
    close: async () => { await new Promise<void>((r) => { server.close(() => r()); server.closeAllConnections(); }); },
  };
  const mediaItem = (id: string, caption: string, credit: string, fileName: string): MediaItem => ({
    id, width: 4000, height: 2667, thumbUrl: `/bilder/${id}-480.webp`, previewUrl: `/bilder/${id}-1200.webp`, caption, credit, focal: { x: 0.5, y: 0.5 }, fileName, createdAt: '2026-05-04T08:00:00Z',
  });
  stub.media.push(mediaItem('img_rathaus', 'Das Rathaus am Marktplatz', 'Foto: Jana Hollmann', 'rathaus.jpg'), mediaItem('img_fluss', 'Hochwasser an der Sülme', 'Foto: dpa', 'fluss.jpg'), mediaItem('img_halle', 'Die neue Stadthalle', 'Foto: Stadt Brackenau', 'halle.jpg'));

  const boot = (): EditorBootData => ({
    articleId: 'a1', version: stub.version, state: o.state ?? 'draft', doc: stub.doc,
    can: { publish: true, schedule: true, unpublish: false, submit: true },
    sections: SECTIONS, authors: AUTHORS, csrf: 'csrf-token-1',
    urls: { save: '/redaktion/api/artikel/a1', upload: '/redaktion/api/medien', media: '/redaktion/api/medien', preview: '/redaktion/artikel/a1/vorschau' },
  });

  const page = () => {
    const actions = o.actions === false ? null : (
      <>
        <form method="post" action="/redaktion/artikel/a1/einreichen"><input type="hidden" name="_csrf" value="csrf-token-1" /><input type="hidden" name="version" value={String(stub.version)} /><button class="nr-ed-btn nr-ed-btn--ghost">Einreichen</button></form>
        <form method="post" action="/redaktion/artikel/a1/veroeffentlichen"><input type="hidden" name="_csrf" value="csrf-token-1" /><input type="hidden" name="version" value={String(stub.version)} /><button class="nr-ed-btn">Veröffentlichen</button></form>
      </>
    );
    return '<!doctype html>' + String(
      <Layout site={DEFAULT_SITE} sections={[]} assets={assets.urls} meta={{ title: 'Artikel bearbeiten · Redaktion', noindex: true }}>
        <EditorPage boot={boot()} scriptUrl={assets.urls.editor} actions={actions} />
      </Layout>,
    ).replace(/^<!doctype html>/i, '');
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const send = (status: number, type: string, body: string | Buffer, cache = 'no-store') => {
      res.writeHead(status, { 'content-type': type, 'content-security-policy': CSP, 'cache-control': cache }).end(body);
    };
    const json = (status: number, value: unknown) => send(status, 'application/json', JSON.stringify(value));
    // fingerprinted like the app's: cached for a year, so repeated loads measure the editor, not the transfer
    const asset = assets.byPath.get(url.pathname);
    if (asset) return send(200, asset.contentType, asset.body, 'public, max-age=31536000, immutable');
    if (req.method === 'GET' && url.pathname === '/redaktion/artikel/a1') return send(200, 'text/html; charset=utf-8', page());
    if (url.pathname === '/api/me') return json(200, { user: { displayName: 'Jana Hollmann' } });
    if (req.method === 'PUT' && url.pathname === '/redaktion/api/artikel/a1') {
      const raw = await readBody(req);
      if (stub.offline) { req.socket.destroy(); return; }
      const reply = stub.replies.shift() ?? { status: 200 };
      if (reply === 'drop') { req.socket.destroy(); return; }
      const body = JSON.parse(raw.toString()) as SaveRequestSeen['body'];
      stub.saves.push({ headers: req.headers, body });
      if (reply.status === 200) {
        if (body.baseVersion !== stub.version) return json(409, { error: 'Jemand anderes hat inzwischen gespeichert.', current: { version: stub.version, doc: stub.doc, savedBy: 'Ben Kollege', savedAt: new Date().toISOString() } });
        stub.version++;
        stub.doc = body.doc;
        return json(200, { version: stub.version, savedAt: new Date().toISOString(), state: o.state ?? 'draft' });
      }
      if (reply.status === 409) return json(409, { error: 'Jemand anderes hat inzwischen gespeichert.', current: reply.current });
      return json(reply.status, reply.body ?? { error: 'Fehler' });
    }
    if (req.method === 'POST' && url.pathname === '/redaktion/api/medien') {
      const raw = await readBody(req);
      stub.uploads.push({ headers: req.headers, bytes: raw.length });
      if (stub.uploadReply) return json(stub.uploadReply.status, stub.uploadReply.body ?? {});
      const name = decodeURIComponent(String(req.headers['x-file-name'] ?? 'bild.jpg'));
      const item = mediaItem(`img_up${nextMedia++}`, '', '', name);
      stub.media.unshift(item);
      return json(201, item);
    }
    if (req.method === 'GET' && url.pathname === '/redaktion/api/medien') {
      const q = (url.searchParams.get('q') ?? '').toLowerCase();
      return json(200, { items: stub.media.filter((m) => !q || `${m.caption} ${m.credit} ${m.fileName}`.toLowerCase().includes(q)) });
    }
    const one = /^\/redaktion\/api\/medien\/([A-Za-z0-9_-]+)$/.exec(url.pathname);
    if (req.method === 'GET' && one) {
      const item = stub.media.find((m) => m.id === one[1]);
      return item ? json(200, item) : json(404, { error: 'Dieses Bild gibt es nicht.' });
    }
    const img = /^\/bilder\/([A-Za-z0-9_-]+)-\d+\.(?:webp|jpg)$/.exec(url.pathname);
    if (img) {
      let bytes = thumbs.get(img[1]!);
      if (!bytes) thumbs.set(img[1]!, (bytes = await thumbnail(img[1]!)));
      return send(200, 'image/webp', bytes);
    }
    if (req.method === 'POST' && url.pathname.startsWith('/redaktion/artikel/a1/')) {
      stub.workflowPosts.push({ path: url.pathname, body: (await readBody(req)).toString() });
      return send(200, 'text/html; charset=utf-8', '<!doctype html><title>OK</title><p id="done">Eingereicht</p>');
    }
    send(404, 'text/plain', 'nicht gefunden');
  };
  const server: Server = createServer((req, res) => { handle(req, res).catch((e: unknown) => { res.writeHead(500).end(String(e)); }); });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  stub.origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  stub.pageUrl = `${stub.origin}/redaktion/artikel/a1`;
  return stub;
}

/** An interview draft for tests and screenshots. */
export function interviewDraft(): DraftDocument {
  return {
    ...EMPTY_DRAFT,
    slug: 'buergermeisterin-berger-im-interview', kicker: 'Interview', headline: '„Wir bauen die Stadthalle, aber nicht um jeden Preis“',
    teaser: 'Bürgermeisterin Anna Berger über den Haushalt, die Sanierung der Stadthalle und warum Brackenau mehr Wohnungen braucht.',
    section: 'stadt', authors: ['jana-hollmann'], access: 'plus', paywallAfter: 3, speakers: ['Anna Berger', 'Jana Hollmann'],
    seoTitle: '', seoDescription: 'Bürgermeisterin Anna Berger im Interview: Haushalt, Stadthalle und neue Wohnungen in Brackenau.',
    image: { imageId: 'img_rathaus', caption: 'Anna Berger in ihrem Büro im Rathaus', credit: 'Foto: Jana Hollmann' },
    blocks: [
      { type: 'paragraph', text: 'Seit drei Jahren führt Anna Berger die Stadt. Im Gespräch mit dem **Kreisboten** zieht sie Bilanz – und kündigt an, was 2027 auf die Brackenauer zukommt.' },
      { type: 'question', text: 'Frau Berger, der Stadtrat hat den Haushalt erst im dritten Anlauf beschlossen. Was ist schiefgelaufen?' },
      { type: 'answer', speaker: 'Anna Berger', text: 'Nichts ist schiefgelaufen. Wir haben *gerungen*, und das gehört zur Demokratie. Die Zahlen finden Sie im [Ratsinformationssystem](https://example.org/rat).' },
      { type: 'question', text: 'Die Sanierung der Stadthalle kostet inzwischen 14 Millionen Euro. Ist das noch vertretbar?' },
      { type: 'answer', speaker: 'Anna Berger', text: 'Die Halle ist das Wohnzimmer der Stadt. Aber wir bauen nicht um jeden Preis: Wenn die nächste Ausschreibung wieder teurer wird, halten wir an.' },
      { type: 'subheading', text: 'Wohnungen statt Parkplätze' },
      { type: 'quote', text: 'Wir brauchen in den nächsten zehn Jahren 800 neue Wohnungen.', by: 'Anna Berger' },
      { type: 'image', imageId: 'img_halle', caption: 'Die Stadthalle wird seit 2025 saniert', credit: 'Foto: Stadt Brackenau' },
      { type: 'question', text: 'Woher sollen die kommen?' },
      { type: 'answer', speaker: 'Anna Berger', text: 'Vom Parkplatz hinter dem Bahnhof zum Beispiel. Dort ist Platz für 200 Wohnungen.' },
    ],
  };
}

/** A long article: about `words` words of paragraphs, subheadings every few blocks, an image and a quote. */
export function longDraft(words = 5000): DraftDocument {
  const sentence = 'Der Kreistag hat am Dienstagabend nach langer Debatte über die Zukunft der Kliniken im Sülmetal beraten, und die Fraktionen zeigten sich uneins.';
  const per = sentence.split(' ').length;
  const blocks: DraftDocument['blocks'] = [];
  let count = 0; let i = 0;
  while (count < words) {
    i++;
    if (i % 8 === 0) { blocks.push({ type: 'subheading', text: `Abschnitt ${i / 8}: Was die Fraktionen fordern` }); count += 6; continue; }
    if (i === 12) { blocks.push({ type: 'image', imageId: 'img_fluss', caption: 'Die Sülme bei Hochwasser', credit: 'Foto: dpa' }); continue; }
    if (i % 13 === 0) { blocks.push({ type: 'quote', text: 'Wir werden keine Station schließen, solange ich Landrat bin.', by: 'Landrat Peter Sommer' }); count += 10; continue; }
    blocks.push({ type: 'paragraph', text: `${sentence} **Wichtig:** ${sentence} Mehr dazu [hier](/artikel/kliniken-${i}). ${sentence}` });
    count += per * 3 + 3;
  }
  return { ...EMPTY_DRAFT, slug: 'kreistag-kliniken', kicker: 'Kreistag', headline: 'Die Zukunft der Kliniken im Sülmetal', teaser: 'Eine lange Debatte.', section: 'kreis', authors: ['malte-brehm'], access: 'plus', paywallAfter: 4, blocks };
}
