// The listing cursor in a URL: `?vor=<published_at>_<id>` names the article after which a page of a section or author continues.
import type { ListingCursor } from '../../content/index.ts';
import { HttpError } from '../platform/app-error.ts';

export const CURSOR_PARAM = 'vor';

// published_at as the database keeps it (toISOString), then the article id (base64url, may itself contain `_`)
const CURSOR = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z)_([A-Za-z0-9_-]{1,64})$/;

export function cursorText(a: { publishedAt: string; id: string }): string {
  return `${a.publishedAt}_${a.id}`;
}

/** Only the exact spelling the links carry is accepted, so every page has one URL (and one cache entry). */
export function cursorParam(raw: string | undefined): ListingCursor | undefined {
  if (raw === undefined) return undefined;
  const m = CURSOR.exec(raw);
  const at = m ? new Date(m[1]!) : undefined;
  if (!m || !at || Number.isNaN(at.getTime()) || at.toISOString() !== m[1]) {
    throw new HttpError('bad-request', `Der Parameter „${CURSOR_PARAM}“ ist keine gültige Position in der Artikelliste. Bitte folgen Sie den Links „Ältere Artikel“ und „Neuere Artikel“.`, CURSOR_PARAM);
  }
  return { publishedAt: m[1]!, id: m[2]! };
}
