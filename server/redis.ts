// The shared Redis (REDIS_URL) every limit is counted in. Commands fail at once while Redis is
// away instead of queueing (the limits then count in memory, see router/auth/limits), and the
// client reconnects by itself, with a bounded backoff.
import { Redis } from 'ioredis';
import type { Logger } from './logger';

export function connectRedis(url: string, logger: Logger): Redis {
  const redis = new Redis(url, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 2000,
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
