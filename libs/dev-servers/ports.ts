import { createServer } from 'node:net';

/** A port that is free on the loopback interface right now. */
export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolvePort(address.port) : reject(new Error('no port')),
      );
    });
  });
}

/**
 * A free loopback port below `limit`, for programs that store their ports in a 16-bit signed column
 * (the Temporal server's cluster_membership.rpc_port is a PostgreSQL smallint): the kernel's own choice
 * (freePort) comes from the ephemeral range, 32768 and up on Linux.
 */
export async function freePortBelow(limit = 32_768, from = 20_000): Promise<number> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const port = from + Math.floor(Math.random() * (limit - from));
    const free = await new Promise<boolean>((resolveFree) => {
      const server = createServer();
      server.once('error', () => resolveFree(false));
      server.listen(port, '127.0.0.1', () => server.close(() => resolveFree(true)));
    });
    if (free) return port;
  }
  throw new Error(`no free port between ${from} and ${limit}`);
}
