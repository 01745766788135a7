// Reads a large request body (an uploaded file) as bytes, refusing it as soon as it passes the limit: a declared
// Content-Length is judged before a byte is read, a chunked body while it streams — never buffered whole first.
import type { IncomingMessage } from 'node:http';
import type { Context } from 'hono';
import { RequestAbortedError } from './app-error.ts';
import { bodyReadError } from './request-body.ts';

export async function readBodyBytes(c: Context, maxBytes: number, tooLarge: () => Error): Promise<Buffer> {
  const declared = c.req.header('content-length');
  if (declared !== undefined && /^\d+$/.test(declared) && Number(declared) > maxBytes) throw tooLarge();
  const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming;
  if (incoming && typeof incoming.on === 'function' && incoming.readableFlowing === null && !incoming.readableDidRead) {
    if (incoming.destroyed && !incoming.complete) throw new RequestAbortedError();
    return new Promise<Buffer>((resolve, reject) => {
      const chunks: Buffer[] = [];
      let size = 0;
      let done = false;
      const fail = (e: Error) => { if (!done) { done = true; reject(e); } };
      incoming.on('data', (chunk: Buffer) => {
        if (done) return;
        size += chunk.length;
        // past the limit: stop keeping bytes; Node discards the rest of the body once the answer is sent
        if (size > maxBytes) { chunks.length = 0; fail(tooLarge()); return; }
        chunks.push(chunk);
      });
      incoming.once('end', () => { if (!done) { done = true; resolve(Buffer.concat(chunks, size)); } });
      incoming.once('error', () => fail(new RequestAbortedError()));
      incoming.once('close', () => { if (!incoming.complete) fail(new RequestAbortedError()); });
    });
  }
  // outside Node (app.request in tests) or when someone read before: the web stream, counted the same way
  const body = c.req.raw.body;
  if (!body) return Buffer.alloc(0);
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > maxBytes) {
        await reader.cancel().catch(() => undefined);
        throw tooLarge();
      }
      chunks.push(value);
    }
  } catch (e) {
    throw bodyReadError(c, e);
  }
  return Buffer.concat(chunks, size);
}
