// PUT /redaktion/api/artikel/:id: the editor's save (autosave and explicit), JSON in and out, with the optimistic lock.
import { Hono, type Context } from 'hono';
import { ConflictError, saveDraft } from '../../newsroom/index.ts';
import { DomainError } from '../../domain-error.ts';
import { HttpError } from '../platform/app-error.ts';
import { verifyCsrf } from '../platform/csrf.ts';
import { errorView } from '../platform/error-response.ts';
import type { AppEnv } from '../platform/request-context.middleware.ts';
import { readSmallBody } from '../platform/small-body.ts';
import type { ApiError, SaveConflict, SaveOk } from './editor-contract.ts';
import { staffOf, type NewsroomRouteDeps } from './newsroom-context.ts';

/**
 * A 5,000-word interview is about 40 KB of JSON; 1 MB leaves room for any real article and is the frame's limit for
 * every request body anyway (web-app.tsx), so a larger body gets the same answer before or after it is read.
 */
export const MAX_SAVE_BYTES = 1024 * 1024;

/**
 * JSON errors for the newsroom's API (save, workflow actions, media) whatever the client's Accept header says (the
 * frame decides by /api/ prefix). The editor reads `error` (a sentence), `field` and `problems` (each path, e.g.
 * blocks[3].speaker, with its message); a busy upload carries Retry-After.
 */
export function apiError(c: Context<AppEnv>, e: unknown): Response {
  if (!(e instanceof HttpError) && !(e instanceof DomainError)) throw e; // a bug or an outage: the frame's onError logs it and answers 500/503
  const v = errorView(e);
  const problems = e instanceof DomainError && e.fields.length ? e.fields : undefined;
  const body: ApiError & { code: string; requestId: string } = {
    error: v.message, code: v.code, ...(v.field ? { field: v.field } : {}), ...(problems ? { problems } : {}), requestId: c.get('requestId'),
  };
  return c.json(body, v.status as 400, { 'cache-control': 'no-store', ...(v.retryAfterSeconds ? { 'retry-after': String(v.retryAfterSeconds) } : {}) });
}

/** The 409 the editor reads: the current version's document, who saved it and when. */
export function conflictBody(e: ConflictError): SaveConflict {
  const cur = e.current;
  return { error: e.message, current: { version: cur.version, doc: cur.doc, savedBy: cur.updatedByName, savedAt: cur.updatedAt } };
}

/** A form's `version` field: the version the page showed. */
export function formVersion(form: Record<string, string>): number {
  const raw = form.version ?? '';
  if (!/^\d{1,9}$/.test(raw)) throw new HttpError('bad-request', 'Die Versionsnummer fehlt oder ist ungültig. Bitte laden Sie die Seite neu.', 'version');
  return Number(raw);
}

interface SaveBody { baseVersion: number; doc: unknown; autosave: boolean }

async function readSaveBody(c: Context<AppEnv>): Promise<SaveBody> {
  const text = await readSmallBody(c, MAX_SAVE_BYTES);
  let raw: unknown;
  try { raw = JSON.parse(text); } catch { throw new HttpError('bad-request', 'Der Inhalt der Anfrage ist kein gültiges JSON.', 'body'); }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new HttpError('bad-request', 'Erwartet wird ein Objekt { baseVersion, doc }.', 'body');
  const { baseVersion, doc, autosave } = raw as Record<string, unknown>;
  if (typeof baseVersion !== 'number' || !Number.isSafeInteger(baseVersion) || baseVersion < 0) {
    throw new HttpError('bad-request', 'baseVersion muss die Versionsnummer sein, auf der Ihre Änderungen beruhen (ganze Zahl ab 0).', 'baseVersion');
  }
  if (doc === undefined) throw new HttpError('bad-request', 'Der Artikel (doc) fehlt.', 'doc');
  if (autosave !== undefined && typeof autosave !== 'boolean') throw new HttpError('bad-request', 'autosave muss true oder false sein.', 'autosave');
  return { baseVersion, doc, autosave: autosave === true };
}

export function saveApiRoutes(deps: NewsroomRouteDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  app.put('/redaktion/api/artikel/:id', async (c) => {
    try {
      // the token first: nothing of a forged request is read
      await verifyCsrf(c);
      if (!/^application\/json\b/i.test(c.req.header('content-type') ?? '')) {
        return c.json({ error: 'Der Artikel muss als JSON gesendet werden (Content-Type: application/json).', code: 'unsupported-media-type', field: 'content-type' } satisfies ApiError & { code: string }, 415);
      }
      const body = await readSaveBody(c);
      const saved = await saveDraft(deps.site.db, staffOf(c), c.req.param('id'), body, { now: deps.site.now() });
      return c.json({ version: saved.version, savedAt: saved.updatedAt, state: saved.state } satisfies SaveOk);
    } catch (e) {
      if (e instanceof ConflictError) return c.json(conflictBody(e), 409);
      return apiError(c, e);
    }
  });

  return app;
}
