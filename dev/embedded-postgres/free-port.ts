// The port the cluster listens on when none is fixed: one free now, which may be taken by the
// time PostgreSQL binds it (embedded-postgres.ts then tries another, up to PORT_TRIES times).
import { createServer } from 'node:net';

/** A TCP port on 127.0.0.1 that nothing listens on now (the benchmark uses it too). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}
