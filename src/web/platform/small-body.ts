// Reads a small request body as text. On Node it reads the socket stream directly: building the web Request object for a 40-byte JSON body costs more than the whole unlock.
import type { Context } from 'hono';
import type { IncomingMessage } from 'node:http';
import { HttpError, RequestAbortedError } from './app-error.ts';
import { bodyReadError } from './request-body.ts';

/**
 * The body as UTF-8 text, refused with 413 past `maxBytes`. The Node fast path is taken only while nobody else
 * has started reading the stream; otherwise, and outside Node (app.request in tests), it goes through the Request.
 */
export async function readSmallBody(c: Context, maxBytes: number): Promise<string> {
  const tooLarge = () => new HttpError('payload-too-large', `Die Anfrage ist größer als ${maxBytes} Bytes.`);
  const declared = c.req.header('content-length');
  if (declared !== undefined && Number(declared) > maxBytes) throw tooLarge();
  const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming;
  if (incoming && typeof incoming.on === 'function' && incoming.readableFlowing === null && !incoming.readableDidRead) {
    // gone before we got here: its 'error' and 'close' have been emitted already and would never reach the listeners below
    if (incoming.destroyed && !incoming.complete) throw new RequestAbortedError();
    return new Promise<string>((resolve, reject) => {
      const chunks: Buffer[] = [];
      let size = 0;
      incoming.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > maxBytes) { incoming.pause(); reject(tooLarge()); return; }
        chunks.push(chunk);
      });
      incoming.once('end', () => resolve(chunks.length === 1 ? chunks[0]!.toString('utf8') : Buffer.concat(chunks, size).toString('utf8')));
      // A hang-up mid-body: Node reports it as ECONNRESET, which must not read as "database unavailable".
      incoming.once('error', () => reject(new RequestAbortedError()));
      incoming.once('close', () => { if (!incoming.complete) reject(new RequestAbortedError()); });
    });
  }
  let text: string;
  try {
    text = await c.req.text();
  } catch (e) {
    throw bodyReadError(c, e, () => new HttpError('bad-request', 'Der Inhalt der Anfrage ließ sich nicht lesen.', 'body'));
  }
  if (Buffer.byteLength(text) > maxBytes) throw tooLarge();
  return text;
}
