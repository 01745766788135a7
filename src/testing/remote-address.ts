// For route tests: the `env` argument of app.request() that makes a request come from a given socket address, as @hono/node-server's getConnInfo reads it.
import { isIPv4 } from 'node:net';

/** What getConnInfo (@hono/node-server/conninfo) reads: `c.env.incoming.socket.remote*`. */
export interface RemoteAddressEnv {
  incoming: { socket: { remoteAddress: string; remoteFamily: 'IPv4' | 'IPv6'; remotePort: number } };
}

/** `app.request(url, init, fromAddress('66.249.66.1'))`: a request whose TCP peer is that address. */
export function fromAddress(address: string, port = 4711): RemoteAddressEnv {
  return { incoming: { socket: { remoteAddress: address, remoteFamily: isIPv4(address) ? 'IPv4' : 'IPv6', remotePort: port } } };
}
