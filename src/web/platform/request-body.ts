// Reading request bodies: a client that hangs up midway, a body that cannot be parsed and our own failures are three different answers.
import type { IncomingMessage } from 'node:http';
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { HttpError, RequestAbortedError } from './app-error.ts';

const incomingOf = (c: Context): IncomingMessage | undefined => (c.env as { incoming?: IncomingMessage } | undefined)?.incoming;

/**
 * Whether a failed body read means the client went away: its socket closed before the body was complete, or the
 * stream failed the way Node reports a hang-up. Such an ECONNRESET is the client's, not the database's.
 */
export function isClientAbort(c: Context, e: unknown): boolean {
  const incoming = incomingOf(c);
  if (incoming && !incoming.complete && (incoming.destroyed || incoming.readableAborted)) return true;
  const err = e as { code?: string; message?: string; name?: string } | null;
  return err?.code === 'ECONNRESET' || err?.message === 'aborted' || err?.name === 'AbortError';
}

/** Size limits (ours and hono's bodyLimit, which looks for its own error afterwards) pass through unchanged. */
const isLimit = (e: unknown): boolean => e instanceof HttpError || e instanceof HTTPException || (e as Error | null)?.name === 'BodyLimitError';

/** Maps an error from reading the body: limits stay, a hang-up becomes RequestAbortedError, anything else `unreadable()` (or stays). */
export function bodyReadError(c: Context, e: unknown, unreadable?: () => HttpError): unknown {
  if (isLimit(e)) return e;
  if (isClientAbort(c, e)) return new RequestAbortedError();
  return unreadable ? unreadable() : e;
}

/**
 * The submitted form (urlencoded or multipart), as hono parses it. A broken multipart body (no or a wrong boundary,
 * cut off) is a 400 naming the form by its path, never a 500.
 */
export async function parseFormBody(c: Context): Promise<Awaited<ReturnType<Context['req']['parseBody']>>> {
  try {
    return await c.req.parseBody();
  } catch (e) {
    throw bodyReadError(c, e, () => new HttpError('bad-request',
      `Das Formular an ${c.req.path} ließ sich nicht lesen (fehlerhafter oder unvollständiger Inhalt). Bitte laden Sie die Seite neu und senden Sie es noch einmal ab.`, 'body'));
  }
}
