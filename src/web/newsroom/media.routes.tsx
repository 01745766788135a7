// Newsroom media: the upload API (raw bytes, header x-file-name), search and changes as JSON for the editor, and the
// library pages (/redaktion/medien) with an upload form that also works without JavaScript.
import { Hono, type Context } from 'hono';
import { DomainError } from '../../domain-error.ts';
import { findUserById } from '../../accounts/index.ts';
import { getMedia, listMedia, MAX_SOURCE_BYTES, updateMedia, uploadImage, variantFileName, widthAtMost, type MediaRecord } from '../../content/index.ts';
import { HttpError } from '../platform/app-error.ts';
import { readBodyBytes } from '../platform/body-bytes.ts';
import { csrfToken, verifyCsrf } from '../platform/csrf.ts';
import { errorView } from '../platform/error-response.ts';
import { formOf, formGuard } from '../platform/form-input.ts';
import { parseFormBody } from '../platform/request-body.ts';
import type { AppEnv } from '../platform/request-context.middleware.ts';
import { readSmallBody } from '../platform/small-body.ts';
import { emptyForm, type FormState } from '../ui/form.view.tsx';
import type { MediaItem } from './editor-contract.ts';
import { staffOf, type NewsroomRouteDeps } from './newsroom-context.ts';
import { renderInFrame } from './newsroom-frame.view.tsx';
import { mediaLibraryScript } from './media-script.ts';
import { apiError } from './save-api.routes.ts';
import { MediaDetailPage, MediaFacts, MediaLibraryPage, mediaFormValues } from './media.view.tsx';

export const MEDIA_API = '/redaktion/api/medien';
export const MEDIA_LIBRARY = '/redaktion/medien';
/** The POST paths that read their (up to 20 MB) body themselves; the app frame's 1 MB limit does not apply to them. */
export const MEDIA_UPLOAD_PATHS = [MEDIA_API, MEDIA_LIBRARY] as const;

const PAGE_SIZE = 48;
/** a multipart body carries the file plus boundaries and the CSRF field */
const MULTIPART_SLACK = 64 * 1024;
const ID = '{[A-Za-z0-9_-]{8,32}}';

const url = (r: Pick<MediaRecord, 'id' | 'width'>, target: number, format: 'webp' | 'jpg' | 'avif' = 'webp') =>
  `/bilder/${variantFileName(r.id, widthAtMost(r.width, target), format)}`;

/** What the editor and the library page get for an image (editor-contract.ts). */
export function mediaItem(r: MediaRecord): MediaItem {
  return {
    id: r.id, width: r.width, height: r.height, thumbUrl: url(r, 480), previewUrl: url(r, 1200),
    caption: r.caption, credit: r.credit, focal: r.focal, fileName: r.fileName, createdAt: r.createdAt,
  };
}

const tooLarge = () => new DomainError('too-large', `Die Datei ist größer als ${MAX_SOURCE_BYTES / 1024 / 1024} MB. Bitte verkleinern Sie das Bild vor dem Hochladen.`, 'file');

/** x-file-name travels percent-encoded (header values are Latin-1); a name that is not is taken as it came. */
function fileNameOf(c: Context): string {
  const raw = c.req.header('x-file-name') ?? '';
  try { return decodeURIComponent(raw); } catch { return raw; }
}

/** The JSON API answers its own errors in the editor contract's shape (save-api.routes.ts apiError). */
async function api(c: Context<AppEnv>, work: () => Promise<Response>): Promise<Response> {
  try {
    return await work();
  } catch (e) {
    return apiError(c, e);
  }
}

const notFound = () => new HttpError('not-found', 'Dieses Bild gibt es nicht (mehr) in der Mediathek.');

export function mediaRoutes(deps: NewsroomRouteDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const db = deps.site.db;
  const dataDir = deps.site.dataDir;

  // --- JSON API for the editor ---

  // Upload: the image's bytes as the body (any Content-Type but a form's), its name in x-file-name, the CSRF token in
  // x-klartext-csrf. The token is checked before a byte of the body is read; the size while it streams.
  app.post(MEDIA_API, (c) => api(c, async () => {
    if (/^(multipart\/form-data|application\/x-www-form-urlencoded)/i.test(c.req.header('content-type') ?? '')) {
      throw new DomainError('unsupported-type', 'Bitte senden Sie die Bilddatei selbst als Inhalt der Anfrage (kein Formular), ihren Namen im Kopf x-file-name.', 'file');
    }
    await verifyCsrf(c); // the header only: with a non-form body it reads nothing
    const bytes = await readBodyBytes(c, MAX_SOURCE_BYTES, tooLarge);
    const { id } = await uploadImage(db, dataDir, bytes, { fileName: fileNameOf(c), uploadedBy: staffOf(c).id });
    deps.logger.info({ imageId: id, bytes: bytes.length, reqId: c.get('requestId') }, 'image uploaded');
    return c.json(mediaItem((await getMedia(db, id))!), 201);
  }));

  app.get(MEDIA_API, (c) => api(c, async () => {
    const limit = Math.min(100, Math.max(1, Number(c.req.query('limit')) || PAGE_SIZE));
    const page = await listMedia(db, { q: c.req.query('q') ?? '', ...(c.req.query('vor') ? { before: c.req.query('vor')! } : {}), limit });
    return c.json({ items: page.items.map(mediaItem), next: page.next });
  }));

  app.get(`${MEDIA_API}/:id${ID}`, (c) => api(c, async () => {
    const r = await getMedia(db, c.req.param('id'));
    if (!r) throw notFound();
    return c.json(mediaItem(r));
  }));

  // Caption, credit (library defaults) and focal point: JSON { caption?, credit?, focal?: { x, y } } → the item.
  app.post(`${MEDIA_API}/:id${ID}`, (c) => api(c, async () => {
    await verifyCsrf(c);
    let input: unknown;
    try {
      input = JSON.parse(await readSmallBody(c, 4096));
    } catch (e) {
      if (e instanceof HttpError) throw e;
      throw new HttpError('bad-request', 'Bitte senden Sie die Änderung als JSON.', 'body');
    }
    if (!(await getMedia(db, c.req.param('id')))) throw notFound();
    return c.json(mediaItem(await updateMedia(db, c.req.param('id'), input)));
  }));

  // --- the library pages ---

  app.get('/redaktion/medien/bibliothek.js', async (c) => {
    const script = await mediaLibraryScript();
    return c.body(script.body, 200, { 'content-type': 'text/javascript; charset=utf-8' });
  });

  const libraryPage = async (c: Context<AppEnv>, o: { status?: number; error?: string } = {}) => {
    const q = (c.req.query('q') ?? '').slice(0, 100);
    const vor = c.req.query('vor');
    const page = await listMedia(db, { q, ...(vor ? { before: vor } : {}), limit: PAGE_SIZE });
    const script = await mediaLibraryScript();
    return renderInFrame(c, deps, { title: 'Medien', active: 'medien' }, (
      <MediaLibraryPage items={page.items.map(mediaItem)} next={page.next} q={q} csrf={csrfToken(c)} scriptUrl={script.url} uploadUrl={MEDIA_API} error={o.error} />
    ), o.status);
  };

  app.get(MEDIA_LIBRARY, (c) => libraryPage(c));

  // Without JavaScript: a multipart form (field `datei`, one file) → the new image's page, or the library with the message.
  app.post(MEDIA_LIBRARY, async (c) => {
    try {
      if (!/^multipart\/form-data/i.test(c.req.header('content-type') ?? '')) throw new HttpError('bad-request', 'Bitte wählen Sie eine Datei aus und senden Sie das Formular ab.', 'datei');
      const bytes = await readBodyBytes(c, MAX_SOURCE_BYTES + MULTIPART_SLACK, tooLarge);
      // what was read (within the limit) is the body the CSRF check and the form parser see
      (c.req.bodyCache as Record<string, unknown>).arrayBuffer = Promise.resolve(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
      await verifyCsrf(c);
      const file = (await parseFormBody(c))['datei'];
      if (!(file instanceof File) || file.size === 0) throw new HttpError('bad-request', 'Bitte wählen Sie eine Bilddatei aus.', 'datei');
      const { id } = await uploadImage(db, dataDir, Buffer.from(await file.arrayBuffer()), { fileName: file.name, uploadedBy: staffOf(c).id });
      return c.redirect(`${MEDIA_LIBRARY}/${id}?neu=1`, 303);
    } catch (e) {
      const v = errorView(e);
      if (v.status === 403 || v.status >= 500) throw e;
      return libraryPage(c, { status: v.status, error: v.message });
    }
  });

  const detailPage = async (c: Context<AppEnv>, r: MediaRecord, form: FormState, status = 200) => {
    const script = await mediaLibraryScript();
    const uploader = r.uploadedBy ? await findUserById(db, r.uploadedBy) : undefined;
    const notice = c.req.query('neu') ? 'Das Bild ist hochgeladen. Bitte ergänzen Sie Bildunterschrift und Quelle.' : c.req.query('ok') ? 'Gespeichert.' : undefined;
    const item = mediaItem(r);
    return renderInFrame(c, deps, {
      title: r.fileName || 'Bild ohne Dateiname', active: 'medien',
      kicker: <MediaFacts item={item} uploadedBy={uploader?.displayName} />,
      actions: <a class="button button--ghost" href={MEDIA_LIBRARY}>Zur Mediathek</a>,
      notice: status === 200 ? notice : undefined,
    }, <MediaDetailPage item={item} form={form} csrf={csrfToken(c)} scriptUrl={script.url} />, status);
  };

  app.get(`${MEDIA_LIBRARY}/:id${ID}`, async (c) => {
    const r = await getMedia(db, c.req.param('id'));
    if (!r) throw notFound();
    return detailPage(c, r, emptyForm(mediaFormValues(mediaItem(r))));
  });

  // form POSTs: the small-form limit and the CSRF check (GET passes through both)
  app.use(`${MEDIA_LIBRARY}/:id${ID}`, ...formGuard());
  app.post(`${MEDIA_LIBRARY}/:id${ID}`, async (c) => {
    const r = await getMedia(db, c.req.param('id'));
    if (!r) throw notFound();
    const f = await formOf(c);
    const values = { caption: f.caption ?? '', credit: f.credit ?? '', focal_x: (f.focal_x ?? '').trim(), focal_y: (f.focal_y ?? '').trim() };
    const problems: Record<string, string> = {};
    const percent = (name: 'focal_x' | 'focal_y') => {
      const v = values[name];
      if (!/^\d{1,3}([.,]\d+)?$/.test(v) || Number(v.replace(',', '.')) > 100) {
        problems[name] = 'Bitte eine Zahl von 0 bis 100 angeben.';
        return 0.5;
      }
      return Number(v.replace(',', '.')) / 100;
    };
    const focal = { x: percent('focal_x'), y: percent('focal_y') };
    if (Object.keys(problems).length === 0) {
      try {
        await updateMedia(db, r.id, { caption: values.caption, credit: values.credit, focal });
        return c.redirect(`${MEDIA_LIBRARY}/${r.id}?ok=1`, 303);
      } catch (e) {
        if (!(e instanceof DomainError) || e.code !== 'invalid-input') throw e;
        for (const p of e.fields.length ? e.fields : [{ path: e.field ?? 'caption', message: e.message }]) problems[p.path.replace('focal.', 'focal_')] ??= p.message;
      }
    }
    return detailPage(c, r, { values, problems }, 400);
  });

  return app;
}
