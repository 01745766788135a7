// The contract between the newsroom pages and the editor script (src/client/editor/): what the page embeds
// and what the JSON endpoints answer. Type-only, so the browser bundle can import it.
import type { DraftDocument, EditorialState } from '../../newsroom/index.ts';

/** Embedded in the editor page as <script type="application/json" id="kt-editor-data">. */
export interface EditorBootData {
  articleId: string;
  version: number;
  state: EditorialState;
  doc: DraftDocument;
  /** what the current user may do (server-enforced anyway) */
  can: { publish: boolean; schedule: boolean; unpublish: boolean; submit: boolean };
  sections: { slug: string; name: string }[];
  authors: { slug: string; name: string }[];
  csrf: string;
  urls: {
    /** PUT {baseVersion, doc} → SaveOk | 409 SaveConflict | 400 SaveProblems */
    save: string;
    /**
     * POST the image file itself as the body (fetch(url, { method: 'POST', body: file })), headers
     * x-file-name: encodeURIComponent(file.name), x-klartext-csrf: csrf, accept: application/json
     * → 201 MediaItem (the existing item when the same bytes were uploaded before) | 413 | 415 | 503 busy (ApiError)
     */
    upload: string;
    /**
     * GET ?q=&vor= → { items: MediaItem[] (newest first, 48 a page), next: string | null (pass as vor) };
     * POST <media>/<id> JSON { caption?, credit?, focal?: { x, y } } (header x-klartext-csrf) → 200 MediaItem | 400 ApiError naming the field
     */
    media: string;
    preview: string;
  };
}

export interface SaveRequest {
  baseVersion: number;
  doc: DraftDocument;
  /** a timed save: it replaces the same person's previous autosave revision (within 10 minutes) instead of adding one */
  autosave?: boolean;
}
export interface SaveOk { version: number; savedAt: string; state: EditorialState }
export interface SaveConflict { error: string; current: { version: number; doc: DraftDocument; savedBy: string; savedAt: string } }
export interface ApiProblem { path: string; message: string }
export interface ApiError { error: string; field?: string; problems?: ApiProblem[] }

export interface MediaItem {
  id: string;
  width: number;
  height: number;
  /** a small preview URL for the editor and the library (WebP, at most 480 px wide) */
  thumbUrl: string;
  /** a larger one for the editor's image blocks and the focal point (WebP, at most 1200 px wide); the server always sends it */
  previewUrl?: string;
  caption: string;
  credit: string;
  /** 0..1 from the left / top */
  focal: { x: number; y: number };
  fileName: string;
  createdAt: string;
}
