// The beacon at the Node `http` level: POST /api/beacon answered 204 before any routing, so a stream of beacons costs the pages served beside it little.
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { hostnameOf } from '../platform/host-guard.middleware.ts';
import { clientAddress, type ProxyTrust } from '../platform/request-info.ts';
import { BEACON_PATH, type BeaconIntake } from './beacon.routes.ts';

/** The same answer for every beacon, whatever happened to it: nothing to cache, nothing to read. */
const NO_CONTENT_HEADERS = { 'cache-control': 'private, no-store', 'x-content-type-options': 'nosniff' };

/** The body as text, up to `maxBytes`; past that the reading stops and the promise rejects (the answer then closes the connection). */
function readBody(req: IncomingMessage, maxBytes: number): Promise<string> {
  const declared = Number(req.headers['content-length']);
  if (declared > maxBytes) return Promise.reject(new Error('too large'));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) { req.pause(); reject(new Error('too large')); return; }
      chunks.push(chunk);
    });
    req.once('end', () => resolve(Buffer.concat(chunks, size).toString('utf8')));
    req.once('error', reject);
    req.once('close', () => { if (!req.complete) reject(new Error('aborted')); });
  });
}

/**
 * In front of `fallback` (the app's listener): a POST to exactly /api/beacon with an accepted Host is taken by the intake
 * and answered 204 here — the same intake and the same answer as the private app's route, without building a web
 * Request, a Hono context and the private app's middleware for a body of a few hundred bytes. Everything else (another
 * method or path, a foreign Host, which then gets the host guard's 421) goes to `fallback`.
 */
export function beaconListener(intake: BeaconIntake, o: ProxyTrust, fallback: RequestListener): RequestListener {
  const accepted = new Set(o.acceptedHosts.map((h) => h.toLowerCase()));
  // Host values already parsed and accepted (bounded: a client inventing values only makes us parse again)
  const acceptedValues = new Set<string>();
  const hostAccepted = (host: string | undefined): boolean => {
    if (!host) return false;
    if (acceptedValues.has(host)) return true;
    if (!accepted.has(hostnameOf(host) ?? '')) return false;
    if (acceptedValues.size < 64) acceptedValues.add(host);
    return true;
  };
  return (req, res) => {
    if (req.method !== 'POST' || req.url !== BEACON_PATH || !hostAccepted(req.headers.host)) return fallback(req, res);
    const connection = o.trustProxy.kind !== 'none'
      ? clientAddress(headerOf(req, 'x-forwarded-for'), req.socket.remoteAddress, o.trustProxy)
      : req.socket;
    let tooLarge = false;
    void intake.accept({
      header: (name) => headerOf(req, name),
      connection,
      body: (max) => readBody(req, max).catch((e: unknown) => { tooLarge = true; throw e; }),
    }).then(() => answer(res, tooLarge));
  };
}

function headerOf(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v.join(', ') : v;
}

function answer(res: ServerResponse, closeConnection: boolean): void {
  if (res.headersSent || res.destroyed) return;
  // an unread body would be taken for the next request on this connection: close it instead
  res.writeHead(204, closeConnection ? { ...NO_CONTENT_HEADERS, connection: 'close' } : NO_CONTENT_HEADERS);
  res.end();
}
