// The shared Redis (REDIS_URL) every limit is counted in (and, with replicas, the positions of
// recent writes, see server/database/read-your-writes). Commands fail at once while Redis is away instead
// of queueing (no offline queue), and within COMMAND_TIMEOUT_MS when it hangs (a frozen server
// keeps the connection open but answers nothing): the limits then count in memory (see
// server/limits/rate-limits). The client reconnects by itself, with a bounded backoff.
import { Redis } from 'ioredis';
import type { Logger } from '../ops/logger';

/** Longest a command may wait for Redis's answer before the caller falls back. */
export const COMMAND_TIMEOUT_MS = 500;

export function connectRedis(url: string, logger: Logger): Redis {
  const redis = new Redis(url, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 2000,
    commandTimeout: COMMAND_TIMEOUT_MS,
    retryStrategy: (attempt) => Math.min(attempt * 200, 2000),
  });
  let reported = '';
  const report = (state: string, level: 'info' | 'warn', message: string) => {
    if (state === reported) return;
    reported = state;
    logger[level]({ redis: state }, message);
  };
  redis.on('ready', () => report('ready', 'info', 'Redis connected: limits are shared'));
  // the error's text may hold the URL; only its code is logged
  redis.on('error', (error: Error & { code?: string }) =>
    report(
      'unreachable',
      'warn',
      `Redis unreachable (${error.code ?? error.name}): limits count in memory until it is back`,
    ),
  );
  return redis;
}
