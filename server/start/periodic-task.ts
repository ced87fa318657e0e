// A round of background work run by every instance at start and then every `intervalMs`: a failed
// round is logged and the next one tries again (the database may be away for a while), rounds never
// overlap, and `stop()` waits for the round under way. The retention and the search's upkeep
// are such rounds.
import type { Logger } from '../ops/logger';

export interface PeriodicTask {
  stop(): Promise<void>;
}

export interface PeriodicOptions {
  /** What the log says when a round fails. */
  name: string;
  intervalMs: number;
  logger: Pick<Logger, 'warn'>;
  /** One round; `stopping()` turns true once `stop()` is called, for a round made of many steps. */
  round: (stopping: () => boolean) => Promise<void>;
}

export function startPeriodicTask(options: PeriodicOptions): PeriodicTask {
  let stopped = false;
  let running: Promise<void> | undefined;
  const round = () => {
    // a round still under way when the next is due: that one is skipped, not queued
    if (running) return;
    running = options
      .round(() => stopped)
      .catch((error: unknown) => {
        options.logger.warn(
          { err: { message: error instanceof Error ? error.message : String(error) } },
          `${options.name} failed`,
        );
      })
      .finally(() => {
        running = undefined;
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
