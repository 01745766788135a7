// For outage tests: a TCP proxy to PostgreSQL that can be switched off (dropping every open connection) and on again on the same port.
import net from 'node:net';

export interface SwitchableProxy { readonly port: number; on(): Promise<void>; off(): Promise<void> }

export async function switchableProxy(target: { host: string; port: number }): Promise<SwitchableProxy> {
  const sockets = new Set<net.Socket>();
  let server: net.Server | undefined;
  let port = 0;
  const on = async () => {
    server = net.createServer((client) => {
      const upstream = net.connect(target.port, target.host);
      for (const s of [client, upstream]) { sockets.add(s); s.on('close', () => sockets.delete(s)); s.on('error', () => s.destroy()); }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((r) => server!.listen(port, '127.0.0.1', () => r()));
    port = (server.address() as net.AddressInfo).port;
  };
  const off = async () => {
    for (const s of sockets) s.destroy();
    await new Promise<void>((r) => server!.close(() => r()));
  };
  await on();
  return { get port() { return port; }, on, off };
}
