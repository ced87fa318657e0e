// Retention (EVENT_RETENTION_DAYS): every instance removes, now and then, the events older than
// that, and the webhook deliveries as old (each carries a copy of its event); and, in the same
// round, the mailed codes (sign-in and reset codes, keyed hashes) that expired unused, which would
// otherwise stay until their address and browser asked again. A batch of at most 1000 at a time in
// its own short transaction, so no lock is held for long and the feed, the writers, the sign-ins
// and the delivery workers never wait on it. Several instances doing it at once only share the
// work. Started by main.ts, stopped on shutdown before the database closes.
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { resetCodes, signInCodes } from '../../router/auth/mailed-code-store';
import { removeEventsBefore } from '../../router/events/events-store';
import { removeDeliveriesBefore } from '../webhooks/delivery-store';
import type { Logger } from '../ops/logger';
import { startPeriodicTask, type PeriodicTask } from './periodic-task';

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

/** What a round removed. */
export interface Removed {
  events: number;
  deliveries: number;
  /** Expired sign-in codes and password reset codes. */
  codes: number;
}

/**
 * One round: events, then deliveries, then expired codes, each in batches until one removes less
 * than a whole batch. Answers how many of each went.
 */
export async function removeExpired(
  orm: MikroORM,
  days: number,
  now: number,
  shouldStop: () => boolean = () => false,
): Promise<Removed> {
  const before = new Date(now - days * DAY_MS);
  const inBatches = async (remove: (em: EntityManager) => Promise<number>) => {
    let total = 0;
    while (!shouldStop()) {
      const removed = await remove(orm.em.fork());
      total += removed;
      if (removed < RETENTION_BATCH) break;
    }
    return total;
  };
  const events = await inBatches((em) => removeEventsBefore(em, before, RETENTION_BATCH));
  const deliveries = await inBatches((em) => removeDeliveriesBefore(em, before, RETENTION_BATCH));
  const expired = new Date(now);
  const codes =
    (await inBatches((em) => signInCodes.removeExpired(em, expired, RETENTION_BATCH))) +
    (await inBatches((em) => resetCodes.removeExpired(em, expired, RETENTION_BATCH)));
  return { events, deliveries, codes };
}

/** Runs a round at start and then every `intervalMs` (./periodic-task); `stop()` waits for a round under way. */
export function startEventRetention(options: RetentionOptions): PeriodicTask {
  return startPeriodicTask({
    name: 'event retention',
    intervalMs: options.intervalMs,
    logger: options.logger,
    async round(stopping) {
      const removed = await removeExpired(options.orm, options.days, (options.now ?? Date.now)(), stopping);
      if (removed.events > 0 || removed.deliveries > 0 || removed.codes > 0) {
        options.logger.info(
          { ...removed, days: options.days },
          'old events, webhook deliveries and expired codes removed',
        );
      }
    },
  });
}
