// For tests that need a real socket (header checks of Node's HTTP layer, clients that hang up): the app on a free port.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import type { Hono } from 'hono';

export interface TestServer { port: number; url: string; server: Server; close(): Promise<void> }

export async function listen(app: Pick<Hono, 'fetch'>): Promise<TestServer> {
  // overrideGlobalObjects: false — the test process goes on calling app.request() in-process with the standard Request/Response
  const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1', overrideGlobalObjects: false }) as Server;
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    port, url: `http://127.0.0.1:${port}`, server,
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
    }),
  };
}
