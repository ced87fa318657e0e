// Retention of events (EVENT_RETENTION_DAYS): every instance removes, now and then, the events
// older than that, a batch of at most 1000 at a time in its own short transaction, so no lock is
// held for long and the feed and the writers never wait on it. Several instances doing it at once
// only share the work. Started by main.ts, stopped on shutdown before the database closes.
import type { MikroORM } from '@mikro-orm/postgresql';
import { removeEventsBefore } from '../../router/events/events-store';
import type { Logger } from '../ops/logger';

export const RETENTION_BATCH = 1000;
const DAY_MS = 86_400_000;

export interface RetentionOptions {
  orm: MikroORM;
  days: number;
  /** How often a round runs. */
  intervalMs: number;
  logger: Pick<Logger, 'info' | 'warn'>;
  /** The time now (ms since the epoch); tests move it. */
  now?: () => number;
}

/** One round: batches until one removes less than a whole batch. Answers how many went. */
export async function removeExpiredEvents(
  orm: MikroORM,
  days: number,
  now: number,
  shouldStop: () => boolean = () => false,
): Promise<number> {
  const before = new Date(now - days * DAY_MS);
  let total = 0;
  for (;;) {
    const removed = await removeEventsBefore(orm.em.fork(), before, RETENTION_BATCH);
    total += removed;
    if (removed < RETENTION_BATCH || shouldStop()) return total;
  }
}

/** Runs a round at start and then every `intervalMs`; `stop()` waits for a round under way. */
export function startEventRetention(options: RetentionOptions): { stop(): Promise<void> } {
  let stopped = false;
  let running: Promise<void> = Promise.resolve();
  const round = () => {
    running = removeExpiredEvents(options.orm, options.days, (options.now ?? Date.now)(), () => stopped)
      .then((removed) => {
        if (removed > 0) options.logger.info({ removed, days: options.days }, 'old events removed');
      })
      .catch((error: unknown) => {
        // the next round tries again (the database may be away for a while)
        options.logger.warn(
          { err: { message: error instanceof Error ? error.message : String(error) } },
          'event retention failed',
        );
      });
  };
  round();
  const timer = setInterval(round, options.intervalMs);
  timer.unref();
  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
