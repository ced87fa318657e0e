// An orderly stop on SIGTERM/SIGINT that a load balancer in front never sees as a failure:
// 1. drain: /readyz answers 503 at once, and the instance keeps serving for SHUTDOWN_DRAIN_DELAY_MS,
//    long enough for the balancer's health checks to notice and send new requests elsewhere;
//    responses carry `Connection: close` meanwhile, so clients and the balancer reconnect (to
//    another instance) instead of reusing a connection that is about to end;
// 2. stop: no new connections; requests in flight finish (for at most SHUTDOWN_TIMEOUT_MS, then
//    the rest are cut), and idle keep-alive connections are closed;
// 3. close what the service holds (background mail, the database, Redis), exit 0.
// A second signal during the drain skips the rest of it.
import type { Server, ServerResponse } from 'node:http';
import type { Logger } from '../ops/logger';
import type { Lifecycle } from '../ops/health';

export interface ShutdownParts {
  server: Server;
  lifecycle: Lifecycle;
  logger: Logger;
  drainDelayMs: number;
  timeoutMs: number;
  /** Closes everything the server's requests used, once the last has finished. */
  close(): Promise<void>;
}

export function stopOnSignals(parts: ShutdownParts): void {
  const { server, lifecycle, logger, drainDelayMs, timeoutMs } = parts;
  // keep-alive connections must close after the response they are serving, not wait for more
  const inFlight = new Set<ServerResponse>();
  server.on('request', (_req, res: ServerResponse) => {
    if (lifecycle.stopping) res.shouldKeepAlive = false;
    inFlight.add(res);
    res.once('close', () => inFlight.delete(res));
  });
  let skipDrain: (() => void) | undefined;

  const stop = async (signal: string) => {
    lifecycle.stopping = true;
    for (const res of inFlight) if (!res.headersSent) res.shouldKeepAlive = false;
    if (drainDelayMs > 0) {
      logger.info({ signal, drainDelayMs }, 'draining: /readyz answers 503, requests are still served');
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, drainDelayMs);
        skipDrain = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
    logger.info({ signal }, 'shutting down: finishing requests in flight');
    const cut = setTimeout(() => {
      logger.warn('shutdown timeout: closing the connections still open');
      server.closeAllConnections();
    }, timeoutMs);
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeIdleConnections();
    });
    clearTimeout(cut);
    await parts.close();
    logger.info('stopped');
    process.exit(0);
  };

  const onSignal = (signal: NodeJS.Signals) => {
    if (!lifecycle.stopping) return void stop(signal);
    if (skipDrain) {
      logger.info({ signal }, 'second signal: the drain ends now');
      skipDrain();
      skipDrain = undefined;
    }
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}
