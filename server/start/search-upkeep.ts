// Every instance merges the pending entries of `q`'s trigram index now and then
// (router/users/search-upkeep.ts: why), so a search never reads more than a few seconds of new rows
// beyond its index, vacuum or not. Several instances doing it at once only share the work.
// Started by main.ts, stopped on shutdown before the database closes.
import type { MikroORM } from '@mikro-orm/postgresql';
import { mergePendingSearchEntries } from '../../router/users/search-upkeep';
import type { Logger } from '../ops/logger';
import { startPeriodicTask, type PeriodicTask } from './periodic-task';

export interface SearchUpkeepOptions {
  orm: MikroORM;
  intervalMs: number;
  logger: Pick<Logger, 'debug' | 'warn'>;
}

export function startSearchUpkeep(options: SearchUpkeepOptions): PeriodicTask {
  return startPeriodicTask({
    name: 'search index upkeep',
    intervalMs: options.intervalMs,
    logger: options.logger,
    async round() {
      const pages = await mergePendingSearchEntries(options.orm.em.fork());
      if (pages > 0) options.logger.debug({ pages }, 'pending search entries merged');
    },
  });
}
